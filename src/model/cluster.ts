/** Which controller serves Ingress objects on a cluster. */
export type IngressControllerKind = 'traefik' | 'nginx' | 'alb';

export interface IngressControllerSpec {
  readonly controller: IngressControllerKind;
  /** IngressClass name. @default - the controller name ('traefik', 'nginx', 'alb') */
  readonly className?: string;
  /** ExternalDNS manages DNS records for ingress hosts. @default true for 'alb', false otherwise */
  readonly externalDns?: boolean;
  /** ACM certificate ARN for ALB HTTPS listeners. @default - ALB discovers certificates by host */
  readonly certificateArn?: string;
}

export type MeshKind = 'none' | 'istio' | 'linkerd';

/** Where Flux pulls this repository from. */
export interface FluxSourceSpec {
  /** Git URL of the config repository holding `clusters/` and `dist/`. */
  readonly url: string;
  /** @default 'main' */
  readonly branch?: string;
  /** Directory in that repository holding `clusters/` and `dist/`. @default '' (repository root) */
  readonly path?: string;
  /** Secret with Git credentials (in flux-system). @default 'flux-system' (created by flux bootstrap) */
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
}

/** How secrets reach the cluster. */
export type SecretsBackendSpec =
  /** Bitnami SealedSecrets sealed with the controller's public certificate kept in this repo. */
  | { readonly backend: 'sealed-secrets'; readonly certificate: string }
  /** SOPS-encrypted Secrets decrypted by kustomize-controller with the age key in Secret `sops-age`. */
  | { readonly backend: 'sops'; readonly ageRecipient: string };

/** Controllers the platform team installs a cluster by hand; the generator renders none of them. */
export type ControllerName =
  | 'traefik'
  | 'ingress-nginx'
  | 'aws-load-balancer-controller'
  | 'external-dns'
  | 'flagger'
  | 'flagger-loadtester'
  | 'argo-rollouts'
  | 'sealed-secrets'
  | 'istio'
  | 'prometheus';

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
  readonly flux: FluxSourceSpec;
  /** Names of the services that run on this cluster. */
  readonly services: readonly string[];
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
  };
  /** Path of the file that defines this cluster, shown in error messages. */
  readonly definition?: string;
}
