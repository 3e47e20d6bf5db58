import { checkFleetDelivery } from './check-delivery';
import { checkRoleAccounts } from './check-aws-accounts';
import { checkCustomNetworking } from './check-custom-networking';
import { checkIngressNodePorts } from './check-ingress-node-ports';
import { checkCanaries } from './check-canary';
import { checkAlbGroup } from './check-ingress-group';
import { checkIngressHosts } from './check-ingress-hosts';
import { checkKubernetesRules } from './check-kubernetes';
import { checkTraffic } from './check-traffic';
import { checkWorkloads } from './check-workload-kind';
import { checkApps } from './check-apps';
import { checkEnvReferences } from './env-references';
import { fleetIndex } from './fleet-index';
import { checkModelFields } from './model-fields';
import { checkServiceOverride, checkWorkload } from './check-workload';
import { callsOf } from './service-address';
import type { ClusterSpec } from './cluster';
import type { EnvironmentSpec } from './environment';
import type { FleetSpec, SystemSpec } from './fleet';
import { appsUnitName, MAX_APPS_UNIT_NAME, placementsOn } from './placement';
import { environmentOf, namespaceOf } from './resolve';
import { error, type Place, type Problem } from './problem';
import { isImageVersion, RELEASE_LOCK_FILE } from './release-lock-types';
import type { ProbeSpec, ResourceAmounts, ServiceSpec } from './service';

/**
 * Structural checks of the fleet model, before anything is rendered. Each returns Problems that
 * name the system file, environment, service and field, and say what to write instead.
 * Checks that need rendered objects (memory ceilings, probes present, references) live in
 * src/validate and run on the output.
 */
export function checkFleet(fleet: FleetSpec): Problem[] {
  return [
    ...checkModelFields(fleet),
    ...checkUniqueNames(fleet),
    ...fleet.systems.flatMap((system) => [
      ...system.services.flatMap((service) => [...checkService(fleet, system, service), ...checkEnvReferences(system, service)]),
      ...system.environments.flatMap((environment) => checkEnvironment(fleet, system, environment)),
    ]),
    ...fleet.clusters.flatMap((cluster) => [...checkCluster(fleet, cluster), ...checkRoleAccounts(fleet, cluster), ...checkCustomNetworking(cluster), ...checkIngressNodePorts(cluster)]),
    ...checkPipeline(fleet),
    ...checkReleaseLock(fleet),
    ...checkCanaries(fleet),
    ...checkTraffic(fleet),
    ...checkWorkloads(fleet),
    ...checkApps(fleet),
    ...checkFleetDelivery(fleet),
    ...checkKubernetesRules(fleet),
    ...checkIngressHosts(fleet),
  ];
}

export const DNS_LABEL = /^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/;
export const DNS_1123_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
export const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;
const CPU = /^(\d+(\.\d+)?|\.\d+)m?$/;
const MEMORY = /^(\d+(\.\d+)?|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^sha256:[a-f0-9]{64}$/;

export function serviceCheck(system: SystemSpec, service: string) {
  return (code: string, field: string, message: string, fix: string): Problem =>
    error(code, { service, field, definition: system.definition }, message, fix);
}

function checkUniqueNames(fleet: FleetSpec): Problem[] {
  const problems: Problem[] = [];
  const seen = new Map<string, string>();
  for (const system of fleet.systems) {
    for (const service of system.services) {
      const other = seen.get(service.name);
      if (other !== undefined) {
        problems.push(
          error(
            'model/duplicate-service',
            { service: service.name, field: 'name', definition: system.definition },
            `service name "${service.name}" is also defined in ${other}`,
            'service names are unique across the fleet (they name Deployments, Services and images); rename one',
          ),
        );
      }
      seen.set(service.name, system.definition);
    }
  }
  const clusters = new Set<string>();
  for (const cluster of fleet.clusters) {
    if (clusters.has(cluster.name)) {
      problems.push(
        error('model/duplicate-cluster', clusterPlace(cluster, 'name'), `cluster "${cluster.name}" is defined twice`, 'give each cluster its own name'),
      );
    }
    clusters.add(cluster.name);
  }
  return problems;
}

export function checkService(fleet: FleetSpec, system: SystemSpec, service: ServiceSpec): Problem[] {
  const problem = serviceCheck(system, service.name);
  const problems: Problem[] = [];
  if (!DNS_LABEL.test(service.name)) {
    problems.push(problem('model/invalid-name', 'name', `"${service.name}" is not a DNS-1035 label`, 'use lower-case letters, digits and "-", starting with a letter, at most 63 characters'));
  }
  if (service.name === 'secrets') {
    problems.push(problem('model/reserved-name', 'name', '"secrets" is reserved: it names the directory of each namespace\'s sealed or encrypted Secrets', 'rename the service, e.g. "secrets-api"'));
  }
  if (/[:@]/.test(service.image.split('/').pop() ?? '')) {
    problems.push(problem('model/image-with-tag', 'image', `image "${service.image}" includes a tag or digest`, `set image: "${service.image.replace(/[:@].*$/, '')}" and put the version in "tag" or the environment's override`));
  }
  problems.push(...checkPorts(problem, service));
  for (const [name, value] of Object.entries(service.env ?? {})) {
    if (!ENV_NAME.test(name)) problems.push(problem('model/invalid-env-name', `env.${name}`, `"${name}" is not a valid environment variable name`, 'use letters, digits, "_", "-" and "."; do not start with a digit'));
    if (typeof value === 'object' && 'configMap' in value && value.configMap.name === `${service.name}-config` && !(value.configMap.key in (service.config ?? {}))) {
      problems.push(problem('model/missing-config-key', `env.${name}`, `env ${name} reads key "${value.configMap.key}" of ConfigMap ${service.name}-config, which "config" does not define`, `add "${value.configMap.key}" to the service's config`));
    }
  }
  problems.push(...checkResources(problem, 'resources', service.resources?.requests, 'requests'));
  problems.push(...checkResources(problem, 'resources', service.resources?.limits, 'limits'));
  for (const [kind, probe] of Object.entries(service.probes ?? {})) problems.push(...checkProbe(problem, service, `probes.${kind}`, probe));
  if (service.autoscaling) problems.push(...checkAutoscaling(problem, 'autoscaling', service.autoscaling));
  if (service.replicas !== undefined && (!Number.isInteger(service.replicas) || service.replicas < 0)) {
    problems.push(problem('model/invalid-replicas', 'replicas', `replicas ${service.replicas} is not a whole number ≥ 0`, 'set replicas to 0, 1, 2, …'));
  }
  if (service.ingress && (service.ports ?? []).length === 0) {
    problems.push(problem('model/ingress-without-port', 'ingress', 'the service has an ingress but no ports', 'declare the port the ingress should reach in "ports"'));
  }
  if (service.ingress?.port && !(service.ports ?? []).some((port) => port.name === service.ingress?.port)) {
    problems.push(problem('model/unknown-port', 'ingress.port', `ingress targets port "${service.ingress.port}", which the service does not declare`, `use one of: ${(service.ports ?? []).map((p) => p.name ?? p.port).join(', ')}`));
  }
  problems.push(...checkWorkload(fleet, system, service));
  const known = fleetIndex(fleet).services;
  for (const callee of service.calls ?? []) {
    if (!known.has(callee)) problems.push(problem('model/unknown-service', 'calls', `calls unknown service "${callee}"`, `define "${callee}" or remove it from calls; known services: ${[...known.keys()].sort().join(', ')}`));
    if (callee === service.name) problems.push(problem('model/calls-itself', 'calls', 'a service cannot list itself in calls', `remove "${callee}" from calls`));
  }
  for (const [rule, reason] of Object.entries(service.waivers ?? {})) {
    if (!reason.trim()) problems.push(problem('model/waiver-without-reason', `waivers.${rule}`, `waiver of ${rule} has no reason`, 'write why the rule does not apply; reviewers read it in the report'));
  }
  return problems;
}

export type ServiceProblem = ReturnType<typeof serviceCheck>;

function checkPorts(problem: ServiceProblem, service: ServiceSpec): Problem[] {
  const problems: Problem[] = [];
  const names = new Set<string>();
  const numbers = new Set<number>();
  const servicePorts = new Set<number>();
  (service.ports ?? []).forEach((port, i) => {
    const field = `ports[${i}]`;
    if (!Number.isInteger(port.port) || port.port < 1 || port.port > 65535) {
      problems.push(problem('model/invalid-port', `${field}.port`, `port ${port.port} is outside 1–65535`, 'use a port number between 1 and 65535'));
    }
    if (port.name !== undefined && (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(port.name) || port.name.length > 15)) {
      problems.push(problem('model/invalid-port-name', `${field}.name`, `port name "${port.name}" is not an IANA service name`, 'use at most 15 lower-case letters, digits and "-"'));
    }
    if (port.name === undefined && (service.ports ?? []).length > 1) {
      problems.push(problem('model/unnamed-port', `${field}.name`, `port ${port.port} has no name, but the service declares ${(service.ports ?? []).length} ports`, 'name every port (a Service with several ports needs a name on each)'));
    }
    const servicePort = port.servicePort ?? port.port;
    if (port.servicePort !== undefined && (!Number.isInteger(port.servicePort) || port.servicePort < 1 || port.servicePort > 65535)) {
      problems.push(problem('model/invalid-port', `${field}.servicePort`, `servicePort ${port.servicePort} is outside 1–65535`, 'use a port number between 1 and 65535'));
    }
    if ((port.name !== undefined && names.has(port.name)) || numbers.has(port.port) || servicePorts.has(servicePort)) {
      problems.push(problem('model/duplicate-port', field, `port ${port.name ?? ''}/${port.port} (Service port ${servicePort}) is declared twice`, 'give every port its own name, container port and Service port'));
    }
    if (port.name !== undefined) names.add(port.name);
    numbers.add(port.port);
    servicePorts.add(servicePort);
  });
  return problems;
}

export function checkResources(problem: ServiceProblem, prefix: string, amounts: ResourceAmounts | undefined, kind: string): Problem[] {
  const problems: Problem[] = [];
  if (amounts?.cpu !== undefined && !CPU.test(amounts.cpu)) {
    problems.push(problem('model/invalid-quantity', `${prefix}.${kind}.cpu`, `"${amounts.cpu}" is not a CPU quantity`, 'write cores ("1", "0.5") or millicores ("250m")'));
  }
  if (amounts?.memory !== undefined && !MEMORY.test(amounts.memory)) {
    problems.push(problem('model/invalid-quantity', `${prefix}.${kind}.memory`, `"${amounts.memory}" is not a memory quantity`, 'write bytes with a suffix such as "256Mi" or "1Gi" (binary) or "500M" (decimal)'));
  }
  return problems;
}

export function checkProbe(problem: ServiceProblem, service: Pick<ServiceSpec, 'ports'>, field: string, probe: ProbeSpec | undefined): Problem[] {
  if (!probe) return [];
  const kinds = (['http', 'grpc', 'tcp', 'exec'] as const).filter((kind) => probe[kind] !== undefined);
  if (kinds.length !== 1) {
    return [problem('model/invalid-probe', field, `a probe needs exactly one of http, grpc, tcp, exec (found ${kinds.length ? kinds.join(', ') : 'none'})`, 'keep one check per probe')];
  }
  const port = probe.http?.port ?? probe.grpc?.port ?? probe.tcp?.port;
  // A number may be a port the container listens on without declaring it (an admin port); a name must be declared.
  if (typeof port === 'string' && !(service.ports ?? []).some((p) => p.name === port)) {
    return [problem('model/unknown-port', `${field}.${kinds[0]}.port`, `probe uses port "${port}", which the service does not declare`, `use one of: ${(service.ports ?? []).map((p) => p.name ?? p.port).join(', ') || '(declare ports first)'}, or a port number`)];
  }
  if (typeof port === 'number' && (!Number.isInteger(port) || port < 1 || port > 65535)) {
    return [problem('model/invalid-port', `${field}.${kinds[0]}.port`, `probe port ${port} is outside 1–65535`, 'use a port number between 1 and 65535')];
  }
  return [];
}

function checkAutoscaling(problem: ServiceProblem, field: string, spec: NonNullable<ServiceSpec['autoscaling']>): Problem[] {
  const problems: Problem[] = [];
  if (!Number.isInteger(spec.minReplicas) || spec.minReplicas < 1) {
    problems.push(problem('model/invalid-autoscaling', `${field}.minReplicas`, `minReplicas ${spec.minReplicas} must be a whole number ≥ 1`, 'set minReplicas to 1 or more'));
  }
  if (spec.maxReplicas < spec.minReplicas) {
    problems.push(problem('model/invalid-autoscaling', `${field}.maxReplicas`, `maxReplicas ${spec.maxReplicas} is below minReplicas ${spec.minReplicas}`, 'raise maxReplicas or lower minReplicas'));
  }
  for (const key of ['cpuUtilization', 'memoryUtilization'] as const) {
    const value = spec[key];
    if (value !== undefined && (value <= 0 || value > 100)) {
      problems.push(problem('model/invalid-autoscaling', `${field}.${key}`, `${key} ${value} is not a percentage in 1–100`, 'use a utilisation target such as 70'));
    }
  }
  return problems;
}

function checkEnvironment(fleet: FleetSpec, system: SystemSpec, environment: EnvironmentSpec): Problem[] {
  const place = (field: string, service?: string): Place => ({ environment: environment.name, service, field, definition: system.definition });
  const problems: Problem[] = [];
  const services = new Map(system.services.map((s) => [s.name, s]));
  for (const [name, override] of Object.entries(environment.services ?? {})) {
    const service = services.get(name);
    if (!service) {
      problems.push(error('model/unknown-service', place(`services.${name}`, name), `override for unknown service "${name}"`, `services of ${system.name}: ${[...services.keys()].join(', ')}`));
      continue;
    }
    const problem = (code: string, field: string, message: string, fix: string) => error(code, place(field, name), message, fix);
    problems.push(...checkResources(problem, `services.${name}.resources`, override.resources?.requests, 'requests'));
    problems.push(...checkResources(problem, `services.${name}.resources`, override.resources?.limits, 'limits'));
    if (override.autoscaling) problems.push(...checkAutoscaling(problem, `services.${name}.autoscaling`, override.autoscaling));
    problems.push(...checkServiceOverride(fleet, system, environment, service, override));
    if (override.tag !== undefined && !TAG.test(override.tag) && !DIGEST.test(override.tag)) {
      problems.push(problem('model/invalid-tag', `services.${name}.tag`, `"${override.tag}" is not an image tag or sha256 digest`, 'use a tag such as "1.4.2" or "1.4.3f9c2e1", or "sha256:<64 hex>"'));
    }
  }
  for (const service of system.services) {
    const namespace = namespaceOf(service, environment);
    if (!DNS_1123_LABEL.test(namespace)) {
      problems.push(error('model/invalid-namespace', place('namespace', service.name), `namespace "${namespace}" is not a DNS-1123 label`, 'use lower-case letters, digits and "-"'));
    }
  }
  return problems;
}

function clusterPlace(cluster: ClusterSpec, field: string): Place {
  return { cluster: cluster.name, environment: cluster.environment, field, definition: cluster.definition };
}

function checkCluster(fleet: FleetSpec, cluster: ClusterSpec): Problem[] {
  const problems: Problem[] = [];
  if (!DNS_1123_LABEL.test(cluster.name)) {
    problems.push(error('model/invalid-name', clusterPlace(cluster, 'name'), `cluster name "${cluster.name}" is not a DNS-1123 label`, 'use lower-case letters, digits and "-"'));
  }
  if (!/^1\.\d+$/.test(cluster.kubernetesVersion)) {
    problems.push(error('model/invalid-kubernetes-version', clusterPlace(cluster, 'kubernetesVersion'), `"${cluster.kubernetesVersion}" is not a Kubernetes minor version`, 'write it as "1.31"'));
  }
  if (cluster.ingress.controller === 'alb' && cluster.provider !== 'eks') {
    problems.push(error('model/alb-needs-eks', clusterPlace(cluster, 'ingress.controller'), 'the AWS Load Balancer Controller runs only on EKS', 'choose traefik or nginx, or set provider: "eks"'));
  }
  problems.push(...checkAlbGroup(cluster));
  const gateway = cluster.ingress.gateway;
  for (const [field, value] of [['name', gateway?.name], ['namespace', gateway?.namespace]] as const) {
    if (value !== undefined && !DNS_1123_LABEL.test(value)) {
      problems.push(error('model/invalid-name', clusterPlace(cluster, `ingress.gateway.${field}`), `Gateway ${field} "${value}" is not a DNS-1123 label`, 'use lower-case letters, digits and "-"'));
    }
  }
  for (const name of cluster.services) {
    const entry = fleetIndex(fleet).services.get(name);
    if (!entry) {
      problems.push(error('model/unknown-service', { ...clusterPlace(cluster, 'services'), service: name }, `cluster runs unknown service "${name}"`, 'define the service in a system under src/environments or remove it from the cluster'));
      continue;
    }
    const environment = environmentOf(entry.system, cluster.environment);
    if (!environment) {
      problems.push(error('model/unknown-environment', { ...clusterPlace(cluster, 'environment'), service: name }, `system ${entry.system.name} has no environment "${cluster.environment}" for service ${name}`, `add an environment named "${cluster.environment}" to ${entry.system.definition}`));
      continue;
    }
    if ((fleet.releases?.[cluster.environment]?.[name] ?? environment.services?.[name]?.tag ?? entry.service.tag) === undefined) {
      problems.push(error('model/missing-tag', { ...clusterPlace(cluster, 'tag'), service: name }, `no image version for ${name} in ${cluster.environment}`, `run \`npm run release -- ${cluster.environment} ${name} <tag>\` (adds it to ${RELEASE_LOCK_FILE}), or set a default "tag" on the service in ${entry.system.definition}`));
    }
    for (const callee of callsOf(entry.service, environment)) {
      if (fleetIndex(fleet).services.has(callee) && !cluster.services.includes(callee)) {
        problems.push(error('model/callee-not-on-cluster', { ...clusterPlace(cluster, 'services'), service: name }, `${name} calls ${callee}, which does not run on cluster ${cluster.name}`, `add "${callee}" to the cluster's services or remove it from ${name}.calls`));
      }
    }
  }
  problems.push(...checkApplyGroups(fleet, cluster));
  return problems;
}

/**
 * Every apps unit (a namespace's own, `apps-<ns>`, and each applyGroup, `apps-<ns>-<group>`)
 * becomes a directory and a Flux Kustomization whose name labels every object it applies: a
 * group must be a DNS label, neither `secrets` nor an ungrouped service's directory, and no two
 * units may share a name (namespace `a` with group `b-c` and namespace `a-b` with group `c`).
 */
function checkApplyGroups(fleet: FleetSpec, cluster: ClusterSpec): Problem[] {
  const placed = placementsOn(fleet, cluster);
  const serviceDirs = new Set(placed.filter((p) => p.group === undefined).map(({ entry, namespace }) => `${namespace}/${entry.service.name}`));
  // Unit name → the units (by description) that would carry it.
  const owners = new Map<string, Set<string>>();
  const describe = (namespace: string, group?: string) => (group ? `namespace ${namespace}, applyGroup ${group}` : `namespace ${namespace}`);
  for (const { namespace, group } of placed) {
    for (const unit of [{ namespace }, ...(group ? [{ namespace, group }] : [])] as { namespace: string; group?: string }[]) {
      const name = appsUnitName(unit);
      owners.set(name, (owners.get(name) ?? new Set()).add(describe(unit.namespace, unit.group)));
    }
  }
  const problems: Problem[] = [];
  const reported = new Set<string>();
  for (const { entry, namespace, group } of placed) {
    const place = { ...clusterPlace(cluster, group === undefined ? 'namespace' : 'applyGroup'), namespace, service: entry.service.name, definition: entry.system.definition };
    const name = appsUnitName({ namespace, group });
    if (name.length > MAX_APPS_UNIT_NAME && !reported.has(name)) {
      reported.add(name);
      problems.push(
        error('model/name-too-long', place, `Flux Kustomization ${name} is ${name.length} characters: kustomize-controller labels every object it applies with its name, and a label value has at most ${MAX_APPS_UNIT_NAME}`, `shorten the ${group === undefined ? 'namespace' : 'applyGroup'} by ${name.length - MAX_APPS_UNIT_NAME} characters`),
      );
    }
    if (group === undefined) continue;
    const others = [...(owners.get(name) ?? [])].filter((owner) => owner !== describe(namespace, group));
    if (!DNS_1123_LABEL.test(group)) {
      problems.push(error('model/invalid-apply-group', place, `applyGroup "${group}" is not a DNS-1123 label`, 'use lower-case letters, digits and "-", at most 63 characters'));
    } else if (group === 'secrets') {
      problems.push(error('model/invalid-apply-group', place, '"secrets" is reserved: it names the directory of each namespace\'s sealed or encrypted Secrets', 'choose another group name, e.g. "secrets-team"'));
    } else if (serviceDirs.has(`${namespace}/${group}`)) {
      problems.push(
        error('model/invalid-apply-group', place, `applyGroup "${group}" is also the name of a service in namespace ${namespace}: both would be clusters/${cluster.name}/apps/${namespace}/${group}/`, 'choose a group name that is not a service name of the namespace'),
      );
    } else if (others.length > 0) {
      problems.push(error('model/invalid-apply-group', place, `applyGroup "${group}" of namespace ${namespace} is Flux Kustomization ${name}, which is also the name of ${others.join(' and ')}`, 'choose a group name that does not repeat another namespace\'s name'));
    }
  }
  return problems;
}

function checkPipeline(fleet: FleetSpec): Problem[] {
  const known = new Set(fleet.systems.flatMap((s) => s.environments.map((e) => e.name)));
  return fleet.pipeline
    .filter((name) => !known.has(name))
    .map((name) => error('model/unknown-environment', { environment: name, field: 'pipeline' }, `pipeline names unknown environment "${name}"`, `known environments: ${[...known].sort().join(', ')}`));
}

/**
 * The release lock names only environments and services the fleet has, with valid versions: a
 * typo there would otherwise be ignored silently while the old version keeps running.
 */
function checkReleaseLock(fleet: FleetSpec): Problem[] {
  const problems: Problem[] = [];
  const environments = new Set(fleet.systems.flatMap((s) => s.environments.map((e) => e.name)));
  for (const [environment, services] of Object.entries(fleet.releases ?? {})) {
    const place = (service?: string): Place => ({ environment, service, field: service ? `${environment}.${service}` : environment, definition: RELEASE_LOCK_FILE });
    if (!environments.has(environment)) {
      problems.push(error('release/unknown-environment', place(), `the release lock names unknown environment "${environment}"`, `known environments: ${[...environments].sort().join(', ')}`));
      continue;
    }
    for (const [service, version] of Object.entries(services)) {
      const entry = fleet.systems.map((system) => ({ system, spec: system.services.find((s) => s.name === service) })).find((e) => e.spec);
      if (!entry) {
        const known = fleet.systems.flatMap((s) => s.services.map((x) => x.name)).sort();
        problems.push(error('release/unknown-service', place(service), `the release lock names unknown service "${service}"`, `remove the entry or use one of: ${known.join(', ')}`));
      } else if (!environmentOf(entry.system, environment)) {
        problems.push(error('release/unknown-environment', place(service), `system ${entry.system.name} has no environment "${environment}" for service ${service}`, `remove the entry, or add an environment named "${environment}" to ${entry.system.definition}`));
      }
      if (!isImageVersion(version)) {
        problems.push(error('release/invalid-version', place(service), `"${version}" is not an image tag or sha256 digest`, 'use a tag such as "1.4.2", "v1.0" or "1.4.3f9c2e1" (MAJOR.MINOR.<git sha>), or "sha256:<64 hex>"'));
      }
    }
  }
  return problems;
}
