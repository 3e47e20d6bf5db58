import type { ClusterSpec } from '../../../src/model/cluster';
import type { FleetSpec } from '../../../src/model/fleet';
import type { KubeObject } from '../../../src/model/kube-object';
import type { ServiceSpec } from '../../../src/model/service';
import { routePolicy } from '../../../src/charts/microservice/http-route';
import { kustomizeCluster } from '../../../src/render/kustomize-build';
import { validateCluster } from '../../../src/validate/validate-cluster';
import { miniFleet } from '../../support/fleet-fixtures';
import { renderOk, renderToDir } from '../../support/render-to-dir';

// Runs kubectl kustomize: on a busy 2-core machine one test can take far longer than jest's 5 s default.
jest.setTimeout(120_000);

const GATEWAY_CLUSTER: Partial<ClusterSpec> = {
  ingress: { controller: 'gateway-api', gateway: { name: 'edge', namespace: 'envoy-gateway-system', sectionName: 'https' } },
  preinstalled: ['gateway-api'],
};
const PROMETHEUS = { prometheus: 'http://prometheus.monitoring:9090' };
const EXPERIMENTAL: Partial<ClusterSpec> = { gatewayApi: { channel: 'experimental' } };

function gatewayFleet(service: Partial<ServiceSpec> = {}, cluster: Partial<ClusterSpec> = {}, canaryInStaging?: false): FleetSpec {
  return miniFleet({
    service: { ingress: { paths: ['/api', '/health'] }, ...service },
    cluster: { ...GATEWAY_CLUSTER, ...cluster },
    system: { environments: [{ name: 'staging', domain: 'shop.test', namespace: 'shop', services: { web: { tag: '1.0.0', canary: canaryInStaging } } }] },
  });
}

const objects = (fleet: FleetSpec) => renderOk(fleet).clusters[0].objects as KubeObject[];
const find = (objs: readonly KubeObject[], kind: string): any => objs.find((o) => o.kind === kind && o.metadata.namespace === 'shop');
const kinds = (objs: readonly KubeObject[]) => objs.filter((o) => o.metadata.namespace === 'shop').map((o) => o.kind);

describe('Gateway API clusters', () => {
  it('expose a service with an HTTPRoute on the cluster Gateway, carrying its timeouts and retries', () => {
    // GIVEN an exposed service with an App Mesh-style retry policy on an experimental-channel gateway-api cluster
    const rendered = objects(gatewayFleet({ traffic: { timeout: '15s', retries: { attempts: 2, perTryTimeout: '5s', statusCodes: [503] } } }, EXPERIMENTAL));

    // THEN it gets an HTTPRoute instead of an Ingress…
    expect(kinds(rendered)).toContain('HTTPRoute');
    expect(kinds(rendered)).not.toContain('Ingress');
    const route = find(rendered, 'HTTPRoute');
    // …attached to the declared Gateway and listener, for the environment's host…
    expect(route.spec.parentRefs).toEqual([{ name: 'edge', namespace: 'envoy-gateway-system', sectionName: 'https' }]);
    expect(route.spec.hostnames).toEqual(['web.shop.test']);
    // …routing the paths to the service port, with the retry policy mapped onto Gateway API fields.
    expect(route.spec.rules).toEqual([
      {
        matches: [{ path: { type: 'PathPrefix', value: '/api' } }, { path: { type: 'PathPrefix', value: '/health' } }],
        backendRefs: [{ name: 'web', port: 8080 }],
        timeouts: { request: '15s', backendRequest: '5s' },
        retry: { attempts: 2, codes: [503] },
      },
    ]);
  });

  it('retries the gateway errors by default and leaves out what the service does not set', () => {
    const route = find(objects(gatewayFleet({ traffic: { retries: { attempts: 3 } } }, EXPERIMENTAL)), 'HTTPRoute');
    expect(route.spec.rules[0].retry).toEqual({ attempts: 3, codes: [502, 503, 504] });
    expect(route.spec.rules[0].timeouts).toBeUndefined();
    expect(find(objects(gatewayFleet()), 'HTTPRoute').spec.rules[0]).not.toHaveProperty('retry');
  });

  it('renders no retry on a standard-channel cluster (the field is experimental): only the timeouts', () => {
    // The model check refuses such retries before rendering; the route never carries a field the CRD lacks.
    const route = routePolicy({ timeout: '15s', retries: { attempts: 2, perTryTimeout: '5s' } }, 'standard');
    expect(route).toEqual({ timeouts: { request: '15s', backendRequest: '5s' }, retry: undefined });
  });

  it('lets the Gateway namespace through the NetworkPolicy, as it does the ingress controller', () => {
    const policy = find(objects(gatewayFleet()), 'NetworkPolicy');
    expect(JSON.stringify(policy.spec.ingress)).toContain('envoy-gateway-system');
  });

  it('leaves the HTTPRoute to Flagger for a canary, and gives the Canary the Gateway, hosts and timeout', () => {
    const cluster = { progressiveDelivery: { engine: 'flagger' as const, metrics: PROMETHEUS } };
    const canaried = objects(gatewayFleet({ canary: {}, traffic: { timeout: '15s' } }, cluster));
    expect(kinds(canaried)).not.toContain('HTTPRoute');
    expect(kinds(canaried)).not.toContain('Service');
    expect(find(canaried, 'Canary').spec).toMatchObject({
      provider: 'gatewayapi:v1',
      service: { gatewayRefs: [{ name: 'edge', namespace: 'envoy-gateway-system', sectionName: 'https' }], hosts: ['web.shop.test'], timeout: '15s' },
    });
    // Turning the canary off in the environment restores our own Service and HTTPRoute.
    const plain = objects(gatewayFleet({ canary: {}, traffic: { timeout: '15s' } }, cluster, false));
    expect(kinds(plain)).toEqual(expect.arrayContaining(['Service', 'HTTPRoute']));
    expect(find(plain, 'HTTPRoute').spec.rules[0].timeouts).toEqual({ request: '15s' });
  });

  it("routes an internal canary through its own Service (GAMMA), never through the public Gateway", () => {
    const canary = find(objects(gatewayFleet({ canary: {}, ingress: undefined }, { progressiveDelivery: { engine: 'flagger', metrics: PROMETHEUS } })), 'Canary');
    expect(canary.spec.service.gatewayRefs).toEqual([{ group: '', kind: 'Service', name: 'web', namespace: 'shop', port: 8080 }]);
    expect(canary.spec.service.hosts).toBeUndefined();
  });

  it('checks HTTPRoute backends like Ingress backends', () => {
    // GIVEN the rendered cluster with the route pointing at a port the Service does not have
    const cluster = renderOk(gatewayFleet()).clusters[0];
    const broken = cluster.objects.map((o) => (o.kind === 'HTTPRoute' ? { ...o, spec: { ...(o as any).spec, rules: [{ backendRefs: [{ name: 'web', port: 9999 }] }] } } : o));
    const routeProblems = (objects: readonly KubeObject[]) =>
      validateCluster({ cluster: 'stage', production: false, objects })
        .filter((p) => p.place.object === 'HTTPRoute/web')
        .map((p) => `${p.code} ${p.place.field}`);
    // THEN the port is reported at the backendRef, and the intact route has no problem
    expect(routeProblems(broken)).toEqual(['ref/ingress-backend-port spec.rules[0].backendRefs[0].port']);
    expect(routeProblems(cluster.objects)).toEqual([]);
  });

  it('builds with kubectl kustomize into exactly the modelled objects', () => {
    const { dir, result } = renderToDir(gatewayFleet({ traffic: { timeout: '15s' } }));
    const id = (o: KubeObject) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;
    expect(kustomizeCluster(dir, 'stage').map(id).sort()).toEqual(result.clusters[0].objects.map(id).sort());
  }, 120_000);
});
