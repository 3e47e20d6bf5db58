import type { KubeObject } from '../model/kube-object';
import { diffJson, type JsonValue, type PatchOperation } from './json-patch';

/**
 * Computes a Kustomize overlay from two renderings of the same services: the
 * environment-neutral base and the objects the model implies for one cluster namespace.
 * Built-in transformers carry what they can say plainly (namespace, images, replicas); every
 * other difference becomes a JSON 6902 patch; objects only the cluster has become resources;
 * base objects the cluster must not have become `$patch: delete`.
 *
 * Kustomize applies patches before the namespace, replicas and image transformers, so patches
 * are computed against the base with those fields left as the base has them.
 */
export interface OverlayImage {
  readonly name: string;
  readonly newTag?: string;
  readonly digest?: string;
}

export interface OverlayPatch {
  readonly target: { readonly group?: string; readonly version: string; readonly kind: string; readonly name: string };
  /** JSON 6902 operations, or a strategic-merge deletion of the whole object. */
  readonly operations: readonly PatchOperation[] | 'delete';
}

export interface Overlay {
  readonly images: readonly OverlayImage[];
  readonly replicas: readonly { readonly name: string; readonly count: number }[];
  readonly patches: readonly OverlayPatch[];
  /** Objects with no counterpart in any base (e.g. Ingress), namespace left to the overlay. */
  readonly resources: readonly KubeObject[];
}

const SCALABLE_KINDS = new Set(['Deployment', 'StatefulSet', 'ReplicaSet']);

export function objectKey(obj: KubeObject): string {
  return `${obj.apiVersion}|${obj.kind}|${obj.metadata.name}`;
}

function splitApiVersion(apiVersion: string): { group?: string; version: string } {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? { version: apiVersion } : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

function target(obj: KubeObject): OverlayPatch['target'] {
  return { ...splitApiVersion(obj.apiVersion), kind: obj.kind, name: obj.metadata.name };
}

/** `repo:tag` or `repo@sha256:…` → its parts; undefined when the image has no version. */
export function splitImage(image: string): { name: string; newTag?: string; digest?: string } | undefined {
  const at = image.indexOf('@');
  if (at >= 0) return { name: image.slice(0, at), digest: image.slice(at + 1) };
  const colon = image.lastIndexOf(':');
  if (colon > image.lastIndexOf('/')) return { name: image.slice(0, colon), newTag: image.slice(colon + 1) };
  return undefined;
}

type Containers = { image?: string }[];

type PodSpecLike = { containers?: Containers; initContainers?: Containers };
type PodTemplateLike = { spec?: PodSpecLike };
type WorkloadSpec = { replicas?: number; template?: PodTemplateLike; jobTemplate?: { spec?: { template?: PodTemplateLike } } };
type Workload = KubeObject & { spec?: WorkloadSpec };

/**
 * The pod template of a workload: `spec.template`, or a CronJob's
 * `spec.jobTemplate.spec.template`. Kustomize's `images:` transformer sets the images of every
 * `containers`/`initContainers` list wherever it is (kustomize api/filters/imagetag, legacy
 * filter), so both are transformed.
 */
function podTemplateOf(spec: WorkloadSpec | undefined): PodTemplateLike | undefined {
  return spec?.template ?? spec?.jobTemplate?.spec?.template;
}

function podContainers(obj: KubeObject): Containers[] {
  const spec = podTemplateOf((obj as Workload).spec)?.spec;
  return [spec?.containers, spec?.initContainers].filter((list): list is Containers => Array.isArray(list));
}

/**
 * Images the `images:` transformer can set: every container of that repository in this overlay
 * runs the same version, and the base names the repository without a version.
 */
function imageTransforms(pairs: readonly { base: KubeObject; wanted: KubeObject }[]): Map<string, OverlayImage> {
  const versions = new Map<string, Set<string>>();
  for (const { base, wanted } of pairs) {
    const baseLists = podContainers(base);
    podContainers(wanted).forEach((list, l) =>
      list.forEach((container, c) => {
        const parts = container.image ? splitImage(container.image) : undefined;
        if (!parts || baseLists[l]?.[c]?.image !== parts.name) return;
        const set = versions.get(parts.name) ?? new Set<string>();
        set.add(container.image as string);
        versions.set(parts.name, set);
      }),
    );
  }
  const images = new Map<string, OverlayImage>();
  for (const [name, set] of versions) {
    if (set.size === 1) images.set(name, splitImage([...set][0]) as OverlayImage);
  }
  return images;
}

/** The container list with images the `images:` transformer sets reduced to their repository; the same list when none is. */
function unversionedImages(list: Containers | undefined, images: Map<string, OverlayImage>): Containers | undefined {
  if (!Array.isArray(list)) return list;
  let changed = false;
  const result = list.map((container) => {
    const parts = container.image ? splitImage(container.image) : undefined;
    if (!parts || !images.has(parts.name)) return container;
    changed = true;
    return { ...container, image: parts.name };
  });
  return changed ? result : list;
}

/**
 * What the object must look like before the namespace/replicas/images transformers run. Copies
 * only what it changes (metadata, spec, the pod template's containers) and shares the rest with
 * `wanted`, which is never modified: the overlay diffs every object of the fleet.
 */
function beforeTransformers(wanted: KubeObject, base: KubeObject, images: Map<string, OverlayImage>, scaled: boolean): JsonValue {
  const { namespace: _namespace, ...metadata } = wanted.metadata;
  const copy: Workload = { ...wanted, metadata };
  const spec = (wanted as Workload).spec;
  if (spec && typeof spec === 'object') {
    const newSpec: NonNullable<Workload['spec']> = { ...spec };
    if (scaled) {
      const baseReplicas = (base as Workload).spec?.replicas;
      if (baseReplicas === undefined) delete newSpec.replicas;
      else newSpec.replicas = baseReplicas;
    }
    const template = podTemplateOf(spec);
    const podSpec = template?.spec;
    if (podSpec && typeof podSpec === 'object') {
      const containers = unversionedImages(podSpec.containers, images);
      const initContainers = unversionedImages(podSpec.initContainers, images);
      if (containers !== podSpec.containers || initContainers !== podSpec.initContainers) {
        const newPodSpec: PodSpecLike = { ...podSpec };
        if (containers !== podSpec.containers) newPodSpec.containers = containers;
        if (initContainers !== podSpec.initContainers) newPodSpec.initContainers = initContainers;
        const newTemplate = { ...template, spec: newPodSpec };
        if (spec.template) newSpec.template = newTemplate;
        else newSpec.jobTemplate = { ...spec.jobTemplate, spec: { ...spec.jobTemplate?.spec, template: newTemplate } };
      }
    }
    copy.spec = newSpec;
  }
  return copy as unknown as JsonValue;
}

export function computeOverlay(bases: readonly KubeObject[], wanted: readonly KubeObject[]): Overlay {
  const baseByKey = new Map(bases.map((obj) => [objectKey(obj), obj]));
  const wantedByKey = new Map(wanted.map((obj) => [objectKey(obj), obj]));
  const pairs = wanted.filter((obj) => baseByKey.has(objectKey(obj))).map((obj) => ({ base: baseByKey.get(objectKey(obj)) as KubeObject, wanted: obj }));
  const images = imageTransforms(pairs);
  const replicas: { name: string; count: number }[] = [];
  const patches: OverlayPatch[] = [];
  for (const { base, wanted: obj } of pairs) {
    const count = (obj as { spec?: { replicas?: number } }).spec?.replicas;
    const scaled = SCALABLE_KINDS.has(obj.kind) && count !== undefined;
    if (scaled) replicas.push({ name: obj.metadata.name, count: count as number });
    const operations = diffJson(base as unknown as JsonValue, beforeTransformers(obj, base, images, scaled));
    if (operations.length > 0) patches.push({ target: target(obj), operations });
  }
  for (const base of bases) {
    if (!wantedByKey.has(objectKey(base))) patches.push({ target: target(base), operations: 'delete' });
  }
  const resources = wanted.filter((obj) => !baseByKey.has(objectKey(obj)));
  return {
    images: [...images.values()].sort((a, b) => a.name.localeCompare(b.name)),
    replicas: replicas.sort((a, b) => a.name.localeCompare(b.name)),
    patches,
    resources,
  };
}
