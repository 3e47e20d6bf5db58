import { checkProbe, checkResources, DNS_1123_LABEL, DNS_LABEL, ENV_NAME, serviceCheck, type ServiceProblem } from './check-model';
import type { ContainerSpec } from './container';
import type { EnvironmentSpec, ServiceOverride } from './environment';
import type { FleetSpec, SystemSpec } from './fleet';
import { fleetIndex } from './fleet-index';
import { error, type Problem } from './problem';
import { findPort, isServiceAddress } from './service-address';
import type { AdditionalServiceSpec } from './service-exposure';
import type { EnvValue, PortSpec, ServiceSpec } from './service';
import { GENERATED_VOLUME_NAMES, GENERATED_VOLUME_PREFIX, type VolumeMountSpec } from './volume';

/**
 * Checks of the pod-level model: service addresses in env, pod labels and selector, pod user,
 * init containers and sidecars, volumes and mounts, ServiceAccount choice and additional
 * Services. Each names the field and what to write instead, like the rest of check-model.
 */
export function checkWorkload(fleet: FleetSpec, system: SystemSpec, service: ServiceSpec): Problem[] {
  const problem = serviceCheck(system, service.name);
  const ports = service.ports ?? [];
  return [
    ...checkEnv(fleet, problem, service, 'env', service.env),
    ...checkPodMetadata(problem, service, 'podLabels', service.podLabels),
    ...checkSelector(problem, service),
    ...checkPodSecurity(problem, service),
    ...checkGracePeriod(problem, 'terminationGracePeriodSeconds', service.terminationGracePeriodSeconds),
    ...checkVolumes(problem, service),
    // The main container's mount paths are check-kubernetes' (with /tmp, config and secret files).
    ...checkMounts(problem, service, 'volumeMounts', service.volumeMounts, false),
    ...checkInitContainers(fleet, problem, service),
    ...checkServiceAccount(problem, service),
    ...checkAdditionalServices(fleet, problem, service, 'additionalServices', service.additionalServices, ports),
  ];
}

/** The parts of an environment's override that refer to the service's own model. */
export function checkServiceOverride(fleet: FleetSpec, system: SystemSpec, environment: EnvironmentSpec, service: ServiceSpec, override: ServiceOverride): Problem[] {
  const problem = (code: string, field: string, message: string, fix: string): Problem =>
    error(code, { environment: environment.name, service: service.name, field: `services.${service.name}.${field}`, definition: system.definition }, message, fix);
  return [
    ...checkEnv(fleet, problem, service, 'env', override.env),
    ...checkPodMetadata(problem, service, 'podLabels', override.podLabels),
    ...checkGracePeriod(problem, 'terminationGracePeriodSeconds', override.terminationGracePeriodSeconds),
    ...checkAdditionalServices(fleet, problem, service, 'additionalServices', override.additionalServices, service.ports ?? []),
    ...(service.serviceAccount === false && override.serviceAccount
      ? [problem('model/identity-without-account', 'serviceAccount', `${service.name} has no ServiceAccount of its own (serviceAccount: false), so this override has nowhere to go`, 'remove the override, or give the service an account (serviceAccount: {})')]
      : []),
  ];
}

function checkEnv(fleet: FleetSpec, problem: ServiceProblem, service: ServiceSpec, field: string, env: Readonly<Record<string, EnvValue>> | undefined): Problem[] {
  const problems: Problem[] = [];
  const known = fleetIndex(fleet).services;
  for (const [name, value] of Object.entries(env ?? {})) {
    if (!isServiceAddress(value)) continue;
    const ref = value.serviceAddress;
    const place = `${field}.${name}.serviceAddress`;
    const callee = known.get(ref.service)?.service;
    if (ref.service === service.name) {
      problems.push(problem('model/calls-itself', `${place}.service`, `env ${name} refers to the service's own address`, 'use localhost, or refer to another service'));
    } else if (!callee) {
      problems.push(problem('model/unknown-service', `${place}.service`, `env ${name} refers to unknown service "${ref.service}"`, `define "${ref.service}" or refer to one of: ${[...known.keys()].sort().join(', ')}`));
    } else if (!findPort(callee.ports ?? [], ref.port)) {
      const offered = (callee.ports ?? []).map((p) => p.name ?? p.port).join(', ');
      problems.push(
        ref.port === undefined
          ? problem('model/service-without-ports', `${place}.service`, `env ${name} refers to ${ref.service}, which declares no ports`, `declare the port ${ref.service} listens on, or remove the reference`)
          : problem('model/unknown-port', `${place}.port`, `env ${name} refers to port ${JSON.stringify(ref.port)} of ${ref.service}, which it does not declare`, `use one of: ${offered}`),
      );
    }
  }
  return problems;
}

/** Pod labels may add labels, never redefine one the workload, Services or NetworkPolicies select on. */
function checkPodMetadata(problem: ServiceProblem, service: ServiceSpec, field: string, labels: Readonly<Record<string, string>> | undefined): Problem[] {
  const selector = { 'app.kubernetes.io/name': service.name, ...service.existingSelector };
  return Object.entries(labels ?? {})
    .filter(([key, value]) => key in selector && selector[key as keyof typeof selector] !== value)
    .map(([key]) =>
      problem('model/pod-label-overrides-selector', `${field}.${key}`, `pod label ${key} would change a selector label (${key}: ${selector[key as keyof typeof selector]})`, `remove ${key} from ${field}; an adopted Deployment's selector goes in existingSelector`),
    );
}

const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

function checkSelector(problem: ServiceProblem, service: ServiceSpec): Problem[] {
  if (!service.existingSelector) return [];
  const entries = Object.entries(service.existingSelector);
  if (entries.length === 0) return [problem('model/invalid-selector', 'existingSelector', 'existingSelector is empty: it would select every pod of the namespace', "write the adopted Deployment's spec.selector.matchLabels, e.g. { app: 'frontend' }, or remove existingSelector")];
  return entries
    .filter(([, value]) => value.length > 63 || !LABEL_VALUE.test(value))
    .map(([key, value]) => problem('model/invalid-selector', `existingSelector.${key}`, `"${value}" is not a label value`, 'use at most 63 letters, digits, "-", "_" and ".", starting and ending with a letter or digit'));
}

function checkPodSecurity(problem: ServiceProblem, service: ServiceSpec): Problem[] {
  const problems: Problem[] = [];
  for (const [key, value] of Object.entries(service.podSecurityContext ?? {})) {
    if (!Number.isInteger(value) || value < 0) {
      problems.push(problem('model/invalid-security-context', `podSecurityContext.${key}`, `${key} ${value} is not a user or group id`, 'use a whole number ≥ 0, e.g. 1000'));
    } else if (value === 0 && key !== 'fsGroup' && !service.security?.allowRunAsRoot) {
      problems.push(problem('model/root-without-reason', `podSecurityContext.${key}`, `${key} 0 runs the pod as root`, 'use a non-zero id, or set security.allowRunAsRoot with the reason'));
    }
  }
  return problems;
}

function checkGracePeriod(problem: ServiceProblem, field: string, seconds: number | undefined): Problem[] {
  if (seconds === undefined || (Number.isInteger(seconds) && seconds >= 0)) return [];
  return [problem('model/invalid-grace-period', field, `terminationGracePeriodSeconds ${seconds} is not a whole number ≥ 0`, 'use seconds, e.g. 30 (Kubernetes’ default) or 5')];
}

function checkVolumes(problem: ServiceProblem, service: ServiceSpec): Problem[] {
  return Object.keys(service.volumes ?? {}).flatMap((name) => {
    if (!DNS_1123_LABEL.test(name)) return [problem('model/invalid-volume', `volumes.${name}`, `volume name "${name}" is not a DNS-1123 label`, 'use lower-case letters, digits and "-"')];
    if (GENERATED_VOLUME_NAMES.includes(name) || name.startsWith(GENERATED_VOLUME_PREFIX)) {
      return [problem('model/invalid-volume', `volumes.${name}`, `volume name "${name}" is the generator's (${GENERATED_VOLUME_NAMES.join(', ')}, ${GENERATED_VOLUME_PREFIX}*)`, 'choose another name')];
    }
    return [];
  });
}

function checkMounts(problem: ServiceProblem, service: ServiceSpec, field: string, mounts: readonly VolumeMountSpec[] | undefined, checkPaths = true): Problem[] {
  const problems: Problem[] = [];
  const paths = new Set<string>();
  (mounts ?? []).forEach((mount, i) => {
    if (!(mount.volume in (service.volumes ?? {}))) {
      problems.push(problem('model/unknown-volume', `${field}[${i}].volume`, `mount of unknown volume "${mount.volume}"`, `declare it in volumes, or use one of: ${Object.keys(service.volumes ?? {}).join(', ') || '(no volumes declared)'}`));
    }
    if (!checkPaths) return;
    if (!mount.mountPath.startsWith('/')) problems.push(problem('model/invalid-mount', `${field}[${i}].mountPath`, `mountPath "${mount.mountPath}" is not absolute`, 'start it with "/"'));
    if (paths.has(mount.mountPath)) problems.push(problem('model/invalid-mount', `${field}[${i}].mountPath`, `${mount.mountPath} is mounted twice in one container`, 'give each mount its own path'));
    paths.add(mount.mountPath);
  });
  return problems;
}

function checkInitContainers(fleet: FleetSpec, problem: ServiceProblem, service: ServiceSpec): Problem[] {
  const names = new Set([service.containerName ?? service.name]);
  return (service.initContainers ?? []).flatMap((container, i) => {
    const field = `initContainers[${i}]`;
    const problems = checkContainer(fleet, problem, service, field, container);
    if (names.has(container.name)) problems.push(problem('model/duplicate-container', `${field}.name`, `container name "${container.name}" is used twice in the pod`, 'give every container its own name'));
    names.add(container.name);
    return problems;
  });
}

function checkContainer(fleet: FleetSpec, problem: ServiceProblem, service: ServiceSpec, field: string, container: ContainerSpec): Problem[] {
  const problems: Problem[] = [];
  if (!DNS_1123_LABEL.test(container.name)) problems.push(problem('model/invalid-name', `${field}.name`, `container name "${container.name}" is not a DNS-1123 label`, 'use lower-case letters, digits and "-"'));
  // These images are pinned here, not by the release lock: a reference without tag or digest floats.
  if (!/[:@][^/]+$/.test(container.image)) {
    problems.push(problem('model/image-without-version', `${field}.image`, `image "${container.image}" has no tag or digest`, `pin it, e.g. "${container.image}:1.2.3" or "${container.image}@sha256:…"`));
  }
  for (const name of Object.keys(container.env ?? {})) {
    if (!ENV_NAME.test(name)) problems.push(problem('model/invalid-env-name', `${field}.env.${name}`, `"${name}" is not a valid environment variable name`, 'use letters, digits, "_", "-" and "."; do not start with a digit'));
  }
  problems.push(...checkEnv(fleet, problem, service, `${field}.env`, container.env));
  problems.push(...checkResources(problem, `${field}.resources`, container.resources?.requests, 'requests'));
  problems.push(...checkResources(problem, `${field}.resources`, container.resources?.limits, 'limits'));
  const probes = Object.entries(container.probes ?? {}).filter(([, probe]) => probe !== undefined);
  if (!container.sidecar && probes.length > 0) {
    problems.push(problem('model/probe-on-init-container', `${field}.probes`, `init container ${container.name} runs to completion; Kubernetes rejects probes on it`, 'remove the probes, or make it a sidecar (sidecar: true)'));
  }
  for (const [kind, probe] of probes) problems.push(...checkProbe(problem, { ports: container.ports as readonly PortSpec[] | undefined }, `${field}.probes.${kind}`, probe));
  problems.push(...checkMounts(problem, service, `${field}.volumeMounts`, container.volumeMounts));
  return problems;
}

function checkServiceAccount(problem: ServiceProblem, service: ServiceSpec): Problem[] {
  const account = service.serviceAccount;
  if (!account || account.create !== false) return [];
  const problems: Problem[] = [];
  if (account.awsRoleArn || account.gcpServiceAccount) {
    problems.push(problem('model/identity-without-account', 'serviceAccount', 'a cloud identity is set on an account this service does not render (create: false)', 'set the identity on the service that renders the account, or drop create: false'));
  }
  if (!account.name) problems.push(problem('model/identity-without-account', 'serviceAccount.name', 'create: false needs the name of the account to run as', 'set serviceAccount.name, or use serviceAccount: false for the namespace default'));
  return problems;
}

function checkAdditionalServices(fleet: FleetSpec, problem: ServiceProblem, service: ServiceSpec, field: string, specs: readonly AdditionalServiceSpec[] | undefined, ports: readonly PortSpec[]): Problem[] {
  const problems: Problem[] = [];
  const names = new Set([service.name]);
  const serviceNames = fleetIndex(fleet).services;
  (specs ?? []).forEach((spec, i) => {
    const place = `${field}[${i}]`;
    if (!DNS_LABEL.test(spec.name)) problems.push(problem('model/invalid-name', `${place}.name`, `"${spec.name}" is not a DNS-1035 label`, 'use lower-case letters, digits and "-", starting with a letter'));
    if (names.has(spec.name) || serviceNames.has(spec.name)) {
      problems.push(problem('model/duplicate-service-object', `${place}.name`, `Service name "${spec.name}" is already the name of a Service (this service's or another's)`, 'choose another name, e.g. "<service>-external"'));
    }
    names.add(spec.name);
    if (ports.length === 0) problems.push(problem('model/service-without-ports', place, `${service.name} declares no ports to publish`, 'declare ports first'));
    (spec.ports ?? []).forEach((exposure, j) => {
      if (!findPort(ports, exposure.port)) {
        problems.push(problem('model/unknown-port', `${place}.ports[${j}].port`, `port ${JSON.stringify(exposure.port)} is not declared`, `use one of: ${ports.map((p) => p.name ?? p.port).join(', ')}`));
      }
      const type = spec.type ?? 'ClusterIP';
      if (exposure.nodePort !== undefined && type !== 'NodePort' && type !== 'LoadBalancer') {
        problems.push(problem('model/invalid-node-port', `${place}.ports[${j}].nodePort`, `a ${type} Service has no node ports`, 'remove nodePort, or use type NodePort or LoadBalancer'));
      }
    });
  });
  return problems;
}
