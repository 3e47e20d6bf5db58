/**
 * Which controller serves a cluster's external traffic.
 * - `traefik`, `nginx`, `alb`: Ingress objects for that controller.
 * - `istio`: the Istio ingress gateway, with VirtualServices instead of Ingress objects.
 * - `gateway-api`: HTTPRoutes attached to a Gateway the platform runs (Envoy Gateway, Cilium,
 *   Istio, the AWS controller…), instead of Ingress objects.
 */
export type IngressControllerKind = 'traefik' | 'nginx' | 'alb' | 'istio' | 'gateway-api';

/** The Gateway API Gateway that services' HTTPRoutes attach to. */
export interface GatewayRefSpec {
  readonly name: string;
  /** Namespace of the Gateway (its data-plane pods run where `gatewayApi` says). */
  readonly namespace: string;
  /** Listener of the Gateway to attach to. @default - every listener that allows the route */
  readonly sectionName?: string;
}

export interface IngressControllerSpec {
  readonly controller: IngressControllerKind;
  /** IngressClass name. @default - the controller name ('traefik', 'nginx', 'alb') */
  readonly className?: string;
  /** ExternalDNS manages DNS records for ingress hosts. @default true for 'alb', false otherwise */
  readonly externalDns?: boolean;
  /** ACM certificate ARN for ALB HTTPS listeners. @default - ALB discovers certificates by host */
  readonly certificateArn?: string;
  /**
   * ALB only: the IngressGroup (`alb.ingress.kubernetes.io/group.name`) every Ingress of the
   * cluster joins. Ingresses of one group share one ALB, also with Ingresses outside the fleet
   * in the same group (a monolith's ALB its extracted services join). A group name is at most
   * 63 lower-case letters, digits, '-' or '.', starting and ending with a letter or digit. Only
   * join a group whose every member is trusted: any Ingress in it can change the shared ALB.
   * @default - one group per namespace (its name)
   * @see https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/guide/ingress/annotations/#ingressgroup
   */
  readonly albGroup?: string;
  /**
   * The Gateway HTTPRoutes attach to (`gateway-api` clusters, and Flagger's `gatewayapi`
   * provider). The platform installs the implementation and the Gateway; list 'gateway-api' in
   * the cluster's `preinstalled` once it has.
   * @default { name: 'public', namespace: 'gateway-system' }
   * @see https://gateway-api.sigs.k8s.io/api-types/gateway/
   */
  readonly gateway?: GatewayRefSpec;
  /**
   * Serve the controller's Service as `NodePort` on these fixed node ports instead of as a
   * LoadBalancer, for clusters whose load balancer is made outside the cluster and targets the
   * nodes (seed 004: an ALB provisioned by AWS CDK whose target group forwards HTTP and HTTPS to
   * port 30080 of every worker node), so recreating the controller never makes a new load
   * balancer. `traefik` and `nginx` only. On EKS the AWS Load Balancer Controller is then not
   * needed for the ingress and not rendered (`model/invalid-ingress-node-port` lists the rules).
   * @default - a LoadBalancer Service (an NLB made by the AWS Load Balancer Controller on EKS)
   * @see https://kubernetes.io/docs/concepts/services-networking/service/#type-nodeport
   */
  readonly nodePorts?: IngressNodePorts;
}

/** Fixed node ports of the ingress controller's Service; see `IngressControllerSpec.nodePorts`. */
export interface IngressNodePorts {
  /** Node port of the plain HTTP entry point (container port 80/8000). */
  readonly http: number;
  /** Node port of the HTTPS entry point. @default - allocated by Kubernetes */
  readonly https?: number;
}

export type MeshKind = 'none' | 'istio' | 'linkerd';

/**
 * Which Gateway API CRDs the platform installed. The two release channels serve the same
 * `gateway.networking.k8s.io/v1` kinds with different schemas: fields still in the experimental
 * channel (HTTPRoute `retry`, GEP-1731) are unknown to the standard CRDs, so the API server
 * prunes them and the route runs without them.
 * @see https://gateway-api.sigs.k8s.io/concepts/versioning/#release-channels
 */
export type GatewayApiChannel = 'standard' | 'experimental';

/** The Gateway API installation of a cluster (CRDs and implementation are the platform's). */
export interface GatewayApiSpec {
  /**
   * Release channel of the installed CRDs (the `gateway.networking.k8s.io/channel` annotation on
   * them). Experimental-channel fields are rendered only on `experimental` clusters, and each
   * cluster's Gateway API objects are validated against CRDs of its own channel.
   * @default 'standard' - what Gateway API implementations install unless asked otherwise
   */
  readonly channel?: GatewayApiChannel;
  /**
   * The implementation that runs the cluster's Gateway; it decides where the data-plane (proxy)
   * pods run, which every exposed service's NetworkPolicy admits.
   * @default 'envoy-gateway'
   */
  readonly implementation?: GatewayApiImplementation;
  /**
   * Namespace of the pods that proxy the Gateway's traffic to the services.
   * @default - per implementation: `envoy-gateway` → 'envoy-gateway-system' (Envoy Gateway's
   *   default ControllerNamespace mode creates every Gateway's Envoy Deployment in the
   *   controller's namespace; set the Gateway's namespace here if the platform runs it in
   *   Gateway Namespace Mode); `istio` → the Gateway's namespace (istiod deploys
   *   `<gateway>-istio` next to the Gateway)
   * @see https://gateway.envoyproxy.io/docs/tasks/operations/gateway-namespace-mode/
   * @see https://istio.io/latest/docs/tasks/traffic-management/ingress/gateway-api/#automated-deployment
   */
  readonly dataPlaneNamespace?: string;
}

/** A Gateway API implementation whose data-plane placement the generator knows. */
export type GatewayApiImplementation = 'envoy-gateway' | 'istio';

/**
 * Where Flux pulls this repository from. Flux reads it through the GitRepository `flux-system`
 * that `flux bootstrap` creates with its own URL and credentials (an SSH deploy key by
 * default), so bootstrap with the same repository, branch and `--path=<path>/clusters/<cluster>`.
 */
export interface FluxSourceSpec {
  /** Git URL of the config repository holding `clusters/` and `dist/` (Argo CD Applications read it too). */
  readonly url: string;
  /** @default 'main' */
  readonly branch?: string;
  /** Directory in that repository holding `clusters/` and `dist/`. @default '' (repository root) */
  readonly path?: string;
}

/** Another Git repository Flux pushes to (image automation's release lock). */
export interface WritableGitSourceSpec extends FluxSourceSpec {
  /**
   * Secret in flux-system with credentials that may push to `url`: `identity` and
   * `known_hosts` for an `ssh://` URL, `username` and `password` (a token) for `https://`.
   * Required (`delivery/missing-write-credentials`): bootstrap's `flux-system` deploy key
   * opens the cluster's own repository only.
   * @see https://fluxcd.io/flux/components/source/gitrepositories/#secret-reference
   */
  readonly secretName?: string;
}

/** Where canary analysis reads metrics from. */
export type MetricsSource =
  /** An existing Prometheus, e.g. `http://prometheus.monitoring:9090`. */
  | { readonly prometheus: string }
  /** Render a Prometheus into the cluster's infrastructure and use it. */
  | { readonly install: 'prometheus' };

/** Progressive delivery capability of a cluster. */
export interface ProgressiveDeliverySpec {
  /** Flagger (Canary objects) or Argo Rollouts (Rollout objects). */
  readonly engine: 'flagger' | 'argo-rollouts';
  /**
   * Flagger's routing provider.
   * @default - from the mesh (istio, linkerd), else the ingress controller (traefik, nginx)
   */
  readonly provider?: 'istio' | 'linkerd' | 'nginx' | 'traefik' | 'gatewayapi' | 'kubernetes';
  /** @default - none: a canary on this cluster is a synth error until one is declared */
  readonly metrics?: MetricsSource;
  /**
   * Add CEL health checks for Canaries to the apps Kustomizations, so a failed canary marks the
   * Flux Kustomization unhealthy (and alerts) instead of only the Canary object.
   * @default true
   */
  readonly fluxHealthChecks?: boolean;
  /**
   * Argo Rollouts only: run the Argo Rollouts dashboard (the argo-rollouts chart's
   * `dashboard.enabled`) beside the controller, as Service `argo-rollouts/argo-rollouts-dashboard`
   * on port 3100. The dashboard has no authentication of its own and can promote and abort
   * rollouts, so it is a ClusterIP Service only, reached with
   * `kubectl -n argo-rollouts port-forward svc/argo-rollouts-dashboard 3100:3100`: whoever may
   * port-forward in that namespace may use it, nobody else.
   * @default false
   * @see https://argo-rollouts.readthedocs.io/en/stable/dashboard/
   */
  readonly dashboard?: boolean;
}

/** How secrets reach the cluster. */
export type SecretsBackendSpec = (
  /** Bitnami SealedSecrets sealed with the controller's public certificate kept in this repo. */
  | { readonly backend: 'sealed-secrets'; readonly certificate: string }
  /** SOPS-encrypted Secrets decrypted by kustomize-controller with the age key in Secret `sops-age`. */
  | { readonly backend: 'sops'; readonly ageRecipient: string }
) &
  ClusterWideSecretsSpec;

/** Secrets every application namespace of a cluster gets, whatever its backend. */
export interface ClusterWideSecretsSpec {
  /**
   * Registry credentials (secrets of type `kubernetes.io/dockerconfigjson`, sources in
   * `secrets/<environment>/<name>.sops.yaml`) delivered into every application namespace of the
   * cluster and listed in every pod's `imagePullSecrets`, e.g. `['dockerhub']` against Docker
   * Hub's pull rate limit.
   * @default [] - pods pull anonymously unless a service lists its own `imagePullSecrets`
   */
  readonly imagePullSecrets?: readonly string[];
}

/** Controllers the platform team installs a cluster by hand; the generator renders none of them. */
export type ControllerName =
  | 'traefik'
  | 'ingress-nginx'
  | 'aws-load-balancer-controller'
  | 'external-dns'
  | 'aws-node-termination-handler'
  | 'flagger'
  | 'flagger-loadtester'
  | 'argo-rollouts'
  | 'sealed-secrets'
  | 'istio'
  | 'prometheus'
  /** A Gateway API implementation and the cluster's Gateway: never rendered, always the platform's. */
  | 'gateway-api';

/** VPC CNI custom networking of an EKS cluster; see `ClusterSpec.aws.customNetworking`. */
export interface CustomNetworkingSpec {
  /** Availability zone (e.g. `eu-west-1a`, in the cluster's region) → the pod subnet there. */
  readonly subnets: Readonly<Record<string, string>>;
  /**
   * Security groups of the pods' ENIs (`sg-…`), e.g. the cluster security group.
   * @default - the node's primary ENI security groups (VPC CNI's behaviour when the ENIConfig names none)
   */
  readonly securityGroups?: readonly string[];
}

export interface ClusterSpec {
  /** Directory name under `clusters/`; DNS-1123 label. */
  readonly name: string;
  /** Name of the environment this cluster runs. */
  readonly environment: string;
  readonly provider: 'eks' | 'gke' | 'generic';
  /** Kubernetes minor version, e.g. '1.31'. Used for schema validation. */
  readonly kubernetesVersion: string;
  readonly ingress: IngressControllerSpec;
  /** @default 'none' */
  readonly mesh?: MeshKind;
  /** Gateway API CRDs the cluster runs (for `gateway-api` ingress and Flagger's `gatewayapi` provider). @default { channel: 'standard' } */
  readonly gatewayApi?: GatewayApiSpec;
  readonly flux: FluxSourceSpec;
  /** Names of the services that run on this cluster. */
  readonly services: readonly string[];
  /** Names of the Helm-chart apps (`SystemSpec.helmApps`) and chart apps (`SystemSpec.charts`) that run on this cluster. @default [] */
  readonly apps?: readonly string[];
  /** @default - no progressive delivery: a service with a canary is a synth error here */
  readonly progressiveDelivery?: ProgressiveDeliverySpec;
  /** @default - no secrets backend: a service that references a secret is a synth error here */
  readonly secrets?: SecretsBackendSpec;
  /** Controllers already installed by the platform team: not rendered, still required. @default [] */
  readonly preinstalled?: readonly ControllerName[];
  /** AWS account / region facts the EKS controllers need (IRSA roles, ExternalDNS zone). */
  readonly aws?: {
    readonly region: string;
    readonly accountId: string;
    /** VPC id for the AWS Load Balancer Controller. */
    readonly vpcId?: string;
    /** Route 53 hosted zone domain filter for ExternalDNS. */
    readonly dnsZone?: string;
    /**
     * Render aws-node-termination-handler (IMDS mode, kube-system): nodes are cordoned and
     * drained on a Spot interruption notice or an EC2 scheduled event, so their pods move before
     * the instance goes. Set it when the cluster runs Spot or self-managed node groups (EKS
     * managed node groups drain Spot nodes themselves).
     * @default false
     */
    readonly nodeTerminationHandler?: boolean;
    /**
     * Amazon VPC CNI custom networking: pods get their IPs from these subnets (typically of a
     * secondary VPC CIDR) instead of their node's subnet. The generator renders one ENIConfig per
     * availability zone, named after the zone. The platform does the rest, outside Git: associate
     * the CIDR and create the subnets, set the vpc-cni add-on's configuration to
     * `{"env":{"AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG":"true","ENI_CONFIG_LABEL_DEF":"topology.kubernetes.io/zone"}}`
     * (the add-on owns the aws-node DaemonSet: a patch from Git would be reverted), then replace
     * the nodes, which only pick an ENIConfig when they start.
     * @default - none: pods use their node's subnet
     * @see https://docs.aws.amazon.com/eks/latest/userguide/cni-custom-network-tutorial.html
     */
    readonly customNetworking?: CustomNetworkingSpec;
  };
  /**
   * StorageClass of the volumes the generator's controllers claim (Prometheus's TSDB volume).
   * The cluster must provide it, with a provisioner that can create the volume (on EKS: the
   * Amazon EBS CSI driver add-on and, e.g., the `gp2` class every EKS cluster is created with).
   * @default - the cluster's default StorageClass. EKS clusters created at 1.30 or later have
   *   none ("Amazon EKS no longer includes the default annotation on the gp2 StorageClass"),
   *   so an EKS ≥ 1.30 cluster that renders Prometheus must set it (`infra/missing-storage-class`).
   * @see https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions-extended.html (Kubernetes 1.30)
   */
  readonly storageClassName?: string;
  /** Path of the file that defines this cluster, shown in error messages. */
  readonly definition?: string;
  /**
   * Secrets (`namespace/name`; `*` matches within a part, e.g. `shop/*-tls`) the platform creates
   * on the cluster before Flux applies anything, e.g. TLS certificates issued outside the fleet. `npm run check` requires every Secret a pod,
   * route or gateway references to be delivered by the fleet or listed here
   * (`converge/undelivered`).
   * @default []
   */
  readonly platformSecrets?: readonly string[];
  /**
   * Teams that deploy with Argo CD: Argo CD applies the apps units (`apps-<namespace>[-<group>]`)
   * of the namespaces it owns, as children of one app-of-apps parent Application, in sync waves
   * in Flux's order; Flux applies the infrastructure and every other namespace. One tool per path.
   * Not on a `sops` cluster (`argocd/sops-unsupported`): Argo CD cannot decrypt SOPS.
   * @default - Flux only
   */
  readonly argocd?: ArgoCdSpec;
  /**
   * Flux image automation: Flux scans the registries of this cluster's services and bumps their
   * entries in the release lock (src/environments/releases.yaml) through the `$imagepolicy`
   * markers, so the next render carries the new version. Needs flux bootstrap with
   * `--components-extra=image-reflector-controller,image-automation-controller` and, unless
   * `source` names another repository, `--read-write-key` (the automation pushes through the
   * bootstrap source `flux-system`).
   * @default - none: versions change only through `npm run release` / `npm run promote`
   */
  readonly imageAutomation?: ImageAutomationSpec;
  /**
   * Flux notifications (Provider + Alert): reconciliation failures of this cluster's
   * Kustomizations, sources and HelmReleases are posted to Slack or Microsoft Teams.
   * @default - none
   */
  readonly notifications?: NotificationsSpec;
}

/** Where a team's Argo CD runs, for the optional Argo CD flavour of a cluster's output. */
export interface ArgoCdSpec {
  /** Namespace of the Argo CD installation (Applications live there). @default 'argocd' */
  readonly namespace?: string;
  /** Argo CD AppProject the Applications belong to. @default 'default' */
  readonly project?: string;
  /**
   * Application namespaces Argo CD applies instead of Flux (`argocd/unknown-namespace` if one
   * has no apps on the cluster). Flux keeps infra-controllers, infra-configs (which create these
   * namespaces) and every namespace not listed.
   * @default - every application namespace of the cluster
   */
  readonly namespaces?: readonly string[];
  /**
   * How the Applications of this cluster sync unless `applications` says otherwise.
   * `'automated'`: Argo CD applies every commit, prunes and self-heals. `'manual'`: Argo CD only
   * shows the difference until someone syncs the Application (UI Sync, `argocd app sync <name>`);
   * synth warns (`argocd/manual-sync`) that commits change nothing on the cluster until then.
   * @default 'automated'
   * @see https://argo-cd.readthedocs.io/en/stable/user-guide/auto_sync/
   */
  readonly sync?: ArgoCdSyncPolicy;
  /**
   * The Application of one apps unit, keyed by what it applies: a namespace (its own unit,
   * which also delivers the namespace's secrets) or `<namespace>/<applyGroup>`. A key that is no
   * Argo CD unit of the cluster is `argocd/unknown-application`.
   * @default - every unit: Application `<cluster>-apps-<namespace>[-<group>]`, synced as `sync` says
   */
  readonly applications?: Readonly<Record<string, ArgoCdApplicationSpec>>;
}

/** `'automated'`: Argo CD syncs, prunes and self-heals by itself. `'manual'`: someone syncs. */
export type ArgoCdSyncPolicy = 'automated' | 'manual';

/** One Argo CD Application as a team names and syncs it (e.g. the seed's `flight-info`, manual). */
export interface ArgoCdApplicationSpec {
  /**
   * Name of the Application: a DNS-1123 subdomain (`argocd/invalid-application-name`) of at most
   * 63 characters, as it labels every object it applies (`argocd/name-too-long`), unique in the
   * cluster's Argo CD (`argocd/duplicate-application`).
   * @default `<cluster>-apps-<namespace>[-<group>]`
   */
  readonly name?: string;
  /** @default - the cluster's `argocd.sync` */
  readonly sync?: ArgoCdSyncPolicy;
}

/** Which tags an ImagePolicy may select for one service. Set `semver` or `pattern`. */
export interface ImagePolicyRule {
  /**
   * Semver range, e.g. `^1.4.0` or `>=1.0.0 <2.0.0`; the highest matching version wins.
   * @default '>=0.0.0' (the highest release) when `pattern` is not set either
   */
  readonly semver?: string;
  /**
   * Regular expression the tag must match (Go RE2), e.g. `^1\.5\.[0-9a-f]{7}$` for
   * MAJOR.MINOR.<git sha> tags, or `^main-[0-9a-f]+-(?P<ts>[0-9]+)$` with `extract: '$ts'`.
   * @default - none
   */
  readonly pattern?: string;
  /**
   * What of a matching tag is ordered, e.g. `$ts` (a build timestamp). A git sha has no order,
   * so tags that carry one need a build number or timestamp to extract.
   * @default - the whole tag
   */
  readonly extract?: string;
  /** How extracted values are ordered; the last wins. @default 'numerical' with `extract`, else 'alphabetical' */
  readonly order?: 'numerical' | 'alphabetical';
}

/** Flux image automation of a cluster; see `ClusterSpec.imageAutomation`. */
export interface ImageAutomationSpec {
  /**
   * Services of this cluster whose lock entry Flux may bump, with the tags it may pick.
   * @default - every service of the cluster, highest semver release
   */
  readonly policies?: Readonly<Record<string, ImagePolicyRule>>;
  /** How often registries are scanned. @default '5m' */
  readonly interval?: string;
  /** Registry authentication through the controller's cloud identity (ECR, GAR, ACR). @default 'generic' */
  readonly provider?: 'generic' | 'aws' | 'gcp' | 'azure';
  /** docker-registry Secret in flux-system with pull credentials. @default - anonymous or `provider` */
  readonly registrySecretName?: string;
  /**
   * The Git repository holding this project (and its release lock), when Flux syncs the
   * rendered output from another repository. `path` is this project's directory in it.
   * @default - the cluster's `flux` source (the output is committed next to the model), through
   *   bootstrap's deploy key, which then needs write access (`--read-write-key`)
   */
  readonly source?: WritableGitSourceSpec;
  /** Branch bumps are pushed to; another branch lets a pull request review them. @default - the checked-out branch */
  readonly pushBranch?: string;
  /** Author of the automation's commits. @default - fluxcdbot <fluxcdbot@users.noreply.github.com> */
  readonly author?: { readonly name: string; readonly email: string };
}

/** Flux notifications of a cluster; see `ClusterSpec.notifications`. */
export interface NotificationsSpec {
  readonly provider: 'slack' | 'msteams';
  /** Slack channel; Teams webhooks post to the channel they were created for. @default - the webhook's channel */
  readonly channel?: string;
  /** Secret in flux-system whose `address` key holds the webhook URL (created out of band or sealed). */
  readonly secretName: string;
  /** `error`: failed reconciliations only; `info`: every change applied too. @default 'error' */
  readonly severity?: 'info' | 'error';
}
