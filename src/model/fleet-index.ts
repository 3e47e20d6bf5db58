import type { FleetSpec, ServiceEntry } from './fleet';
import { callsOf } from './service-address';

/**
 * Lookups over a fleet that would otherwise be linear scans per service (callers, owners):
 * at fleet scale (hundreds of services) those scans made rendering quadratic. Built once per
 * fleet object and cached; fleets are immutable data.
 */
export interface FleetIndex {
  readonly services: ReadonlyMap<string, ServiceEntry>;
  /**
   * Service name → names of the services that call it (`calls`, or an env value with its
   * address, in any environment of the caller's system), in declaration order.
   */
  readonly callers: ReadonlyMap<string, readonly string[]>;
}

const cache = new WeakMap<FleetSpec, FleetIndex>();

export function fleetIndex(fleet: FleetSpec): FleetIndex {
  const cached = cache.get(fleet);
  if (cached) return cached;
  const services = new Map<string, ServiceEntry>();
  const callers = new Map<string, string[]>();
  for (const system of fleet.systems) {
    for (const service of system.services) {
      if (!services.has(service.name)) services.set(service.name, { service, system });
      for (const callee of callsOf(service, system.environments)) callers.set(callee, [...(callers.get(callee) ?? []), service.name]);
    }
  }
  const index = { services, callers };
  cache.set(fleet, index);
  return index;
}
