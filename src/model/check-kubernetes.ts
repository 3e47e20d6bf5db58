import type { ClusterSpec } from './cluster';
import type { EnvironmentSpec } from './environment';
import type { FleetSpec, SystemSpec } from './fleet';
import {
  configMapKeyErrors,
  disallowedCapabilities,
  imageNameErrors,
  labelValueErrors,
  mountPathErrors,
  normalizeMountPath,
  qualifiedNameErrors,
  RESTRICTED_CAPABILITIES,
  BASELINE_CAPABILITIES,
} from './kubernetes-rules';
import { placementsOn } from './placement';
import { namespacePodSecurity, PLATFORM_NAMESPACES } from './pod-security';
import { error, type Place, type Problem } from './problem';
import { namespaceOf } from './resolve';
import type { EnvValue, ServiceSpec } from './service';

/**
 * What the API server, the kubelet or Pod Security admission would reject, checked on the model
 * before anything is rendered, so the problem names the service and field the user wrote rather
 * than a rendered object: image references, labels and annotation keys, ConfigMap and Secret
 * keys, mount paths, platform namespaces, capabilities the namespace's Pod Security level
 * forbids. The rules themselves are in kubernetes-rules.ts; ingress hosts in check-ingress-hosts.ts.
 */
export function checkKubernetesRules(fleet: FleetSpec): Problem[] {
  return [
    ...fleet.systems.flatMap((system) => [
      ...system.services.flatMap((service) => checkServiceValues(system, service)),
      ...system.environments.flatMap((environment) => checkEnvironmentValues(system, environment)),
    ]),
    ...fleet.clusters.flatMap((cluster) => checkPodSecurity(fleet, cluster)),
  ];
}

type Report = (code: string, field: string, message: string, fix: string) => Problem;

function reporter(system: SystemSpec, service: string, environment?: string): Report {
  return (code, field, message, fix) => error(code, { environment, service, field, definition: system.definition }, message, fix);
}

/** `"a", "b"`: the reasons a value is rejected, joined for one message. */
function reasons(errors: readonly string[]): string {
  return errors.join('; ');
}

function checkServiceValues(system: SystemSpec, service: ServiceSpec): Problem[] {
  const report = reporter(system, service.name);
  const problems: Problem[] = [];
  // An image with a tag is model/image-with-tag; everything else must be a repository name.
  const imageErrors = /[:@]/.test(service.image.split('/').pop() ?? '') && service.image.trim() !== '' ? [] : imageNameErrors(service.image);
  if (imageErrors.length > 0) {
    problems.push(report('model/invalid-image', 'image', `image ${JSON.stringify(service.image)} ${reasons(imageErrors)}; the kubelet refuses to pull it (InvalidImageName)`, 'write the repository as the registry shows it, lower case, e.g. "ghcr.io/team/flights"'));
  }
  problems.push(...checkLabels(report, 'labels', service.labels ?? {}));
  for (const key of Object.keys(service.annotations ?? {})) {
    const errors = qualifiedNameErrors(key);
    if (errors.length > 0) problems.push(report('model/invalid-annotation-key', `annotations.${key}`, `annotation key ${JSON.stringify(key)} ${reasons(errors)}`, 'use a key like "example.com/owner": an optional DNS prefix, "/", then letters, digits, "-", "_", "."'));
  }
  problems.push(...checkDataKeys(report, 'config', service.config ?? {}, 'ConfigMap'));
  problems.push(...checkEnvKeys(report, 'env', service.env ?? {}));
  if (service.configFiles) problems.push(...checkDataKeys(report, 'configFiles.files', service.configFiles.files, 'ConfigMap'));
  (service.secretFiles ?? []).forEach((files, i) => {
    for (const key of files.keys ?? []) {
      const errors = configMapKeyErrors(key);
      if (errors.length > 0) problems.push(report('model/invalid-key', `secretFiles[${i}].keys`, `Secret key ${JSON.stringify(key)} ${reasons(errors)}`, 'name a key the secret has; Secret keys are letters, digits, "-", "_" and "." (not "." or "..")'));
    }
  });
  problems.push(...checkMountPaths(report, service));
  return problems;
}

function checkLabels(report: Report, prefix: string, labels: Readonly<Record<string, string>>): Problem[] {
  const problems: Problem[] = [];
  for (const [key, value] of Object.entries(labels)) {
    const keyErrors = qualifiedNameErrors(key);
    if (keyErrors.length > 0) problems.push(report('model/invalid-label', `${prefix}.${key}`, `label key ${JSON.stringify(key)} ${reasons(keyErrors)}`, 'use a key like "team" or "example.com/team"'));
    const valueErrors = typeof value === 'string' ? labelValueErrors(value) : ['must be a string'];
    if (valueErrors.length > 0) {
      problems.push(report('model/invalid-label', `${prefix}.${key}`, `label value ${JSON.stringify(value)} ${reasons(valueErrors)}`, 'shorten it to at most 63 letters, digits, "-", "_" and "."; free text belongs in "annotations"'));
    }
  }
  return problems;
}

function checkDataKeys(report: Report, prefix: string, data: Readonly<Record<string, string>>, kind: string): Problem[] {
  return Object.keys(data).flatMap((key) => {
    const errors = configMapKeyErrors(key);
    return errors.length === 0 ? [] : [report('model/invalid-key', `${prefix}.${key}`, `${kind} key ${JSON.stringify(key)} ${reasons(errors)}`, `rename it with letters, digits, "-", "_" and "." only (a ${kind} key is also a file name when mounted: no "/", not "." or "..")`)];
  });
}

function checkEnvKeys(report: Report, prefix: string, env: Readonly<Record<string, EnvValue>>): Problem[] {
  return Object.entries(env).flatMap(([name, value]) => {
    // A service address is rendered from the model (service-address.ts); it reads no key.
    if (typeof value !== 'object' || 'serviceAddress' in value) return [];
    const key = 'configMap' in value ? value.configMap.key : value.secret.key;
    const errors = configMapKeyErrors(key);
    return errors.length === 0 ? [] : [report('model/invalid-key', `${prefix}.${name}`, `env ${name} reads key ${JSON.stringify(key)}, which ${reasons(errors)}`, 'read a key with letters, digits, "-", "_" and "." only')];
  });
}

/**
 * Every volume mount the service's container gets (the `/tmp` scratch directory, config files,
 * secret files, its `volumeMounts`) is a valid, distinct mount point: the API server rejects a repeated mountPath,
 * runtimes refuse `/` and relative destinations.
 */
function checkMountPaths(report: Report, service: ServiceSpec): Problem[] {
  const mounts: { field: string; path: string }[] = [];
  if (!service.security?.allowWritableRootFilesystem) mounts.push({ field: 'security.allowWritableRootFilesystem', path: '/tmp' });
  if (service.configFiles) mounts.push({ field: 'configFiles.mountPath', path: service.configFiles.mountPath });
  (service.secretFiles ?? []).forEach((files, i) => mounts.push({ field: `secretFiles[${i}].mountPath`, path: files.mountPath }));
  (service.volumeMounts ?? []).forEach((mount, i) => mounts.push({ field: `volumeMounts[${i}].mountPath`, path: mount.mountPath }));
  const problems: Problem[] = [];
  const seen = new Map<string, string>();
  for (const { field, path } of mounts) {
    const errors = mountPathErrors(path);
    if (errors.length > 0) {
      problems.push(report('model/invalid-mount-path', field, `mount path ${JSON.stringify(path)} ${reasons(errors)}`, 'mount into a directory of its own, e.g. "/etc/<service>/config"'));
      continue;
    }
    const normalized = normalizeMountPath(path);
    const other = seen.get(normalized);
    if (other !== undefined) {
      const scratch = other === 'security.allowWritableRootFilesystem' ? ' (the read-only root filesystem\'s scratch directory /tmp)' : ` (${other})`;
      problems.push(report('model/duplicate-mount-path', field, `mount path ${JSON.stringify(path)} is already used${scratch}; the API server rejects a container whose mountPaths repeat`, 'give each mount its own directory'));
    }
    seen.set(normalized, field);
  }
  return problems;
}

function checkEnvironmentValues(system: SystemSpec, environment: EnvironmentSpec): Problem[] {
  const problems: Problem[] = [];
  for (const [name, override] of Object.entries(environment.services ?? {})) {
    const report = reporter(system, name, environment.name);
    problems.push(...checkDataKeys(report, `services.${name}.config`, override.config ?? {}, 'ConfigMap'));
    problems.push(...checkEnvKeys(report, `services.${name}.env`, override.env ?? {}));
  }
  for (const service of system.services) {
    const namespace = namespaceOf(service, environment);
    if (!PLATFORM_NAMESPACES.includes(namespace)) continue;
    const declared = environment.services?.[service.name]?.namespace !== undefined ? `services.${service.name}.namespace` : service.namespace !== undefined ? 'namespace (of the service)' : environment.namespace !== undefined ? 'namespace (of the environment)' : 'namespace (not set: the default is "default")';
    problems.push(
      error(
        'model/platform-namespace',
        { environment: environment.name, service: service.name, field: declared, definition: system.definition },
        `${service.name} would run in namespace "${namespace}", which the cluster itself (or flux bootstrap) owns: synth would render that Namespace and Flux would prune-own it`,
        `set the environment's "namespace" (or the service's) to an application namespace of its own, e.g. "${system.name}"`,
      ),
    );
  }
  return problems;
}

/**
 * Relaxations cannot buy what the namespace's Pod Security admission rejects: a reason on
 * `addCapabilities` or `allowRunAsRoot` is documentation for reviewers, not an exemption.
 * @see https://kubernetes.io/docs/concepts/security/pod-security-standards/
 */
function checkPodSecurity(fleet: FleetSpec, cluster: ClusterSpec): Problem[] {
  return placementsOn(fleet, cluster).flatMap(({ entry, namespace }) => {
    const security = entry.service.security ?? {};
    const level = namespacePodSecurity(fleet, cluster, namespace);
    const place = (field: string): Place => ({ cluster: cluster.name, environment: cluster.environment, namespace, service: entry.service.name, field, definition: entry.system.definition });
    const problems: Problem[] = [];
    const rejected = disallowedCapabilities(level, security.addCapabilities?.capabilities ?? []);
    if (rejected.length > 0) {
      const allowed = level === 'restricted' ? RESTRICTED_CAPABILITIES : BASELINE_CAPABILITIES;
      problems.push(
        error(
          'model/pod-security-violation',
          place('security.addCapabilities'),
          `namespace ${namespace} enforces Pod Security "${level}", whose admission rejects pods adding ${rejected.join(', ')} (it allows ${allowed.join(', ')}); the reason given does not change that`,
          `drop ${rejected.join(', ')}, or give the namespace a level that allows it with namespaces.${namespace}.podSecurity in the ${cluster.environment} environment (reviewed like any privilege)`,
        ),
      );
    }
    if (security.allowRunAsRoot && level === 'restricted') {
      problems.push(
        error(
          'model/pod-security-violation',
          place('security.allowRunAsRoot'),
          `namespace ${namespace} enforces Pod Security "restricted", whose admission rejects pods without runAsNonRoot: true; allowRunAsRoot cannot run there`,
          `run the image as a non-root user, or set namespaces.${namespace}.podSecurity: 'baseline' in the ${cluster.environment} environment`,
        ),
      );
    }
    return problems;
  });
}
