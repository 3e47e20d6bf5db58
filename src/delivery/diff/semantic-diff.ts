import type { KubeObject } from '../../model/kube-object';
import type { JsonValue } from '../../render/json-patch';
import { fieldChanges, type FieldChange } from './field-changes';
import { assessRisks, LEVEL_ORDER, type Risk, type RiskClass, type RiskRule } from './risk-rules';
import { isSecretLike, redactFields, secretKeyChanges, type SecretKeyChanges } from './secret-objects';

/**
 * The semantic diff: two sets of objects per cluster (what Kustomize builds from the committed
 * output, and from a fresh render) compared object by object. Files do not matter here, only
 * what Flux would apply: a moved patch is no change, a changed base is a change in every cluster.
 */

export interface ObjectRef {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
}

export interface ObjectDiff {
  readonly cluster: string;
  readonly object: ObjectRef;
  readonly change: 'added' | 'deleted' | 'changed';
  /** Changed fields (none for added/deleted objects); values removed for secret-like objects. */
  readonly fields: readonly FieldChange[];
  /** Secret-like objects: which keys changed. Never values. */
  readonly secret?: SecretKeyChanges;
  /** Images of an added workload, so a new object still shows what it runs. */
  readonly images?: readonly string[];
  readonly risks: readonly Risk[];
}

export interface DiffOptions {
  /** Clusters running a production environment: image, replica and resource changes weigh more. */
  readonly production?: (cluster: string) => boolean;
  /** @default RISK_RULES */
  readonly rules?: readonly RiskRule[];
}

/** Objects by cluster name. */
export type ClusterObjects = ReadonlyMap<string, readonly KubeObject[]>;

function apiGroup(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/** Identity across versions: the API group, not the version (v2beta2 → v2 is a change, not a swap). */
export function objectKey(obj: KubeObject): string {
  return `${apiGroup(obj.apiVersion)}|${obj.kind}|${obj.metadata.namespace ?? ''}|${obj.metadata.name}`;
}

function refOf(obj: KubeObject): ObjectRef {
  return { apiVersion: obj.apiVersion, kind: obj.kind, name: obj.metadata.name, namespace: obj.metadata.namespace };
}

type Containers = { image?: string }[];

function imagesOf(obj: KubeObject): string[] {
  const spec = (obj as { spec?: { template?: { spec?: { containers?: Containers; initContainers?: Containers } }; jobTemplate?: { spec?: { template?: { spec?: { containers?: Containers } } } } } }).spec;
  const pod = spec?.template?.spec ?? spec?.jobTemplate?.spec?.template?.spec;
  const lists = [pod?.containers, (pod as { initContainers?: Containers } | undefined)?.initContainers];
  return lists.flatMap((list) => (Array.isArray(list) ? list.map((c) => c.image).filter((image): image is string => typeof image === 'string') : []));
}

export function diffObject(cluster: string, before: KubeObject | undefined, after: KubeObject | undefined, options: DiffOptions = {}): ObjectDiff | undefined {
  const subject = (after ?? before) as KubeObject;
  const change = before === undefined ? 'added' : after === undefined ? 'deleted' : 'changed';
  const raw = change === 'changed' ? fieldChanges(before as unknown as JsonValue, after as unknown as JsonValue) : [];
  if (change === 'changed' && raw.length === 0) return undefined;
  const secretLike = isSecretLike(subject) || (before !== undefined && isSecretLike(before));
  const secret = secretLike ? secretKeyChanges(before, after) : undefined;
  const production = options.production?.(cluster) ?? false;
  const risks = assessRisks({ change, before, after, fields: raw, secret, production }, options.rules);
  const fields = secretLike ? redactFields(subject, raw) : raw;
  const images = change === 'added' && !secretLike ? imagesOf(subject) : undefined;
  return { cluster, object: refOf(subject), change, fields, secret, images: images?.length ? images : undefined, risks };
}

function compareRefs(a: ObjectDiff, b: ObjectDiff): number {
  return (
    a.cluster.localeCompare(b.cluster) ||
    (a.object.namespace ?? '').localeCompare(b.object.namespace ?? '') ||
    a.object.kind.localeCompare(b.object.kind) ||
    a.object.name.localeCompare(b.object.name)
  );
}

/** Every changed, added and deleted object of every cluster, sorted cluster → namespace → kind/name. */
export function diffClusters(before: ClusterObjects, after: ClusterObjects, options: DiffOptions = {}): ObjectDiff[] {
  const clusters = [...new Set([...before.keys(), ...after.keys()])];
  const diffs: ObjectDiff[] = [];
  for (const cluster of clusters) {
    const old = new Map((before.get(cluster) ?? []).map((obj) => [objectKey(obj), obj]));
    const next = new Map((after.get(cluster) ?? []).map((obj) => [objectKey(obj), obj]));
    for (const key of new Set([...old.keys(), ...next.keys()])) {
      const diff = diffObject(cluster, old.get(key), next.get(key), options);
      if (diff) diffs.push(diff);
    }
  }
  return diffs.sort(compareRefs);
}

export interface NamespaceGroup {
  /** Undefined for cluster-scoped objects. */
  readonly namespace?: string;
  readonly objects: readonly ObjectDiff[];
}

export interface ClusterGroup {
  readonly cluster: string;
  readonly namespaces: readonly NamespaceGroup[];
}

/** The sorted diffs grouped cluster → namespace (cluster-scoped objects first). */
export function groupDiffs(diffs: readonly ObjectDiff[]): ClusterGroup[] {
  const clusters = new Map<string, Map<string, ObjectDiff[]>>();
  for (const diff of diffs) {
    const namespaces = clusters.get(diff.cluster) ?? new Map<string, ObjectDiff[]>();
    const key = diff.object.namespace ?? '';
    namespaces.set(key, [...(namespaces.get(key) ?? []), diff]);
    clusters.set(diff.cluster, namespaces);
  }
  return [...clusters].map(([cluster, namespaces]) => ({
    cluster,
    namespaces: [...namespaces].map(([namespace, objects]) => ({ namespace: namespace || undefined, objects })),
  }));
}

export interface DiffSummary {
  readonly added: number;
  readonly deleted: number;
  readonly changed: number;
  readonly clusters: number;
  /** Risk count by class, classes in order of their worst level. */
  readonly risks: ReadonlyMap<RiskClass, number>;
}

export function summarize(diffs: readonly ObjectDiff[]): DiffSummary {
  const count = (change: ObjectDiff['change']) => diffs.filter((d) => d.change === change).length;
  const risks = diffs.flatMap((d) => d.risks).sort((a, b) => LEVEL_ORDER.indexOf(a.level) - LEVEL_ORDER.indexOf(b.level));
  const byClass = new Map<RiskClass, number>();
  for (const risk of risks) byClass.set(risk.class, (byClass.get(risk.class) ?? 0) + 1);
  return { added: count('added'), deleted: count('deleted'), changed: count('changed'), clusters: new Set(diffs.map((d) => d.cluster)).size, risks: byClass };
}
