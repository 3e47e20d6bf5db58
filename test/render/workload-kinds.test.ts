import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import type { KubeObject } from '../../src/model/kube-object';
import { formatProblem } from '../../src/model/problem';
import { validateFleet } from '../../src/validate/validate-fleet';
import { kindsFleet } from '../support/kinds-fleet';
import { expectKustomizeBuildEquals } from '../support/kustomize-equality';
import { renderToDir } from '../support/render-to-dir';

describe('workload kinds through the overlay pipeline', () => {
  // GIVEN a fleet with a service of every workload kind, rendered to disk
  const { dir, result } = renderToDir(kindsFleet());
  const objects = result.clusters[0].objects;
  const overlay = (service: string, group?: string) =>
    load(readFileSync(join(dir, `clusters/stage/apps/shop/${group ? `${group}/` : ''}${service}/kustomization.yaml`), 'utf8')) as Record<string, unknown>;
  const find = (kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata.name === name) as KubeObject & { spec: Record<string, any> };

  it('carries each kind\'s version in images:, replicas only where the kind has them, other differences as patches', () => {
    expect(overlay('db')).toMatchObject({ images: [{ name: 'example/db', newTag: '16.4' }], replicas: [{ name: 'db', count: 3 }] });
    expect(overlay('migrate')).toMatchObject({ images: [{ name: 'example/migrate', newTag: '2.0.0' }] });
    // A CronJob keeps its pod template under spec.jobTemplate: kustomize's images transformer still finds it.
    expect(overlay('nightly')).toMatchObject({ images: [{ name: 'example/nightly', newTag: '0.3.0' }] });
    expect(overlay('agent')).toMatchObject({ images: [{ name: 'example/agent', newTag: '3.1.9' }] });
    for (const service of ['migrate', 'nightly', 'agent']) expect(overlay(service).replicas).toBeUndefined();
    expect(overlay('nightly').patches).toEqual([expect.objectContaining({ path: 'patches/cron-job.yaml' })]);
  });

  it('passes schema, reference and policy validation (no PDB or probes demanded of Jobs)', () => {
    const clusters = result.clusters.map((c) => ({ name: c.spec.name, production: c.production, kubernetesVersion: c.spec.kubernetesVersion, objects: c.objects }));
    const { results } = validateFleet(kindsFleet(), clusters, { pathExists: (path) => result.files.has(`${path.replace(/^\.\//, '')}/kustomization.yaml`) });
    expect(results.flatMap((r) => r.problems).filter((p) => p.severity === 'error').map(formatProblem)).toEqual([]);
  });

  it('renders the StatefulSet with its headless governing Service and a mounted claim per pod', () => {
    const sts = find('StatefulSet', 'db');
    expect(sts.spec.serviceName).toBe('db-headless');
    expect(find('Service', 'db-headless').spec).toMatchObject({ clusterIP: 'None', publishNotReadyAddresses: true });
    expect(sts.spec.volumeClaimTemplates[0]).toMatchObject({ metadata: { name: 'data' }, spec: { storageClassName: 'gp3', resources: { requests: { storage: '10Gi' } } } });
    expect(sts.spec.template.spec.containers[0].volumeMounts).toContainEqual({ name: 'data', mountPath: '/var/lib/db' });
  });

  it('renders a Job Flux can re-run: force-applied, never restarted in place, its meshed proxy a native sidecar', () => {
    const job = find('Job', 'migrate');
    expect(job.metadata.annotations).toMatchObject({ 'kustomize.toolkit.fluxcd.io/force': 'enabled' });
    expect(job.spec.ttlSecondsAfterFinished).toBeUndefined();
    expect(job.spec.template.spec.restartPolicy).toBe('Never');
    expect(job.spec.template.metadata.annotations).toMatchObject({ 'sidecar.istio.io/nativeSidecar': 'true' });
    // No replicas, HPA, PDB or Service for tasks and agents.
    const kinds = objects.filter((o) => ['migrate', 'nightly', 'agent'].includes(o.metadata.name)).map((o) => o.kind);
    expect(kinds).not.toContain('PodDisruptionBudget');
    expect(kinds).not.toContain('HorizontalPodAutoscaler');
    expect(find('DaemonSet', 'agent').spec.replicas).toBeUndefined();
  });

  it('orders the Job before the service that waits for it (dependsOn, with a timeout covering its deadline)', () => {
    const units = result.clusters[0].objects.filter((o) => o.kind === 'Kustomization' && o.apiVersion.startsWith('kustomize.toolkit')) as (KubeObject & { spec: Record<string, any> })[];
    const frontend = units.find((u) => u.metadata.name === 'apps-shop-frontend');
    const own = units.find((u) => u.metadata.name === 'apps-shop');
    expect(frontend?.spec.dependsOn).toEqual([{ name: 'infra-configs' }, { name: 'apps-shop' }]);
    expect(own?.spec).toMatchObject({ wait: true, timeout: '21m' });
  });

  it(
    'builds with kubectl kustomize into exactly the objects the model implies, for every kind',
    () => expectKustomizeBuildEquals(dir, 'stage', objects),
    120_000,
  );

  it('renders the same bytes for the bases of every kind (snapshot)', () => {
    const bases = [...result.files].filter(([path]) => /^dist\/bases\/(db|migrate|nightly|agent)\//.test(path));
    expect(Object.fromEntries(bases)).toMatchSnapshot();
  });
});
