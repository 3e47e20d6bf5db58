import type { ClusterSpec } from './cluster';
import type { ChartAppSpec } from './custom-chart';
import type { HelmAppSpec } from './helm-app';
import type { EnvironmentSpec } from './environment';
import type { ReleaseLock } from './release-lock-types';
import type { ServiceSpec } from './service';

/**
 * A system is what one team owns: its services and how each of its environments differs.
 * Environments are per system because teams differ in domains and host patterns; the fleet's
 * `pipeline` orders environments by name across all systems.
 */
export interface SystemSpec {
  readonly name: string;
  /** Path of the defining file, relative to the project root (shown in error messages). */
  readonly definition: string;
  readonly services: readonly ServiceSpec[];
  readonly environments: readonly EnvironmentSpec[];
  /**
   * Apps that are your own cdk8s chart (and/or one-off objects), placed on clusters by name in
   * `ClusterSpec.apps`. See src/model/custom-chart.ts and src/charts/custom/.
   * @default []
   */
  readonly charts?: readonly ChartAppSpec<unknown>[];
  /**
   * Apps delivered as a Flux HelmRelease of a pinned chart (Helm repository, OCI registry or a
   * chart directory in this repository), placed on clusters by name in `ClusterSpec.apps`.
   * See src/model/helm-app.ts.
   * @default []
   */
  readonly helmApps?: readonly HelmAppSpec<unknown>[];
}

/** Fleet-wide policy limits (see src/validate/policy). */
export interface FleetPolicySpec {
  /** Most memory one container may request or be limited to. @default '64Gi' (a `512Gi` typo fails) */
  readonly memoryCeiling?: string;
  /** Most CPU one container may request or be limited to. @default '16' */
  readonly cpuCeiling?: string;
}

/** Everything synth renders. */
export interface FleetSpec {
  /** @default - the defaults of FleetPolicySpec */
  readonly policy?: FleetPolicySpec;
  readonly systems: readonly SystemSpec[];
  readonly clusters: readonly ClusterSpec[];
  /** Promotion order of environment names, e.g. ['development', 'staging', 'production']. */
  readonly pipeline: readonly string[];
  /**
   * Image versions from the release lock (src/environments/releases.yaml): environment →
   * service → tag or digest. An entry here wins over `tag` in TypeScript.
   * @default - none: versions come from `EnvironmentSpec.services[…].tag` or `ServiceSpec.tag`
   */
  readonly releases?: ReleaseLock;
}

/** Identity functions that give editors the type while keeping definitions plain data. */
export function defineSystem(system: SystemSpec): SystemSpec {
  return system;
}

export function defineFleet(fleet: FleetSpec): FleetSpec {
  return fleet;
}

export interface ServiceEntry {
  readonly service: ServiceSpec;
  readonly system: SystemSpec;
}

/** Every service of the fleet with its system, in declaration order. */
export function allServices(fleet: FleetSpec): ServiceEntry[] {
  return fleet.systems.flatMap((system) => system.services.map((service) => ({ service, system })));
}

export function findService(fleet: FleetSpec, name: string): ServiceEntry | undefined {
  return allServices(fleet).find((entry) => entry.service.name === name);
}
