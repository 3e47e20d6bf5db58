import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ValidateFunction } from 'ajv';
import { sharedAjv } from './crd-validators';

/**
 * Built-in kinds validated against the JSON schemas of the cluster's own Kubernetes version, read
 * from a directory laid out as kubeconform's default schema location (the
 * yannh/kubernetes-json-schema repository): `<dir>/v1.31.4-standalone-strict/deployment-apps-v1.json`.
 * Point `FLEET_KUBERNETES_SCHEMA_DIR` at a checkout (or the versions you run) and each cluster is
 * checked against its minor version's newest patch: a field or API the cluster's Kubernetes does
 * not serve is an error there, whatever newer Kubernetes knows. Clusters whose version has no
 * schema set there fall back to kubernetes-models (see kubernetes-models.ts).
 *
 * @see https://github.com/yannh/kubeconform#overriding-schemas-location
 */

/** One Kubernetes version's schemas: its directory and the version it was generated from. */
export interface KubernetesSchemaSet {
  /** e.g. `1.31.4`. */
  readonly version: string;
  readonly directory: string;
}

const SET_NAME = /^v(1)\.(\d+)\.(\d+)-standalone-strict$/;

/**
 * The schema set for a cluster's minor version (`1.31`): the newest patch under `root`, or
 * undefined when there is none (or no root).
 */
export function findSchemaSet(root: string | undefined, kubernetesVersion: string | undefined): KubernetesSchemaSet | undefined {
  const minor = /^v?1\.(\d+)/.exec(kubernetesVersion ?? '')?.[1];
  if (!root || minor === undefined) return undefined;
  let best: { patch: number; name: string } | undefined;
  for (const name of listDirectory(root)) {
    const match = SET_NAME.exec(name);
    if (!match || match[2] !== String(Number(minor))) continue;
    const patch = Number(match[3]);
    if (!best || patch > best.patch) best = { patch, name };
  }
  return best ? { version: `1.${Number(minor)}.${best.patch}`, directory: path.join(root, best.name) } : undefined;
}

/**
 * kubeconform's file name for a kind: lower-case kind, the first label of the group, the version —
 * `v1` Service → `service-v1.json`, `networking.k8s.io/v1` Ingress → `ingress-networking-v1.json`.
 */
export function schemaFileName(apiVersion: string, kind: string): string {
  const [groupOrVersion, version] = apiVersion.split('/');
  const suffix = version === undefined ? `-${groupOrVersion}` : `-${groupOrVersion.split('.')[0]}-${version}`;
  return `${kind}${suffix}.json`.toLowerCase();
}

export type VersionedValidator = { readonly ok: true; readonly validate: ValidateFunction } | { readonly ok: false; readonly reason: string };

const validators = new Map<string, VersionedValidator | undefined>();
const listings = new Map<string, readonly string[]>();

/** The compiled schema of a kind in a set; undefined when the set has no file for it (not served). */
export function versionedValidator(set: KubernetesSchemaSet, apiVersion: string, kind: string): VersionedValidator | undefined {
  const file = path.join(set.directory, schemaFileName(apiVersion, kind));
  if (!validators.has(file)) validators.set(file, compileFile(file));
  return validators.get(file);
}

function compileFile(file: string): VersionedValidator | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  try {
    // The files declare `$schema: http://json-schema.org/schema#`, which ajv does not know; the
    // keywords they use are the same in draft-07.
    const { $schema: _ignored, ...schema } = JSON.parse(text) as Record<string, unknown>;
    return { ok: true, validate: sharedAjv().compile(schema) };
  } catch (e) {
    return { ok: false, reason: (e as Error).message };
  }
}

function listDirectory(root: string): readonly string[] {
  let names = listings.get(root);
  if (!names) {
    try {
      names = fs.readdirSync(root).sort();
    } catch {
      names = [];
    }
    listings.set(root, names);
  }
  return names;
}
