import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { IRSA_ROLE_ANNOTATION } from '../../src/charts/infrastructure/irsa-service-account';
import { FLUX_PRUNE_ANNOTATION } from '../../src/charts/infrastructure/prune-protection';
import { SEALED_SECRETS_CONTROLLER } from '../../src/charts/infrastructure/sealed-secrets-controller';
import { INGRESS_CONTROLLER_NAMESPACE } from '../../src/charts/microservice/cluster-context';
import { fleet } from '../../src/environments';
import type { ClusterSpec } from '../../src/model/cluster';
import { CHARTS } from '../../src/model/controller-versions';
import { objectId, type KubeObject } from '../../src/model/kube-object';
import { IN_CLUSTER_PROMETHEUS, LOADTESTER_URL } from '../../src/model/progressive-delivery';
import { INFRA_CONFIGS, INFRA_CONTROLLERS } from '../../src/render/cluster';
import { CONTROLLER_ORDER, renderInfrastructure } from '../../src/render/infrastructure';
import { infraConfigsDir, infraControllersDir } from '../../src/render/layout';
import { parseYamlDocuments } from '../../src/render/yaml';
import { AWS, infrastructureOf, named, ofKind, releases, VARIANTS } from '../charts/infrastructure/variants';
import { renderOk, renderToDir } from '../support/render-to-dir';

// Runs kubectl kustomize: on a busy 2-core machine one test can take far longer than jest's 5 s default.
jest.setTimeout(120_000);

const sample = (name: string): ClusterSpec => {
  const cluster = fleet.clusters.find((c) => c.name === name);
  if (!cluster) throw new Error(`no sample cluster ${name}`);
  return cluster;
};
const rendered = (cluster: Partial<ClusterSpec>, loadTester?: boolean) => infrastructureOf(cluster, { loadTester }).plan.rendered;
const codes = (cluster: Partial<ClusterSpec>, service: Parameters<typeof infrastructureOf>[2] = {}) =>
  infrastructureOf(cluster, {}, service).problems.map((p) => `${p.severity} ${p.code} ${p.place.field}`);

describe('the controller set follows the cluster capabilities', () => {
  it('renders the expected controllers for every sample cluster', () => {
    // GIVEN the sample fleet WHEN each cluster's infrastructure is planned
    const matrix = Object.fromEntries(fleet.clusters.map((c) => [c.name, renderInfrastructure(fleet, c).plan]));

    // THEN each gets what its capabilities need, minus what the platform team installed
    expect(matrix.staging.rendered).toEqual(['aws-load-balancer-controller', 'traefik', 'sealed-secrets', 'prometheus', 'flagger', 'flagger-loadtester']);
    expect(matrix.development.rendered).toEqual(['aws-load-balancer-controller', 'external-dns', 'aws-node-termination-handler']);
    // clients-api's blue/green canary gets its only traffic from a load test: flagger-loadtester.
    expect(matrix.production).toEqual({
      required: ['aws-load-balancer-controller', 'external-dns', 'aws-node-termination-handler', 'sealed-secrets', 'flagger', 'flagger-loadtester'],
      rendered: ['aws-load-balancer-controller', 'aws-node-termination-handler', 'sealed-secrets', 'flagger', 'flagger-loadtester'],
      preinstalled: ['external-dns'],
    });
    expect(matrix.specials.rendered).toEqual(['aws-load-balancer-controller', 'external-dns', 'sealed-secrets', 'argo-rollouts']);
    expect(matrix.specials.preinstalled).toEqual([]);
    // hipstershop's canary has no webhooks (the seed's own loadgenerator drives it): no flagger-loadtester
    // (test/environments/webshop-fixture.test.ts renders it for a canary with webhooks on Istio).
    expect(matrix.shop.rendered).toEqual(['istio', 'prometheus', 'flagger']);
  });

  it.each([
    ['traefik', ['traefik'], ['ingress-nginx']],
    ['nginx', ['ingress-nginx'], ['traefik']],
    ['alb', ['external-dns'], ['traefik', 'ingress-nginx']],
    ['istio', ['istio'], ['traefik', 'ingress-nginx']],
  ] as const)('switching the ingress controller to %s swaps the controllers', (controller, present, absent) => {
    const controllers = rendered({ ingress: { controller } });
    expect(controllers).toEqual(expect.arrayContaining([...present, 'aws-load-balancer-controller']));
    for (const name of absent) expect(controllers).not.toContain(name);
  });

  it('switching the secrets backend swaps the Sealed Secrets controller in and out', () => {
    expect(rendered({ secrets: { backend: 'sealed-secrets', certificate: 'c.pem' } })).toContain('sealed-secrets');
    // SOPS needs no controller: Flux's kustomize-controller decrypts.
    expect(rendered({ secrets: { backend: 'sops', ageRecipient: 'age1x' } })).not.toContain('sealed-secrets');
    expect(rendered({})).not.toContain('sealed-secrets');
  });

  it('renders the canary engine, and Prometheus only when the cluster names no existing one', () => {
    expect(rendered({ progressiveDelivery: { engine: 'flagger', metrics: { install: 'prometheus' } } })).toEqual(expect.arrayContaining(['flagger', 'prometheus']));
    expect(rendered({ progressiveDelivery: { engine: 'flagger', metrics: { prometheus: 'http://prom:9090' } } })).not.toContain('prometheus');
    const rollouts = rendered({ progressiveDelivery: { engine: 'argo-rollouts' } });
    expect(rollouts).toContain('argo-rollouts');
    expect(rollouts).not.toContain('flagger');
    expect(rendered({})).not.toEqual(expect.arrayContaining(['flagger']));
  });

  it('renders flagger-loadtester when a canary webhook runs through it, or when asked', () => {
    const flagger = { progressiveDelivery: { engine: 'flagger' as const } };
    expect(rendered(flagger)).not.toContain('flagger-loadtester');
    expect(rendered(flagger, true)).toContain('flagger-loadtester');
    // GIVEN a service whose canary generates load WHEN the plan is made THEN the load tester is in
    const withLoadTest = infrastructureOf(flagger, {}, { service: { canary: { webhooks: { loadTest: {} } } } });
    expect(withLoadTest.plan.rendered).toContain('flagger-loadtester');
    expect(named(withLoadTest.controllers, 'HelmRelease', 'flagger-loadtester')?.metadata.namespace).toBe(new URL(LOADTESTER_URL).hostname.split('.')[1]);
    // Argo Rollouts has its own analysis runs: no Flagger load tester even if asked.
    expect(rendered({ progressiveDelivery: { engine: 'argo-rollouts' } }, true)).not.toContain('flagger-loadtester');
  });

  it('can render every controller it knows, except the Gateway API implementation, always the platform\'s', () => {
    const all = new Set(Object.values(VARIANTS).flatMap((v) => infrastructureOf(v.cluster, v.options).plan.rendered));
    expect([...all].sort()).toEqual(CONTROLLER_ORDER.filter((name) => name !== 'gateway-api').sort());
  });

  it('renders Istio for an Istio mesh or ingress, and no AWS controller off EKS', () => {
    expect(rendered({ mesh: 'istio' })).toContain('istio');
    expect(rendered({ provider: 'generic', aws: undefined })).toEqual(['traefik']);
  });

  it('renders nothing for a preinstalled controller, but still plans it as required', () => {
    // GIVEN Traefik installed by the platform team
    const infrastructure = infrastructureOf({ preinstalled: ['traefik'] });

    // THEN no object of it is rendered, and nothing waits on it
    expect(infrastructure.plan).toMatchObject({ required: expect.arrayContaining(['traefik']), preinstalled: ['traefik'] });
    expect(infrastructure.controllers.filter((o) => o.metadata.namespace === 'traefik' || o.metadata.name === 'traefik')).toEqual([]);
    expect(releases(infrastructure.controllers)).toEqual(['aws-load-balancer-controller/aws-load-balancer-controller']);
  });
});

describe('the apps only use what the cluster declares', () => {
  it('reports a service reading a Secret on a cluster without a secrets backend', () => {
    const secret = { service: { env: { PASSWORD: { secret: { name: 'db', key: 'password' } } } } };
    expect(codes({}, secret)).toEqual(['error infra/missing-capability secrets']);
    expect(codes({ secrets: { backend: 'sops', ageRecipient: 'age1x' } }, secret)).toEqual([]);
  });

  it('needs AWS facts for the IRSA roles unless those controllers are preinstalled', () => {
    expect(codes({ aws: undefined })).toEqual(['error infra/missing-aws aws']);
    expect(codes({ aws: undefined, preinstalled: ['aws-load-balancer-controller'] })).toEqual([]);
  });

  it("reports a Flagger provider the cluster cannot route with, and what it does not render", () => {
    expect(codes({ progressiveDelivery: { engine: 'flagger', provider: 'istio' } })).toEqual(['error infra/provider-mismatch progressiveDelivery.provider']);
    expect(codes({ progressiveDelivery: { engine: 'flagger', provider: 'gatewayapi' } })).toEqual(['error infra/not-renderable progressiveDelivery.provider']);
    expect(codes({ ingress: { controller: 'gateway-api' } })).toEqual(['error infra/not-renderable ingress.controller']);
    // Once the platform says it runs an implementation and the Gateway, routes to it are fine.
    expect(codes({ ingress: { controller: 'gateway-api' }, preinstalled: ['gateway-api'] })).toEqual([]);
    expect(codes({ progressiveDelivery: { engine: 'flagger', provider: 'gatewayapi' }, preinstalled: ['gateway-api'] })).toEqual([]);
    expect(codes({ mesh: 'linkerd' })).toEqual(['warning infra/not-rendered mesh']);
    expect(codes({ provider: 'gke', aws: undefined, ingress: { controller: 'traefik', externalDns: true } })).toEqual(['error infra/unsupported-provider ingress.externalDns']);
    expect(codes({ ingress: { controller: 'nginx' } })).toEqual(['warning infra/retired-controller ingress.controller']);
  });

  it('needs the VPC id wherever it renders the AWS Load Balancer Controller, which cannot read it from IMDS through pods', () => {
    const withoutVpc = { aws: { region: AWS.region, accountId: AWS.accountId } };
    expect(codes({ ...withoutVpc, ingress: { controller: 'alb' }, preinstalled: ['external-dns'] })).toEqual(['error infra/missing-vpc-id aws.vpcId']);
    expect(codes({ ...withoutVpc, ingress: { controller: 'traefik' } })).toEqual(['error infra/missing-vpc-id aws.vpcId']);
    expect(codes({ ...withoutVpc, preinstalled: ['aws-load-balancer-controller'] })).toEqual([]);
    const controller = named(infrastructureOf({}).controllers, 'HelmRelease', 'aws-load-balancer-controller');
    expect(controller?.spec).toMatchObject({ values: { vpcId: AWS.vpcId, region: AWS.region } });
  });

  it('needs a StorageClass for the Prometheus volume on EKS ≥ 1.30, which has no default class', () => {
    const prometheus = { progressiveDelivery: { engine: 'flagger', metrics: { install: 'prometheus' } } } as const;
    expect(codes({ ...prometheus, kubernetesVersion: '1.31' })).toEqual(['error infra/missing-storage-class storageClassName']);
    expect(codes({ ...prometheus, kubernetesVersion: '1.29' })).toEqual([]);
    expect(codes({ ...prometheus, provider: 'gke', aws: undefined })).toEqual([]);
    expect(codes({ ...prometheus, preinstalled: ['prometheus'] })).toEqual([]);
    const { controllers, problems } = infrastructureOf({ ...prometheus, storageClassName: 'gp2' });
    expect(problems).toEqual([]);
    expect(named(controllers, 'HelmRelease', 'prometheus')?.spec).toMatchObject({ values: { server: { persistentVolume: { storageClass: 'gp2' } } } });
  });

  it('finds no errors in the sample fleet', () => {
    const problems = fleet.clusters.flatMap((c) => renderInfrastructure(fleet, c).problems);
    expect(problems.filter((p) => p.severity === 'error')).toEqual([]);
  });
});

type Graph = Map<string, readonly string[]>;

/** Kahn's algorithm: the nodes in dependency order, or the ones left in a cycle. */
function topologicalOrder(graph: Graph): { order: string[]; cyclic: string[] } {
  const remaining = new Map([...graph].map(([node, deps]) => [node, new Set(deps)]));
  const order: string[] = [];
  for (;;) {
    const ready = [...remaining].filter(([, deps]) => [...deps].every((d) => order.includes(d))).map(([node]) => node);
    if (ready.length === 0) break;
    for (const node of ready.sort()) {
      order.push(node);
      remaining.delete(node);
    }
  }
  return { order, cyclic: [...remaining.keys()] };
}

function releaseGraph(objects: readonly KubeObject[]): Graph {
  return new Map(
    ofKind(objects, 'HelmRelease').map((obj) => {
      const dependsOn = ((obj.spec as { dependsOn?: { name: string; namespace?: string }[] }).dependsOn ?? []).map((d) => `${d.namespace ?? obj.metadata.namespace}/${d.name}`);
      return [`${obj.metadata.namespace}/${obj.metadata.name}`, dependsOn];
    }),
  );
}

describe('ordering', () => {
  const everyInfrastructure = [
    ...fleet.clusters.map((c) => [`sample ${c.name}`, renderInfrastructure(fleet, c).controllers] as const),
    ...Object.entries(VARIANTS).map(([name, v]) => [name, infrastructureOf(v.cluster, v.options).controllers] as const),
  ];

  it.each(everyInfrastructure)('HelmRelease dependsOn of %s is complete and acyclic', (_name, controllers) => {
    const graph = releaseGraph(controllers);
    // THEN every dependency is a rendered HelmRelease, and they can all be installed in order
    for (const [release, deps] of graph) for (const dep of deps) expect({ release, dep, rendered: graph.has(dep) }).toEqual({ release, dep, rendered: true });
    expect(topologicalOrder(graph).cyclic).toEqual([]);
  });

  it('installs load balancing first, Istio in its documented order, and Flagger after istiod', () => {
    const staging = topologicalOrder(releaseGraph(renderInfrastructure(fleet, sample('staging')).controllers)).order;
    expect(staging.indexOf('aws-load-balancer-controller/aws-load-balancer-controller')).toBeGreaterThanOrEqual(0);
    expect(staging.indexOf('aws-load-balancer-controller/aws-load-balancer-controller')).toBeLessThan(staging.indexOf('traefik/traefik'));
    const { order } = topologicalOrder(releaseGraph(renderInfrastructure(fleet, sample('shop')).controllers));
    const before = (a: string, b: string) => expect(order.indexOf(a)).toBeLessThan(order.indexOf(b));
    before('istio-system/istio-base', 'istio-system/istio-cni');
    before('istio-system/istio-cni', 'istio-system/istiod');
    before('istio-system/istiod', 'istio-system/istio-ingressgateway');
    before('istio-system/istiod', 'flagger-system/flagger');
  });

  it('chains the Flux Kustomizations infra-controllers → infra-configs → apps, waiting for health', () => {
    // GIVEN the whole sample fleet rendered
    const result = renderOk(fleet);
    for (const cluster of result.clusters) {
      const kustomizations = cluster.objects.filter((o) => o.apiVersion.startsWith('kustomize.toolkit.fluxcd.io/'));
      const graph: Graph = new Map(kustomizations.map((k) => [k.metadata.name, ((k.spec as { dependsOn?: { name: string }[] }).dependsOn ?? []).map((d) => d.name)]));
      // THEN the chain is acyclic and every dependency exists
      expect(topologicalOrder(graph).cyclic).toEqual([]);
      for (const deps of graph.values()) for (const dep of deps) expect(graph.has(dep)).toBe(true);
      // AND complete: configs wait for controllers, every apps Kustomization for configs
      expect(graph.get(INFRA_CONTROLLERS)).toEqual([]);
      expect(graph.get(INFRA_CONFIGS)).toEqual([INFRA_CONTROLLERS]);
      const apps = [...graph.keys()].filter((name) => name.startsWith('apps-'));
      // (Argo CD applies the apps of staging's only namespace: no Flux apps Kustomization there)
      expect({ cluster: cluster.spec.name, fluxApps: apps.length > 0 }).toEqual({ cluster: cluster.spec.name, fluxApps: cluster.spec.argocd === undefined });
      for (const name of apps) expect(graph.get(name)).toContain(INFRA_CONFIGS);
      // AND each waits for its objects to be healthy, within a timeout
      for (const k of kustomizations) expect(k.spec).toMatchObject({ wait: true, timeout: expect.stringMatching(/^\d+m$/) });
    }
  });
});

describe('prune protection', () => {
  const protectedIds = (objects: readonly KubeObject[]) =>
    objects
      .filter((o) => o.metadata.annotations?.[FLUX_PRUNE_ANNOTATION] === 'disabled')
      .map(objectId)
      .sort();

  it('protects exactly the objects whose deletion loses data', () => {
    expect(protectedIds(renderInfrastructure(fleet, sample('staging')).controllers)).toEqual(['HelmRelease/monitoring/prometheus', 'Namespace/monitoring', 'Namespace/sealed-secrets']);
    expect(protectedIds(renderInfrastructure(fleet, sample('specials')).controllers)).toEqual(['Namespace/sealed-secrets']);
    expect(protectedIds(renderInfrastructure(fleet, sample('shop')).controllers)).toEqual([
      'HelmRelease/istio-system/istio-base',
      'HelmRelease/monitoring/prometheus',
      'Namespace/istio-system',
      'Namespace/monitoring',
    ]);
    expect(protectedIds(renderInfrastructure(fleet, sample('development')).controllers)).toEqual([]);
  });

  it("keeps Prometheus's volume when the chart is uninstalled, and recreates the pod to reattach it", () => {
    const release = named(renderInfrastructure(fleet, sample('staging')).controllers, 'HelmRelease', 'prometheus');
    expect(release?.spec).toMatchObject({ values: { server: { persistentVolume: { enabled: true, annotations: { 'helm.sh/resource-policy': 'keep' } }, strategy: { type: 'Recreate' } } } });
  });

  it('protects a shared flagger-system when only the load tester is rendered', () => {
    const { controllers } = infrastructureOf(VARIANTS['eks flagger preinstalled, load tester rendered'].cluster, { loadTester: true });
    expect(protectedIds(controllers)).toEqual(['Namespace/flagger-system']);
    // Argo CD clusters get Argo CD's equivalent as well.
    expect(named(controllers, 'Namespace', 'flagger-system')?.metadata.annotations).toMatchObject({ 'argocd.argoproj.io/sync-options': 'Prune=false' });
  });
});

describe('namespaces', () => {
  it('gives every rendered object a rendered namespace with Pod Security labels', () => {
    for (const cluster of fleet.clusters) {
      const { controllers } = renderInfrastructure(fleet, cluster);
      const namespaces = new Map(ofKind(controllers, 'Namespace').map((ns) => [ns.metadata.name, ns]));
      for (const obj of controllers.filter((o) => o.kind !== 'Namespace')) {
        const namespace = obj.metadata.namespace as string;
        // kube-system (aws-node-termination-handler) exists on every cluster, never rendered.
        if (namespace === 'kube-system') continue;
        expect({ obj: objectId(obj), namespaced: namespaces.has(namespace) }).toEqual({ obj: objectId(obj), namespaced: true });
      }
      for (const ns of namespaces.values()) expect(ns.metadata.labels?.['pod-security.kubernetes.io/enforce']).toMatch(/^(restricted|baseline|privileged)$/);
    }
  });

  it('keeps controllers out of the mesh but lets the load tester opt in', () => {
    const { controllers } = infrastructureOf(VARIANTS['eks nginx istio flagger'].cluster, { loadTester: true });
    expect(named(controllers, 'Namespace', 'ingress-nginx')?.metadata.labels).toMatchObject({ 'istio-injection': 'disabled' });
    expect(named(controllers, 'Namespace', 'flagger-system')?.metadata.labels?.['istio-injection']).toBeUndefined();
    expect(named(controllers, 'HelmRelease', 'flagger-loadtester')?.spec).toMatchObject({ values: { podLabels: { 'sidecar.istio.io/inject': 'true' } } });
  });
});

describe('Istio gateway injection', () => {
  it("installs the gateway chart (image `auto`) in a namespace istiod's injection webhook does not skip", () => {
    // The chart's README: the gateway's namespace "must not have the istio-injection=disabled label".
    for (const variant of ['eks istio ingress', 'gke traefik istio-mesh']) {
      const { controllers } = infrastructureOf(VARIANTS[variant].cluster);
      const gateway = ofKind(controllers, 'HelmRelease').find((r) => (r.spec as { chart: { spec: { chart: string } } }).chart.spec.chart === CHARTS['istio-gateway'].chart);
      const namespace = named(controllers, 'Namespace', gateway?.metadata.namespace as string);
      expect({ variant, injection: namespace?.metadata.labels?.['istio-injection'] ?? 'unlabelled' }).toEqual({ variant, injection: 'unlabelled' });
    }
  });
});

describe('values come from the cluster spec', () => {
  it('binds the AWS controllers to IAM roles named after the cluster (IRSA)', () => {
    const { controllers } = infrastructureOf({ name: 'shop-eu', ingress: { controller: 'alb', className: 'public' } });
    for (const controller of ['aws-load-balancer-controller', 'external-dns']) {
      const account = named(controllers, 'ServiceAccount', controller, controller);
      const release = named(controllers, 'HelmRelease', controller, controller);
      expect(account?.metadata.annotations?.[IRSA_ROLE_ANNOTATION]).toBe(`arn:aws:iam::${AWS.accountId}:role/shop-eu-${controller}`);
      // The chart uses the generator's ServiceAccount instead of creating its own.
      expect(release?.spec).toMatchObject({ values: { serviceAccount: { create: false, name: controller } } });
    }
    expect(named(controllers, 'HelmRelease', 'aws-load-balancer-controller')?.spec).toMatchObject({
      values: { clusterName: 'shop-eu', region: AWS.region, createIngressClassResource: true, ingressClass: 'public' },
    });
    expect(named(controllers, 'HelmRelease', 'external-dns')?.spec).toMatchObject({ values: { domainFilters: [AWS.dnsZone], txtOwnerId: 'shop-eu' } });
  });

  it("sets Flagger's provider and metrics server from the cluster's progressive delivery", () => {
    const flagger = (cluster: Partial<ClusterSpec>) => named(infrastructureOf(cluster).controllers, 'HelmRelease', 'flagger')?.spec;
    expect(flagger({ progressiveDelivery: { engine: 'flagger', metrics: { install: 'prometheus' } } })).toMatchObject({ values: { meshProvider: 'traefik', metricsServer: IN_CLUSTER_PROMETHEUS } });
    expect(flagger({ mesh: 'istio', progressiveDelivery: { engine: 'flagger', metrics: { prometheus: 'http://p:9090' } } })).toMatchObject({ values: { meshProvider: 'istio', metricsServer: 'http://p:9090' } });
  });

  it('uses the IngressClass name of the cluster and gives in-cluster ingress an NLB on EKS only', () => {
    const traefik = (cluster: Partial<ClusterSpec>) => named(infrastructureOf(cluster).controllers, 'HelmRelease', 'traefik')?.spec as { values: { ingressClass: { name: string }; service: { annotations: Record<string, string> } } };
    expect(traefik({ ingress: { controller: 'traefik', className: 'edge' } }).values.ingressClass.name).toBe('edge');
    expect(traefik({}).values.service.annotations['service.beta.kubernetes.io/aws-load-balancer-type']).toBe('external');
    expect(traefik({ provider: 'generic', aws: undefined }).values.service.annotations).toEqual({});
  });
});

describe('agreement with the rest of the generator', () => {
  it('runs Prometheus, the load tester, Istio and the ingress controllers where the apps expect them', () => {
    const staging = renderInfrastructure(fleet, sample('staging')).controllers;
    const prometheus = new URL(IN_CLUSTER_PROMETHEUS).hostname.split('.');
    expect(named(staging, 'HelmRelease', 'prometheus', prometheus[1])?.spec).toMatchObject({ values: { server: { fullnameOverride: prometheus[0] } } });
    expect(named(staging, 'Namespace', INGRESS_CONTROLLER_NAMESPACE.traefik as string)).toBeDefined();

    const [, loadTesterNamespace] = new URL(LOADTESTER_URL).hostname.split('.');
    const loadTester = infrastructureOf({ progressiveDelivery: { engine: 'flagger' } }, { loadTester: true }).controllers;
    expect(named(loadTester, 'HelmRelease', new URL(LOADTESTER_URL).hostname.split('.')[0], loadTesterNamespace)).toBeDefined();

    // The shared Istio Gateway (rendered with the apps' routing) selects our ingress gateway pods.
    const shop = renderOk(fleet, { clusters: ['shop'] }).clusters[0].objects;
    const gateway = shop.find((o) => o.kind === 'Gateway' && o.apiVersion.startsWith('networking.istio.io/'));
    const ingressGateway = named(shop, 'HelmRelease', 'istio-ingressgateway', INGRESS_CONTROLLER_NAMESPACE.istio);
    expect((ingressGateway?.spec as { values: { labels: Record<string, string> } }).values.labels).toEqual((gateway?.spec as { selector: Record<string, string> }).selector);
  });

  it("names the Sealed Secrets controller as kubeseal expects, in its own namespace", () => {
    const controllers = renderInfrastructure(fleet, sample('staging')).controllers;
    const { namespace, name } = SEALED_SECRETS_CONTROLLER;
    expect(named(controllers, 'HelmRelease', name, namespace)?.spec).toMatchObject({ values: { fullnameOverride: 'sealed-secrets-controller' } });
  });
});

describe('chart versions', () => {
  it('pins every chart to an exact version, never a range', () => {
    for (const [name, pin] of Object.entries(CHARTS)) expect({ name, version: pin.version }).toEqual({ name, version: expect.stringMatching(/^\d+\.\d+\.\d+$/) });
  });

  it('matches the controllers whose CRDs the generator validates against', () => {
    const readme = readFileSync(resolve(process.env.FLEET_CRD_DIR ?? resolve(__dirname, '../../../shared/crds'), 'README.md'), 'utf8');
    expect(readme).toContain(`fluxcd/flagger tag v${CHARTS.flagger.appVersion}`);
    expect(readme).toContain(`v${CHARTS['sealed-secrets'].appVersion} (`);
    expect(readme).toContain(`${CHARTS['argo-rollouts'].appVersion} (`);
    expect(readme).toContain(`${CHARTS.traefik.appVersion} (`);
    // Flagger publishes only charts/flagger to ghcr.io; the loadtester chart is in its Helm repository.
    expect(CHARTS['flagger-loadtester'].repository).toEqual({ type: 'helm', name: 'flagger', url: 'https://flagger.app' });
  });
});

describe('kubectl kustomize', () => {
  const { dir } = renderToDir(fleet);

  it.each(fleet.clusters.map((c) => c.name))("builds cluster %s's infrastructure directories into exactly the rendered objects", (name) => {
    // GIVEN the infrastructure directories Flux applies, in one kustomization
    const tmp = mkdtempSync(join(tmpdir(), 'fleet-infra-'));
    try {
      const paths = [infraControllersDir(name), infraConfigsDir(name)].map((p) => relative(tmp, join(dir, p)));
      writeFileSync(join(tmp, 'kustomization.yaml'), `resources:\n${paths.map((p) => `- ${p}`).join('\n')}\n`);

      // WHEN the real kustomize builds them
      const built = parseYamlDocuments(execFileSync('kubectl', ['kustomize', '--load-restrictor=LoadRestrictionsNone', tmp], { encoding: 'utf8' })) as KubeObject[];

      // THEN every controller object comes out unchanged
      const infrastructure = renderInfrastructure(fleet, sample(name));
      const byId = new Map(built.map((o) => [`${o.apiVersion}|${objectId(o)}`, o]));
      expect(infrastructure.controllers.length).toBeGreaterThan(0);
      for (const obj of infrastructure.controllers) expect(byId.get(`${obj.apiVersion}|${objectId(obj)}`)).toEqual(JSON.parse(JSON.stringify(obj)));
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});
