import { fleet } from '../../src/environments';
import type { KubeObject } from '../../src/model/kube-object';
import { appsUnitName } from '../../src/render/apps-units';
import { renderFleet } from '../../src/render/render-fleet';
import { renderOk } from '../support/render-to-dir';

const sealedSecret = (name: string, namespace: string): KubeObject => ({
  apiVersion: 'bitnami.com/v1alpha1',
  kind: 'SealedSecret',
  metadata: { name, namespace },
  spec: { encryptedData: { password: 'AgB' }, template: { metadata: { name, namespace } } },
});

interface HealthCheckExpr {
  readonly kind: string;
  readonly current: string;
  readonly failed?: string;
}

describe('Flux health checks of what the apps Kustomizations apply', () => {
  it("waits for every SealedSecret's decryption (the Synced condition), not only for its observedGeneration", () => {
    // GIVEN Sealed Secrets clusters delivering SealedSecrets in an app namespace and in one holding only secrets
    const secrets = new Map([
      ['staging', { objects: [sealedSecret('mysql', 'microservices'), sealedSecret('dockerhub', 'partners')] }],
      ['production', { objects: [sealedSecret('dockerhub', 'bookstore')] }],
    ]);
    // (staging's team applies its namespace with Argo CD, which has its own SealedSecret health check: Flux applies it here)
    const fluxOnly = { ...fleet, clusters: fleet.clusters.map((c) => ({ ...c, argocd: undefined })) };
    const clusters = renderFleet(fluxOnly, { clusters: ['staging', 'production'], secrets }).clusters;
    let sealed = 0;
    for (const cluster of clusters) {
      const kustomizations = cluster.objects.filter((o) => o.kind === 'Kustomization' && o.apiVersion.startsWith('kustomize.toolkit.fluxcd.io/'));
      for (const secret of cluster.objects.filter((o) => o.kind === 'SealedSecret')) {
        sealed += 1;
        // THEN the Kustomization applying it judges its health by the controller's Synced condition
        const applier = kustomizations.find((k) => k.metadata.name === appsUnitName({ namespace: secret.metadata.namespace as string }));
        const checks = ((applier?.spec as { healthCheckExprs?: HealthCheckExpr[] } | undefined)?.healthCheckExprs ?? []).filter((c) => c.kind === 'SealedSecret');
        expect({ cluster: cluster.spec.name, secret: secret.metadata.name, checks: checks.map((c) => [c.current, c.failed]) }).toEqual({
          cluster: cluster.spec.name,
          secret: secret.metadata.name,
          checks: [["status.conditions.filter(e, e.type == 'Synced').all(e, e.status == 'True')", "status.conditions.filter(e, e.type == 'Synced').all(e, e.status == 'False')"]],
        });
      }
    }
    expect(sealed).toBe(3);
  });

  it('adds no SealedSecret check where no SealedSecret is applied', () => {
    const development = renderOk(fleet, { clusters: ['development'] }).clusters[0];
    const checks = development.objects.flatMap((o) => (o.kind === 'Kustomization' ? ((o.spec as { healthCheckExprs?: HealthCheckExpr[] }).healthCheckExprs ?? []) : []));
    expect(checks.filter((c) => c.kind === 'SealedSecret')).toEqual([]);
  });
});
