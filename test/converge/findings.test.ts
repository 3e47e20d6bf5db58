import type { KubeObject } from '../../src/model/kube-object';
import { hotelFleet, renderedBuilds } from './hotel-fleet';

// What the generator renders for the findings the converge properties detected (issue 13,
// findings 2 and 4–9), on the hotel fleet. Each assertion fails on the output before the fix.
const builds = renderedBuilds(hotelFleet());
const objectsOf = (cluster: string): KubeObject[] => {
  const b = builds.find((c) => c.name === cluster);
  return b ? [...b.entry, ...[...b.builds.values()].flat()] : [];
};
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = Record<string, any>;
const find = (cluster: string, kind: string, name: string): Loose => {
  const obj = objectsOf(cluster).find((o) => o.kind === kind && o.metadata.name === name);
  if (!obj) throw new Error(`${cluster} has no ${kind}/${name}`);
  return obj as Loose;
};
const primarySelector = (name: string) => ({ matchExpressions: [{ key: 'app.kubernetes.io/name', operator: 'In', values: [name, `${name}-primary`] }] });

describe('issue 13 findings, as rendered', () => {
  it("2: installs flagger-loadtester from Flagger's Helm repository", () => {
    expect(find('edge', 'HelmRepository', 'flagger').spec.url).toBe('https://flagger.app');
    expect(find('edge', 'HelmRelease', 'flagger-loadtester').spec.chart.spec).toMatchObject({ chart: 'loadtester', sourceRef: { kind: 'HelmRepository', name: 'flagger' } });
  });

  it("4: selects Flagger's primary in NetworkPolicy peers, the canaried service's podSelector and its PDB", () => {
    expect(find('edge', 'NetworkPolicy', 'rates').spec.ingress[0].from).toEqual([{ podSelector: primarySelector('rooms') }]);
    expect(find('edge', 'NetworkPolicy', 'rooms').spec.podSelector).toEqual(primarySelector('rooms'));
    expect(find('edge', 'PodDisruptionBudget', 'rooms').spec.selector).toEqual(primarySelector('rooms'));
    // Without Flagger, selectors stay plain.
    expect(find('rollouts', 'NetworkPolicy', 'rooms').spec.podSelector).toEqual({ matchLabels: { 'app.kubernetes.io/name': 'rooms' } });
  });

  it('5: a blue/green (kubernetes provider) canary gets a load test, scraped pods and MetricTemplates on the chart labels', () => {
    const canary = find('blue', 'Canary', 'rooms');
    expect(canary.spec.analysis.webhooks[0].metadata.cmd).toBe('hey -z 1m -q 10 -c 2 http://rooms-canary.hotel:8080/');
    expect(canary.spec.analysis.metrics.map((m: { templateRef?: { name: string } }) => m.templateRef?.name)).toEqual(['rooms-request-success-rate', 'rooms-request-duration']);
    expect(find('blue', 'MetricTemplate', 'rooms-request-success-rate').spec.query).toContain('namespace="{{ namespace }}",pod=~"{{ target }}-');
    expect(find('blue', 'Deployment', 'rooms').spec.template.metadata.annotations).toMatchObject({ 'prometheus.io/scrape': 'true', 'prometheus.io/port': '8080' });
    expect(find('blue', 'NetworkPolicy', 'rooms').spec.ingress).toContainEqual({ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }], ports: [{ port: 8080, protocol: 'TCP' }] });
  });

  it("6: Istio canaries admit Prometheus on the sidecar's merged-metrics port 15020", () => {
    expect(find('mesh', 'NetworkPolicy', 'rooms').spec.ingress).toContainEqual({ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }], ports: [{ port: 15020, protocol: 'TCP' }] });
  });

  it('7: a Kustomization applying Rollouts has a Rollout health check', () => {
    expect(find('rollouts', 'Kustomization', 'apps-hotel').spec.healthCheckExprs).toEqual([expect.objectContaining({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout' })]);
  });

  it('9: the Traefik load test goes through Traefik with the route Host', () => {
    expect(find('edge', 'Canary', 'rooms').spec.analysis.webhooks[0].metadata.cmd).toBe('hey -z 1m -q 10 -c 2 -host rooms.hotel.test https://traefik.traefik/');
  });

  it('9 (nginx): the ingress-nginx load test goes through the controller with the Ingress Host', () => {
    expect(find('classic', 'Canary', 'rooms').spec.analysis.webhooks[0].metadata.cmd).toBe('hey -z 1m -q 10 -c 2 -host rooms.hotel.test https://ingress-nginx-controller.ingress-nginx/');
  });

  it("6 (Linkerd): linkerd-provider canaries admit Linkerd Viz's Prometheus on the proxy's admin port 4191", () => {
    expect(find('linked', 'NetworkPolicy', 'rooms').spec.ingress).toContainEqual({ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'linkerd-viz' } } }], ports: [{ port: 4191, protocol: 'TCP' }] });
  });
});
