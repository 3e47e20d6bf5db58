import { fleet } from '../../src/environments';
import { checkFleet } from '../../src/model/check-model';
import type { FleetSpec, SystemSpec } from '../../src/model/fleet';
import type { ServiceSpec } from '../../src/model/service';
import { renderOk } from '../support/render-to-dir';

/**
 * Seed 002 (FlightSpecials): the values of its Helm chart's Rollout (section 6 of the seed) in
 * the rendered output of cluster `specials`, and the seed's bugs stopped at synth.
 */
function withFlightspecials(change: (service: ServiceSpec) => ServiceSpec): FleetSpec {
  const system = (s: SystemSpec): SystemSpec => (s.name === 'flightspecials' ? { ...s, services: s.services.map(change) } : s);
  return { ...fleet, systems: fleet.systems.map(system) };
}

describe('flightspecials (seed 002)', () => {
  const result = renderOk(fleet);
  const objects = result.clusters.find((c) => c.spec.name === 'specials')?.objects ?? [];
  const find = (kind: string, name: string): any => objects.find((o) => o.kind === kind && o.metadata.name === name);
  const specials = fleet.clusters.find((c) => c.name === 'specials');

  it("renders the seed's Rollout strategy step for step", () => {
    const rollout = find('Rollout', 'flightspecials');
    expect(rollout.metadata.namespace).toBe('flightspecials');
    expect(rollout.spec.revisionHistoryLimit).toBe(2);
    expect(rollout.spec.selector).toEqual({ matchLabels: { 'app.kubernetes.io/name': 'flightspecials' } });
    expect(rollout.spec.strategy.canary).toEqual({
      maxSurge: '50%',
      maxUnavailable: 0,
      steps: [
        { setWeight: 20 },
        { pause: { duration: '30s' } },
        { setWeight: 40 },
        { pause: { duration: '30s' } },
        { setWeight: 60 },
        { pause: { duration: '30s' } },
        { setWeight: 80 },
        { pause: { duration: '20s' } },
      ],
    });
  });

  it("carries the seed's env contract, every setting from ConfigMap flightspecials-configmap", () => {
    const pod = find('Deployment', 'flightspecials').spec.template.spec;
    const container = pod.containers[0];
    const fromConfigMap = (key: string) => ({ valueFrom: { configMapKeyRef: { name: 'flightspecials-configmap', key } } });
    // SPRING_PROFILES_ACTIVE before JAVA_OPTIONS: the kubelet expands $(VAR) only from variables defined earlier.
    expect(container.env).toEqual([
      { name: 'PROFILE', ...fromConfigMap('environment') },
      { name: 'SPRING_PROFILES_ACTIVE', ...fromConfigMap('environment') },
      { name: 'JAVA_OPTIONS', value: '-Dspring.profiles.active=$(SPRING_PROFILES_ACTIVE)' },
      { name: 'DATABASE_ENDPOINT', ...fromConfigMap('database_endpoint') },
      { name: 'DATABASE_PORT', ...fromConfigMap('database_port') },
      { name: 'DATABASE_USERNAME', ...fromConfigMap('database_username') },
      { name: 'DB_DEFAULT_SCHEMA', value: 'travelbuddy' },
    ]);
    expect(container.envFrom).toBeUndefined();
    expect(find('ConfigMap', 'flightspecials-configmap')).toMatchObject({
      metadata: { namespace: 'flightspecials' },
      data: { environment: 'test', database_port: '5432', database_username: 'flightspecial_db_credentials_test' },
    });
    expect(pod.serviceAccountName).toBe('flightspecials-service-account');
    expect(container.ports).toEqual([{ name: 'http', containerPort: 8080, protocol: 'TCP' }]);
    expect(container.resources).toEqual({ requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: '500m', memory: '512Mi' } });
  });

  it('reads the database password from Secrets Manager with the IRSA role, never from a Kubernetes Secret', () => {
    const container = find('Deployment', 'flightspecials').spec.template.spec.containers[0];
    expect(JSON.stringify(container)).not.toContain('secretKeyRef');
    expect(container.volumeMounts.map((m: { name: string }) => m.name)).toEqual(['tmp', 'logs']);
    const account = find('ServiceAccount', 'flightspecials-service-account');
    expect(account.metadata.annotations['eks.amazonaws.com/role-arn']).toBe(`arn:aws:iam::${specials?.aws?.accountId}:role/flightspecials`);
  });

  it("joins TravelBuddy's shared ALB in the seed's region and its own account", () => {
    expect(specials?.aws).toMatchObject({ region: 'ap-northeast-2' });
    const flyreserve = fleet.clusters.find((c) => c.name === 'staging');
    expect(specials?.aws?.accountId).not.toBe(flyreserve?.aws?.accountId);
    const ingress = find('Ingress', 'flightspecials');
    expect(ingress.spec.ingressClassName).toBe('alb');
    expect(ingress.metadata.annotations['alb.ingress.kubernetes.io/group.name']).toBe('travelbuddy');
    expect(ingress.spec.rules[0].http.paths.map((p: { path: string }) => p.path)).toEqual(['/flightspecials', '/flight']);
    expect(objects.filter((o) => o.kind === 'HTTPRoute')).toEqual([]);
  });

  it('runs the Rollouts dashboard privately (ClusterIP, kubectl port-forward), not on a public LoadBalancer', () => {
    const release = find('HelmRelease', 'argo-rollouts');
    expect(release.spec.values.dashboard).toMatchObject({ enabled: true, service: { type: 'ClusterIP', port: 3100 } });
    expect(objects.filter((o) => o.kind === 'Service' && (o as any).spec?.type === 'LoadBalancer')).toEqual([]);
  });

  it("warns on the seed's ${SPRING_PROFILES_ACTIVE}, which Kubernetes never expands", () => {
    const seedBug = withFlightspecials((s) => ({ ...s, env: { ...s.env, JAVA_OPTIONS: '-Dspring.profiles.active=${SPRING_PROFILES_ACTIVE}' } }));
    const [problem] = checkFleet(seedBug).filter((p) => p.code === 'model/shell-env-reference');
    expect(problem).toMatchObject({ severity: 'warning', place: { service: 'flightspecials', field: 'env.JAVA_OPTIONS', definition: 'src/environments/flightspecials.ts' } });
    expect(problem.fix).toContain('$(SPRING_PROFILES_ACTIVE)');
    expect(checkFleet(fleet).filter((p) => p.code === 'model/shell-env-reference')).toEqual([]);
  });

  it("rejects a canary the controller would reject (the seed's maxUnavailable 0 with maxSurge 0)", () => {
    const stuck = withFlightspecials((s) => ({ ...s, canary: { ...s.canary, strategy: { kind: 'canary', stepWeights: [20, 40, 60, 80], maxSurge: 0, maxUnavailable: 0 } } }));
    expect(checkFleet(stuck).filter((p) => p.code === 'canary/invalid-surge').map((p) => p.place)).toEqual([
      expect.objectContaining({ cluster: 'specials', service: 'flightspecials', field: 'canary.strategy.maxSurge' }),
    ]);
  });
});
