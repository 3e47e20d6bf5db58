import type { KubeObject } from '../model/kube-object';
import { childPath } from './field-path';
import { isRecord, list, record, str, stringMap, type JsonRecord } from './json';

/**
 * Where pods come from. Reference and policy rules look at pod templates, not at the many kinds
 * that carry them; this is the one place that knows where each kind keeps its template.
 */

/** Kinds whose pods a Service, PDB or NetworkPolicy is expected to select. */
export const SERVING_WORKLOAD_KINDS: ReadonlySet<string> = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'Rollout', 'ReplicaSet', 'Pod']);

/** Kinds whose pods run until stopped, so probes and disruption budgets apply. */
const LONG_RUNNING_KINDS: ReadonlySet<string> = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'Rollout', 'ReplicaSet']);

export interface PodTemplate {
  /** The object that owns the template. */
  readonly owner: KubeObject;
  readonly namespace: string;
  /** Labels the pods get. */
  readonly labels: Readonly<Record<string, string>>;
  /** The PodSpec. */
  readonly spec: JsonRecord;
  /** Field path of the PodSpec in the owner, e.g. `spec.template.spec`. */
  readonly specPath: string;
  /** Pods that run until stopped (not Jobs or bare Pods). */
  readonly longRunning: boolean;
  /** Pods a Service may route to. */
  readonly serving: boolean;
}

export interface ContainerRef {
  readonly container: JsonRecord;
  readonly name: string;
  /** `spec.template.spec.containers[0]` */
  readonly path: string;
  readonly init: boolean;
}

/** The pod template of a workload object, or undefined for kinds without pods. */
export function podTemplateOf(obj: KubeObject): PodTemplate | undefined {
  const spec = record(obj.spec);
  const namespace = obj.metadata.namespace ?? 'default';
  const base = { owner: obj, namespace, longRunning: LONG_RUNNING_KINDS.has(obj.kind), serving: SERVING_WORKLOAD_KINDS.has(obj.kind) };
  switch (obj.kind) {
    case 'Pod':
      return { ...base, labels: stringMap(obj.metadata.labels), spec, specPath: 'spec' };
    case 'CronJob': {
      const template = record(record(record(spec.jobTemplate).spec).template);
      if (!isRecord(template.spec)) return undefined;
      return { ...base, labels: stringMap(record(template.metadata).labels), spec: template.spec, specPath: 'spec.jobTemplate.spec.template.spec' };
    }
    case 'Deployment':
    case 'StatefulSet':
    case 'DaemonSet':
    case 'ReplicaSet':
    case 'Job':
    case 'Rollout': {
      const template = record(spec.template);
      // A Rollout with `workloadRef` borrows a Deployment's template; that Deployment is checked itself.
      if (!isRecord(template.spec)) return undefined;
      return { ...base, labels: stringMap(record(template.metadata).labels), spec: template.spec, specPath: 'spec.template.spec' };
    }
    default:
      return undefined;
  }
}

/** Regular containers, then init containers, each with its field path. */
export function containersOf(template: PodTemplate): ContainerRef[] {
  const refs: ContainerRef[] = [];
  for (const [key, init] of [['containers', false], ['initContainers', true]] as const) {
    list(template.spec[key]).forEach((container, index) => {
      if (!isRecord(container)) return;
      refs.push({ container, name: str(container.name) ?? `#${index}`, path: childPath(template.specPath, key, index), init });
    });
  }
  return refs;
}

export interface NamedPort {
  readonly containerPort?: number;
  readonly name?: string;
}

/** Every port any container of the template declares. */
export function containerPortsOf(template: PodTemplate): NamedPort[] {
  return containersOf(template).flatMap(({ container }) =>
    list(container.ports).filter(isRecord).map((port) => ({
      containerPort: typeof port.containerPort === 'number' ? port.containerPort : undefined,
      name: str(port.name),
    })),
  );
}
