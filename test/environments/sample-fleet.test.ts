import { fleet } from '../../src/environments';
import { renderOk } from '../support/render-to-dir';

describe('sample fleet', () => {
  const result = renderOk(fleet);
  const objectsOf = (cluster: string) => result.clusters.find((c) => c.spec.name === cluster)?.objects ?? [];
  const find = (cluster: string, kind: string, name: string): any => objectsOf(cluster).find((o) => o.kind === kind && o.metadata.name === name);

  it.each(fleet.clusters.map((c) => c.name))('renders cluster %s (snapshot of every file)', (cluster) => {
    const files = Object.fromEntries([...result.files].filter(([path]) => path.startsWith(`clusters/${cluster}/`)));
    expect(files).toMatchSnapshot();
  });

  it('renders the env-neutral bases (snapshot)', () => {
    expect(Object.fromEntries([...result.files].filter(([path]) => path.startsWith('dist/bases/')))).toMatchSnapshot();
  });

  it('flights: image, env, password from Secret mysql, /ping and /health probes, flightsvc.com/flights canaried on Traefik', () => {
    const deployment = find('staging', 'Deployment', 'flights');
    const container = deployment.spec.template.spec.containers[0];
    expect(deployment.metadata.namespace).toBe('microservices');
    expect(container.image).toBe('uedwinc/flights:v1.0');
    expect(container.env.map((e: { name: string }) => e.name)).toEqual(['MYSQL_HOST', 'MYSQL_USER', 'MYSQL_PASSWORD', 'MYSQL_DATABASE']);
    expect(container.env[2].valueFrom).toEqual({ secretKeyRef: { name: 'mysql', key: 'password' } });
    expect(container.livenessProbe.httpGet.path).toBe('/ping');
    expect(container.readinessProbe.httpGet.path).toBe('/health');
    // Canaried on Traefik: Flagger owns the Services and the TraefikService; the IngressRoute targets the apex.
    const route = find('staging', 'IngressRoute', 'flights');
    expect(route.spec.routes).toEqual([{ kind: 'Rule', match: '(Host(`flightsvc.com`)) && (PathPrefix(`/flights`))', services: [{ kind: 'TraefikService', name: 'flights', port: 80 }] }]);
    expect(find('staging', 'Service', 'flights')).toBeUndefined();
    expect(find('staging', 'Canary', 'flights').spec).toMatchObject({ provider: 'traefik', analysis: { stepWeight: 10, maxWeight: 50 } });
    expect(find('staging', 'HelmRelease', 'flagger-loadtester')).toBeDefined();
  });

  it('canary samples: bookstore blue/green behind the ALB, flightspecials on Argo Rollouts, hipstershop through Istio', () => {
    expect(find('production', 'Canary', 'clients-api').spec).toMatchObject({ provider: 'kubernetes', analysis: { iterations: 5 } });
    expect(find('production', 'Ingress', 'clients-api').spec.ingressClassName).toBe('alb');
    expect(find('development', 'Canary', 'clients-api')).toBeUndefined();
    expect(find('development', 'Service', 'clients-api')).toBeDefined();
    expect(find('specials', 'Rollout', 'flightspecials').spec.strategy.canary.steps.filter((s: { setWeight?: number }) => s.setWeight).map((s: { setWeight: number }) => s.setWeight)).toEqual([20, 40, 60, 80]);
    // The webshop fixture's Istio canary with webhooks and traffic policies: test/environments/webshop-fixture.test.ts.
    expect(find('shop', 'Canary', 'frontend').spec).toMatchObject({ provider: 'istio', analysis: { interval: '30s', threshold: 5, stepWeight: 5 } });
  });

  it('bookstore: ingress hosts differ per environment, with ExternalDNS on the ALB', () => {
    const dev = find('development', 'Ingress', 'inventory-api');
    const prod = find('production', 'Ingress', 'inventory-api');
    expect(dev.spec.rules[0].host).toBe('inventory-api-development.example.com');
    expect(prod.spec.rules[0].host).toBe('inventory-api.example.com');
    expect(prod.metadata.annotations['external-dns.alpha.kubernetes.io/hostname']).toBe('inventory-api.example.com');
    expect(prod.metadata.annotations['alb.ingress.kubernetes.io/target-type']).toBe('ip');
  });

  it('bookstore: IRSA role per environment account', () => {
    expect(find('development', 'ServiceAccount', 'inventory-api-iam-service-account').metadata.annotations['eks.amazonaws.com/role-arn']).toBe('arn:aws:iam::555566667777:role/bookstore-development-inventory-api');
    expect(find('production', 'ServiceAccount', 'inventory-api-iam-service-account').metadata.annotations['eks.amazonaws.com/role-arn']).toBe('arn:aws:iam::444455556666:role/bookstore-production-inventory-api');
  });

  it('flightspecials: Spring profile from the seed\'s ConfigMap, 256Mi/250m requests, 512Mi/500m limits (more in flightspecials-seed.test.ts)', () => {
    const container = find('specials', 'Deployment', 'flightspecials').spec.template.spec.containers[0];
    expect(container.env).toContainEqual({ name: 'SPRING_PROFILES_ACTIVE', valueFrom: { configMapKeyRef: { name: 'flightspecials-configmap', key: 'environment' } } });
    expect(find('specials', 'ConfigMap', 'flightspecials-configmap').data.environment).toBe('test');
    expect(container.resources).toEqual({ requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: '500m', memory: '512Mi' } });
  });

  it('renders every namespace a workload lives in, on every cluster', () => {
    for (const cluster of result.clusters) {
      const namespaces = new Set(cluster.objects.filter((o) => o.kind === 'Namespace').map((o) => o.metadata.name));
      // flux-system comes from bootstrap, kube-system (aws-node-termination-handler) from the API server.
      const used = new Set(cluster.objects.filter((o) => o.metadata.namespace && o.metadata.namespace !== 'flux-system' && o.metadata.namespace !== 'kube-system').map((o) => o.metadata.namespace as string));
      for (const namespace of used) expect({ cluster: cluster.spec.name, namespace, rendered: namespaces.has(namespace) }).toEqual({ cluster: cluster.spec.name, namespace, rendered: true });
    }
  });
});
