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
  /** Path of the file that defines this cluster, shown in error messages. */
  readonly definition?: string;
}
