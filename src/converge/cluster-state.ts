import type { KubeObject } from '../model/kube-object';
import { namespaceOf } from '../validate/cluster-index';
import { isRecord, list, num, record, str, stringMap, type JsonRecord } from '../validate/json';
import { podTemplateOf } from '../validate/workloads';
import { flaggerPrimaryPods, flaggerServices } from './flagger';
import { helmReleasePods } from './helm-release-pods';
import { sidecarOf } from './istio-sidecar';

/**
 * The cluster as it will run once the controllers have acted on what Flux applied: the pods
 * that will exist (rendered workloads, Flagger's primaries, Argo Rollouts' ReplicaSets, Helm
 * releases' pods, Istio sidecars) and the Services that select them (rendered or Flagger-made).
 * Everything here is derived offline from one cluster's rendered objects.
 */

export type Labels = Readonly<Record<string, string>>;

export interface PodPort {
  readonly port: number;
  readonly name?: string;
  /** @default 'TCP' */
  readonly protocol: string;
}

/** Why a set of pods exists: which controller creates them from which object. */
export type PodOrigin =
  | 'workload' // a rendered Deployment, StatefulSet, DaemonSet, Job, Pod…
  | 'rollout' // Argo Rollouts' stable and canary ReplicaSets of a Rollout
  | 'flagger-primary' // the `<target>-primary` Deployment Flagger creates for a Canary
  | 'helm-release' // a chart's pods, installed by helm-controller
  | 'platform'; // pods the platform runs (declared, not rendered)

/** Pods that share a template: what a NetworkPolicy, Service or PDB selects. */
export interface PodSet {
  /** `Deployment/microservices-demo/frontend-primary`: the object that owns the pods, as the controller names it. */
  readonly id: string;
  readonly namespace: string;
  readonly labels: Labels;
  /** Pod annotations after admission (the Istio injector rewrites the Prometheus ones). */
  readonly annotations: Labels;
  /** Container ports, sidecar ports included. */
  readonly ports: readonly PodPort[];
  readonly origin: PodOrigin;
  /** The rendered object the pods come from (the Canary's target for a Flagger primary). */
  readonly source: KubeObject;
  /** The PodSpec, when known (rendered templates). */
  readonly spec?: JsonRecord;
  /** Whether an Istio sidecar is injected. */
  readonly sidecar: boolean;
}

/** A Service that will exist, with the selector that picks its pods. */
export interface ServiceState {
  readonly namespace: string;
  readonly name: string;
  readonly selector: Labels;
  readonly ports: readonly { readonly port?: number; readonly targetPort?: number | string; readonly name?: string }[];
  /** The Canary that makes Flagger create it, when it is not rendered. */
  readonly createdBy?: KubeObject;
}

export interface ClusterState {
  readonly objects: readonly KubeObject[];
  readonly pods: readonly PodSet[];
  readonly services: ReadonlyMap<string, ServiceState>;
  /** Namespace → its labels as the API server has them (`kubernetes.io/metadata.name` included). */
  namespaceLabels(namespace: string): Labels;
  /** Namespaces known to exist: rendered, the platform's, and those pods run in. */
  readonly namespaces: readonly string[];
  ofKind(kind: string): readonly KubeObject[];
  /** NetworkPolicies of a namespace. */
  policiesIn(namespace: string): readonly KubeObject[];
  /** Pod sets whose source object (for a Flagger primary: the Canary's target) is `namespace/name`. */
  podsOwnedBy(namespace: string, name: string): readonly PodSet[];
  find(kind: string, namespace: string, name: string): KubeObject | undefined;
  podsSelectedBy(namespace: string, selector: Labels): PodSet[];
}

/** Namespaces the API server and flux bootstrap create before anything of ours is applied. */
export const PLATFORM_NAMESPACES: readonly string[] = ['default', 'kube-system', 'kube-public', 'kube-node-lease', 'flux-system'];

/**
 * Derives the cluster's future state from its rendered objects plus the pods the platform runs.
 * @param platformPods pods that exist without being rendered (a preinstalled gateway, an external Prometheus).
 */
export function deriveClusterState(objects: readonly KubeObject[], platformPods: readonly PodSet[] = []): ClusterState {
  const namespaces = new Map<string, Labels>();
  for (const ns of objects.filter((o) => o.kind === 'Namespace')) namespaces.set(ns.metadata.name, stringMap(ns.metadata.labels));
  const namespaceLabels = (namespace: string): Labels => ({ ...(namespaces.get(namespace) ?? {}), 'kubernetes.io/metadata.name': namespace });

  const byKey = new Map(objects.map((o) => [`${o.kind}/${namespaceOf(o)}/${o.metadata.name}`, o] as const));
  const find = (kind: string, namespace: string, name: string) => byKey.get(`${kind}/${namespace}/${name}`);
  const rendered = objects.flatMap((obj) => renderedPods(obj, namespaceLabels, workloadRefTemplate(obj, find)));
  const primaries = objects.filter((o) => o.kind === 'Canary').flatMap((canary) => flaggerPrimaryPods(canary, find, namespaceLabels));
  const charts = objects.filter((o) => o.kind === 'HelmRelease').flatMap((release) => helmReleasePods(release, namespaceLabels));
  const pods = [...rendered, ...primaries, ...charts, ...platformPods];

  const services = new Map<string, ServiceState>();
  for (const svc of objects.filter((o) => o.kind === 'Service')) services.set(`${namespaceOf(svc)}/${svc.metadata.name}`, renderedService(svc));
  for (const canary of objects.filter((o) => o.kind === 'Canary')) {
    for (const made of flaggerServices(canary, find)) {
      const key = `${made.namespace}/${made.name}`;
      // Flagger adopts a rendered apex Service of the same name and rewrites its selector.
      services.set(key, made);
    }
  }

  // Lookups are per call edge, route and canary: index once (10,000 objects, hundreds of edges).
  const byKind = groupBy(objects, (o) => o.kind);
  const podsByNamespace = groupBy(pods, (p) => p.namespace);
  const workloadPods = groupBy(pods, (p) => `${p.namespace}/${p.source.metadata.name}`);
  const policiesByNamespace = groupBy(byKind.get('NetworkPolicy') ?? [], (p) => namespaceOf(p));
  const allNamespaces = [...new Set([...PLATFORM_NAMESPACES, ...namespaces.keys(), ...pods.map((p) => p.namespace)])].sort();
  return {
    objects,
    pods,
    services,
    namespaceLabels,
    namespaces: allNamespaces,
    ofKind: (kind) => byKind.get(kind) ?? [],
    policiesIn: (namespace) => policiesByNamespace.get(namespace) ?? [],
    podsOwnedBy: (namespace, name) => workloadPods.get(`${namespace}/${name}`) ?? [],
    find,
    // A Service with an empty selector selects no pods (its Endpoints are managed by hand).
    podsSelectedBy: (namespace, selector) =>
      Object.keys(selector).length === 0 ? [] : (podsByNamespace.get(namespace) ?? []).filter((p) => Object.entries(selector).every(([k, v]) => p.labels[k] === v)),
  };
}

/**
 * The Deployment whose template a Rollout with `workloadRef` runs (argoproj/argo-rollouts v1.9
 * docs/migrating.md: the Rollout creates its ReplicaSets from the referenced Deployment's template).
 */
function workloadRefTemplate(obj: KubeObject, find: (kind: string, namespace: string, name: string) => KubeObject | undefined): KubeObject | undefined {
  if (obj.kind !== 'Rollout') return undefined;
  const ref = record(record(obj.spec).workloadRef);
  const name = str(ref.name);
  return name && (str(ref.kind) ?? 'Deployment') === 'Deployment' ? find('Deployment', namespaceOf(obj), name) : undefined;
}

/** Pods of a rendered workload; a Rollout's ReplicaSets carry its template labels plus the pod-template hash. */
function renderedPods(obj: KubeObject, namespaceLabels: (ns: string) => Labels, referenced?: KubeObject): PodSet[] {
  const template = podTemplateOf(obj) ?? (referenced ? podTemplateOf(referenced) : undefined);
  if (!template || !template.serving) return [];
  const templateOwner = podTemplateOf(obj) ? obj : (referenced as KubeObject);
  const annotations = stringMap(record(record(record(templateOwner.spec).template).metadata).annotations);
  const base = podSet({
    id: `${obj.kind}/${template.namespace}/${obj.metadata.name}`,
    namespace: template.namespace,
    labels: template.labels,
    annotations: obj.kind === 'Pod' ? stringMap(obj.metadata.annotations) : annotations,
    spec: template.spec,
    origin: obj.kind === 'Rollout' ? 'rollout' : 'workload',
    source: obj,
    namespaceLabels: namespaceLabels(template.namespace),
  });
  if (obj.kind !== 'Rollout') return [base];
  // Argo Rollouts adds `rollouts-pod-template-hash` to the stable and the canary ReplicaSet's pods
  // (argoproj/argo-rollouts v1.9 utils/replicaset: DefaultRolloutUniqueLabelKey); selectors
  // written against the template's labels select both.
  const hash = 'rollouts-pod-template-hash';
  return [
    { ...base, id: `ReplicaSet/${template.namespace}/${obj.metadata.name}-stable`, labels: { ...base.labels, [hash]: 'stable' } },
    { ...base, id: `ReplicaSet/${template.namespace}/${obj.metadata.name}-canary`, labels: { ...base.labels, [hash]: 'canary' } },
  ];
}

export interface PodSetInput {
  readonly id: string;
  readonly namespace: string;
  readonly labels: Labels;
  readonly annotations: Labels;
  readonly spec?: JsonRecord;
  readonly origin: PodOrigin;
  readonly source: KubeObject;
  readonly namespaceLabels: Labels;
  /** Ports of containers not in `spec` (a chart's pods). @default [] */
  readonly extraPorts?: readonly PodPort[];
}

/** A pod set with its container ports and, when injected, the Istio sidecar's ports and annotations. */
export function podSet(input: PodSetInput): PodSet {
  const containerPorts = input.spec ? containerPortsOf(input.spec) : [];
  const sidecar = sidecarOf(input.labels, input.annotations, input.namespaceLabels);
  return {
    id: input.id,
    namespace: input.namespace,
    labels: input.labels,
    annotations: sidecar ? { ...input.annotations, ...sidecar.annotations } : input.annotations,
    ports: [...containerPorts, ...(input.extraPorts ?? []), ...(sidecar?.ports ?? [])],
    origin: input.origin,
    source: input.source,
    spec: input.spec,
    sidecar: sidecar !== undefined,
  };
}

function containerPortsOf(spec: JsonRecord): PodPort[] {
  return list(spec.containers)
    .filter(isRecord)
    .flatMap((c) => list(c.ports).filter(isRecord))
    .flatMap((p) => {
      const port = num(p.containerPort);
      return port === undefined ? [] : [{ port, name: str(p.name), protocol: str(p.protocol) ?? 'TCP' }];
    });
}

function renderedService(svc: KubeObject): ServiceState {
  const spec = record(svc.spec);
  return {
    namespace: namespaceOf(svc),
    name: svc.metadata.name,
    selector: stringMap(spec.selector),
    ports: list(spec.ports)
      .filter(isRecord)
      .map((p) => ({ port: num(p.port), targetPort: (p.targetPort as number | string | undefined) ?? num(p.port), name: str(p.name) })),
  };
}

function groupBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = out.get(key);
    if (group) group.push(item);
    else out.set(key, [item]);
  }
  return out;
}
