import type { EnvironmentSpec } from './environment';
import type { ContainerPortRef } from './probe';
import type { EnvValue, PortSpec, ServiceSpec } from './service';

/**
 * A typed reference to another service's address, for env values: rendered from the callee's
 * model, so renaming its port or changing its Service port changes every caller, and it implies
 * the `calls` edge (NetworkPolicies follow).
 *
 * Rendered form: `<service>.<namespace>.svc.cluster.local:<servicePort>` on a cluster, with
 * `<scheme>://` in front when `scheme` is set; in the environment-neutral base (no namespace
 * yet) `<service>:<servicePort>`, which the overlays replace.
 */
export interface ServiceAddressRef {
  readonly serviceAddress: {
    /** Name of the called service. */
    readonly service: string;
    /** The callee's port: its name or container port number; the value carries its Service port. @default - the callee's main (first) port */
    readonly port?: ContainerPortRef;
    /** e.g. `http` renders `http://host:port`. @default - none: `host:port` */
    readonly scheme?: string;
  };
}

/** Kubernetes' default cluster DNS domain. */
export const CLUSTER_DOMAIN = 'cluster.local';

export function isServiceAddress(value: EnvValue): value is ServiceAddressRef {
  return typeof value === 'object' && 'serviceAddress' in value;
}

/** A declared port matched by name or container port number. */
export function findPort<P extends PortSpec>(ports: readonly P[], ref: ContainerPortRef | undefined): P | undefined {
  if (ref === undefined) return ports[0];
  return ports.find((port) => (typeof ref === 'number' ? port.port === ref : port.name === ref));
}

/** The env value of a reference; undefined when the callee or port does not exist (a model error). */
export function renderServiceAddress(ref: ServiceAddressRef['serviceAddress'], callee: ServiceSpec | undefined, namespace: string | undefined): string | undefined {
  const port = callee && findPort(callee.ports ?? [], ref.port);
  if (!port) return undefined;
  const host = namespace === undefined ? ref.service : `${ref.service}.${namespace}.svc.${CLUSTER_DOMAIN}`;
  const address = `${host}:${port.servicePort ?? port.port}`;
  return ref.scheme ? `${ref.scheme}://${address}` : address;
}

/** Every env map of a service in an environment: its own, the environment's override, its extra containers'. */
function envMaps(service: ServiceSpec, environment?: EnvironmentSpec): Readonly<Record<string, EnvValue>>[] {
  return [service.env ?? {}, environment?.services?.[service.name]?.env ?? {}, ...(service.initContainers ?? []).map((c) => c.env ?? {})];
}

/** Services whose address the service's env values reference, each once, in order. */
export function addressedServices(service: ServiceSpec, environment?: EnvironmentSpec): string[] {
  return [...new Set(envMaps(service, environment).flatMap((env) => Object.values(env).filter(isServiceAddress).map((v) => v.serviceAddress.service)))];
}

/**
 * The services one calls: `calls`, plus every service its env values address. Without an
 * environment, the references of all of `environments` count (the fleet-wide caller index).
 */
export function callsOf(service: ServiceSpec, environments: readonly EnvironmentSpec[] | EnvironmentSpec | undefined): string[] {
  const list = environments === undefined ? [undefined] : Array.isArray(environments) ? (environments.length > 0 ? environments : [undefined]) : [environments as EnvironmentSpec];
  return [...new Set([...(service.calls ?? []), ...list.flatMap((environment) => addressedServices(service, environment))])];
}
