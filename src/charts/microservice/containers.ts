import { k8s } from 'cdk8s-plus-27';
import type { ContainerPortRef, ProbeSpec } from '../../model/probe';
import type { ResolvedContainer, ResolvedEnvValue, ResolvedPort, ResolvedService } from '../../model/resolve';
import type { ResourcesSpec, SecurityRelaxations } from '../../model/service';
import type { VolumeMountSpec } from '../../model/volume';
import { isReadOnlyVolume } from '../../model/volume';
import { configMapName, imageReference, secretVolumeName } from './pod-names';

/**
 * The containers of a service's pod: the main container, then init containers and native
 * sidecars. Every one gets the same secure defaults (non-root, read-only root filesystem, no
 * privilege escalation, all capabilities dropped) unless it relaxes one with a reason.
 */

export function mainContainer(service: ResolvedService): k8s.Container {
  const readOnlyRoot = !service.security.allowWritableRootFilesystem;
  const mounts: k8s.VolumeMount[] = [];
  // A read-only root filesystem still needs a scratch directory for most runtimes (JVM, Node).
  if (readOnlyRoot) mounts.push({ name: 'tmp', mountPath: '/tmp' });
  if (service.configFiles) mounts.push({ name: 'files', mountPath: service.configFiles.mountPath, readOnly: true });
  for (const files of service.secretFiles) mounts.push({ name: secretVolumeName(files.secret), mountPath: files.mountPath, readOnly: true });
  mounts.push(...volumeMounts(service, service.volumeMounts));
  return {
    name: service.containerName,
    image: imageReference(service),
    command: service.command ? [...service.command] : undefined,
    args: service.args ? [...service.args] : undefined,
    ports: service.ports.length > 0 ? service.ports.map((port) => ({ name: port.name, containerPort: port.port, protocol: 'TCP' })) : undefined,
    env: envVars(service.env),
    envFrom: Object.keys(service.config).length > 0 ? [{ configMapRef: { name: configMapName(service.name) } }] : undefined,
    resources: resources(service.resources),
    startupProbe: probe(service.ports, service.probes.startup),
    readinessProbe: probe(service.ports, service.probes.readiness),
    livenessProbe: probe(service.ports, service.probes.liveness),
    securityContext: securityContext(service.security, readOnlyRoot),
    volumeMounts: mounts.length > 0 ? mounts : undefined,
  };
}

/**
 * An init container or native sidecar. A sidecar's `restartPolicy: Always` is not in the 1.27
 * types cdk8s-plus-27 serialises with (it would be dropped): podTemplatePatches adds it.
 */
export function extraContainer(service: ResolvedService, container: ResolvedContainer): k8s.Container {
  const readOnlyRoot = !container.security.allowWritableRootFilesystem;
  const mounts = volumeMounts(service, container.volumeMounts);
  const ports = container.ports.map((port) => ({ name: port.name, port: port.port, servicePort: port.port, protocol: 'tcp' as const }));
  return {
    name: container.name,
    image: container.image,
    command: container.command ? [...container.command] : undefined,
    args: container.args ? [...container.args] : undefined,
    ports: ports.length > 0 ? ports.map((port) => ({ name: port.name, containerPort: port.port, protocol: 'TCP' })) : undefined,
    env: envVars(container.env),
    resources: resources(container.resources),
    startupProbe: probe(ports, container.probes.startup),
    readinessProbe: probe(ports, container.probes.readiness),
    livenessProbe: probe(ports, container.probes.liveness),
    securityContext: securityContext(container.security, readOnlyRoot),
    volumeMounts: mounts.length > 0 ? mounts : undefined,
  };
}

function securityContext(security: SecurityRelaxations, readOnlyRoot: boolean): k8s.SecurityContext {
  return {
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: readOnlyRoot,
    runAsNonRoot: security.allowRunAsRoot ? undefined : true,
    capabilities: { drop: ['ALL'], add: security.addCapabilities ? [...security.addCapabilities.capabilities] : undefined },
  };
}

function volumeMounts(service: ResolvedService, mounts: readonly VolumeMountSpec[]): k8s.VolumeMount[] {
  return mounts.map((mount) => {
    const volume = service.volumes[mount.volume];
    const readOnly = mount.readOnly ?? (volume !== undefined && isReadOnlyVolume(volume));
    return { name: mount.volume, mountPath: mount.mountPath, subPath: mount.subPath, readOnly: readOnly ? true : undefined };
  });
}

function envVars(env: readonly (readonly [string, ResolvedEnvValue])[]): k8s.EnvVar[] | undefined {
  return env.length > 0 ? env.map(([name, value]) => envVar(name, value)) : undefined;
}

function envVar(name: string, value: ResolvedEnvValue): k8s.EnvVar {
  if (typeof value === 'string') return { name, value };
  if ('configMap' in value) return { name, valueFrom: { configMapKeyRef: { name: value.configMap.name, key: value.configMap.key } } };
  return { name, valueFrom: { secretKeyRef: { name: value.secret.name, key: value.secret.key } } };
}

function resources(spec: ResourcesSpec): k8s.ResourceRequirements {
  return { requests: quantities(spec.requests), limits: quantities(spec.limits) };
}

function quantities(amounts?: { cpu?: string; memory?: string }): Record<string, k8s.Quantity> | undefined {
  if (!amounts) return undefined;
  const result: Record<string, k8s.Quantity> = {};
  if (amounts.cpu !== undefined) result.cpu = k8s.Quantity.fromString(amounts.cpu);
  if (amounts.memory !== undefined) result.memory = k8s.Quantity.fromString(amounts.memory);
  return Object.keys(result).length > 0 ? result : undefined;
}

/** A probe of a container whose ports are `ports` (the first is the default port). */
export function probe(ports: readonly ResolvedPort[], spec?: ProbeSpec): k8s.Probe | undefined {
  if (!spec) return undefined;
  const mainPort: ContainerPortRef = ports[0]?.name ?? ports[0]?.port ?? 'http';
  const port = (ref: ContainerPortRef | undefined) => intOrString(ref ?? mainPort);
  const headers = spec.http?.headers ? Object.entries(spec.http.headers).map(([name, value]) => ({ name, value })) : undefined;
  return {
    httpGet: spec.http ? { path: spec.http.path, port: port(spec.http.port), scheme: spec.http.scheme, httpHeaders: headers } : undefined,
    // gRPC probes take a port number only, not a name.
    grpc: spec.grpc ? { port: portNumber(ports, spec.grpc.port ?? mainPort), service: spec.grpc.service } : undefined,
    tcpSocket: spec.tcp ? { port: port(spec.tcp.port) } : undefined,
    exec: spec.exec ? { command: [...spec.exec.command] } : undefined,
    periodSeconds: spec.periodSeconds,
    initialDelaySeconds: spec.initialDelaySeconds,
    failureThreshold: spec.failureThreshold,
    timeoutSeconds: spec.timeoutSeconds,
  };
}

function intOrString(ref: ContainerPortRef): k8s.IntOrString {
  return typeof ref === 'number' ? k8s.IntOrString.fromNumber(ref) : k8s.IntOrString.fromString(ref);
}

function portNumber(ports: readonly ResolvedPort[], ref: ContainerPortRef): number {
  if (typeof ref === 'number') return ref;
  return ports.find((port) => port.name === ref)?.port ?? 0;
}
