import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KubeObject } from '../../../src/model/kube-object';
import { toYaml } from '../../../src/render/yaml';

/**
 * Writes a minimal output tree Flux's layout: clusters/<cluster>/{sources,infrastructure,apps}.yaml
 * with one Flux Kustomization each for infrastructure (cluster-scoped objects) and apps
 * (namespaced objects), so `kustomizeCluster` builds it like a generated one.
 */
export function writeCraftedTree(root: string, clusters: Readonly<Record<string, readonly KubeObject[]>>): void {
  for (const [cluster, objects] of Object.entries(clusters)) {
    const dir = join(root, 'clusters', cluster);
    const fluxKustomization = (name: string, path: string) => ({
      apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
      kind: 'Kustomization',
      metadata: { name, namespace: 'flux-system' },
      spec: { interval: '10m', path: `./clusters/${cluster}/${path}`, prune: true, sourceRef: { kind: 'GitRepository', name: 'fleet' } },
    });
    const write = (path: string, docs: readonly unknown[]) => {
      mkdirSync(join(dir, path, '..'), { recursive: true });
      writeFileSync(join(dir, path), docs.map((doc) => toYaml(doc)).join('---\n'));
    };
    write('sources.yaml', [{ apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'GitRepository', metadata: { name: 'fleet', namespace: 'flux-system' }, spec: { interval: '1m', url: 'https://example.test/fleet', ref: { branch: 'main' } } }]);
    write('infrastructure.yaml', [fluxKustomization('infra', 'infra')]);
    write('apps.yaml', [fluxKustomization('apps', 'apps')]);
    write('kustomization.yaml', [{ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources: ['flux-system', 'sources.yaml', 'infrastructure.yaml', 'apps.yaml'] }]);
    const clusterScoped = objects.filter((obj) => !obj.metadata.namespace);
    const namespaced = objects.filter((obj) => obj.metadata.namespace);
    for (const [path, list] of [['infra', clusterScoped], ['apps', namespaced]] as const) {
      write(`${path}/objects.yaml`, list.length > 0 ? list : [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `${path}-placeholder`, namespace: 'flux-system' } }]);
      write(`${path}/kustomization.yaml`, [{ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources: ['objects.yaml'] }]);
    }
  }
}
