import type { Construct } from 'constructs';
import { ArgoRollouts } from '../charts/infrastructure/argo-rollouts';
import { AwsLoadBalancerController, awsNlbServiceAnnotations } from '../charts/infrastructure/aws-load-balancer-controller';
import { AwsNodeTerminationHandler } from '../charts/infrastructure/aws-node-termination-handler';
import { EniConfig } from '../charts/infrastructure/eni-config';
import { ExternalDns } from '../charts/infrastructure/external-dns';
import { Flagger, FlaggerNamespace, FLAGGER_NAMESPACE } from '../charts/infrastructure/flagger';
import { FlaggerLoadTester } from '../charts/infrastructure/flagger-loadtester';
import type { ReleaseRef } from '../charts/infrastructure/helm-release';
import { IngressNginx } from '../charts/infrastructure/ingress-nginx';
import { Istio } from '../charts/infrastructure/istio';
import { Prometheus } from '../charts/infrastructure/prometheus';
import { SealedSecretsController } from '../charts/infrastructure/sealed-secrets-controller';
import { Traefik } from '../charts/infrastructure/traefik';
import { ControllerNamespace } from '../charts/infrastructure/controller-namespace';
import { clusterContext } from '../charts/microservice/cluster-context';
import type { ClusterSpec, ControllerName } from '../model/cluster';
import type { FleetSpec } from '../model/fleet';
import type { KubeObject } from '../model/kube-object';
import { error, warning, type Place, type Problem } from '../model/problem';
import { flaggerProvider, metricsServer, needsLoadTester } from '../model/progressive-delivery';
import { environmentOf } from '../model/resolve';
import { synthObjects } from './synth-objects';

/**
 * A cluster's infrastructure, split in the two Flux stages that must run before apps:
 * `controllers` (CRDs and controllers: HelmRepository + HelmRelease, their namespaces) and
 * `configs` (objects that need those CRDs, e.g. Traefik middlewares or Flagger MetricTemplates).
 */
export interface ClusterInfrastructure {
  readonly controllers: readonly KubeObject[];
  readonly configs: readonly KubeObject[];
  /** Which controllers the cluster needs and which of them the generator renders. */
  readonly plan: InfrastructurePlan;
  /** Apps using what the cluster does not declare, and capabilities the generator cannot render. */
  readonly problems: readonly Problem[];
}

export interface InfrastructureOptions {
  /** Render flagger-loadtester. @default - when a Flagger canary on the cluster has a webhook it runs (`needsLoadTester`) */
  readonly loadTester?: boolean;
}

export interface InfrastructurePlan {
  /** Every controller the cluster's capabilities need, in install order. */
  readonly required: readonly ControllerName[];
  /** `required` minus what the platform team installed (`preinstalled`). */
  readonly rendered: readonly ControllerName[];
  /** Required controllers the cluster declares preinstalled: checked for, never rendered. */
  readonly preinstalled: readonly ControllerName[];
}

/** Install order: load balancing and DNS first (other Services need them), canary engines last. */
export const CONTROLLER_ORDER: readonly ControllerName[] = [
  'gateway-api',
  'aws-load-balancer-controller',
  'external-dns',
  'aws-node-termination-handler',
  'istio',
  'traefik',
  'ingress-nginx',
  'sealed-secrets',
  'prometheus',
  'flagger',
  'flagger-loadtester',
  'argo-rollouts',
];

/** What the cluster's declared capabilities need, whoever installs it. */
export function requiredControllers(fleet: FleetSpec, cluster: ClusterSpec, options: InfrastructureOptions = {}): ControllerName[] {
  const needs = new Set<ControllerName>();
  const ingress = clusterContext(cluster).ingress;
  if (ingress.controller === 'traefik') needs.add('traefik');
  if (ingress.controller === 'nginx') needs.add('ingress-nginx');
  // On EKS the in-tree cloud provider only makes Classic ELBs: the AWS controller makes the NLB
  // in front of Traefik/nginx/the Istio gateway, and the ALBs of `alb` clusters. A controller on
  // fixed node ports sits behind a load balancer made outside the cluster: nothing to make.
  const behindExternalLoadBalancer = cluster.ingress.nodePorts !== undefined && (ingress.controller === 'traefik' || ingress.controller === 'nginx');
  if (ingress.controller === 'alb' || (cluster.provider === 'eks' && !behindExternalLoadBalancer)) needs.add('aws-load-balancer-controller');
  if (ingress.externalDns) needs.add('external-dns');
  if (cluster.provider === 'eks' && cluster.aws?.nodeTerminationHandler) needs.add('aws-node-termination-handler');
  if (cluster.mesh === 'istio' || ingress.controller === 'istio') needs.add('istio');
  if (ingress.controller === 'gateway-api') needs.add('gateway-api');
  if (cluster.secrets?.backend === 'sealed-secrets') needs.add('sealed-secrets');
  const delivery = cluster.progressiveDelivery;
  if (delivery) {
    needs.add(delivery.engine);
    if (delivery.metrics && 'install' in delivery.metrics) needs.add('prometheus');
    if (delivery.engine === 'flagger' && (options.loadTester ?? needsLoadTester(fleet, cluster))) needs.add('flagger-loadtester');
    if (delivery.engine === 'flagger' && flaggerProvider(cluster) === 'gatewayapi') needs.add('gateway-api');
  }
  return CONTROLLER_ORDER.filter((name) => needs.has(name));
}

/**
 * Capabilities the platform always brings: a Gateway API implementation (Envoy Gateway, Cilium,
 * Istio, the AWS controller…) and its Gateway are chosen per organisation, so the generator
 * renders routes to them but never them.
 */
const NEVER_RENDERED: ReadonlySet<ControllerName> = new Set(['gateway-api']);

export function planInfrastructure(fleet: FleetSpec, cluster: ClusterSpec, options: InfrastructureOptions = {}): InfrastructurePlan {
  const required = requiredControllers(fleet, cluster, options);
  const preinstalled = new Set(cluster.preinstalled ?? []);
  return {
    required,
    rendered: required.filter((name) => !preinstalled.has(name) && !NEVER_RENDERED.has(name)),
    preinstalled: required.filter((name) => preinstalled.has(name)),
  };
}

function place(cluster: ClusterSpec, field: string, service?: string): Place {
  return { cluster: cluster.name, environment: cluster.environment, service, field, definition: cluster.definition };
}

/** Services on the cluster that read a Secret (env), which needs a secrets backend. */
function servicesUsingSecrets(fleet: FleetSpec, cluster: ClusterSpec): string[] {
  return cluster.services.filter((name) =>
    fleet.systems.some((system) => {
      const service = system.services.find((s) => s.name === name);
      if (!service) return false;
      const override = environmentOf(system, cluster.environment)?.services?.[name]?.env;
      return Object.values({ ...service.env, ...override }).some((value) => typeof value === 'object' && 'secret' in value);
    }),
  );
}

/** Flagger providers that route through a controller the cluster must have. */
const PROVIDER_NEEDS: Partial<Record<string, (cluster: ClusterSpec) => boolean>> = {
  istio: (c) => c.mesh === 'istio' || c.ingress.controller === 'istio',
  linkerd: (c) => c.mesh === 'linkerd',
  traefik: (c) => c.ingress.controller === 'traefik',
  nginx: (c) => c.ingress.controller === 'nginx',
};

/**
 * The apps use only what the cluster declares, and the generator can render what it must.
 * Preinstalled controllers satisfy a need like rendered ones: the check is on capabilities.
 * (A canary on a cluster without progressive delivery is `canary/no-progressive-delivery`,
 * checked with the rest of the canary model in src/model/check-canary.ts.)
 */
export function checkInfrastructure(fleet: FleetSpec, cluster: ClusterSpec, plan: InfrastructurePlan): Problem[] {
  const problems: Problem[] = [];
  if (!cluster.secrets) {
    for (const service of servicesUsingSecrets(fleet, cluster)) {
      problems.push(error('infra/missing-capability', place(cluster, 'secrets', service), `${service} reads a Secret, but cluster ${cluster.name} declares no secrets backend`, "add secrets: { backend: 'sealed-secrets', certificate: … } or { backend: 'sops', ageRecipient: … } to the cluster"));
    }
  }
  const irsa = plan.rendered.filter((name) => name === 'aws-load-balancer-controller' || name === 'external-dns');
  if (irsa.length > 0 && !cluster.aws && cluster.provider === 'eks') {
    problems.push(error('infra/missing-aws', place(cluster, 'aws'), `${irsa.join(' and ')} need the AWS account and region for their IAM roles (IRSA)`, `add aws: { accountId, region } to the cluster, or list ${irsa.join(', ')} in preinstalled`));
  }
  if (plan.rendered.includes('aws-load-balancer-controller') && cluster.provider === 'eks' && cluster.aws && !cluster.aws.vpcId) {
    // The controller reads the VPC from instance metadata, which pods reach only when IMDSv2's
    // hop limit is 2 or more (and never on Fargate): "Otherwise you have to manually specify
    // the AWS region and the VPC" (kubernetes-sigs/aws-load-balancer-controller
    // docs/deploy/installation.md, "Using metadata server version 2 (IMDSv2)"). The generator
    // cannot know the nodes' metadata options, so every cluster names its VPC.
    problems.push(
      error(
        'infra/missing-vpc-id',
        place(cluster, 'aws.vpcId'),
        `the AWS Load Balancer Controller on cluster ${cluster.name} needs its VPC id: without it the controller asks the instance metadata service, which pods cannot reach with IMDSv2's default hop limit of 1 or on Fargate, and it never starts`,
        "add aws: { vpcId: 'vpc-…' } (the cluster's VPC: aws eks describe-cluster --name <cluster> --query cluster.resourcesVpcConfig.vpcId), or list aws-load-balancer-controller in preinstalled",
      ),
    );
  }
  if (plan.rendered.includes('external-dns') && cluster.provider !== 'eks') {
    problems.push(error('infra/unsupported-provider', place(cluster, 'ingress.externalDns'), `the generator renders ExternalDNS for Route 53 (EKS) only, not for a ${cluster.provider} cluster`, "set ingress.externalDns: false, or install ExternalDNS yourself and add 'external-dns' to preinstalled"));
  }
  const delivery = cluster.progressiveDelivery;
  if (delivery?.engine === 'flagger') {
    const provider = flaggerProvider(cluster);
    if (PROVIDER_NEEDS[provider]?.(cluster) === false) {
      problems.push(error('infra/provider-mismatch', place(cluster, 'progressiveDelivery.provider'), `Flagger's provider is ${provider}, but the cluster's ingress is ${cluster.ingress.controller} and its mesh ${cluster.mesh ?? 'none'}`, 'choose the provider of the mesh or ingress controller the cluster has, or leave provider unset to derive it'));
    }
  }
  if (delivery?.dashboard && delivery.engine !== 'argo-rollouts') {
    problems.push(error('infra/dashboard-unsupported', place(cluster, 'progressiveDelivery.dashboard'), `the dashboard is Argo Rollouts', but cluster ${cluster.name} runs ${delivery.engine}`, 'remove progressiveDelivery.dashboard, or run the cluster on Argo Rollouts'));
  } else if (delivery?.dashboard && plan.preinstalled.includes('argo-rollouts')) {
    problems.push(error('infra/dashboard-unsupported', place(cluster, 'progressiveDelivery.dashboard'), `Argo Rollouts is preinstalled on cluster ${cluster.name}, so the generator renders no chart to enable its dashboard in`, "enable the dashboard in the platform's installation (chart value dashboard.enabled) and remove progressiveDelivery.dashboard, or let the generator install Argo Rollouts"));
  }
  if (plan.required.includes('gateway-api') && !plan.preinstalled.includes('gateway-api')) {
    const gateway = clusterContext(cluster).ingress.gateway;
    const field = cluster.ingress.controller === 'gateway-api' ? 'ingress.controller' : 'progressiveDelivery.provider';
    problems.push(
      error(
        'infra/not-renderable',
        place(cluster, field),
        `cluster ${cluster.name} routes through Gateway API (HTTPRoutes to Gateway ${gateway.namespace}/${gateway.name}), and the generator renders neither a Gateway API implementation nor the Gateway`,
        `install an implementation (e.g. Envoy Gateway) and Gateway ${gateway.namespace}/${gateway.name} with the platform, then add 'gateway-api' to the cluster's preinstalled (or name another Gateway in ingress.gateway)`,
      ),
    );
  }
  if (plan.rendered.includes('prometheus') && !cluster.storageClassName && hasNoDefaultStorageClass(cluster)) {
    problems.push(
      error(
        'infra/missing-storage-class',
        place(cluster, 'storageClassName'),
        `Prometheus claims a volume without a StorageClass, and an EKS ${cluster.kubernetesVersion} cluster has no default StorageClass (EKS marks none default from 1.30): the claim stays Pending and Prometheus never starts`,
        "set storageClassName on the cluster to a class it provides (e.g. 'gp2', provisioned by the Amazon EBS CSI driver add-on)",
      ),
    );
  }
  if (cluster.mesh === 'linkerd') {
    problems.push(warning('infra/not-rendered', place(cluster, 'mesh'), 'the generator does not render Linkerd (its trust anchor must be created outside Git)', 'install Linkerd with the platform before apps that need it'));
  }
  if (plan.rendered.includes('ingress-nginx')) {
    problems.push(warning('infra/retired-controller', place(cluster, 'ingress.controller'), 'ingress-nginx was retired in March 2026 and gets no more security fixes', "move the cluster to ingress: { controller: 'traefik' } (Ingress objects stay the same)"));
  }
  return problems;
}


/**
 * EKS creates clusters from Kubernetes 1.30 on without a default StorageClass (the `gp2` class
 * exists, unannotated), so a claim without storageClassName never binds there.
 * @see https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions-extended.html (Kubernetes 1.30)
 */
export function hasNoDefaultStorageClass(cluster: ClusterSpec): boolean {
  const minor = /^1\.(\d+)$/.exec(cluster.kubernetesVersion)?.[1];
  return cluster.provider === 'eks' && minor !== undefined && Number(minor) >= 30;
}

function defineControllers(scope: Construct, cluster: ClusterSpec, plan: InfrastructurePlan): void {
  const has = (name: ControllerName) => plan.rendered.includes(name);
  const argocd = cluster.argocd !== undefined;
  const mesh = cluster.mesh ?? 'none';
  const context = clusterContext(cluster);
  const loadBalancer = cluster.provider === 'eks' ? awsNlbServiceAnnotations() : {};
  const aws = cluster.aws;

  // A LoadBalancer Service created before the AWS controller runs gets no NLB (or a Classic
  // ELB from the in-tree provider), so everything with such a Service waits for it.
  const awsController: ReleaseRef[] = [];
  if (has('aws-load-balancer-controller') && aws) {
    const ingressClassName = context.ingress.controller === 'alb' ? context.ingress.className : undefined;
    awsController.push(new AwsLoadBalancerController(scope, 'aws-load-balancer-controller', { cluster: cluster.name, accountId: aws.accountId, region: aws.region, vpcId: aws.vpcId, ingressClassName, argocd }).release.ref);
  }
  if (has('external-dns') && aws && cluster.provider === 'eks') {
    new ExternalDns(scope, 'external-dns', { cluster: cluster.name, accountId: aws.accountId, region: aws.region, domainFilter: aws.dnsZone, argocd });
  }
  if (has('aws-node-termination-handler')) new AwsNodeTerminationHandler(scope, 'aws-node-termination-handler', { argocd });
  const istiod: ReleaseRef[] = [];
  if (has('istio')) {
    istiod.push(new Istio(scope, 'istio', { provider: cluster.provider, gatewayServiceAnnotations: loadBalancer, gatewayDependsOn: awsController, argocd }).istiod.ref);
  }
  const nodePorts = cluster.ingress.nodePorts;
  if (has('traefik')) new Traefik(scope, 'traefik', { className: context.ingress.className, mesh, serviceAnnotations: loadBalancer, nodePorts, dependsOn: awsController, argocd });
  if (has('ingress-nginx')) new IngressNginx(scope, 'ingress-nginx', { className: context.ingress.className, mesh, serviceAnnotations: loadBalancer, nodePorts, dependsOn: awsController, argocd });
  if (has('sealed-secrets')) new SealedSecretsController(scope, 'sealed-secrets', { argocd });
  if (has('prometheus')) new Prometheus(scope, 'prometheus', { mesh, storageClassName: cluster.storageClassName, argocd });
  if (has('flagger')) {
    const namespace = new FlaggerNamespace(scope, 'flagger-namespace', { mesh, argocd }).name;
    // Flagger watches Istio's CRDs at start-up on Istio clusters.
    new Flagger(scope, 'flagger', { namespace, provider: flaggerProvider(cluster), metricsServer: metricsServer(cluster), dependsOn: istiod, argocd });
  } else if (has('flagger-loadtester')) {
    // The platform team's Flagger owns flagger-system: render it (so the load tester can be
    // installed) but never let a model change prune it, which would delete their Flagger.
    new ControllerNamespace(scope, 'flagger-namespace', {
      name: FLAGGER_NAMESPACE,
      podSecurity: { level: 'baseline', reason: 'flagger-loadtester runs its load-test tools as root in a writable filesystem, which restricted forbids' },
      mesh,
      meshMembership: 'opt-in',
      pruneProtection: { reason: "shared with the platform team's preinstalled Flagger" },
      argocd,
    });
  }
  // The load tester's sidecar is injected by istiod, so it waits for it like Flagger.
  if (has('flagger-loadtester')) new FlaggerLoadTester(scope, 'flagger-loadtester', { namespace: FLAGGER_NAMESPACE, mesh, dependsOn: istiod, argocd });
  if (has('argo-rollouts')) new ArgoRollouts(scope, 'argo-rollouts', { mesh, argocd, dashboard: cluster.progressiveDelivery?.dashboard });
}

/**
 * Objects that need CRDs: the VPC CNI's ENIConfigs of a cluster with custom networking (the CRD
 * comes with EKS's vpc-cni add-on). The Istio Gateway `istio-system/public-gateway` is rendered
 * with the apps' routing (render/cluster.ts, `PublicGateway`) into the same infra-configs stage.
 */
function defineConfigs(scope: Construct, cluster: ClusterSpec): void {
  const networking = cluster.provider === 'eks' ? cluster.aws?.customNetworking : undefined;
  for (const [zone, subnet] of Object.entries(networking?.subnets ?? {}).sort(([a], [b]) => a.localeCompare(b))) {
    new EniConfig(scope, `eni-config-${zone}`, { zone, subnet, securityGroups: networking?.securityGroups });
  }
}

/**
 * Everything a cluster needs before its apps, from its declared capabilities: a namespace,
 * chart source and pinned HelmRelease per controller it needs and does not have preinstalled,
 * and the configs those controllers' CRDs make possible (Argo CD Applications: src/render/argocd.ts).
 */
export function renderInfrastructure(fleet: FleetSpec, cluster: ClusterSpec, options: InfrastructureOptions = {}): ClusterInfrastructure {
  const plan = planInfrastructure(fleet, cluster, options);
  return {
    controllers: synthObjects((scope) => defineControllers(scope, cluster, plan)),
    configs: synthObjects((scope) => defineConfigs(scope, cluster)),
    plan,
    problems: checkInfrastructure(fleet, cluster, plan),
  };
}
