import { Testing } from 'cdk8s';
import { ArgoCdApplication, SYNC_WAVE_ANNOTATION } from '../../../src/charts/argocd/application';
import type { KubeObject } from '../../../src/model/kube-object';

describe('ArgoCdApplication', () => {
  it('applies one rendered directory with automated sync, in its sync wave', () => {
    // GIVEN an Application for an apps path
    const chart = Testing.chart();
    new ArgoCdApplication(chart, 'app', {
      name: 'staging-apps-shop',
      namespace: 'argocd',
      repoURL: 'https://example.test/fleet',
      targetRevision: 'main',
      path: './clusters/staging/apps/shop',
      destinationNamespace: 'shop',
      syncWave: 2,
    });
    const [app] = Testing.synth(chart) as KubeObject[];

    // THEN it points at the same directory Flux applies (without Flux's ./) and syncs in wave 2
    expect(app).toMatchObject({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { name: 'staging-apps-shop', namespace: 'argocd', annotations: { [SYNC_WAVE_ANNOTATION]: '2' } },
      spec: {
        project: 'default',
        source: { repoURL: 'https://example.test/fleet', targetRevision: 'main', path: 'clusters/staging/apps/shop' },
        destination: { server: 'https://kubernetes.default.svc', namespace: 'shop' },
        syncPolicy: { automated: { prune: true, selfHeal: true } },
      },
    });
    // No cascade: deleting the Application must not delete the workloads.
    expect(app.metadata.finalizers).toBeUndefined();
  });
});
