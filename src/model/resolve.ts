import type { CanarySpec } from './canary';
import { resolveTraffic, type TrafficSpec } from './traffic';
import type { ClusterSpec } from './cluster';
import type { EnvironmentSpec, ServiceOverride } from './environment';
import { orderEnvByReferences } from './env-references';
import type { FleetSpec, SystemSpec } from './fleet';
import { fleetIndex } from './fleet-index';
import { DEFAULT_EXTRA_CONTAINER_RESOURCES, type ContainerSpec } from './container';
import type { ProbesSpec } from './probe';
import { resolveAdditionalServices, type ResolvedAdditionalService } from './resolve-exposure';
import { callsOf, isServiceAddress, renderServiceAddress } from './service-address';
import type { ServiceType } from './service-exposure';
import type {
  AutoscalingSpec,
  ConfigFilesSpec,
  DisruptionBudgetSpec,
  EnvValue,
  NetworkPolicySpec,
  PortProtocol,
  ProbeSpec,
  ResourcesSpec,
  SecretFilesSpec,
  SecurityRelaxations,
  ServiceSpec,
} from './service';
import type { VolumeMountSpec, VolumeSpec } from './volume';

/** A declared port with its defaults: unnamed ports stay unnamed (targeted by number). */
export interface ResolvedPort {
  readonly name?: string;
  /** Container port. */
  readonly port: number;
  /** Port of the main Service. */
  readonly servicePort: number;
  readonly protocol: PortProtocol;
}

/** An env value as rendered: service addresses are already strings. */
export type ResolvedEnvValue = Exclude<EnvValue, { readonly serviceAddress: unknown }>;

/** An init container or native sidecar with its defaults and resolved env. */
export interface ResolvedContainer {
  readonly name: string;
  readonly image: string;
  readonly command?: readonly string[];
  readonly args?: readonly string[];
  readonly env: readonly (readonly [string, ResolvedEnvValue])[];
  readonly resources: ResourcesSpec;
  readonly probes: ProbesSpec;
  readonly ports: readonly { readonly name?: string; readonly port: number }[];
  readonly volumeMounts: readonly VolumeMountSpec[];
  readonly security: SecurityRelaxations;
  readonly sidecar: boolean;
}

/** The pod's user and groups; undefined fields are not rendered. */
export interface ResolvedPodSecurity {
  readonly runAsUser?: number;
  readonly runAsGroup?: number;
  readonly fsGroup?: number;
}

/**
 * A service with every default filled in and one environment's overrides applied: the only
 * input charts read, so charts never decide defaults. `environment` undefined means the
 * environment-neutral base rendered once per service into dist/bases.
 */
export interface ResolvedService {
  readonly name: string;
  readonly system: string;
  readonly definition: string;
  /** Undefined in the environment-neutral base (Kustomize sets it per overlay). */
  readonly namespace?: string;
  readonly environment?: string;
  readonly image: string;
  /** Tag or `sha256:…` digest; undefined in the base. */
  readonly version?: string;
  readonly ports: readonly ResolvedPort[];
  readonly command?: readonly string[];
  readonly args?: readonly string[];
  readonly env: readonly (readonly [string, ResolvedEnvValue])[];
  readonly config: Readonly<Record<string, string>>;
  readonly configFiles?: ConfigFilesSpec;
  readonly resources: ResourcesSpec;
  readonly probes: { readonly readiness?: ProbeSpec; readonly liveness?: ProbeSpec; readonly startup?: ProbeSpec };
  /** Undefined when an HPA owns the replica count. */
  readonly replicas?: number;
  readonly autoscaling?: AutoscalingSpec;
  readonly disruptionBudget?: DisruptionBudgetSpec;
  /** `name` undefined: the namespace's `default` account; `create` false: rendered elsewhere. */
  readonly serviceAccount: { readonly name?: string; readonly create: boolean; readonly annotations: Readonly<Record<string, string>> };
  readonly containerName: string;
  /** The workload's (immutable) selector. */
  readonly selector: Readonly<Record<string, string>>;
  readonly podLabels: Readonly<Record<string, string>>;
  readonly podAnnotations: Readonly<Record<string, string>>;
  readonly podSecurity: ResolvedPodSecurity;
  readonly terminationGracePeriodSeconds?: number;
  readonly initContainers: readonly ResolvedContainer[];
  readonly volumes: Readonly<Record<string, VolumeSpec>>;
  readonly volumeMounts: readonly VolumeMountSpec[];
  readonly serviceType: ServiceType;
  readonly additionalServices: readonly ResolvedAdditionalService[];
  readonly ingress?: ResolvedIngress;
  /** Services (with their namespace, when known) allowed to connect to this one. */
  readonly callers: readonly PeerService[];
  /** Services this one connects to, with the ports they expose. */
  readonly calls: readonly (PeerService & { readonly ports: readonly number[] })[];
  readonly networkPolicy: NetworkPolicySpec;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  readonly security: SecurityRelaxations;
  readonly waivers: Readonly<Record<string, string>>;
  /** Set when this environment runs the service with progressive delivery (never in the base). */
  readonly canary?: CanarySpec;
  readonly traffic?: TrafficSpec;
  /** Pull secrets of the pod: the cluster's `secrets.imagePullSecrets` (never in the base), then the service's own. */
  readonly imagePullSecrets: readonly string[];
  readonly secretFiles: readonly SecretFilesSpec[];
}

export interface PeerService {
  readonly name: string;
  /** Set when rendering for a cluster; undefined in the base (same namespace assumed). */
  readonly namespace?: string;
}

export interface ResolvedIngress {
  readonly hosts: readonly string[];
  readonly paths: readonly string[];
  /** Secret holding the TLS certificate; undefined for plain HTTP. */
  readonly tlsSecretName?: string;
  /** The Service port targeted: its name, or its number when unnamed. */
  readonly port: string | number;
}

export const DEFAULT_RESOURCES: ResourcesSpec = {
  requests: { cpu: '100m', memory: '128Mi' },
  limits: { memory: '256Mi' },
};
export const DEFAULT_REPLICAS = 2;
/** Non-root UID and GID used when the service does not choose them; high enough not to clash with host users. */
export const DEFAULT_UID = 10001;
export const DEFAULT_HOST_PATTERN = '{service}.{domain}';

/** Where a service is being rendered: nothing for the base, or one cluster and its environment. */
export interface RenderTarget {
  readonly cluster: ClusterSpec;
  readonly environment: EnvironmentSpec;
}

export function environmentOf(system: SystemSpec, name: string): EnvironmentSpec | undefined {
  return system.environments.find((env) => env.name === name);
}

export function namespaceOf(service: ServiceSpec, environment: EnvironmentSpec): string {
  return environment.services?.[service.name]?.namespace ?? service.namespace ?? environment.namespace ?? 'default';
}

/** The service's applyGroup in an environment; undefined = its namespace's own Kustomization. */
export function applyGroupOf(service: ServiceSpec, environment: EnvironmentSpec): string | undefined {
  const override = environment.services?.[service.name]?.applyGroup;
  if (override === false) return undefined;
  return override ?? service.applyGroup;
}

export function resolveService(
  fleet: FleetSpec,
  system: SystemSpec,
  service: ServiceSpec,
  target?: RenderTarget,
): ResolvedService {
  const override: ServiceOverride = target?.environment.services?.[service.name] ?? {};
  const ports = resolvePorts(service);
  const namespace = target ? namespaceOf(service, target.environment) : undefined;
  const resolveEnv = (env: Readonly<Record<string, EnvValue>> | undefined) => resolveEnvValues(fleet, env, target);
  const canary = target ? resolveCanary(service, override) : undefined;
  const requestedAutoscaling = override.autoscaling === false ? undefined : (override.autoscaling ?? service.autoscaling);
  const requestedReplicas = override.replicas ?? service.replicas ?? DEFAULT_REPLICAS;
  // Flagger scales the canary Deployment to zero and the primary from the HPA (autoscalerRef):
  // a fixed count becomes an HPA pinned at that count, and spec.replicas is never rendered.
  const pinned = canary && target?.cluster.progressiveDelivery?.engine === 'flagger' && !requestedAutoscaling;
  const autoscaling = pinned ? { minReplicas: Math.max(requestedReplicas, 1), maxReplicas: Math.max(requestedReplicas, 1) } : requestedAutoscaling;
  const replicas = autoscaling ? undefined : requestedReplicas;
  const maxUnavailableReplicas = autoscaling ? autoscaling.minReplicas : (replicas ?? 1);
  return {
    name: service.name,
    system: system.name,
    definition: system.definition,
    namespace,
    environment: target?.environment.name,
    image: service.image,
    version: target ? (fleet.releases?.[target.environment.name]?.[service.name] ?? override.tag ?? service.tag) : undefined,
    ports,
    command: service.command,
    args: service.args,
    // Kubernetes expands $(VAR) only from variables defined earlier in the list.
    env: resolveEnv({ ...service.env, ...override.env }),
    config: { ...service.config, ...override.config },
    configFiles: service.configFiles,
    resources: mergeResources(service.resources ?? DEFAULT_RESOURCES, override.resources),
    probes: resolveProbes(service.probes, ports),
    replicas,
    autoscaling,
    disruptionBudget: resolveDisruptionBudget(service.disruptionBudget, maxUnavailableReplicas),
    serviceAccount: resolveServiceAccount(service, override),
    containerName: service.containerName ?? service.name,
    selector: service.existingSelector ?? { 'app.kubernetes.io/name': service.name },
    podLabels: { ...service.podLabels, ...override.podLabels },
    podAnnotations: { ...service.podAnnotations, ...override.podAnnotations },
    podSecurity: resolvePodSecurity(service),
    terminationGracePeriodSeconds: override.terminationGracePeriodSeconds ?? service.terminationGracePeriodSeconds,
    initContainers: (service.initContainers ?? []).map((container) => resolveContainer(container, resolveEnv)),
    volumes: service.volumes ?? {},
    volumeMounts: service.volumeMounts ?? [],
    serviceType: override.serviceType ?? service.serviceType ?? 'ClusterIP',
    additionalServices: resolveAdditionalServices(override.additionalServices ?? service.additionalServices ?? [], ports),
    ingress: target && service.ingress ? resolveIngress(service, override, target.environment, ports) : undefined,
    callers: resolveCallers(fleet, service.name, target),
    calls: resolveCalls(fleet, service, target),
    networkPolicy: service.networkPolicy ?? {},
    labels: service.labels ?? {},
    annotations: service.annotations ?? {},
    security: service.security ?? {},
    waivers: service.waivers ?? {},
    canary,
    traffic: resolveTraffic(service.traffic, override.traffic),
    imagePullSecrets: [...new Set([...(target?.cluster.secrets?.imagePullSecrets ?? []), ...(service.imagePullSecrets ?? [])])],
    secretFiles: service.secretFiles ?? [],
  };
}

function resolveCanary(service: ServiceSpec, override: ServiceOverride): CanarySpec | undefined {
  if (override.canary === false) return undefined;
  return override.canary ?? service.canary;
}

function mergeResources(base: ResourcesSpec, override?: ResourcesSpec): ResourcesSpec {
  if (!override) return base;
  return {
    requests: { ...base.requests, ...override.requests },
    limits: { ...base.limits, ...override.limits },
  };
}

function resolvePorts(service: ServiceSpec): ResolvedPort[] {
  return (service.ports ?? []).map((port) => ({ name: port.name, port: port.port, servicePort: port.servicePort ?? port.port, protocol: port.protocol ?? 'http' }));
}

/**
 * A container's env in an order the kubelet can expand (each `$(VAR)` after VAR's definition),
 * literal values as they are and service addresses rendered for the target (see service-address.ts).
 */
function resolveEnvValues(fleet: FleetSpec, env: Readonly<Record<string, EnvValue>> | undefined, target: RenderTarget | undefined): [string, ResolvedEnvValue][] {
  return orderEnvByReferences(Object.entries(env ?? {})).map(([name, value]) => {
    if (!isServiceAddress(value)) return [name, value];
    const callee = fleetIndex(fleet).services.get(value.serviceAddress.service)?.service;
    const namespace = target ? peerNamespace(fleet, value.serviceAddress.service, target) : undefined;
    // An unknown callee or port is a model error (checkFleet); render nothing rather than guess.
    return [name, renderServiceAddress(value.serviceAddress, callee, namespace) ?? ''];
  });
}

/** The main port's natural health check, so every service has probes unless it says otherwise. */
export function defaultProbe(port: ResolvedPort | undefined): ProbeSpec | undefined {
  if (!port) return undefined;
  const ref = port.name ?? port.port;
  switch (port.protocol) {
    case 'http':
      return { http: { path: '/', port: ref } };
    case 'grpc':
      return { grpc: { port: ref } };
    case 'tcp':
      return { tcp: { port: ref } };
  }
}

/** Liveness defaults to the readiness check every 10 s (a longer period than readiness usually has). */
export const DEFAULT_LIVENESS_PERIOD_SECONDS = 10;

function resolveProbes(probes: ProbesSpec | undefined, ports: readonly ResolvedPort[]): ResolvedService['probes'] {
  const readiness = probes?.readiness ?? defaultProbe(ports[0]);
  const liveness = probes?.liveness ?? (readiness ? { ...readiness, periodSeconds: readiness.periodSeconds ?? DEFAULT_LIVENESS_PERIOD_SECONDS } : undefined);
  return { readiness, liveness, startup: probes?.startup };
}

function resolveContainer(container: ContainerSpec, resolveEnv: (env: ContainerSpec['env']) => [string, ResolvedEnvValue][]): ResolvedContainer {
  return {
    name: container.name,
    image: container.image,
    command: container.command,
    args: container.args,
    env: resolveEnv(container.env),
    resources: container.resources ?? DEFAULT_EXTRA_CONTAINER_RESOURCES,
    // Init containers take no probes (check-model rejects them); sidecars only what they declare.
    probes: container.probes ?? {},
    ports: container.ports ?? [],
    volumeMounts: container.volumeMounts ?? [],
    security: container.security ?? {},
    sidecar: container.sidecar === true,
  };
}

function resolvePodSecurity(service: ServiceSpec): ResolvedPodSecurity {
  const spec = service.podSecurityContext ?? {};
  // Running as root: only what the service sets explicitly (the image decides the rest).
  if (service.security?.allowRunAsRoot) return { ...spec };
  return { runAsUser: spec.runAsUser ?? DEFAULT_UID, runAsGroup: spec.runAsGroup ?? DEFAULT_UID, fsGroup: spec.fsGroup ?? DEFAULT_UID };
}

function resolveDisruptionBudget(
  spec: DisruptionBudgetSpec | false | undefined,
  minimumReplicas: number,
): DisruptionBudgetSpec | undefined {
  if (spec === false) return undefined;
  if (spec) return spec;
  // A PDB on a single replica blocks node drains forever; only protect services that can spare one.
  return minimumReplicas > 1 ? { maxUnavailable: 1 } : undefined;
}

function resolveServiceAccount(service: ServiceSpec, override: ServiceOverride): ResolvedService['serviceAccount'] {
  if (service.serviceAccount === false) return { name: undefined, create: false, annotations: {} };
  const spec = { ...service.serviceAccount, ...override.serviceAccount };
  const annotations: Record<string, string> = {};
  if (spec.awsRoleArn) annotations['eks.amazonaws.com/role-arn'] = spec.awsRoleArn;
  if (spec.gcpServiceAccount) annotations['iam.gke.io/gcp-service-account'] = spec.gcpServiceAccount;
  return { name: spec.name ?? service.name, create: spec.create ?? true, annotations };
}

export function expandHost(pattern: string, service: string, environment: EnvironmentSpec): string {
  return pattern
    .replaceAll('{service}', service)
    .replaceAll('{environment}', environment.name)
    .replaceAll('{domain}', environment.domain);
}

/** Hosts (expanded) and paths a service's ingress routes in an environment; the override's hosts replace the service's. */
export function ingressRoutes(service: ServiceSpec, override: ServiceOverride, environment: EnvironmentSpec): { hosts: string[]; paths: readonly string[] } {
  const spec = { ...service.ingress, ...override.ingress };
  const patterns = spec.hosts ?? [environment.ingressHost ?? DEFAULT_HOST_PATTERN];
  return { hosts: patterns.map((pattern) => expandHost(pattern, service.name, environment)), paths: spec.paths ?? ['/'] };
}

function resolveIngress(
  service: ServiceSpec,
  override: ServiceOverride,
  environment: EnvironmentSpec,
  ports: readonly ResolvedPort[],
): ResolvedIngress {
  const spec = { ...service.ingress, ...override.ingress };
  const tls = spec.tls ?? true;
  return {
    ...ingressRoutes(service, override, environment),
    tlsSecretName: tls === false ? undefined : tls === true ? `${service.name}-tls` : tls.secretName,
    port: spec.port ?? ports[0]?.name ?? ports[0]?.servicePort ?? 'http',
  };
}

/** The port an ingress (or route, or canary) targets: the ingress's port, else the main port. */
export function ingressPort(service: ResolvedService, ingress: ResolvedIngress | undefined): ResolvedPort {
  const port = ingress?.port;
  return service.ports.find((p) => (typeof port === 'number' ? p.servicePort === port : p.name === port)) ?? service.ports[0];
}

function runsOn(target: RenderTarget | undefined, name: string): boolean {
  return !target || target.cluster.services.includes(name);
}

function peerNamespace(fleet: FleetSpec, name: string, target: RenderTarget | undefined): string | undefined {
  if (!target) return undefined;
  const entry = fleetIndex(fleet).services.get(name);
  const environment = entry && environmentOf(entry.system, target.environment.name);
  return entry && environment ? namespaceOf(entry.service, environment) : undefined;
}

function resolveCallers(fleet: FleetSpec, name: string, target: RenderTarget | undefined): PeerService[] {
  return (fleetIndex(fleet).callers.get(name) ?? [])
    .filter((caller) => runsOn(target, caller))
    .map((caller) => ({ name: caller, namespace: peerNamespace(fleet, caller, target) }));
}

function resolveCalls(fleet: FleetSpec, service: ServiceSpec, target: RenderTarget | undefined): ResolvedService['calls'] {
  return callsOf(service, target?.environment)
    .filter((name) => runsOn(target, name))
    .map((name) => {
      const callee = fleetIndex(fleet).services.get(name)?.service;
      return {
        name,
        namespace: peerNamespace(fleet, name, target),
        ports: (callee?.ports ?? []).map((port) => port.port),
      };
    });
}
