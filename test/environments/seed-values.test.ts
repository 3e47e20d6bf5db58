import { fleet } from '../../src/environments';
import { convergeFleet } from '../../src/converge';
import type { FleetSpec } from '../../src/model/fleet';
import { renderFleet } from '../../src/render/render-fleet';
import { renderOk } from '../support/render-to-dir';

/**
 * Values the seed documents give (../shared/seeds/001_*.txt bookstore, 003_*.txt hipstershop),
 * asserted where they land in the rendered output, so a change that drifts from the seed fails.
 */
describe('seed values in the rendered sample fleet', () => {
  const result = renderOk(fleet);
  const objectsOf = (cluster: string) => result.clusters.find((c) => c.spec.name === cluster)?.objects ?? [];
  const find = (cluster: string, kind: string, name: string): any => objectsOf(cluster).find((o) => o.kind === kind && o.metadata.name === name);

  describe('hipstershop (seed 003)', () => {
    const charts = ['adservice', 'currencyservice', 'paymentservice', 'productcatalogservice', 'recommendationservice', 'shippingservice', 'loadgenerator', 'grafana-load-dashboards'];

    it.each(charts)("installs %s from the seed's chart directory deploy/charts in the team's GitLab repository, on master", (name) => {
      const release = find('shop', 'HelmRelease', name);
      expect(release.metadata.namespace).toBe('microservices-demo');
      expect(release.spec.chart.spec).toEqual({ chart: `./deploy/charts/${name}`, sourceRef: { kind: 'GitRepository', name }, reconcileStrategy: 'Revision' });
      expect(find('shop', 'GitRepository', name).spec).toMatchObject({ url: 'https://gitlab.com/dmizverev/microservices-demo', ref: { branch: 'master' } });
    });

    it("renders the demo's ports, env and probes for the typed services, in namespace microservices-demo", () => {
      const env = (name: string) => Object.fromEntries(find('shop', 'Deployment', name).spec.template.spec.containers[0].env.map((e: { name: string; value?: string }) => [e.name, e.value]));
      // The frontend exits unless every backend address is set.
      expect(Object.keys(env('frontend')).sort()).toEqual(
        ['AD_SERVICE_ADDR', 'CART_SERVICE_ADDR', 'CHECKOUT_SERVICE_ADDR', 'CURRENCY_SERVICE_ADDR', 'PORT', 'PRODUCT_CATALOG_SERVICE_ADDR', 'RECOMMENDATION_SERVICE_ADDR', 'SHIPPING_SERVICE_ADDR'],
      );
      expect(env('checkoutservice')).toMatchObject({ PORT: '5050', PAYMENT_SERVICE_ADDR: 'paymentservice:50051', EMAIL_SERVICE_ADDR: 'emailservice.microservices-demo.svc.cluster.local:5000' });
      expect(env('cartservice')).toMatchObject({ REDIS_ADDR: 'redis-cart.microservices-demo.svc.cluster.local:6379' });
      expect(find('shop', 'Service', 'emailservice').spec.ports).toEqual([expect.objectContaining({ port: 5000, targetPort: 'grpc' })]);
      expect(find('shop', 'Deployment', 'cartservice').spec.template.spec.containers[0].readinessProbe).toMatchObject({ exec: { command: ['/bin/grpc_health_probe', '-addr=:7070', '-rpc-timeout=5s'] }, initialDelaySeconds: 15 });
      expect(find('shop', 'Deployment', 'redis-cart').spec.template.spec.containers[0].readinessProbe).toMatchObject({ tcpSocket: { port: 6379 }, periodSeconds: 5 });
      for (const name of ['frontend', 'checkoutservice', 'emailservice', 'cartservice', 'redis-cart']) expect(find('shop', 'Deployment', name).metadata.namespace).toBe('microservices-demo');
    });

    it('renders no chart source outside the seed: no invented registry or Helm repository', () => {
      const sources = objectsOf('shop').filter((o) => ['OCIRepository', 'HelmRepository'].includes(o.kind) && o.metadata.namespace === 'microservices-demo');
      expect(sources).toEqual([]);
    });

    it("canaries the frontend on Istio in the seed's steps: weight 5, every 30s, rolled back after 5 failed checks, analysed by the cluster's Prometheus", () => {
      const canary = find('shop', 'Canary', 'frontend');
      expect(canary.metadata.namespace).toBe('microservices-demo');
      expect(canary.spec).toMatchObject({ provider: 'istio', analysis: { stepWeight: 5, interval: '30s', threshold: 5 } });
      // Not the seed's `http://prometheus:9090` (no such host): the Prometheus installed on the cluster.
      expect(canary.spec.metricsServer).not.toBe('http://prometheus:9090');
      const [, host, namespace] = /^http:\/\/([^.]+)\.([^.:/]+)/.exec(canary.spec.metricsServer) ?? [];
      expect(find('shop', 'HelmRelease', host) ?? objectsOf('shop').find((o) => o.kind === 'HelmRelease' && o.metadata.namespace === namespace && /prometheus/.test(o.metadata.name))).toBeDefined();
    });

    it("updates the team's images automatically (the seed's Flux commit on a new tag), not redis-cart", () => {
      const policies = objectsOf('shop').filter((o) => o.kind === 'ImagePolicy').map((o) => o.metadata.name).sort();
      expect(policies).toEqual(['production-cartservice', 'production-checkoutservice', 'production-emailservice', 'production-frontend']);
      expect(objectsOf('shop').filter((o) => o.kind === 'ImageUpdateAutomation')).toHaveLength(1);
    });

    it('stops the seed\'s "no such host" bug: a metrics address that nothing on the cluster serves fails synth', () => {
      // GIVEN the seed's `--set metricsServer=http://prometheus:9090` on the shop cluster
      const seedBug: FleetSpec = {
        ...fleet,
        clusters: fleet.clusters.map((c) => (c.name === 'shop' ? { ...c, progressiveDelivery: { engine: 'flagger', metrics: { prometheus: 'http://prometheus:9090' } } } : c)),
      };
      // WHEN it is rendered and converged
      const rendered = renderFleet(seedBug);
      const builds = rendered.clusters.map((c) => ({ name: c.spec.name, entry: c.flux.entry, builds: c.flux.builds }));
      const problems = [...rendered.problems, ...convergeFleet(seedBug, builds)].filter((p) => p.severity === 'error' && p.place.cluster === 'shop');
      // THEN an error names the address
      expect(problems.map((p) => `${p.code}: ${p.message}`).join('\n')).toContain('prometheus:9090');
    });
  });

  describe('bookstore (seed 001)', () => {
    // The seed's VirtualRouter retryPolicy (helm-v7 mesh-components.yaml): maxRetries 10,
    // perRetryTimeout 2s, httpRetryEvents server-error + gateway-error; App Mesh's 15s route timeout.
    const seedRetries = {
      'retry.linkerd.io/http': '500,501,502,503,504,505,506,507,508,510,511',
      'retry.linkerd.io/limit': '10',
      'retry.linkerd.io/timeout': '2s',
      'timeout.linkerd.io/request': '15s',
    };

    it.each(['clients-api', 'inventory-api', 'renting-api', 'resource-api'])('carries the retry policy of %s on its Linkerd Service in development', (name) => {
      expect(find('development', 'Service', name).metadata.annotations).toMatchObject(seedRetries);
    });

    it.each([
      ['clients-api', 5003],
      ['inventory-api', 5001],
      ['renting-api', 5004],
      ['resource-api', 5000],
      ['front-end', 80],
    ])("runs %s on its chart's container port %i behind Service port 80", (name, port) => {
      expect(find('development', 'Deployment', name).spec.template.spec.containers[0].ports).toEqual([expect.objectContaining({ containerPort: port })]);
      expect(find('development', 'Service', name).spec.ports).toEqual([expect.objectContaining({ port: 80 })]);
    });

    it("gives each API its charts' env: the environment's DynamoDB table, the other APIs' endpoints", () => {
      const env = (cluster: string, name: string) => Object.fromEntries(find(cluster, 'Deployment', name).spec.template.spec.containers[0].env.map((e: { name: string; value?: string }) => [e.name, e.value]));
      expect(env('development', 'inventory-api')).toMatchObject({ DYNAMODB_TABLE: 'development-inventory', RESOURCE_API_ENDPOINT: 'http://resource-api.development.svc.cluster.local:80' });
      expect(env('production', 'renting-api')).toMatchObject({ DYNAMODB_TABLE: 'production-renting', CLIENTS_API_ENDPOINT: 'http://clients-api.production.svc.cluster.local:80' });
      expect(env('production', 'resource-api')).toMatchObject({ DYNAMODB_TABLE: 'production-resources' });
      expect(env('development', 'clients-api')).toMatchObject({ ASPNETCORE_ENVIRONMENT: 'Development' });
    });

    it("carries it in production too, on Flagger's apex Service where the API is canaried", () => {
      for (const name of ['inventory-api', 'renting-api', 'resource-api']) expect(find('production', 'Service', name).metadata.annotations).toMatchObject(seedRetries);
      expect(find('production', 'Canary', 'clients-api').spec.service.apex.annotations).toMatchObject(seedRetries);
    });
  });
});
