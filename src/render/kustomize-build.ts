import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import type { KubeObject } from '../model/kube-object';
import { clusterDir } from './layout';
import { parseYamlDocuments } from './yaml';

/** The files flux bootstrap's Kustomization applies from `clusters/<cluster>/` (besides flux-system). */
export const ENTRY_FILES = ['sources.yaml', 'infrastructure.yaml', 'apps.yaml'] as const;

interface FluxKustomizationDoc {
  kind?: string;
  spec?: { path?: string };
}

/**
 * Paths (relative to the output root) every Flux Kustomization of a cluster builds, read from
 * the rendered entry files, so the check follows exactly what Flux would do.
 */
export function fluxPaths(root: string, cluster: string): string[] {
  return ENTRY_FILES.flatMap((file) =>
    (parseYamlDocuments(readFileSync(join(root, clusterDir(cluster), file), 'utf8')) as FluxKustomizationDoc[])
      .filter((doc) => doc.kind === 'Kustomization' && doc.spec?.path)
      .map((doc) => (doc.spec?.path as string).replace(/^\.\//, '')),
  );
}

/**
 * Builds everything Flux applies for a cluster with the real `kubectl kustomize`, in ONE
 * kubectl call (a temporary kustomization that includes every path), because each call costs
 * ~0.3 s of start-up and kustomize time grows with the number of builds.
 */
export function kustomizeCluster(root: string, cluster: string): KubeObject[] {
  const dir = mkdtempSync(join(tmpdir(), 'fleet-kustomize-'));
  try {
    const resources = [...ENTRY_FILES.map((file) => join(root, clusterDir(cluster), file)), ...fluxPaths(root, cluster).map((path) => join(root, path))];
    writeFileSync(join(dir, 'kustomization.yaml'), `resources:\n${resources.map((r) => `- ${relative(dir, r)}`).join('\n')}\n`);
    const output = execFileSync('kubectl', ['kustomize', '--load-restrictor=LoadRestrictionsNone', dir], { encoding: 'utf8', maxBuffer: 1 << 30 });
    return parseYamlDocuments(output) as KubeObject[];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
