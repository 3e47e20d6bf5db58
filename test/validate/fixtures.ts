import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadAll } from 'js-yaml';
import type { KubeObject } from '../../src/model/kube-object';
import type { Problem } from '../../src/model/problem';
import { validateCluster } from '../../src/validate/validate-cluster';
import type { ValidateOptions } from '../../src/validate/validate-options';

/** Shared test data for the validation tests: the valid cluster and ways to break it. */

export const FIXTURES = path.resolve(__dirname, '../fixtures/validate');
/** The vendored upstream CRDs (Flux, Flagger, Sealed Secrets, Traefik, Argo Rollouts). */
export const SHARED_CRDS = path.resolve(__dirname, '../../../shared/crds');

/** Paths the fixture's Flux Kustomizations build. */
export const EXISTING_PATHS = new Set(['infrastructure/c1', 'dist/clusters/c1/apps']);

export const OPTIONS: ValidateOptions = {
  crdDirectory: SHARED_CRDS,
  pathExists: (p) => EXISTING_PATHS.has(p),
};

type Mutable<T> = { -readonly [K in keyof T]: T[K] extends object ? Mutable<T[K]> : T[K] };
export type Obj = Mutable<KubeObject> & Record<string, any>;

/** A fresh deep copy of the valid cluster's objects; tests edit it freely. */
export function validObjects(): Obj[] {
  const text = fs.readFileSync(path.join(FIXTURES, 'valid-cluster.yaml'), 'utf8');
  return loadAll(text).filter(Boolean) as Obj[];
}

export function find(objects: Obj[], kind: string, name: string): Obj {
  const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
  if (!found) throw new Error(`fixture has no ${kind}/${name}`);
  return found;
}

export function validate(objects: Obj[], options: ValidateOptions = {}, production = true): Problem[] {
  return validateCluster({ cluster: 'c1', production, kubernetesVersion: '1.31', objects }, { ...OPTIONS, ...options });
}

/** Unwaived errors only. */
export function errorsOf(problems: readonly Problem[]): Problem[] {
  return problems.filter((p) => p.severity === 'error' && !p.waived);
}

/** The problems of one rule. */
export function withCode(problems: readonly Problem[], code: string): Problem[] {
  return problems.filter((p) => p.code === code);
}
