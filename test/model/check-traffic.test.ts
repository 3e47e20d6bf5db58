import type { ClusterSpec } from '../../src/model/cluster';
import { checkFleet } from '../../src/model/check-model';
import type { FleetSpec } from '../../src/model/fleet';
import type { Problem } from '../../src/model/problem';
import type { ServiceSpec } from '../../src/model/service';
import type { TrafficSpec } from '../../src/model/traffic';
import { miniFleet } from '../support/fleet-fixtures';

const PROMETHEUS = { prometheus: 'http://prometheus.monitoring:9090' };
const RETRIES: TrafficSpec = { timeout: '10s', retries: { attempts: 2, perTryTimeout: '3s' } };

function trafficFleet(traffic: TrafficSpec | undefined, cluster: Partial<ClusterSpec>, service: Partial<ServiceSpec> = {}, override?: TrafficSpec | false): FleetSpec {
  return miniFleet({
    service: { traffic, ...service },
    cluster,
    system: { environments: [{ name: 'staging', domain: 'shop.test', namespace: 'shop', services: { web: { tag: '1.0.0', traffic: override } } }] },
  });
}

const trafficProblems = (fleet: FleetSpec): Problem[] => checkFleet(fleet).filter((p) => p.code.startsWith('traffic/'));
const codes = (fleet: FleetSpec) => trafficProblems(fleet).map((p) => `${p.code} ${p.place.field}`);

describe('retries and timeouts land on something that enforces them', () => {
  it('rejects traffic on a cluster with neither a mesh nor a Gateway API route, naming cluster, service and the fix', () => {
    // GIVEN retries on a Traefik cluster without a mesh
    const [problem, ...rest] = trafficProblems(trafficFleet(RETRIES, { ingress: { controller: 'traefik' } }));
    // THEN one error says they would be ignored, and how to fix it
    expect(rest).toEqual([]);
    expect(problem).toMatchObject({ code: 'traffic/unsupported', severity: 'error', place: { cluster: 'stage', environment: 'staging', service: 'web', field: 'traffic', definition: 'test/shop.ts' } });
    expect(problem.message).toContain('would be ignored');
    expect(problem.fix).toContain(`services["web"].traffic = false`);
  });

  it('accepts the override that turns traffic off in that environment', () => {
    expect(codes(trafficFleet(RETRIES, { ingress: { controller: 'traefik' } }, {}, false))).toEqual([]);
  });

  it.each([
    ['Istio mesh', { mesh: 'istio', provider: 'gke', ingress: { controller: 'istio' } }],
    ['Linkerd mesh', { mesh: 'linkerd' }],
    ['Gateway API ingress (experimental channel)', { ingress: { controller: 'gateway-api' }, preinstalled: ['gateway-api'], gatewayApi: { channel: 'experimental' } }],
  ] as const)('accepts retries and a timeout on a cluster with a %s', (_name, cluster) => {
    expect(codes(trafficFleet(RETRIES, cluster as Partial<ClusterSpec>))).toEqual([]);
  });

  it('rejects HTTPRoute retries on a standard-channel Gateway API cluster, keeping the timeout, and says how to fix it', () => {
    // GIVEN an exposed service with retries on a gateway-api cluster that declares no channel (standard)
    const cluster: Partial<ClusterSpec> = { ingress: { controller: 'gateway-api' }, preinstalled: ['gateway-api'] };
    const [problem, ...rest] = trafficProblems(trafficFleet(RETRIES, cluster));
    // THEN one error: retry is an experimental-channel field the standard CRD does not have
    expect(rest).toEqual([]);
    expect(problem).toMatchObject({ code: 'traffic/experimental-field', severity: 'error', place: { cluster: 'stage', service: 'web', field: 'traffic.retries' } });
    expect(problem.message).toContain('experimental channel');
    expect(problem.fix).toContain("gatewayApi: { channel: 'experimental' }");
    expect(problem.fix).toContain('remove traffic.retries');
    // A timeout alone is standard (GEP-1742), and an explicit standard channel behaves as the default.
    expect(codes(trafficFleet({ timeout: '10s' }, cluster))).toEqual([]);
    expect(codes(trafficFleet(RETRIES, { ...cluster, gatewayApi: { channel: 'standard' } }))).toEqual(['traffic/experimental-field traffic.retries']);
  });

  it('accepts retries on a standard-channel Gateway API cluster when a mesh carries them', () => {
    const cluster: Partial<ClusterSpec> = { ingress: { controller: 'gateway-api' }, preinstalled: ['gateway-api'], mesh: 'linkerd' };
    expect(codes(trafficFleet(RETRIES, cluster))).toEqual([]);
  });

  it('rejects traffic of an internal service on a Gateway API cluster without a mesh (no route carries it)', () => {
    expect(codes(trafficFleet(RETRIES, { ingress: { controller: 'gateway-api' }, preinstalled: ['gateway-api'] }, { ingress: undefined }))).toEqual(['traffic/unsupported traffic']);
  });

  it("rejects retries Flagger's Gateway API router would drop, but keeps its timeout", () => {
    const cluster: Partial<ClusterSpec> = { ingress: { controller: 'gateway-api' }, preinstalled: ['gateway-api'], progressiveDelivery: { engine: 'flagger', metrics: PROMETHEUS } };
    expect(codes(trafficFleet(RETRIES, cluster, { canary: {} }))).toEqual(['traffic/retries-unsupported traffic.retries']);
    expect(codes(trafficFleet({ timeout: '10s' }, cluster, { canary: {} }))).toEqual([]);
  });

  it('rejects Istio retry conditions where retries are status codes', () => {
    const problems = trafficProblems(trafficFleet({ retries: { attempts: 2, retryOn: '5xx' } }, { mesh: 'linkerd' }));
    expect(problems.map((p) => p.code)).toEqual(['traffic/istio-only']);
    expect(problems[0].fix).toContain('statusCodes');
  });

  it.each([
    [{ timeout: '15 seconds' }, 'traffic/invalid-duration traffic.timeout'],
    [{ retries: { attempts: 2, perTryTimeout: '1.5s' } }, 'traffic/invalid-duration traffic.retries.perTryTimeout'],
    [{ retries: { attempts: 0 } }, 'traffic/invalid-retries traffic.retries.attempts'],
    [{ retries: { attempts: 2, statusCodes: [200] } }, 'traffic/invalid-retries traffic.retries.statusCodes'],
    [{ timeout: '2s', retries: { attempts: 2, perTryTimeout: '3s' } }, 'traffic/invalid-retries traffic.retries.perTryTimeout'],
  ] as const)('rejects %j', (traffic, expected) => {
    expect(codes(trafficFleet(traffic as TrafficSpec, { mesh: 'linkerd' }))).toEqual([expected]);
  });
});
