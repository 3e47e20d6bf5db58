import type { ClusterSpec } from './cluster';
import type { EnvironmentSpec } from './environment';
import type { FleetSpec, SystemSpec } from './fleet';
import { hostErrors, ingressPathErrors } from './kubernetes-rules';
import { placementsOn } from './placement';
import { error, type Problem } from './problem';
import { DEFAULT_HOST_PATTERN, environmentOf, ingressRoutes } from './resolve';
import type { ServiceSpec } from './service';

/**
 * Ingress hosts and paths, per environment (valid names) and per cluster and DNS zone (no two
 * routes on the same host and path). An invalid host is rejected by the API server (Ingress:
 * IsDNS1123Subdomain or IsWildcardDNS1123Subdomain, pkg/apis/networking/validation); two
 * services on one host and path are accepted and then one silently wins in the controller, and
 * two clusters publishing one name in a shared zone make their ExternalDNS instances fight over
 * the record.
 */
export function checkIngressHosts(fleet: FleetSpec): Problem[] {
  return [
    ...fleet.systems.flatMap((system) => system.environments.flatMap((environment) => system.services.flatMap((service) => checkNames(system, environment, service)))),
    ...checkCollisions(fleet),
  ];
}

/** Where a host came from, so the problem names the field to change. */
function hostField(service: ServiceSpec, environment: EnvironmentSpec, index: number): string {
  if (environment.services?.[service.name]?.ingress?.hosts) return `services.${service.name}.ingress.hosts[${index}]`;
  if (service.ingress?.hosts) return `ingress.hosts[${index}]`;
  return environment.ingressHost !== undefined ? 'ingressHost' : `domain (host pattern ${DEFAULT_HOST_PATTERN})`;
}

function checkNames(system: SystemSpec, environment: EnvironmentSpec, service: ServiceSpec): Problem[] {
  if (!service.ingress) return [];
  const { hosts, paths } = ingressRoutes(service, environment.services?.[service.name] ?? {}, environment);
  const place = (field: string) => ({ environment: environment.name, service: service.name, field, definition: system.definition });
  const problems: Problem[] = [];
  hosts.forEach((host, i) => {
    const errors = hostErrors(host);
    if (errors.length === 0) return;
    problems.push(
      error(
        'model/invalid-host',
        place(hostField(service, environment, i)),
        `ingress host ${JSON.stringify(host)} ${errors.join('; ')}; the API server rejects the Ingress (hosts must be DNS-1123 subdomains, a wildcard only as a leading "*.")`,
        'write a lower-case host name such as "shop.example.com" (placeholders: {service}, {environment}, {domain})',
      ),
    );
  });
  const field = environment.services?.[service.name]?.ingress?.paths ? `services.${service.name}.ingress.paths` : 'ingress.paths';
  for (const path of paths) {
    const errors = ingressPathErrors(path);
    if (errors.length > 0) problems.push(error('model/invalid-ingress-path', place(field), `ingress path ${JSON.stringify(path)} ${errors.join('; ')}`, 'write an absolute path prefix such as "/api"'));
  }
  return problems;
}

/** One host and path a service routes on a cluster. */
interface Route {
  readonly cluster: ClusterSpec;
  readonly service: string;
  readonly definition: string;
  readonly host: string;
  readonly path: string;
}

/** `/api/` and `/api` are the same Prefix match. */
function normalizePath(path: string): string {
  return path.length > 1 ? path.replace(/\/+$/, '') : path;
}

function routesOn(fleet: FleetSpec, cluster: ClusterSpec): Route[] {
  return placementsOn(fleet, cluster).flatMap(({ entry }) => {
    const environment = environmentOf(entry.system, cluster.environment);
    if (!entry.service.ingress || !environment) return [];
    const { hosts, paths } = ingressRoutes(entry.service, environment.services?.[entry.service.name] ?? {}, environment);
    return hosts.flatMap((host) => paths.map((path) => ({ cluster, service: entry.service.name, definition: entry.system.definition, host, path: normalizePath(path) })));
  });
}

/** The DNS zone a cluster's ExternalDNS publishes a host in, if the host is in it. */
function zoneOf(cluster: ClusterSpec, host: string): string | undefined {
  const zone = cluster.aws?.dnsZone?.replace(/\.$/, '');
  return zone && (host === zone || host.endsWith(`.${zone}`)) ? zone : undefined;
}

/**
 * Same host and path: on one cluster, by two services (or two systems' environments); across
 * clusters sharing a DNS zone, by different services or environments (one service of one
 * environment on several clusters is a deliberate multi-cluster deployment).
 */
function checkCollisions(fleet: FleetSpec): Problem[] {
  const problems: Problem[] = [];
  const zoned = new Map<string, Route[]>();
  for (const cluster of fleet.clusters) {
    const local = new Map<string, Route[]>();
    for (const route of routesOn(fleet, cluster)) {
      const key = `${route.host} ${route.path}`;
      local.set(key, [...(local.get(key) ?? []), route]);
      const zone = zoneOf(cluster, route.host);
      if (zone) zoned.set(`${zone} ${key}`, [...(zoned.get(`${zone} ${key}`) ?? []), route]);
    }
    for (const routes of local.values()) {
      const [first, ...others] = routes;
      for (const other of others.filter((r) => r.service !== first.service)) {
        problems.push(
          error(
            'model/host-collision',
            { cluster: cluster.name, environment: cluster.environment, service: other.service, field: 'ingress.hosts', definition: other.definition },
            `${other.service} and ${first.service} both route ${other.host}${other.path} on cluster ${cluster.name}: the ingress controller sends that traffic to only one of them`,
            `give one of them another host (ingress.hosts) or path (ingress.paths)`,
          ),
        );
      }
    }
  }
  for (const [key, routes] of zoned) {
    const [first, ...others] = routes;
    const owner = (r: Route) => `${r.service}@${r.cluster.environment}`;
    for (const other of others.filter((r) => r.cluster !== first.cluster && owner(r) !== owner(first))) {
      problems.push(
        error(
          'model/host-collision',
          { cluster: other.cluster.name, environment: other.cluster.environment, service: other.service, field: 'ingress.hosts', definition: other.definition },
          `${other.host}${other.path} is routed by ${other.service} (${other.cluster.environment}) on cluster ${other.cluster.name} and by ${first.service} (${first.cluster.environment}) on cluster ${first.cluster.name}, both publishing DNS zone ${key.split(' ')[0]}`,
          `give the environments distinct host patterns (e.g. ingressHost: '{service}-{environment}.{domain}') or distinct domains`,
        ),
      );
    }
  }
  return problems;
}
