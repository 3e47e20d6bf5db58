import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fleet } from '../../src/environments';
import type { KubeObject } from '../../src/model/kube-object';
import { parseYamlDocuments } from '../../src/render/yaml';
import { renderOk } from '../support/render-to-dir';

/**
 * Seed 000 (flyreserve, "Release and change"): the flights service as the seed's chart
 * (implementing-microservices/ms-deploy ms-flights) and values.yaml give it, read from what the
 * staging cluster actually gets, i.e. the rendered and kustomized objects.
 */
type Container = {
  name: string;
  image: string;
  ports: { name: string; containerPort: number }[];
  env: { name: string; value?: string; valueFrom?: unknown }[];
  livenessProbe: { httpGet: { path: string; port: string } };
  readinessProbe: { httpGet: { path: string; port: string } };
};

describe('flyreserve (seed 000) on staging', () => {
  const staging = renderOk(fleet, { clusters: ['staging'] }).clusters[0];
  const find = (kind: string, name: string) => staging.objects.find((o) => o.kind === kind && o.metadata.name === name && o.metadata.namespace === 'microservices');
  const deployment = find('Deployment', 'flights') as KubeObject & { spec: { template: { spec: { containers: Container[] } } } };
  const [container] = deployment.spec.template.spec.containers;

  it('deploys only flights, in namespace microservices', () => {
    const workloads = staging.objects.filter((o) => ['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'Rollout'].includes(o.kind) && o.metadata.namespace === 'microservices');
    expect(workloads.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(['Deployment/flights']);
    expect(staging.objects.some((o) => o.metadata.name.startsWith('reservations'))).toBe(false);
  });

  it("runs the seed's image, container port 5501 and probes", () => {
    expect(container.image).toBe('uedwinc/flights:v1.0');
    expect(container.ports).toEqual([expect.objectContaining({ name: 'http', containerPort: 5501 })]);
    expect(container.livenessProbe.httpGet).toEqual({ path: '/ping', port: 'http' });
    expect(container.readinessProbe.httpGet).toEqual({ path: '/health', port: 'http' });
  });

  it("sets the seed's MySQL env, with the password from Secret mysql key password, delivered sealed", () => {
    expect(container.env).toEqual([
      { name: 'MYSQL_HOST', value: 'rds.staging.msur-vpc.com' },
      { name: 'MYSQL_USER', value: 'microservices' },
      { name: 'MYSQL_PASSWORD', valueFrom: { secretKeyRef: { name: 'mysql', key: 'password' } } },
      { name: 'MYSQL_DATABASE', value: 'microservices_db' },
    ]);
    // The committed output (npm run check fails on drift): sealed for staging, key `password`.
    const file = join(__dirname, '../../clusters/staging/apps/microservices/secrets/sealed-secret-mysql.yaml');
    const [sealed] = parseYamlDocuments(readFileSync(file, 'utf8')) as (KubeObject & { spec: { encryptedData: Record<string, string>; template: { metadata: { name: string; namespace: string } } } })[];
    expect(sealed.kind).toBe('SealedSecret');
    expect(sealed.spec.template.metadata).toMatchObject({ name: 'mysql', namespace: 'microservices' });
    expect(Object.keys(sealed.spec.encryptedData)).toEqual(['password']);
  });

  it('serves on Service port 80 with one replica', () => {
    // Flagger creates the Service flights (and -primary/-canary) from the Canary's service port.
    const canary = find('Canary', 'flights') as KubeObject & { spec: { service: { port: number; targetPort: string } } };
    expect(canary.spec.service).toMatchObject({ port: 80, targetPort: 'http' });
    const hpa = find('HorizontalPodAutoscaler', 'flights') as KubeObject & { spec: { minReplicas: number; maxReplicas: number } };
    expect([hpa.spec.minReplicas, hpa.spec.maxReplicas]).toEqual([1, 1]);
  });

  it('routes flightsvc.com/flights over plain HTTP, with no TLS secret anywhere', () => {
    const route = find('IngressRoute', 'flights') as KubeObject & { spec: { entryPoints: string[]; tls?: unknown; routes: { match: string; services: { port: number }[] }[] } };
    expect(route.spec.entryPoints).toEqual(['web']);
    expect(route.spec.tls).toBeUndefined();
    expect(route.spec.routes.map((r) => [r.match, r.services[0].port])).toEqual([['(Host(`flightsvc.com`)) && (PathPrefix(`/flights`))', 80]]);
    expect(JSON.stringify(staging.objects)).not.toContain('flights-tls');
    expect(fleet.clusters.find((c) => c.name === 'staging')?.platformSecrets).toBeUndefined();
  });
});
