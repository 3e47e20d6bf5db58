/**
 * What a platform engineer declares about one microservice, once, for every environment.
 * Environment differences live in `EnvironmentSpec.services` (see environment.ts); cluster
 * capabilities (ingress controller, mesh) in `ClusterSpec`.
 */

import type { CanarySpec } from './canary';
import type { ContainerSpec } from './container';
import type { ProbesSpec } from './probe';
import type { ServiceAddressRef } from './service-address';
import type { AdditionalServiceSpec, ServiceType } from './service-exposure';
import type { TrafficSpec } from './traffic';
import type { VolumeMountSpec, VolumeSpec } from './volume';

export type { ContainerPortRef, HttpProbeSpec, ProbeSpec, ProbesSpec } from './probe';

/** How a port is spoken to; decides the default probe and the Service's appProtocol. */
export type PortProtocol = 'http' | 'grpc' | 'tcp';

export interface PortSpec {
  /**
   * IANA-style port name (`http`, `grpc`, `metrics`), max 15 characters. The Service targets a
   * named port by name. An unnamed port (only when it is the service's single port) is targeted
   * by number, and its Service port is unnamed too.
   * @default - unnamed
   */
  readonly name?: string;
  /** Container port, 1–65535. */
  readonly port: number;
  /** Port of the Service in front (e.g. 80 in front of container port 8080). @default - `port` */
  readonly servicePort?: number;
  /** @default 'http' */
  readonly protocol?: PortProtocol;
}

/**
 * An environment variable: a literal, a key of a ConfigMap or Secret in the same namespace, or
 * the address of another service (see service-address.ts for the rendered form).
 */
export type EnvValue =
  | string
  | { readonly configMap: { readonly name: string; readonly key: string } }
  | { readonly secret: { readonly name: string; readonly key: string } }
  | ServiceAddressRef;

export interface ResourceAmounts {
  /** Kubernetes CPU quantity, e.g. `250m`, `1`. */
  readonly cpu?: string;
  /** Kubernetes memory quantity, e.g. `256Mi`, `1Gi`. */
  readonly memory?: string;
}

export interface ResourcesSpec {
  readonly requests?: ResourceAmounts;
  readonly limits?: ResourceAmounts;
}

export interface AutoscalingSpec {
  readonly minReplicas: number;
  readonly maxReplicas: number;
  /** Average CPU utilisation target in percent of requests. @default 80 (when no memory target is set) */
  readonly cpuUtilization?: number;
  /** Average memory utilisation target in percent of requests. @default - none */
  readonly memoryUtilization?: number;
}

export interface DisruptionBudgetSpec {
  /** @default - maxUnavailable 1 */
  readonly minAvailable?: number | string;
  readonly maxUnavailable?: number | string;
}

/** Cloud identity bound to the service account (IRSA on EKS, Workload Identity on GKE). */
export interface ServiceAccountSpec {
  /** @default - the service name */
  readonly name?: string;
  /**
   * Render the ServiceAccount. `false` runs the pods as an account rendered elsewhere (another
   * service's `name`); cloud identity fields then belong to that account.
   * @default true
   */
  readonly create?: boolean;
  /** EKS IRSA: sets `eks.amazonaws.com/role-arn`. Usually differs per environment. */
  readonly awsRoleArn?: string;
  /** GKE Workload Identity: sets `iam.gke.io/gcp-service-account`. */
  readonly gcpServiceAccount?: string;
}

export interface IngressSpec {
  /**
   * Host names. `{service}`, `{environment}` and `{domain}` are replaced.
   * @default - the environment's `ingressHost` pattern.
   */
  readonly hosts?: readonly string[];
  /** Path prefixes routed to the service. @default ['/'] */
  readonly paths?: readonly string[];
  /** Serve TLS with a certificate in Secret `<service>-tls` (or `secretName`). @default true */
  readonly tls?: boolean | { readonly secretName: string };
  /** Port name the ingress targets. @default - the main (first) port */
  readonly port?: string;
}

export interface NetworkPolicySpec {
  /**
   * Restrict egress to DNS, the services this one `calls`, and `egressCidrs`.
   * Off by default because most services still reach databases outside the cluster.
   * @default false
   */
  readonly restrictEgress?: boolean;
  /** Extra egress destinations when `restrictEgress` is on. */
  readonly egressCidrs?: readonly { readonly cidr: string; readonly ports?: readonly number[] }[];
}

/**
 * Secure defaults (runAsNonRoot, readOnlyRootFilesystem, drop ALL capabilities, seccomp
 * RuntimeDefault, no privilege escalation) are always on. A service relaxes one only by giving
 * the reason, which is rendered as an annotation so reviewers see it.
 */
export interface SecurityRelaxations {
  readonly allowRunAsRoot?: string;
  readonly allowWritableRootFilesystem?: string;
  readonly addCapabilities?: { readonly capabilities: readonly string[]; readonly reason: string };
}

export interface ConfigFilesSpec {
  /** Directory the files are mounted in. */
  readonly mountPath: string;
  /** File name → content. Rendered into ConfigMap `<service>-files`. */
  readonly files: Readonly<Record<string, string>>;
}

export interface ServiceSpec {
  /** DNS-1035 label: lower case, digits, '-', starting with a letter, max 63 characters. */
  readonly name: string;
  /** Image repository without tag, e.g. `uedwinc/flights`. The tag comes per environment. */
  readonly image: string;
  /** Default image tag when an environment does not pin one. @default - none: every environment must set one */
  readonly tag?: string;
  /** Namespace of the service. @default - the environment's namespace */
  readonly namespace?: string;
  /**
   * Which Flux Kustomization (or Argo CD Application) of its namespace applies the service:
   * services with the same group are applied together as `apps-<namespace>-<group>` from
   * `clusters/<cluster>/apps/<namespace>/<group>/`. Split a namespace into groups (by team or
   * domain) when it holds more than ~60 services: kustomize build time grows faster than
   * linearly with the objects of one Kustomization (synth warns with `flux/large-build`).
   * Moving a service to another group moves it to another Flux Kustomization.
   * @default - the namespace's own Kustomization, `apps-<namespace>`
   */
  readonly applyGroup?: string;
  /** The first port is the main port (probes, ingress). @default - none (a worker with no Service) */
  readonly ports?: readonly PortSpec[];
  /** Type of the main Service `<name>`. @default 'ClusterIP' */
  readonly serviceType?: ServiceType;
  /**
   * More Services over the same pods, e.g. `<name>-external` of type LoadBalancer on port 80.
   * LoadBalancer and NodePort ports are opened to any source in the NetworkPolicy.
   * @default - none
   */
  readonly additionalServices?: readonly AdditionalServiceSpec[];
  /** Name of the main container. @default - the service name */
  readonly containerName?: string;
  readonly command?: readonly string[];
  readonly args?: readonly string[];
  readonly env?: Readonly<Record<string, EnvValue>>;
  /** Non-secret configuration rendered into ConfigMap `<service>-config` and injected with envFrom. */
  readonly config?: Readonly<Record<string, string>>;
  readonly configFiles?: ConfigFilesSpec;
  /** @default - requests 100m/128Mi, limits memory 256Mi (no CPU limit, to avoid throttling) */
  readonly resources?: ResourcesSpec;
  readonly probes?: ProbesSpec;
  /** Ignored when `autoscaling` is set (the HPA owns the replica count). @default 2 */
  readonly replicas?: number;
  readonly autoscaling?: AutoscalingSpec;
  /** @default - maxUnavailable 1 whenever more than one replica can run; `false` to omit */
  readonly disruptionBudget?: DisruptionBudgetSpec | false;
  /**
   * The pod's ServiceAccount. `false`: no account of its own, the pods run as the namespace's
   * `default` account.
   * @default - ServiceAccount `<name>`, rendered with the service
   */
  readonly serviceAccount?: ServiceAccountSpec | false;
  /** @default - not exposed outside the cluster */
  readonly ingress?: IngressSpec;
  /** Services this one calls: opens their NetworkPolicy ingress to this service's pods. */
  readonly calls?: readonly string[];
  readonly networkPolicy?: NetworkPolicySpec;
  /**
   * Labels on the metadata of every object of the service (Deployment, Service, ConfigMaps…),
   * NOT on its pods: pod labels are `podLabels`.
   * @default - none (the generator's own `app.kubernetes.io/*` labels are always set)
   */
  readonly labels?: Readonly<Record<string, string>>;
  /**
   * Annotations on the Deployment's metadata only, NOT on its pods (`podAnnotations`) nor its
   * Service (`additionalServices[].annotations` for extra Services).
   * @default - none
   */
  readonly annotations?: Readonly<Record<string, string>>;
  /**
   * Labels of the pod template, for tools that select pods (e.g. `app: <name>` for a dashboard).
   * They never enter the Deployment's selector, which stays `app.kubernetes.io/name: <name>`
   * (immutable); they may not redefine a selector label.
   * @default - none
   */
  readonly podLabels?: Readonly<Record<string, string>>;
  /** Annotations of the pod template (e.g. `prometheus.io/scrape`). @default - none */
  readonly podAnnotations?: Readonly<Record<string, string>>;
  /**
   * Adopt a running Deployment whose selector is not the generator's: its `spec.selector.matchLabels`
   * (e.g. `{ app: 'frontend' }`), kept verbatim because a selector is immutable — changing it
   * makes the apply fail (or, forced, recreates the Deployment). The pods carry these labels and
   * `app.kubernetes.io/name`; Services, PDBs and NetworkPolicies keep selecting the latter.
   * @default - `{ app.kubernetes.io/name: <name> }`
   */
  readonly existingSelector?: Readonly<Record<string, string>>;
  /**
   * User and groups of the pod's processes (pod `securityContext`). 0 (root) needs
   * `security.allowRunAsRoot`.
   * @default - runAsUser, runAsGroup and fsGroup 10001 (none of them with `allowRunAsRoot`)
   */
  readonly podSecurityContext?: PodSecurityContextSpec;
  /** Seconds between SIGTERM and SIGKILL on shutdown. @default - not rendered, so Kubernetes' 30 */
  readonly terminationGracePeriodSeconds?: number;
  /** Init containers and native sidecars, in start order (see container.ts). @default - none */
  readonly initContainers?: readonly ContainerSpec[];
  /** Pod volumes by name (DNS label; `tmp`, `files` and `secret-*` are the generator's). @default - none */
  readonly volumes?: Readonly<Record<string, VolumeSpec>>;
  /** The main container's mounts of `volumes`. @default - none */
  readonly volumeMounts?: readonly VolumeMountSpec[];
  readonly security?: SecurityRelaxations;
  /** Progressive delivery; needs a cluster with `progressiveDelivery`. @default - plain rolling updates */
  readonly canary?: CanarySpec;
  /** Retries and timeouts, applied through the cluster's mesh. @default - the mesh's defaults */
  readonly traffic?: TrafficSpec;
  /** Policy rules waived for this service: rule id → written reason. */
  readonly waivers?: Readonly<Record<string, string>>;
  /**
   * Registry credentials for this service's image: names of secrets of type
   * `kubernetes.io/dockerconfigjson` (sources in `secrets/<environment>/<name>.sops.yaml`), listed in
   * the pod's `imagePullSecrets` and delivered into the service's namespace.
   * @default - only the cluster's `secrets.imagePullSecrets`
   * @see https://kubernetes.io/docs/concepts/containers/images/#specifying-imagepullsecrets-on-a-pod
   */
  readonly imagePullSecrets?: readonly string[];
  /**
   * Secrets mounted as files (read-only), one file per key; each secret is delivered into the
   * service's namespace. Env vars read single keys with `env: { X: { secret: { name, key } } }`.
   * @default - none
   * @see https://kubernetes.io/docs/concepts/configuration/secret/#using-secrets-as-files-from-a-pod
   */
  readonly secretFiles?: readonly SecretFilesSpec[];
}

/** @see https://kubernetes.io/docs/tasks/configure-pod-container/security-context/ */
export interface PodSecurityContextSpec {
  /** @default 10001 */
  readonly runAsUser?: number;
  /** @default 10001 */
  readonly runAsGroup?: number;
  /** Group owning mounted volumes. @default 10001 */
  readonly fsGroup?: number;
}

/** A Secret mounted into the service's container as files. */
export interface SecretFilesSpec {
  /** Name of the secret, i.e. of its source `secrets/<environment>/<secret>.sops.yaml`. */
  readonly secret: string;
  /** Directory the files are mounted in, e.g. `/etc/flightspecials/db`. */
  readonly mountPath: string;
  /** Mount only these keys (a missing one is a synth error). @default - every key of the secret */
  readonly keys?: readonly string[];
}
