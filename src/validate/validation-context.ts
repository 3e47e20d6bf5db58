import type { GatewayApiChannel } from '../model/cluster';
import type { KubeObject } from '../model/kube-object';
import type { Place } from '../model/problem';
import { indexCluster, type ClusterIndex } from './cluster-index';
import { stringMap } from './json';
import type { ResolvedValidateOptions } from './validate-options';

/** Label that names the fleet service an object belongs to. */
export const SERVICE_LABEL = 'app.kubernetes.io/name';
/** Annotation the generator puts on workloads: the TypeScript file that defines them. */
export const DEFINITION_ANNOTATION = 'fleet.gitops.dev/definition';

/** What every rule gets: the cluster, its objects indexed, the options, and how to name a place. */
export interface ValidationContext {
  readonly cluster: string;
  readonly production: boolean;
  readonly kubernetesVersion?: string;
  /** Gateway API release channel the cluster runs: its Gateway API objects use CRDs of that channel. */
  readonly gatewayApiChannel: GatewayApiChannel;
  readonly index: ClusterIndex;
  readonly options: ResolvedValidateOptions;
  /** Services (by label) with objects on this cluster, and the file defining each when known. */
  readonly serviceDefinitions: ReadonlyMap<string, string>;
  readonly services: ReadonlySet<string>;
  /** The place of a field of an object: cluster, namespace, `Kind/name`, service and definition. */
  placeOf(obj: KubeObject, field?: string): Place;
}

export interface ClusterInput {
  readonly cluster: string;
  readonly production: boolean;
  /** Kubernetes minor version of the cluster, e.g. `1.31`. */
  readonly kubernetesVersion?: string;
  /** @default 'standard' */
  readonly gatewayApiChannel?: GatewayApiChannel;
  /** The cluster's provider, whose preinstalled CRDs are known kinds. @default - none */
  readonly provider?: 'eks' | 'gke' | 'generic';
  readonly objects: readonly KubeObject[];
}

export function createContext(input: ClusterInput, options: ResolvedValidateOptions): ValidationContext {
  const index = indexCluster(input.objects);
  const definitions = serviceDefinitions(index.objects, options.definitions);
  return {
    cluster: input.cluster,
    production: input.production,
    kubernetesVersion: input.kubernetesVersion,
    gatewayApiChannel: input.gatewayApiChannel ?? 'standard',
    index,
    options,
    serviceDefinitions: definitions,
    services: new Set(index.objects.map(serviceOf).filter((s): s is string => s !== undefined)),
    placeOf(obj, field) {
      const service = serviceOf(obj);
      const annotated = stringMap(obj.metadata?.annotations)[DEFINITION_ANNOTATION];
      const definition = annotated ?? (service ? definitions.get(service) : undefined);
      return strip({
        cluster: input.cluster,
        namespace: obj.metadata?.namespace,
        service,
        object: `${obj.kind}/${obj.metadata?.name}`,
        field,
        definition,
      });
    },
  };
}

export function serviceOf(obj: KubeObject): string | undefined {
  return stringMap(obj.metadata?.labels)[SERVICE_LABEL];
}

/**
 * Service → definition file. The generator annotates workloads only; a Service or Ingress of the
 * same service borrows its workload's annotation, then the caller's map.
 */
function serviceDefinitions(objects: readonly KubeObject[], fallback: Readonly<Record<string, string>>): Map<string, string> {
  const out = new Map(Object.entries(fallback));
  for (const obj of objects) {
    const service = serviceOf(obj);
    const definition = stringMap(obj.metadata?.annotations)[DEFINITION_ANNOTATION];
    if (service && definition) out.set(service, definition);
  }
  return out;
}

function strip(place: Record<string, string | undefined>): Place {
  return Object.fromEntries(Object.entries(place).filter(([, v]) => v !== undefined)) as Place;
}
