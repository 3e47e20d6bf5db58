import { convergeFleet } from '../../src/converge';
import { secretPattern } from '../../src/converge/delivery';
import { codesOf, hotelFleet, is, mutate, renderedBuilds, spec, type Spec } from './hotel-fleet';

// Each property is proven on the hotel fleet (not the sample): as rendered it converges; broken
// the way the reviewed sample was broken, the property's code names cluster and objects.
const fleet = hotelFleet();
const builds = renderedBuilds(fleet);

describe('the hotel fleet converges as rendered', () => {
  it('reports nothing on any of its clusters', () => {
    // GIVEN the generator's output WHEN converge runs THEN every property holds
    expect(convergeFleet(fleet, builds).map((p) => `${p.place.cluster} ${p.code} ${p.message}`)).toEqual([]);
  });
});

describe('converge/unreachable', () => {
  it("finds callers' primaries blocked when the callee's policy selects callers by their plain name label", () => {
    // GIVEN rates admits rooms by `app.kubernetes.io/name: rooms` (Flagger's primary is `rooms-primary`)
    const broken = mutate(builds, 'edge', (o) => {
      if (is(o, 'NetworkPolicy', 'rates')) spec(o).ingress[0].from = [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'rooms' } } }];
      return o;
    });
    // THEN the primary (not the canary) is reported unreachable
    const problems = convergeFleet(fleet, broken);
    expect(problems.map((p) => `${p.place.cluster} ${p.code} ${p.place.object}`)).toEqual(['edge converge/unreachable NetworkPolicy/rates']);
    expect(problems[0].message).toContain('Deployment/hotel/rooms-primary cannot reach Deployment/hotel/rates');
    expect(problems[0].fix).toContain('-primary');
  });

  it("finds Prometheus blocked from the sidecars' merged-metrics port 15020 of the target and the primary (Istio)", () => {
    // GIVEN the Istio cluster's rooms policy without its rule for Prometheus
    const broken = mutate(builds, 'mesh', (o) => {
      if (is(o, 'NetworkPolicy', 'rooms')) spec(o).ingress = spec(o).ingress.filter((r: Spec) => r.ports[0].port !== 15020);
      return o;
    });
    const problems = convergeFleet(fleet, broken);
    // THEN Prometheus cannot scrape the target's and the primary's sidecars
    expect(problems.map((p) => p.code)).toEqual(['converge/unreachable', 'converge/unreachable']);
    expect(problems.map((p) => p.message).join('\n')).toMatch(/HelmRelease\/monitoring\/prometheus cannot reach Deployment\/hotel\/rooms-primary .* on port 15020/);
  });

  it('finds the ingress data plane blocked when the route target admits another namespace', () => {
    const broken = mutate(builds, 'edge', (o) => {
      if (is(o, 'NetworkPolicy', 'rooms')) spec(o).ingress = spec(o).ingress.map((r: Spec) => (JSON.stringify(r).includes('"traefik"') ? { ...r, from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress' } } }] } : r));
      return o;
    });
    const messages = convergeFleet(fleet, broken).map((p) => p.message);
    expect(messages.length).toBeGreaterThanOrEqual(2);
    expect(messages.every((m) => m.includes('IngressRoute hotel/rooms routes to Service hotel/rooms') && m.includes('HelmRelease/traefik/traefik'))).toBe(true);
  });

  it('finds the ALB blocked when the ipBlock no longer covers the VPC', () => {
    const broken = mutate(builds, 'blue', (o) => {
      if (is(o, 'NetworkPolicy', 'rooms')) spec(o).ingress = spec(o).ingress.map((r: Spec) => (r.from?.[0]?.ipBlock ? { ...r, from: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8'] } }] } : r));
      return o;
    });
    expect(codesOf(fleet, broken)).toContain('blue converge/unreachable NetworkPolicy/rooms');
  });
});

describe('converge/unprotected-primary', () => {
  it("finds a PodDisruptionBudget that misses Flagger's primary", () => {
    const broken = mutate(builds, 'edge', (o) => {
      if (is(o, 'PodDisruptionBudget', 'rooms')) spec(o).selector = { matchLabels: { 'app.kubernetes.io/name': 'rooms' } };
      return o;
    });
    expect(codesOf(fleet, broken)).toEqual(['edge converge/unprotected-primary PodDisruptionBudget/rooms']);
  });
});

describe('converge/undelivered', () => {
  it('finds a TLS secret nobody delivers once the platform no longer declares it', () => {
    const undeclared = hotelFleet({ clusters: (c) => (c.name === 'edge' ? { ...c, platformSecrets: [] } : c) });
    const problems = convergeFleet(undeclared, renderedBuilds(undeclared));
    expect(problems.map((p) => `${p.place.cluster} ${p.code} ${p.place.object} ${p.place.field}`)).toEqual(['edge converge/undelivered IngressRoute/rooms spec.tls.secretName']);
    expect(problems[0].fix).toContain('platformSecrets');
  });

  it('finds a pull secret delivered by a Kustomization the consumer does not depend on', () => {
    // GIVEN rooms pulls with Secret `registry`, which infra-configs delivers, but apps-hotel no longer depends on it
    const broken = mutate(builds, 'edge', (o) => {
      if (is(o, 'Deployment', 'rooms')) spec(o).template.spec.imagePullSecrets = [{ name: 'registry' }];
      if (is(o, 'Kustomization', 'apps-hotel')) delete spec(o).dependsOn;
      if (is(o, 'Namespace', 'hotel')) return [o, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'registry', namespace: 'hotel' }, type: 'kubernetes.io/dockerconfigjson' }];
      return o;
    });
    const problems = convergeFleet(fleet, broken);
    expect(problems.map((p) => `${p.code} ${p.place.object}`)).toEqual(['converge/undelivered Deployment/rooms']);
    expect(problems[0].message).toContain('delivered by Kustomization infra-configs, which apps-hotel does not depend on');
  });
});

describe('converge/unhealthy-wait', () => {
  it('finds a waiting Kustomization that applies Rollouts without a health check for them', () => {
    const broken = mutate(builds, 'rollouts', (o) => {
      if (is(o, 'Kustomization', 'apps-hotel')) delete spec(o).healthCheckExprs;
      return o;
    });
    const problems = convergeFleet(fleet, broken);
    expect(problems.map((p) => `${p.place.cluster} ${p.code} ${p.place.object}`)).toEqual(['rollouts converge/unhealthy-wait Kustomization/apps-hotel']);
    expect(problems[0].message).toContain('fluxcd/flux2#4632');
  });
});

describe('converge/unpublished-chart', () => {
  it('finds a chart pulled from a location that does not publish it', () => {
    const broken = mutate(builds, 'edge', (o) => {
      if (o.kind === 'HelmRepository' && o.metadata.name === 'flagger') spec(o).url = 'https://charts.example.test';
      return o;
    });
    expect(codesOf(fleet, broken)).toEqual(['edge converge/unpublished-chart HelmRelease/flagger-loadtester']);
  });

  it('warns about a chart it has no publisher record for', () => {
    const broken = mutate(builds, 'edge', (o) => {
      if (o.kind === 'OCIRepository' && o.metadata.name === 'flagger') spec(o).url = 'oci://ghcr.io/example/charts/flagger-fork';
      return o;
    });
    const problems = convergeFleet(fleet, broken);
    expect(problems.map((p) => `${p.severity} ${p.code}`)).toEqual(['warning converge/unpublished-chart']);
  });
});

describe('converge/no-metrics-traffic and converge/no-metrics', () => {
  it('finds a blue/green canary without a load test', () => {
    const broken = mutate(builds, 'blue', (o) => {
      if (is(o, 'Canary', 'rooms')) delete spec(o).analysis.webhooks;
      return o;
    });
    expect(codesOf(fleet, broken)).toEqual(['blue converge/no-metrics-traffic Canary/rooms']);
  });

  it('finds a Traefik load test that bypasses Traefik', () => {
    const broken = mutate(builds, 'edge', (o) => {
      if (is(o, 'Canary', 'rooms')) spec(o).analysis.webhooks[0].metadata.cmd = 'hey -z 1m -q 10 -c 2 http://rooms-canary.hotel:8080/';
      return o;
    });
    const problems = convergeFleet(fleet, broken);
    expect(problems.map((p) => `${p.code} ${p.place.object}`)).toEqual(['converge/no-metrics-traffic Canary/rooms']);
    expect(problems[0].message).toContain('bypassing Traefik');
  });

  it('finds pods Prometheus never scrapes, and built-in queries on labels the chart does not produce', () => {
    const broken = mutate(builds, 'blue', (o) => {
      if (is(o, 'Deployment', 'rooms')) delete spec(o).template.metadata.annotations['prometheus.io/scrape'];
      if (is(o, 'Canary', 'rooms')) for (const metric of spec(o).analysis.metrics) delete metric.templateRef;
      return o;
    });
    const problems = convergeFleet(fleet, broken);
    expect(problems.map((p) => `${p.code} ${p.place.object}`).sort()).toEqual(['converge/no-metrics Canary/rooms', 'converge/no-metrics Deployment/rooms', 'converge/no-metrics Deployment/rooms']);
    expect(problems.map((p) => p.message).join('\n')).toContain('kubernetes_namespace, kubernetes_pod_name');
  });
});

describe('converge/platform-namespace', () => {
  it('finds a generated Namespace object for a namespace the platform owns', () => {
    const broken = mutate(builds, 'mesh', (o) => (is(o, 'Namespace', 'hotel') ? [o, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'kube-system', labels: { 'istio-injection': 'enabled' } } }] : o));
    const problems = convergeFleet(fleet, broken);
    expect(problems.map((p) => `${p.place.cluster} ${p.code} ${p.place.namespace}`)).toEqual(['mesh converge/platform-namespace kube-system']);
    expect(problems[0].message).toContain('Kustomization infra-configs');
  });
});

describe('platformSecrets patterns', () => {
  it('matches `*` within the namespace or the name, never across the slash', () => {
    expect(secretPattern('hotel/*-tls').test('hotel/rooms-tls')).toBe(true);
    expect(secretPattern('*/*-tls').test('a/b-tls')).toBe(true);
    expect(secretPattern('hotel/*-tls').test('other/rooms-tls')).toBe(false);
    expect(secretPattern('hotel/rooms.tls').test('hotel/roomsXtls')).toBe(false);
  });
});

describe('converge/unreachable for load tests', () => {
  it("finds flagger-loadtester blocked from the canary pods its load test calls", () => {
    // GIVEN the blue/green cluster's rooms policy without its rule for the load tester's namespace
    const broken = mutate(builds, 'blue', (o) => {
      if (is(o, 'NetworkPolicy', 'rooms')) spec(o).ingress = spec(o).ingress.filter((r: Spec) => !JSON.stringify(r).includes('flagger-system'));
      return o;
    });
    const problems = convergeFleet(fleet, broken);
    expect(problems.map((p) => `${p.code} ${p.place.object}`)).toEqual(['converge/unreachable NetworkPolicy/rooms']);
    expect(problems[0].message).toContain("webhook load-test calls http://rooms-canary.hotel:8080/");
    expect(problems[0].message).toContain('HelmRelease/flagger-system/flagger-loadtester cannot reach Deployment/hotel/rooms ');
  });
});
