import { convergeFleet } from '../../src/converge';
import { codesOf, hotelFleet, is, mutate, renderedBuilds, spec, type Spec } from './hotel-fleet';

// Traffic sources of the Flagger providers beyond kubernetes/traefik/istio, proven on the hotel
// fleet (not the sample): `linked` (linkerd provider, Linkerd Viz's Prometheus), `classic`
// (nginx provider), `routes` (gatewayapi provider on a platform Gateway).
const fleet = hotelFleet();
const builds = renderedBuilds(fleet);

const onCanary = (cluster: string, change: (canary: Spec) => void) =>
  mutate(builds, cluster, (o) => {
    if (is(o, 'Canary', 'rooms')) change(spec(o));
    return o;
  });
const toBlueGreen = (canary: Spec) => {
  delete canary.analysis.stepWeight;
  delete canary.analysis.maxWeight;
  canary.analysis.iterations = 5;
};

describe('linkerd provider', () => {
  it('finds a canary no meshed caller and no load test reaches (the TrafficSplit is applied by callers)', () => {
    const problems = convergeFleet(fleet, onCanary('linked', (c) => delete c.analysis.webhooks));
    expect(problems.map((p) => `${p.place.cluster} ${p.code} ${p.place.object}`)).toEqual(['linked converge/no-metrics-traffic Canary/rooms']);
    expect(problems[0].message).toContain("applied by the callers' Linkerd proxies");
  });

  it('finds serving pods without a Linkerd proxy, whose response_total nobody reports', () => {
    const broken = mutate(builds, 'linked', (o) => {
      if (is(o, 'Namespace', 'hotel')) return { ...o, metadata: { ...o.metadata, annotations: {} } };
      if (is(o, 'Deployment', 'rooms')) delete spec(o).template.metadata.annotations['linkerd.io/inject'];
      return o;
    });
    const problems = convergeFleet(fleet, broken);
    // The target and Flagger's primary (both copies of the template) are unscraped.
    expect(problems.map((p) => `${p.code} ${p.place.object}`)).toEqual(['converge/no-metrics Deployment/rooms', 'converge/no-metrics Deployment/rooms']);
    expect(problems.map((p) => p.message).join('\n')).toContain('Deployment/hotel/rooms-primary, but Prometheus never scrapes those pods (no Linkerd proxy is injected');
  });

  it("finds Linkerd Viz's Prometheus blocked from the proxies' admin port 4191", () => {
    const broken = mutate(builds, 'linked', (o) => {
      if (is(o, 'NetworkPolicy', 'rooms')) spec(o).ingress = spec(o).ingress.filter((r: Spec) => r.ports?.[0]?.port !== 4191);
      return o;
    });
    const problems = convergeFleet(fleet, broken);
    expect(problems.map((p) => `${p.code} ${p.place.object}`)).toEqual(['converge/unreachable NetworkPolicy/rooms', 'converge/unreachable NetworkPolicy/rooms']);
    expect(problems[0].message).toContain('Prometheus/linkerd-viz/prometheus (platform) cannot reach');
  });

  it("finds built-in Linkerd queries sent to the cluster's Prometheus chart, which has no deployment label", () => {
    const chartMetrics = hotelFleet({ clusters: (c) => (c.name === 'linked' ? { ...c, progressiveDelivery: { engine: 'flagger', metrics: { install: 'prometheus' } }, storageClassName: 'gp3' } : c) });
    const problems = convergeFleet(chartMetrics, renderedBuilds(chartMetrics));
    expect(problems.map((p) => `${p.place.cluster} ${p.code} ${p.place.object} ${p.place.field}`)).toEqual(['linked converge/no-metrics Canary/rooms spec.metricsServer']);
    expect(problems[0].fix).toContain('http://prometheus.linkerd-viz:9090');
  });
});

describe('nginx provider', () => {
  it('finds a load test that bypasses ingress-nginx', () => {
    const problems = convergeFleet(fleet, onCanary('classic', (c) => (c.analysis.webhooks[0].metadata.cmd = 'hey -z 1m -q 10 -c 2 http://rooms-canary.hotel:8080/')));
    expect(problems.map((p) => `${p.place.cluster} ${p.code} ${p.place.object}`)).toEqual(['classic converge/no-metrics-traffic Canary/rooms']);
    expect(problems[0].message).toContain('bypassing ingress-nginx');
    expect(problems[0].fix).toContain('hey -host rooms.hotel.test http://ingress-nginx-controller');
  });

  it('finds a load test through ingress-nginx without the Host of the canary Ingress', () => {
    const problems = convergeFleet(fleet, onCanary('classic', (c) => (c.analysis.webhooks[0].metadata.cmd = 'hey -z 1m -host other.hotel.test https://ingress-nginx-controller.ingress-nginx/')));
    expect(problems.map((p) => p.message)).toEqual([expect.stringContaining('does not go through ingress-nginx with the Host of a route to rooms')]);
  });

  it('finds controller pods Prometheus never scrapes', () => {
    const broken = mutate(builds, 'classic', (o) => {
      if (is(o, 'HelmRelease', 'ingress-nginx')) delete spec(o).values.controller.podAnnotations;
      return o;
    });
    expect(codesOf(fleet, broken)).toEqual(['classic converge/no-metrics HelmRelease/ingress-nginx']);
  });

  it('finds blue/green, which never routes a request through ingress-nginx to the canary', () => {
    const problems = convergeFleet(fleet, onCanary('classic', toBlueGreen));
    expect(problems.map((p) => `${p.code} ${p.place.object}`)).toEqual(['converge/no-metrics-traffic Canary/rooms']);
    expect(problems[0].message).toContain('runs blue/green with the nginx provider');
  });
});

describe('gatewayapi provider', () => {
  it('finds an HTTPRoute on a Service parent (GAMMA) with no meshed caller and no load test', () => {
    const problems = convergeFleet(
      fleet,
      onCanary('routes', (c) => {
        c.service.gatewayRefs = [{ group: '', kind: 'Service', name: 'rooms', namespace: 'hotel', port: 8080 }];
        delete c.analysis.webhooks;
      }),
    );
    expect(problems.map((p) => `${p.place.cluster} ${p.code} ${p.place.object}`)).toEqual(['routes converge/no-metrics-traffic Canary/rooms']);
    expect(problems[0].message).toContain('(GAMMA)');
  });

  it('accepts live traffic through a Gateway parent without a load test', () => {
    expect(codesOf(fleet, onCanary('routes', (c) => delete c.analysis.webhooks))).toEqual([]);
  });

  it('finds blue/green without a load test to the canary', () => {
    const problems = convergeFleet(
      fleet,
      onCanary('routes', (c) => {
        toBlueGreen(c);
        delete c.analysis.webhooks;
      }),
    );
    expect(problems.map((p) => p.message)).toEqual([expect.stringContaining('runs blue/green: the HTTPRoute keeps the canary weight at 0')]);
  });
});
