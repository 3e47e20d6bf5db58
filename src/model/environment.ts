import type { CanarySpec } from './canary';
import type { TrafficSpec } from './traffic';
import type { AutoscalingSpec, EnvValue, IngressSpec, ResourcesSpec, ServiceAccountSpec } from './service';
import type { AdditionalServiceSpec, ServiceType } from './service-exposure';

/** What one environment changes about a service. Every field is optional. */
export interface ServiceOverride {
  /** Image tag (or `sha256:` digest) running in this environment. */
  readonly tag?: string;
  readonly replicas?: number;
  /** Replaces the service's autoscaling; `false` turns it off here. */
  readonly autoscaling?: AutoscalingSpec | false;
  /** Merged over the service's resources, per field. */
  readonly resources?: ResourcesSpec;
  /** Merged over the service's env, per variable. */
  readonly env?: Readonly<Record<string, EnvValue>>;
  /** Merged over the service's config, per key. */
  readonly config?: Readonly<Record<string, string>>;
  /** Merged over the service's ingress (hosts replace). */
  readonly ingress?: IngressSpec;
  /** Merged over the service's service account (typically the IRSA role of this account). */
  readonly serviceAccount?: ServiceAccountSpec;
  readonly namespace?: string;
  /** The service's applyGroup in this environment; `false` puts it in its namespace's own unit. @default - the service's applyGroup */
  readonly applyGroup?: string | false;
  /** Replaces the service's canary here; `false` turns progressive delivery off (plain output). */
  readonly canary?: CanarySpec | false;
  /** Replaces the service's retries and timeouts here; `false` leaves them to the mesh's defaults. */
  readonly traffic?: TrafficSpec | false;
  /** Merged over the service's pod annotations, per key. */
  readonly podAnnotations?: Readonly<Record<string, string>>;
  /** Merged over the service's pod labels, per key. */
  readonly podLabels?: Readonly<Record<string, string>>;
  /** Replaces the service's terminationGracePeriodSeconds here. */
  readonly terminationGracePeriodSeconds?: number;
  /** Replaces the type of the main Service here. */
  readonly serviceType?: ServiceType;
  /** Replaces the service's additional Services here (e.g. the external one only in production). */
  readonly additionalServices?: readonly AdditionalServiceSpec[];
}

/** Per-namespace settings rendered into the namespace and its developer RBAC. */
export interface NamespaceSpec {
  /** Groups (from the cluster's OIDC/IAM mapping) granted read-mostly access. @default ['<namespace>-developers'] */
  readonly developers?: readonly string[];
  /**
   * Names of the developer Role and RoleBinding, for teams whose tooling expects their own
   * (seed 004: `k8s-developer-role` / `k8s-developer-rolebinding`).
   * @default { role: 'developer', binding: 'developer' }
   */
  readonly developerRbac?: { readonly role?: string; readonly binding?: string };
  /** Pod Security Standard enforced. @default 'restricted' ('baseline' on Istio clusters, whose init container needs NET_ADMIN) */
  readonly podSecurity?: 'restricted' | 'baseline' | 'privileged';
}

export interface EnvironmentSpec {
  /** e.g. `development`, `staging`, `production`. */
  readonly name: string;
  /** DNS domain ingress hosts are built from. */
  readonly domain: string;
  /** Default namespace of services in this environment. @default 'default' */
  readonly namespace?: string;
  /**
   * Host pattern for ingresses that do not list hosts. `{service}`, `{environment}`, `{domain}`
   * are replaced, e.g. `{service}-{environment}.{domain}` for bookstore's development.
   * @default '{service}.{domain}'
   */
  readonly ingressHost?: string;
  /** Production environments get stricter policy (ingress TLS required). @default false */
  readonly production?: boolean;
  /** Overrides by service name. */
  readonly services?: Readonly<Record<string, ServiceOverride>>;
  readonly namespaces?: Readonly<Record<string, NamespaceSpec>>;
}
