import type { CanarySpec } from './canary';
import { resolveTraffic, type TrafficSpec } from './traffic';
import type { ClusterSpec } from './cluster';
import type { EnvironmentSpec, ServiceOverride } from './environment';
import { orderEnvByReferences } from './env-references';
import type { FleetSpec, SystemSpec } from './fleet';
import { fleetIndex } from './fleet-index';
import type {
  AutoscalingSpec,
  ConfigFilesSpec,
  DisruptionBudgetSpec,
  EnvValue,
  NetworkPolicySpec,
  PortSpec,
  ProbeSpec,
  ResourcesSpec,
  SecretFilesSpec,
  SecurityRelaxations,
  ServiceSpec,
} from './service';

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
  readonly ports: readonly Required<PortSpec>[];
  readonly command?: readonly string[];
  readonly args?: readonly string[];
  readonly env: readonly (readonly [string, EnvValue])[];
  readonly config: Readonly<Record<string, string>>;
  readonly configFiles?: ConfigFilesSpec;
  readonly resources: ResourcesSpec;
  readonly probes: { readonly readiness?: ProbeSpec; readonly liveness?: ProbeSpec; readonly startup?: ProbeSpec };
  /** Undefined when an HPA owns the replica count. */
  readonly replicas?: number;
  readonly autoscaling?: AutoscalingSpec;
  readonly disruptionBudget?: DisruptionBudgetSpec;
  readonly serviceAccount: { readonly name: string; readonly annotations: Readonly<Record<string, string>> };
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
  /** Name of the service port targeted. */
  readonly port: string;
}

export const DEFAULT_RESOURCES: ResourcesSpec = {
  requests: { cpu: '100m', memory: '128Mi' },
  limits: { memory: '256Mi' },
};
export const DEFAULT_REPLICAS = 2;
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
  const ports = (service.ports ?? []).map((port) => ({ protocol: 'http' as const, ...port }));
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
    namespace: target ? namespaceOf(service, target.environment) : undefined,
    environment: target?.environment.name,
    image: service.image,
    version: target ? (fleet.releases?.[target.environment.name]?.[service.name] ?? override.tag ?? service.tag) : undefined,
    ports,
    command: service.command,
    args: service.args,
    // Kubernetes expands $(VAR) only from variables defined earlier in the list.
    env: orderEnvByReferences(Object.entries({ ...service.env, ...override.env })),
    config: { ...service.config, ...override.config },
    configFiles: service.configFiles,
    resources: mergeResources(service.resources ?? DEFAULT_RESOURCES, override.resources),
    probes: resolveProbes(service, ports),
    replicas,
    autoscaling,
    disruptionBudget: resolveDisruptionBudget(service.disruptionBudget, maxUnavailableReplicas),
    serviceAccount: resolveServiceAccount(service, override),
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

/** The main port's natural health check, so every service has probes unless it says otherwise. */
export function defaultProbe(port: Required<PortSpec> | undefined): ProbeSpec | undefined {
  if (!port) return undefined;
  switch (port.protocol) {
    case 'http':
      return { http: { path: '/', port: port.name } };
    case 'grpc':
      return { grpc: { port: port.name } };
    case 'tcp':
      return { tcp: { port: port.name } };
  }
}

function resolveProbes(service: ServiceSpec, ports: readonly Required<PortSpec>[]): ResolvedService['probes'] {
  const readiness = service.probes?.readiness ?? defaultProbe(ports[0]);
  const liveness = service.probes?.liveness ?? (readiness ? { ...readiness, periodSeconds: readiness.periodSeconds ?? 10 } : undefined);
  return { readiness, liveness, startup: service.probes?.startup };
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
  const spec = { ...service.serviceAccount, ...override.serviceAccount };
  const annotations: Record<string, string> = {};
  if (spec.awsRoleArn) annotations['eks.amazonaws.com/role-arn'] = spec.awsRoleArn;
  if (spec.gcpServiceAccount) annotations['iam.gke.io/gcp-service-account'] = spec.gcpServiceAccount;
  return { name: spec.name ?? service.name, annotations };
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
  ports: readonly Required<PortSpec>[],
): ResolvedIngress {
  const spec = { ...service.ingress, ...override.ingress };
  const tls = spec.tls ?? true;
  return {
    ...ingressRoutes(service, override, environment),
    tlsSecretName: tls === false ? undefined : tls === true ? `${service.name}-tls` : tls.secretName,
    port: spec.port ?? ports[0]?.name ?? 'http',
  };
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
  return (service.calls ?? [])
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
