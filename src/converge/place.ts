import type { KubeObject } from '../model/kube-object';
import type { Place } from '../model/problem';
import { namespaceOf } from '../validate/cluster-index';
import { SERVICE_LABEL } from '../validate/validation-context';

/** The place of a converge finding: cluster, namespace, `Kind/name`, service, field. */
export function placeOf(cluster: string, obj: KubeObject, field?: string, definition?: string): Place {
  const service = obj.metadata.labels?.[SERVICE_LABEL];
  const place: Record<string, string | undefined> = { cluster, namespace: namespaceOf(obj), object: `${obj.kind}/${obj.metadata.name}`, service, field, definition };
  return Object.fromEntries(Object.entries(place).filter(([, v]) => v !== undefined)) as Place;
}
