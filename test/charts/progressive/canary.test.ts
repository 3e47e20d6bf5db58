import type { CanarySpec } from '../../../src/model/canary';
import type { ClusterSpec, ProgressiveDeliverySpec } from '../../../src/model/cluster';
import { checkFleet } from '../../../src/model/check-model';
import type { FleetSpec } from '../../../src/model/fleet';
import type { KubeObject } from '../../../src/model/kube-object';
import { kustomizeCluster } from '../../../src/render/kustomize-build';
import { validateCluster } from '../../../src/validate/validate-cluster';
import { miniFleet } from '../../support/fleet-fixtures';
import { renderOk, renderToDir } from '../../support/render-to-dir';

// Runs kubectl kustomize: on a busy 2-core machine one test can take far longer than jest's 5 s default.
jest.setTimeout(120_000);

const PROMETHEUS: ProgressiveDeliverySpec['metrics'] = { prometheus: 'http://prometheus.monitoring:9090' };

function canaryFleet(cluster: Partial<ClusterSpec>, canary: CanarySpec = {}, extra: { canaryInStaging?: CanarySpec | false } = {}): FleetSpec {
  return miniFleet({
    service: { canary, autoscaling: undefined, replicas: 3 },
    cluster: { progressiveDelivery: { engine: 'flagger', metrics: PROMETHEUS }, ...cluster },
    system: {
      environments: [{ name: 'staging', domain: 'shop.test', namespace: 'shop', services: { web: { tag: '1.0.0', canary: extra.canaryInStaging } } }],
    },
  });
}

function objects(fleet: FleetSpec): KubeObject[] {
  return renderOk(fleet).clusters[0].objects as KubeObject[];
}

const ids = (objs: readonly KubeObject[]) => objs.filter((o) => o.metadata.namespace === 'shop').map((o) => `${o.kind}/${o.metadata.name}`).sort();
const find = (objs: readonly KubeObject[], kind: string): any => objs.find((o) => o.kind === kind);

describe('Flagger canary ownership rules', () => {
  it.each([
    ['traefik', { ingress: { controller: 'traefik' } }, 'IngressRoute/web'],
    ['nginx', { ingress: { controller: 'nginx' } }, 'Ingress/web'],
    ['kubernetes (ALB)', { ingress: { controller: 'alb' }, progressiveDelivery: { engine: 'flagger', metrics: PROMETHEUS } }, 'Ingress/web'],
    ['linkerd', { mesh: 'linkerd', ingress: { controller: 'nginx' } }, 'Ingress/web'],
    ['istio', { mesh: 'istio', provider: 'gke', ingress: { controller: 'istio' } }, undefined],
    ['gatewayapi', { ingress: { controller: 'gateway-api' }, preinstalled: ['gateway-api'] }, undefined],
  ] as const)('%s: no Service, no replicas, one plain selector, entry object points at the apex', (_name, cluster, entry) => {
    // GIVEN a canaried service (blue/green where the provider can only do that)
    const strategy = _name.startsWith('kubernetes') ? ({ kind: 'blue-green' } as const) : undefined;
    const rendered = objects(canaryFleet(cluster as Partial<ClusterSpec>, { strategy }));

    // THEN Flagger's objects are not rendered…
    expect(ids(rendered).filter((id) => id.startsWith('Service/') || /VirtualService|DestinationRule|HTTPRoute|TraefikService/.test(id))).toEqual([]);
    expect(ids(rendered).filter((id) => id.includes('-primary') || id.includes('-canary'))).toEqual([]);
    // …the Deployment leaves replicas to the HPA Flagger scales the primary from…
    const deployment = find(rendered, 'Deployment');
    expect(deployment.spec.replicas).toBeUndefined();
    expect(deployment.spec.selector.matchLabels).toEqual({ 'app.kubernetes.io/name': 'web' });
    const hpa = find(rendered, 'HorizontalPodAutoscaler');
    expect(hpa.spec).toMatchObject({ minReplicas: 3, maxReplicas: 3, scaleTargetRef: { kind: 'Deployment', name: 'web' } });
    const canary = find(rendered, 'Canary');
    expect(canary.spec.autoscalerRef).toEqual({ apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', name: 'web' });
    expect(canary.spec.targetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' });
    // …and the entry object targets the apex service `web`.
    if (entry === 'IngressRoute/web') expect(find(rendered, 'IngressRoute').spec.routes[0].services[0]).toMatchObject({ kind: 'TraefikService', name: 'web' });
    if (entry === 'Ingress/web') expect(find(rendered, 'Ingress').spec.rules[0].http.paths[0].backend.service.name).toBe('web');
    if (entry === undefined) expect(ids(rendered).filter((id) => id.startsWith('Ingress'))).toEqual([]);
    expect(canary.spec.ingressRef?.name).toBe(_name === 'nginx' ? 'web' : undefined);
  });

  it('binds the Istio canary to the public gateway with the environment host, and maps retries/timeout', () => {
    const fleet = miniFleet({
      service: { canary: {}, traffic: { timeout: '10s', retries: { attempts: 3, perTryTimeout: '2s' } } },
      cluster: { mesh: 'istio', provider: 'gke', ingress: { controller: 'istio' }, progressiveDelivery: { engine: 'flagger', metrics: PROMETHEUS } },
    });
    const rendered = objects(fleet);
    expect(find(rendered, 'Canary').spec.service).toMatchObject({
      port: 8080,
      gateways: ['istio-system/public-gateway', 'mesh'],
      hosts: ['web.shop.test'],
      timeout: '10s',
      retries: { attempts: 3, perTryTimeout: '2s', retryOn: 'gateway-error,connect-failure,refused-stream' },
    });
    expect(rendered.some((o) => o.kind === 'Gateway' && o.metadata.name === 'public-gateway')).toBe(true);
  });

  it('puts Linkerd retries and timeouts on the Service: ours when plain, Flagger\'s apex Service when canaried', () => {
    // GIVEN a service with a retry policy on a Linkerd cluster
    const traffic = { timeout: '10s', retries: { attempts: 2, perTryTimeout: '3s', statusCodes: [503] } };
    const expected = { 'retry.linkerd.io/http': '503', 'retry.linkerd.io/limit': '2', 'retry.linkerd.io/timeout': '3s', 'timeout.linkerd.io/request': '10s' };
    const linkerd = (canaryInStaging?: false) =>
      miniFleet({
        service: { canary: {}, traffic },
        cluster: { mesh: 'linkerd', ingress: { controller: 'nginx' }, progressiveDelivery: { engine: 'flagger', metrics: PROMETHEUS } },
        system: { environments: [{ name: 'staging', domain: 'shop.test', namespace: 'shop', services: { web: { tag: '1.0.0', canary: canaryInStaging } } }] },
      });
    // THEN canaried, Flagger is told to annotate the apex Service it creates…
    expect(find(objects(linkerd()), 'Canary').spec.service.apex).toEqual({ annotations: expected });
    // …and plain, our own Service carries them, also after kustomize applied the overlay on the base.
    const { dir } = renderToDir(linkerd(false));
    const service = kustomizeCluster(dir, 'stage').find((o) => o.kind === 'Service' && o.metadata.name === 'web');
    expect(service?.metadata.annotations).toEqual(expected);
  });

  it('renders analysis defaults, custom metrics, webhooks through the loadtester and alerts', () => {
    const rendered = objects(
      canaryFleet({}, {
        metrics: { custom: [{ name: 'error-budget', query: 'sum(rate(errors[1m]))', max: 1 }] },
        webhooks: { acceptanceTest: {}, loadTest: {}, confirmPromotion: { url: 'http://gate.test/approve' } },
        alerts: { provider: 'slack', secretName: 'slack-url', channel: '#deploys' },
      }),
    );
    const analysis = find(rendered, 'Canary').spec.analysis;
    expect(analysis).toMatchObject({ interval: '1m', threshold: 5, stepWeight: 10, maxWeight: 50 });
    expect(analysis.metrics.map((m: { name: string }) => m.name)).toEqual(['request-success-rate', 'request-duration', 'error-budget']);
    expect(analysis.webhooks.map((w: { type: string }) => w.type)).toEqual(['pre-rollout', 'rollout', 'confirm-promotion']);
    expect(analysis.webhooks[1].url).toBe('http://flagger-loadtester.flagger-system/');
    expect(find(rendered, 'MetricTemplate').spec).toEqual({ provider: { type: 'prometheus', address: 'http://prometheus.monitoring:9090' }, query: 'sum(rate(errors[1m]))' });
    expect(find(rendered, 'AlertProvider').spec).toEqual({ type: 'slack', channel: '#deploys', secretRef: { name: 'slack-url' } });
    const policy = find(rendered, 'NetworkPolicy');
    expect(JSON.stringify(policy.spec.ingress)).toContain('flagger-system');
  });

  it('emits Canary, MetricTemplate, AlertProvider and Rollout objects that validate against their CRD schemas', () => {
    const flagger = canaryFleet({}, {
      metrics: { custom: [{ name: 'error-budget', query: 'sum(rate(errors[1m]))', max: 1 }] },
      webhooks: { acceptanceTest: {}, loadTest: {}, confirmRollout: { url: 'http://gate.test/ok' } },
      alerts: { provider: 'msteams', secretName: 'teams-url' },
    });
    const argo = canaryFleet({ progressiveDelivery: { engine: 'argo-rollouts' } }, { strategy: { kind: 'canary', stepWeights: [20, 40] } });
    for (const fleet of [flagger, argo]) {
      const cluster = renderOk(fleet).clusters[0];
      const custom = cluster.objects.filter((o) => ['Canary', 'MetricTemplate', 'AlertProvider', 'Rollout'].includes(o.kind));
      expect(custom.length).toBeGreaterThan(0);
      const problems = validateCluster({ cluster: 'stage', production: false, objects: custom }, { references: false });
      expect(problems.filter((p) => p.code.startsWith('schema/'))).toEqual([]);
    }
  });

  it('renders A/B header matching and blue/green iterations', () => {
    const ab = find(objects(canaryFleet({ ingress: { controller: 'nginx' } }, { strategy: { kind: 'ab', iterations: 5, match: [{ header: 'x-canary', exact: 'insider' }] } })), 'Canary');
    expect(ab.spec.analysis).toMatchObject({ iterations: 5, match: [{ headers: { 'x-canary': { exact: 'insider' } } }] });
    const bg = find(objects(canaryFleet({}, { strategy: { kind: 'blue-green' } })), 'Canary');
    expect(bg.spec.analysis.iterations).toBe(10);
    expect(bg.spec.analysis.stepWeight).toBeUndefined();
  });

  it('restores the plain Service, replicas and Ingress when an environment turns the canary off', () => {
    const on = objects(canaryFleet({ ingress: { controller: 'traefik' } }));
    const off = objects(canaryFleet({ ingress: { controller: 'traefik' } }, {}, { canaryInStaging: false }));
    const plain = objects(miniFleet({ service: { replicas: 3 } }));
    expect(ids(on)).toContain('Canary/web');
    expect(ids(off)).toEqual(ids(plain));
    expect(find(off, 'Deployment').spec.replicas).toBe(3);
    expect(find(off, 'Ingress').spec.rules[0].http.paths[0].backend.service.name).toBe('web');
  });

  it('adds a Canary health check to the apps Kustomization so a failed canary fails the Flux sync', () => {
    const kustomization = renderOk(canaryFleet({})).clusters[0].objects.find((o) => o.kind === 'Kustomization' && o.metadata.name === 'apps-shop') as any;
    expect(kustomization.spec.healthCheckExprs).toEqual([expect.objectContaining({ kind: 'Canary', failed: "status.phase == 'Failed'" })]);
  });

  it('builds with kubectl kustomize into exactly the modelled objects, Service deleted from the base', () => {
    const { dir, result } = renderToDir(canaryFleet({ ingress: { controller: 'traefik' } }));
    const built = kustomizeCluster(dir, 'stage').map((o) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`).sort();
    expect(built).toEqual(result.clusters[0].objects.map((o) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`).sort());
    expect(built).not.toContain('Service/shop/web');
  });
});

describe('Argo Rollouts', () => {
  it('renders a Rollout with setWeight/pause steps over the Deployment, and keeps the Service', () => {
    const fleet = canaryFleet({ progressiveDelivery: { engine: 'argo-rollouts' } }, { strategy: { kind: 'canary', stepWeights: [20, 40, 60, 80], pause: '2m' } });
    const rendered = objects(fleet);
    const rollout = find(rendered, 'Rollout');
    expect(rollout.spec.workloadRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', scaleDown: 'progressively' });
    expect(rollout.spec.replicas).toBe(3);
    expect(rollout.spec.strategy.canary.steps.slice(0, 2)).toEqual([{ setWeight: 20 }, { pause: { duration: '2m' } }]);
    expect(rollout.spec.strategy.canary.steps).toHaveLength(8);
    expect(find(rendered, 'Deployment').spec.replicas).toBeUndefined();
    expect(ids(rendered)).toContain('Service/web');
  });
});

describe('progressive delivery checks', () => {
  const codes = (fleet: FleetSpec) => checkFleet(fleet).map((p) => p.code);

  it('rejects a canary on a cluster without a metrics source, naming cluster, service and the fix', () => {
    const problem = checkFleet(canaryFleet({ progressiveDelivery: { engine: 'flagger' } })).find((p) => p.code === 'canary/no-metrics-source');
    expect(problem?.place).toMatchObject({ cluster: 'stage', service: 'web' });
    expect(problem?.message).toContain('no such host');
    expect(problem?.fix).toContain('prometheus');
  });

  it("rejects seed 003's metrics address without a namespace, unless the platform runs Flagger and Prometheus side by side", () => {
    // GIVEN Flagger told to query `http://prometheus:9090` (the seed's --set metricsServer)
    const bare = { progressiveDelivery: { engine: 'flagger', metrics: { prometheus: 'http://prometheus:9090' } } } as const;
    const problems = checkFleet(canaryFleet(bare)).filter((p) => p.code === 'canary/unserved-metrics-address');
    // THEN one error at the cluster's field names the lookup that would fail and the qualified address
    expect(problems).toHaveLength(1);
    expect(problems[0].place).toMatchObject({ cluster: 'stage', field: 'progressiveDelivery.metrics.prometheus' });
    expect(problems[0].message).toContain('no such host');
    expect(problems[0].fix).toContain('http://prometheus.monitoring:9090');
    // AND a namespaced address, a platform that runs both next to each other, or no canary at all pass
    expect(codes(canaryFleet({}))).not.toContain('canary/unserved-metrics-address');
    expect(codes(canaryFleet({ ...bare, preinstalled: ['flagger', 'prometheus'] }))).not.toContain('canary/unserved-metrics-address');
    expect(codes(canaryFleet({ ...bare, preinstalled: ['prometheus'] }))).toContain('canary/unserved-metrics-address');
    expect(codes(miniFleet({ cluster: bare }))).not.toContain('canary/unserved-metrics-address');
  });

  it('rejects a canary on a cluster with no progressive delivery', () => {
    expect(codes(miniFleet({ service: { canary: {} } }))).toContain('canary/no-progressive-delivery');
  });

  it('rejects strategies the provider cannot run', () => {
    expect(codes(canaryFleet({ ingress: { controller: 'alb' } }))).toContain('canary/strategy-unsupported');
    expect(codes(canaryFleet({ ingress: { controller: 'traefik' } }, { strategy: { kind: 'ab', match: [{ header: 'x' }] } }))).toContain('canary/strategy-unsupported');
    expect(codes(canaryFleet({ progressiveDelivery: { engine: 'argo-rollouts' } }, { strategy: { kind: 'blue-green' } }))).toContain('canary/strategy-unsupported');
    expect(codes(canaryFleet({ progressiveDelivery: { engine: 'argo-rollouts' } }, { webhooks: { loadTest: {} } }))).toContain('canary/flagger-only');
    expect(codes(canaryFleet({}, { strategy: { kind: 'canary', stepWeight: 0 } }))).toContain('canary/invalid-weight');
  });
});
