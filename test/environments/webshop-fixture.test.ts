import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { formatProblem } from '../../src/model/problem';
import { validateFleet } from '../../src/validate/validate-fleet';
import { webshopFleet } from '../fixtures/webshop-fleet';
import { expectKustomizeBuildEquals } from '../support/kustomize-equality';
import { renderToDir } from '../support/render-to-dir';

/**
 * The webshop fixture fleet (test/fixtures/webshop-fleet.ts): what the sample fleet showed before
 * it became exactly the five seed systems — every workload kind, the example custom charts,
 * patches and one-off objects, a canary with webhooks and `traffic` on Istio — rendered,
 * validated and built together on one cluster.
 */
describe('webshop fixture fleet', () => {
  // GIVEN the fixture fleet, rendered to disk
  const { dir, result } = renderToDir(webshopFleet());
  const objects = result.clusters[0].objects;
  const find = (kind: string, name: string): any => objects.find((o) => o.kind === kind && o.metadata.name === name);

  it('renders cluster shop and its bases (snapshot of every file)', () => {
    expect(Object.fromEntries(result.files)).toMatchSnapshot();
  });

  it('passes schema, reference and policy validation', () => {
    const clusters = result.clusters.map((c) => ({ name: c.spec.name, production: c.production, kubernetesVersion: c.spec.kubernetesVersion, objects: c.objects }));
    const { results } = validateFleet(webshopFleet(), clusters, {
      pathExists: (path) => result.files.has(`${path.replace(/^\.\//, '')}/kustomization.yaml`),
      externalSecrets: ['webshop/catalog-db', 'webshop/dockerhub'],
    });
    expect(results.flatMap((r) => r.problems).filter((p) => p.severity === 'error').map(formatProblem)).toEqual([]);
  });

  it('canaries the frontend through Istio with acceptance and load-test webhooks; traffic policies become VirtualService retries', () => {
    const frontend = find('Canary', 'shop-frontend').spec;
    expect(frontend).toMatchObject({ provider: 'istio', service: { gateways: ['istio-system/public-gateway', 'mesh'], hosts: ['shop.webshop.example.com'] } });
    expect(frontend.analysis.webhooks.map((w: { name: string }) => w.name)).toEqual(['acceptance-test', 'load-test']);
    expect(find('HelmRelease', 'flagger-loadtester')).toBeDefined();
    expect(find('VirtualService', 'catalog').spec.http[0]).toMatchObject({ timeout: '2s', retries: { attempts: 3, perTryTimeout: '500ms', retryOn: 'unavailable,cancelled,deadline-exceeded' } });
  });

  it('renders every workload kind: StatefulSet, a Job ordered before catalog, a CronJob and a DaemonSet', () => {
    expect(find('StatefulSet', 'catalog-db').spec.volumeClaimTemplates[0]).toMatchObject({ metadata: { name: 'data' }, spec: { resources: { requests: { storage: '20Gi' } } } });
    expect(find('Job', 'catalog-migrate').spec).toMatchObject({ activeDeadlineSeconds: 900 });
    expect(find('CronJob', 'sales-report').spec).toMatchObject({ schedule: '0 3 * * *', timeZone: 'Europe/Berlin', startingDeadlineSeconds: 600 });
    expect(find('DaemonSet', 'log-agent').spec.template.spec.tolerations).toEqual([{ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' }]);
    // catalog has its own Flux Kustomization, which waits for the namespace's (holding the Job).
    const unit = objects.find((o) => o.kind === 'Kustomization' && o.metadata.name === 'apps-webshop-catalog') as any;
    expect(unit.spec.dependsOn).toContainEqual({ name: 'apps-webshop' });
  });

  it('renders the example custom charts: the backup attached to catalog-db (per-environment value) and the guardrails chart app', () => {
    const backup = find('CronJob', 'catalog-db-backup');
    expect(backup.spec.schedule).toBe('30 2 * * *');
    expect(backup.spec.jobTemplate.spec.template.spec.containers[0].args).toEqual(['--host', 'catalog-db-0.catalog-db-headless', '--to', 'gs://webshop-prod-backups/catalog']);
    expect(find('ResourceQuota', 'webshop-guardrails').spec.hard).toMatchObject({ 'requests.cpu': '16', 'requests.memory': '32Gi', pods: 100 });
  });

  it('applies the patches and one-off objects of an environment', () => {
    expect(find('Deployment', 'cart').spec.minReadySeconds).toBe(10);
    expect(find('ConfigMap', 'cart-feature-flags').data).toEqual({ 'express-checkout': 'on' });
    const overlay = load(readFileSync(join(dir, 'clusters/shop/apps/webshop/sales-report/kustomization.yaml'), 'utf8')) as { patches?: unknown[] };
    expect(overlay.patches?.length).toBeGreaterThan(0);
  });

  it('renders the workload API of an existing application: adopted selector, native sidecar before the init container, projected and in-memory volumes', () => {
    const orders = find('Deployment', 'orders');
    expect(orders.spec.selector).toEqual({ matchLabels: { app: 'orders' } });
    const pod = orders.spec.template.spec;
    expect(pod.initContainers.map((c: { name: string; restartPolicy?: string }) => [c.name, c.restartPolicy])).toEqual([['cloud-sql-proxy', 'Always'], ['migrate', undefined]]);
    expect(pod.volumes).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'scratch', emptyDir: { sizeLimit: '64Mi', medium: 'Memory' } }), expect.objectContaining({ name: 'identity', projected: expect.anything() })]));
    expect(pod.containers[0].env).toContainEqual({ name: 'CART_ADDR', value: 'http://cart.webshop.svc.cluster.local:8080' });
  });

  it('renders a headless Service on an unnamed port, an existing claim, and an extra internal LoadBalancer Service', () => {
    expect(find('Service', 'sessions').spec).toMatchObject({ clusterIP: 'None', ports: [expect.objectContaining({ port: 6379, targetPort: 6379 })] });
    expect(find('Deployment', 'sessions').spec.template.spec.volumes).toContainEqual({ name: 'data', persistentVolumeClaim: { claimName: 'sessions-data' } });
    const internal = find('Service', 'cart-internal');
    expect(internal.spec).toMatchObject({ type: 'LoadBalancer', loadBalancerSourceRanges: ['10.0.0.0/8'] });
    expect(internal.metadata.annotations).toMatchObject({ 'networking.gke.io/load-balancer-type': 'Internal' });
  });

  it(
    'builds with kubectl kustomize into exactly the objects the model implies',
    () => expectKustomizeBuildEquals(dir, 'shop', objects),
    120_000,
  );
});
