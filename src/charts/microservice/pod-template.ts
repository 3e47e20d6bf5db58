import { createHash } from 'node:crypto';
import { k8s } from 'cdk8s-plus-27';
import type { ResolvedService } from '../../model/resolve';
import type { VolumeSpec } from '../../model/volume';
import { CONFIG_HASH_ANNOTATION, selectorLabels } from '../labels';
import type { ClusterContext } from './cluster-context';
import { extraContainer, mainContainer } from './containers';
import { filesConfigMapName, secretVolumeName } from './pod-names';

/**
 * Pure functions from a ResolvedService to the pod template of its workload. Kept apart from
 * the Deployment construct so that Argo Rollouts (or any other workload kind) reuses the same pod.
 */

export { DEFAULT_UID } from '../../model/resolve';
export { configMapName, filesConfigMapName, imageReference, secretVolumeName } from './pod-names';

export function podTemplate(service: ResolvedService, cluster?: ClusterContext): k8s.PodTemplateSpec {
  const volumes = podVolumes(service);
  const initContainers = service.initContainers.map((container) => extraContainer(service, container));
  return {
    metadata: {
      // The service's own pod labels first: the selector and mesh labels always win (check-model
      // rejects a pod label that redefines a selector label).
      labels: sortedRecord({ ...service.podLabels, ...service.selector, ...selectorLabels(service.name), ...meshPodLabels(cluster) }),
      annotations: sortedRecord({ ...service.podAnnotations, ...meshPodAnnotations(cluster), ...metricsScrapeAnnotations(service, cluster), ...configHashAnnotation(service), ...relaxationAnnotations(service) }),
    },
    spec: {
      serviceAccountName: service.serviceAccount.name,
      // Tokens are mounted only for workloads that talk to the API server; cloud identity
      // (IRSA, Workload Identity) uses its own projected token or metadata server.
      automountServiceAccountToken: false,
      terminationGracePeriodSeconds: service.terminationGracePeriodSeconds,
      securityContext: {
        runAsNonRoot: service.security.allowRunAsRoot ? undefined : true,
        runAsUser: service.podSecurity.runAsUser,
        runAsGroup: service.podSecurity.runAsGroup,
        fsGroup: service.podSecurity.fsGroup,
        seccompProfile: { type: 'RuntimeDefault' },
      },
      imagePullSecrets: service.imagePullSecrets.length > 0 ? service.imagePullSecrets.map((name) => ({ name })) : undefined,
      initContainers: initContainers.length > 0 ? initContainers : undefined,
      containers: [mainContainer(service)],
      volumes: volumes.length > 0 ? volumes : undefined,
    },
  };
}

/**
 * Fields of the pod template newer than the Kubernetes 1.27 types cdk8s-plus-27 serialises with
 * (its `toJson` drops unknown fields, JSON patches included): native sidecars' `restartPolicy:
 * Always` (Kubernetes 1.29+). Every workload construct that renders `podTemplate` passes its
 * rendered JSON through this, with the template's path (`['spec', 'template']` for a Deployment).
 * @see https://kubernetes.io/docs/concepts/workloads/pods/sidecar-containers/
 */
export function withPodTemplateExtras(json: Record<string, unknown>, service: ResolvedService, templatePath: readonly string[] = ['spec', 'template']): Record<string, unknown> {
  if (!service.initContainers.some((container) => container.sidecar)) return json;
  const template = templatePath.reduce<Record<string, unknown> | undefined>((node, key) => node?.[key] as Record<string, unknown> | undefined, json);
  const rendered = (template?.spec as { initContainers?: Record<string, unknown>[] } | undefined)?.initContainers ?? [];
  service.initContainers.forEach((container, index) => {
    if (container.sidecar && rendered[index]) rendered[index].restartPolicy = 'Always';
  });
  return json;
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

function podVolumes(service: ResolvedService): k8s.Volume[] {
  const volumes: k8s.Volume[] = [];
  if (service.configFiles) volumes.push({ name: 'files', configMap: { name: filesConfigMapName(service.name) } });
  if (!service.security.allowWritableRootFilesystem) volumes.push({ name: 'tmp', emptyDir: {} });
  for (const files of service.secretFiles) {
    const items = files.keys?.map((key) => ({ key, path: key }));
    volumes.push({ name: secretVolumeName(files.secret), secret: { secretName: files.secret, items } });
  }
  for (const name of Object.keys(service.volumes).sort()) volumes.push(volume(name, service.volumes[name]));
  return volumes;
}

function volume(name: string, spec: VolumeSpec): k8s.Volume {
  const items = (list?: readonly { key: string; path?: string }[]) => list?.map((item) => ({ key: item.key, path: item.path ?? item.key }));
  if ('emptyDir' in spec) return { name, emptyDir: { medium: spec.emptyDir.medium, sizeLimit: spec.emptyDir.sizeLimit ? k8s.Quantity.fromString(spec.emptyDir.sizeLimit) : undefined } };
  if ('persistentVolumeClaim' in spec) return { name, persistentVolumeClaim: { claimName: spec.persistentVolumeClaim.claimName, readOnly: spec.persistentVolumeClaim.readOnly } };
  if ('configMap' in spec) return { name, configMap: { name: spec.configMap.name, items: items(spec.configMap.items) } };
  if ('secret' in spec) return { name, secret: { secretName: spec.secret.name, items: items(spec.secret.items) } };
  return {
    name,
    projected: {
      sources: spec.projected.sources.map((source): k8s.VolumeProjection => {
        if ('configMap' in source) return { configMap: { name: source.configMap.name, items: items(source.configMap.items) } };
        if ('secret' in source) return { secret: { name: source.secret.name, items: items(source.secret.items) } };
        if ('serviceAccountToken' in source) return { serviceAccountToken: { ...source.serviceAccountToken } };
        return { downwardApi: { items: source.downwardAPI.items.map((item) => ({ path: item.path, fieldRef: { fieldPath: item.fieldPath } })) } };
      }),
    },
  };
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
