import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { MANAGED_BY, MANAGED_BY_LABEL } from '../labels';

export interface DeveloperAccessProps {
  readonly namespace: string;
  /** Groups bound to the role. @default ['<namespace>-developers'] */
  readonly groups?: readonly string[];
}

/** Read-only resources developers inspect while debugging. */
const READABLE: readonly { apiGroups: string[]; resources: string[] }[] = [
  { apiGroups: [''], resources: ['pods', 'pods/log', 'services', 'endpoints', 'configmaps', 'events', 'serviceaccounts', 'persistentvolumeclaims'] },
  { apiGroups: ['apps'], resources: ['deployments', 'replicasets', 'statefulsets'] },
  { apiGroups: ['autoscaling'], resources: ['horizontalpodautoscalers'] },
  { apiGroups: ['policy'], resources: ['poddisruptionbudgets'] },
  { apiGroups: ['networking.k8s.io'], resources: ['ingresses', 'networkpolicies'] },
  { apiGroups: ['flagger.app'], resources: ['canaries'] },
  { apiGroups: ['bitnami.com'], resources: ['sealedsecrets'] },
];

/**
 * Read-mostly access for a namespace's developers, as platform teams grant it: read workloads,
 * logs and events, port-forward and delete pods (to restart one); no access to Secrets, no
 * writes to what Flux owns (it would revert them anyway).
 *
 * @see https://kubernetes.io/docs/reference/access-authn-authz/rbac/
 */
export class DeveloperAccess extends Construct {
  constructor(scope: Construct, id: string, props: DeveloperAccessProps) {
    super(scope, id);
    const labels = { [MANAGED_BY_LABEL]: MANAGED_BY };
    const rules: k8s.PolicyRule[] = [
      ...READABLE.map((rule) => ({ ...rule, verbs: ['get', 'list', 'watch'] })),
      { apiGroups: [''], resources: ['pods/portforward'], verbs: ['create'] },
      { apiGroups: [''], resources: ['pods'], verbs: ['delete'] },
    ];
    new k8s.KubeRole(this, 'Role', { metadata: { name: 'developer', namespace: props.namespace, labels }, rules });
    new k8s.KubeRoleBinding(this, 'Binding', {
      metadata: { name: 'developer', namespace: props.namespace, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'developer' },
      subjects: (props.groups ?? [`${props.namespace}-developers`]).map((group) => ({
        apiGroup: 'rbac.authorization.k8s.io',
        kind: 'Group',
        name: group,
      })),
    });
  }
}
