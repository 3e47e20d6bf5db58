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

  it('flights: image, env, password from Secret mysql, /health probes, flightsvc.com/flights ingress on Traefik', () => {
    const deployment = find('staging', 'Deployment', 'flights');
    const container = deployment.spec.template.spec.containers[0];
    expect(deployment.metadata.namespace).toBe('microservices');
    expect(container.image).toBe('uedwinc/flights:v1.0');
    expect(container.env.map((e: { name: string }) => e.name)).toEqual(['MYSQL_HOST', 'MYSQL_USER', 'MYSQL_DATABASE', 'MYSQL_PASSWORD']);
    expect(container.env[3].valueFrom).toEqual({ secretKeyRef: { name: 'mysql', key: 'password' } });
    expect(container.readinessProbe.httpGet.path).toBe('/health');
    const ingress = find('staging', 'Ingress', 'flights');
    expect(ingress.spec.ingressClassName).toBe('traefik');
    expect(ingress.spec.rules).toEqual([{ host: 'flightsvc.com', http: { paths: [{ path: '/flights', pathType: 'Prefix', backend: { service: { name: 'flights', port: { name: 'http' } } } }] } }]);
  });

  it('bookstore: ingress hosts differ per environment, with ExternalDNS on the ALB', () => {
    const dev = find('development', 'Ingress', 'inventory-api');
    const prod = find('production', 'Ingress', 'inventory-api');
    expect(dev.spec.rules[0].host).toBe('inventory-api-development.bookstore.example.com');
    expect(prod.spec.rules[0].host).toBe('inventory-api.bookstore.example.com');
    expect(prod.metadata.annotations['external-dns.alpha.kubernetes.io/hostname']).toBe('inventory-api.bookstore.example.com');
    expect(prod.metadata.annotations['alb.ingress.kubernetes.io/target-type']).toBe('ip');
  });

  it('bookstore: IRSA role per environment account', () => {
    expect(find('development', 'ServiceAccount', 'inventory-api').metadata.annotations['eks.amazonaws.com/role-arn']).toBe('arn:aws:iam::111122223333:role/bookstore-development-inventory-api');
    expect(find('production', 'ServiceAccount', 'inventory-api').metadata.annotations['eks.amazonaws.com/role-arn']).toBe('arn:aws:iam::444455556666:role/bookstore-production-inventory-api');
  });

  it('flightspecials: Spring profile from a ConfigMap, 256Mi/250m requests, 512Mi/500m limits', () => {
    const container = find('specials', 'Deployment', 'flightspecials').spec.template.spec.containers[0];
    expect(container.envFrom).toEqual([{ configMapRef: { name: 'flightspecials-config' } }]);
    expect(find('specials', 'ConfigMap', 'flightspecials-config').data.SPRING_PROFILES_ACTIVE).toBe('production');
    expect(container.resources).toEqual({ requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: '500m', memory: '512Mi' } });
  });

  it('renders every namespace a workload lives in, on every cluster', () => {
    for (const cluster of result.clusters) {
      const namespaces = new Set(cluster.objects.filter((o) => o.kind === 'Namespace').map((o) => o.metadata.name));
      const used = new Set(cluster.objects.filter((o) => o.metadata.namespace && o.metadata.namespace !== 'flux-system').map((o) => o.metadata.namespace as string));
      for (const namespace of used) expect({ cluster: cluster.spec.name, namespace, rendered: namespaces.has(namespace) }).toEqual({ cluster: cluster.spec.name, namespace, rendered: true });
    }
  });
});
