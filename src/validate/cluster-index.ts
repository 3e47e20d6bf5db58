import type { KubeObject } from '../model/kube-object';
import { isRecord, list, num, record, str } from './json';
import { podTemplateOf, type PodTemplate } from './workloads';

/**
 * Lookups over one cluster's rendered objects, built once per validation so that every
 * cross-object rule is a map lookup instead of a scan (10,000 objects × dozens of rules).
 */

export interface ServicePort {
  readonly port?: number;
  readonly name?: string;
}

/** A Service that will exist: rendered, or created at run time by Flagger for a Canary. */
export interface KnownService {
  readonly namespace: string;
  readonly name: string;
  readonly ports: readonly ServicePort[];
  /** The Canary that makes Flagger create it, when it is not rendered. */
  readonly createdBy?: KubeObject;
}

export interface ClusterIndex {
  /** The well-formed objects (apiVersion, kind and metadata.name set); the schema check reports the rest. */
  readonly objects: readonly KubeObject[];
  /** First object of this kind (any API group), namespace and name. */
  find(kind: string, namespace: string | undefined, name: string): KubeObject | undefined;
  ofKind(kind: string): readonly KubeObject[];
  /** Namespaces rendered as Namespace objects. */
  readonly renderedNamespaces: ReadonlyMap<string, KubeObject>;
  readonly podTemplates: readonly PodTemplate[];
  podTemplatesIn(namespace: string): readonly PodTemplate[];
  /**
   * Pod templates in the namespace whose labels include every pair of `matchLabels` — the
   * candidates for a selector, found through a label index rather than by scanning the namespace.
   */
  podTemplatesLabelled(namespace: string, matchLabels: Readonly<Record<string, string>>): readonly PodTemplate[];
  /** Services (kind Service) a reference may name, rendered or Flagger-made. */
  service(namespace: string, name: string): KnownService | undefined;
  /** TraefikServices a reference may name, rendered or Flagger-made (traefik provider). */
  traefikService(namespace: string, name: string): KnownService | undefined;
}

export function namespaceOf(obj: KubeObject): string {
  return obj.metadata.namespace ?? 'default';
}

export function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

const key = (kind: string, namespace: string | undefined, name: string) => `${kind}\u0000${namespace ?? ''}\u0000${name}`;

/** Whether the object has what every rule relies on: apiVersion, kind and metadata.name strings. */
export function isWellFormed(obj: unknown): obj is KubeObject {
  return isRecord(obj) && typeof obj.apiVersion === 'string' && typeof obj.kind === 'string' && isRecord(obj.metadata) && typeof obj.metadata.name === 'string';
}

export function indexCluster(input: readonly unknown[]): ClusterIndex {
  const objects = input.filter(isWellFormed);
  const byKey = new Map<string, KubeObject>();
  const byKind = new Map<string, KubeObject[]>();
  for (const obj of objects) {
    const k = key(obj.kind, obj.metadata.namespace, obj.metadata.name);
    if (!byKey.has(k)) byKey.set(k, obj);
    // Namespaced lookups with an omitted namespace mean `default`.
    if (obj.metadata.namespace === undefined) byKey.set(key(obj.kind, 'default', obj.metadata.name), byKey.get(k)!);
    const ofKind = byKind.get(obj.kind) ?? [];
    ofKind.push(obj);
    byKind.set(obj.kind, ofKind);
  }

  const podTemplates = objects.map(podTemplateOf).filter((t): t is PodTemplate => t !== undefined);
  const templatesByNamespace = groupBy(podTemplates, (t) => t.namespace);
  const templatesByLabel = new Map<string, PodTemplate[]>();
  for (const t of podTemplates) {
    for (const [k, v] of Object.entries(t.labels)) {
      const labelKey = `${t.namespace}\u0000${k}\u0000${v}`;
      const group = templatesByLabel.get(labelKey) ?? [];
      group.push(t);
      templatesByLabel.set(labelKey, group);
    }
  }
  const renderedNamespaces = new Map((byKind.get('Namespace') ?? []).map((ns) => [ns.metadata.name, ns] as const));

  const services = new Map<string, KnownService>();
  const traefikServices = new Map<string, KnownService>();
  for (const svc of byKind.get('Service') ?? []) {
    services.set(`${namespaceOf(svc)}/${svc.metadata.name}`, { namespace: namespaceOf(svc), name: svc.metadata.name, ports: servicePorts(svc) });
  }
  for (const ts of byKind.get('TraefikService') ?? []) {
    traefikServices.set(`${namespaceOf(ts)}/${ts.metadata.name}`, { namespace: namespaceOf(ts), name: ts.metadata.name, ports: [] });
  }
  for (const canary of byKind.get('Canary') ?? []) {
    for (const made of canaryServices(canary)) {
      const k = `${made.namespace}/${made.name}`;
      if (!services.has(k)) services.set(k, made);
      // Flagger's traefik provider routes through a TraefikService named after the apex Service.
      if (!traefikServices.has(k) && made.name === apexServiceName(canary)) traefikServices.set(k, made);
    }
  }

  return {
    objects,
    find: (kind, namespace, name) => byKey.get(key(kind, namespace, name)),
    ofKind: (kind) => byKind.get(kind) ?? [],
    renderedNamespaces,
    podTemplates,
    podTemplatesIn: (namespace) => templatesByNamespace.get(namespace) ?? [],
    podTemplatesLabelled(namespace, matchLabels) {
      const pairs = Object.entries(matchLabels);
      if (pairs.length === 0) return templatesByNamespace.get(namespace) ?? [];
      const [[k, v], ...rest] = pairs;
      const candidates = templatesByLabel.get(`${namespace}\u0000${k}\u0000${v}`) ?? [];
      return rest.length === 0 ? candidates : candidates.filter((t) => rest.every(([rk, rv]) => t.labels[rk] === rv));
    },
    service: (namespace, name) => services.get(`${namespace}/${name}`),
    traefikService: (namespace, name) => traefikServices.get(`${namespace}/${name}`),
  };
}

function servicePorts(svc: KubeObject): ServicePort[] {
  return list(record(svc.spec).ports)
    .filter(isRecord)
    .map((p) => ({ port: num(p.port), name: str(p.name) }));
}

function apexServiceName(canary: KubeObject): string {
  const spec = record(canary.spec);
  return str(record(spec.service).name) ?? str(record(spec.targetRef).name) ?? canary.metadata.name;
}

/**
 * Flagger creates `<apex>`, `<apex>-canary` and `<apex>-primary` for a Canary, where the apex is
 * `spec.service.name` or the target's name, all on `spec.service.port` (named `portName`, default `http`).
 * @see https://docs.flagger.app/usage/how-it-works#canary-service
 */
function canaryServices(canary: KubeObject): KnownService[] {
  const service = record(record(canary.spec).service);
  const apex = apexServiceName(canary);
  const ports: ServicePort[] = [{ port: num(service.port), name: str(service.portName) ?? 'http' }];
  const namespace = namespaceOf(canary);
  return [apex, `${apex}-canary`, `${apex}-primary`].map((name) => ({ namespace, name, ports, createdBy: canary }));
}

function groupBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = keyOf(item);
    const group = out.get(k) ?? [];
    group.push(item);
    out.set(k, group);
  }
  return out;
}
