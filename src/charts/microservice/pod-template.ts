import { createHash } from 'node:crypto';
import { k8s } from 'cdk8s-plus-27';
import type { ResolvedService } from '../../model/resolve';
import type { ProbeSpec } from '../../model/service';
import { CONFIG_HASH_ANNOTATION, selectorLabels } from '../labels';
import type { ClusterContext } from './cluster-context';

/**
 * Pure functions from a ResolvedService to the pod template of its workload. Kept apart from
 * the Deployment construct so that Argo Rollouts (or any other workload kind) reuses the same pod.
 */

/** Non-root UID used when the image does not choose one; high enough not to clash with host users. */
export const DEFAULT_UID = 10001;

export function configMapName(service: string): string {
  return `${service}-config`;
}

export function filesConfigMapName(service: string): string {
  return `${service}-files`;
}

export function imageReference(service: ResolvedService): string {
  if (!service.version) return service.image;
  return service.version.startsWith('sha256:') ? `${service.image}@${service.version}` : `${service.image}:${service.version}`;
}

export function podTemplate(service: ResolvedService, cluster?: ClusterContext): k8s.PodTemplateSpec {
  const volumes = podVolumes(service);
  return {
    metadata: {
      labels: { ...selectorLabels(service.name), ...meshPodLabels(cluster) },
      annotations: sortedRecord({ ...meshPodAnnotations(cluster), ...metricsScrapeAnnotations(service, cluster), ...configHashAnnotation(service), ...relaxationAnnotations(service) }),
    },
    spec: {
      serviceAccountName: service.serviceAccount.name,
      // Tokens are mounted only for workloads that talk to the API server; cloud identity
      // (IRSA, Workload Identity) uses its own projected token or metadata server.
      automountServiceAccountToken: false,
      securityContext: {
        runAsNonRoot: service.security.allowRunAsRoot ? undefined : true,
        runAsUser: service.security.allowRunAsRoot ? undefined : DEFAULT_UID,
        runAsGroup: service.security.allowRunAsRoot ? undefined : DEFAULT_UID,
        fsGroup: service.security.allowRunAsRoot ? undefined : DEFAULT_UID,
        seccompProfile: { type: 'RuntimeDefault' },
      },
      imagePullSecrets: service.imagePullSecrets.length > 0 ? service.imagePullSecrets.map((name) => ({ name })) : undefined,
      containers: [mainContainer(service)],
      volumes: volumes.length > 0 ? volumes : undefined,
    },
  };
}

/**
 * Flagger's kubernetes and gatewayapi providers analyse the application's own
 * `http_request_duration_seconds` metrics (fluxcd/flagger v1.44.0 pkg/metrics/observers/http.go):
 * the pods must be scraped, which the Prometheus chart's `kubernetes-pods` job does for pods
 * annotated `prometheus.io/scrape` (on the canary's service port).
 */
function metricsScrapeAnnotations(service: ResolvedService, cluster?: ClusterContext): Record<string, string> {
  const progressive = cluster?.progressive;
  if (!service.canary || progressive?.engine !== 'flagger' || !appMetricsProvider(progressive.provider)) return {};
  const port = service.ports.find((p) => p.name === service.ingress?.port) ?? service.ports[0];
  return port ? { 'prometheus.io/scrape': 'true', 'prometheus.io/port': String(port.port) } : {};
}

/** Providers whose built-in analysis reads the application's own metrics rather than a proxy's. */
export function appMetricsProvider(provider: string | undefined): boolean {
  return provider === 'kubernetes' || provider === 'gatewayapi';
}

function meshPodLabels(cluster?: ClusterContext): Record<string, string> {
  // Namespace labels turn injection on; the pod label makes it explicit for reviewers and
  // survives a namespace created by someone else.
  return cluster?.mesh === 'istio' ? { 'sidecar.istio.io/inject': 'true' } : {};
}

function meshPodAnnotations(cluster?: ClusterContext): Record<string, string> {
  return cluster?.mesh === 'linkerd' ? { 'linkerd.io/inject': 'enabled' } : {};
}

function configHashAnnotation(service: ResolvedService): Record<string, string> {
  const config = { config: service.config, files: service.configFiles?.files ?? {} };
  if (Object.keys(config.config).length === 0 && Object.keys(config.files).length === 0) return {};
  const digest = createHash('sha256').update(stableJson(config)).digest('hex').slice(0, 16);
  return { [CONFIG_HASH_ANNOTATION]: digest };
}

function relaxationAnnotations(service: ResolvedService): Record<string, string> {
  const reasons: Record<string, string> = {};
  const { security } = service;
  if (security.allowRunAsRoot) reasons['fleet.gitops.dev/allow-run-as-root'] = security.allowRunAsRoot;
  if (security.allowWritableRootFilesystem) reasons['fleet.gitops.dev/allow-writable-root-filesystem'] = security.allowWritableRootFilesystem;
  if (security.addCapabilities) reasons['fleet.gitops.dev/add-capabilities'] = security.addCapabilities.reason;
  return reasons;
}

function mainContainer(service: ResolvedService): k8s.Container {
  const readOnlyRoot = !service.security.allowWritableRootFilesystem;
  const mounts: k8s.VolumeMount[] = [];
  // A read-only root filesystem still needs a scratch directory for most runtimes (JVM, Node).
  if (readOnlyRoot) mounts.push({ name: 'tmp', mountPath: '/tmp' });
  if (service.configFiles) mounts.push({ name: 'files', mountPath: service.configFiles.mountPath, readOnly: true });
  for (const files of service.secretFiles) mounts.push({ name: secretVolumeName(files.secret), mountPath: files.mountPath, readOnly: true });
  return {
    name: service.name,
    image: imageReference(service),
    command: service.command ? [...service.command] : undefined,
    args: service.args ? [...service.args] : undefined,
    ports: service.ports.length > 0 ? service.ports.map((port) => ({ name: port.name, containerPort: port.port, protocol: 'TCP' })) : undefined,
    env: service.env.length > 0 ? service.env.map(([name, value]) => envVar(name, value)) : undefined,
    envFrom: Object.keys(service.config).length > 0 ? [{ configMapRef: { name: configMapName(service.name) } }] : undefined,
    resources: {
      requests: quantities(service.resources.requests),
      limits: quantities(service.resources.limits),
    },
    startupProbe: probe(service, service.probes.startup),
    readinessProbe: probe(service, service.probes.readiness),
    livenessProbe: probe(service, service.probes.liveness),
    securityContext: {
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: readOnlyRoot,
      runAsNonRoot: service.security.allowRunAsRoot ? undefined : true,
      capabilities: { drop: ['ALL'], add: service.security.addCapabilities ? [...service.security.addCapabilities.capabilities] : undefined },
    },
    volumeMounts: mounts.length > 0 ? mounts : undefined,
  };
}

function podVolumes(service: ResolvedService): k8s.Volume[] {
  const volumes: k8s.Volume[] = [];
  if (service.configFiles) volumes.push({ name: 'files', configMap: { name: filesConfigMapName(service.name) } });
  if (!service.security.allowWritableRootFilesystem) volumes.push({ name: 'tmp', emptyDir: {} });
  for (const files of service.secretFiles) {
    const items = files.keys?.map((key) => ({ key, path: key }));
    volumes.push({ name: secretVolumeName(files.secret), secret: { secretName: files.secret, items } });
  }
  return volumes;
}

/** Volume of a Secret mounted as files (`secretFiles`). */
export function secretVolumeName(secret: string): string {
  return `secret-${secret}`;
}

function envVar(name: string, value: ResolvedService['env'][number][1]): k8s.EnvVar {
  if (typeof value === 'string') return { name, value };
  if ('configMap' in value) return { name, valueFrom: { configMapKeyRef: { name: value.configMap.name, key: value.configMap.key } } };
  return { name, valueFrom: { secretKeyRef: { name: value.secret.name, key: value.secret.key } } };
}

function quantities(amounts?: { cpu?: string; memory?: string }): Record<string, k8s.Quantity> | undefined {
  if (!amounts) return undefined;
  const result: Record<string, k8s.Quantity> = {};
  if (amounts.cpu !== undefined) result.cpu = k8s.Quantity.fromString(amounts.cpu);
  if (amounts.memory !== undefined) result.memory = k8s.Quantity.fromString(amounts.memory);
  return Object.keys(result).length > 0 ? result : undefined;
}

function probe(service: ResolvedService, spec?: ProbeSpec): k8s.Probe | undefined {
  if (!spec) return undefined;
  const mainPort = service.ports[0]?.name ?? 'http';
  return {
    httpGet: spec.http ? { path: spec.http.path, port: k8s.IntOrString.fromString(spec.http.port ?? mainPort) } : undefined,
    // gRPC probes take a port number only, not a name.
    grpc: spec.grpc ? { port: portNumber(service, spec.grpc.port ?? mainPort), service: spec.grpc.service } : undefined,
    tcpSocket: spec.tcp ? { port: k8s.IntOrString.fromString(spec.tcp.port ?? mainPort) } : undefined,
    exec: spec.exec ? { command: [...spec.exec.command] } : undefined,
    periodSeconds: spec.periodSeconds,
    initialDelaySeconds: spec.initialDelaySeconds,
    failureThreshold: spec.failureThreshold,
  };
}

function portNumber(service: ResolvedService, name: string): number {
  return service.ports.find((port) => port.name === name)?.port ?? 0;
}

/** Keys sorted so annotations render in a stable order whatever order they were added in. */
export function sortedRecord(record: Record<string, string>): Record<string, string> | undefined {
  const keys = Object.keys(record).sort();
  if (keys.length === 0) return undefined;
  return Object.fromEntries(keys.map((key) => [key, record[key]]));
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value).sort().map((key) => `${JSON.stringify(key)}:${stableJson((value as Record<string, unknown>)[key])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
