import { k8s } from 'cdk8s-plus-27';
import type { ChartFunction } from '../../../model/custom-chart';

/** Values of the namespace guardrails chart. */
export interface NamespaceGuardrailsValues {
  /** Most CPU all pods of the namespace may request together, e.g. `'8'`. */
  readonly requestsCpu: string;
  /** Most memory all pods of the namespace may request together, e.g. `'16Gi'`. */
  readonly requestsMemory: string;
  /** Most pods in the namespace. @default - no limit */
  readonly pods?: number;
  /** Memory limit of a container that sets none. @default '256Mi' */
  readonly defaultMemoryLimit?: string;
}

/**
 * Example user chart attached to a namespace (as a chart app): a ResourceQuota and a
 * LimitRange, sized per environment through values. Written with the typed `k8s` API exactly
 * as in any cdk8s project; the generator sets the namespace (kustomize) and validates the result.
 *
 * @see https://kubernetes.io/docs/concepts/policy/resource-quotas/
 * @see https://kubernetes.io/docs/concepts/policy/limit-range/
 */
export const namespaceGuardrails: ChartFunction<NamespaceGuardrailsValues> = (scope, { name, labels, values }) => {
  new k8s.KubeResourceQuota(scope, 'Quota', {
    metadata: { name, labels: { ...labels } },
    spec: {
      hard: {
        'requests.cpu': k8s.Quantity.fromString(values.requestsCpu),
        'requests.memory': k8s.Quantity.fromString(values.requestsMemory),
        ...(values.pods !== undefined ? { pods: k8s.Quantity.fromNumber(values.pods) } : {}),
      },
    },
  });
  new k8s.KubeLimitRange(scope, 'Limits', {
    metadata: { name, labels: { ...labels } },
    spec: { limits: [{ type: 'Container', default: { memory: k8s.Quantity.fromString(values.defaultMemoryLimit ?? '256Mi') } }] },
  });
};
