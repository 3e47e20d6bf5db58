import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { MANAGED_BY, MANAGED_BY_LABEL } from '../labels';
import type { ClusterContext } from '../microservice/cluster-context';

/** Resources of one API group a rule grants. */
export interface ApiResources {
  readonly apiGroups: readonly string[];
  readonly resources: readonly string[];
}

export interface DeveloperAccessProps {
  readonly namespace: string;
  /** Groups bound to the role. @default ['<namespace>-developers'] */
  readonly groups?: readonly string[];
  /** Name of the Role. @default 'developer' */
  readonly roleName?: string;
  /** Name of the RoleBinding. @default 'developer' */
  readonly bindingName?: string;
  /**
   * Resources of the cluster's controllers developers read besides the built-in workload kinds
   * (see clusterReadableResources). @default [] - built-in kinds only
   */
  readonly readable?: readonly ApiResources[];
}

/** Built-in resources developers inspect while debugging, on every cluster. */
const READABLE: readonly ApiResources[] = [
  { apiGroups: [''], resources: ['pods', 'pods/log', 'services', 'endpoints', 'configmaps', 'events', 'serviceaccounts', 'persistentvolumeclaims', 'resourcequotas', 'limitranges'] },
  { apiGroups: ['apps'], resources: ['deployments', 'replicasets', 'statefulsets', 'daemonsets'] },
  { apiGroups: ['batch'], resources: ['jobs', 'cronjobs'] },
  { apiGroups: ['autoscaling'], resources: ['horizontalpodautoscalers'] },
  { apiGroups: ['policy'], resources: ['poddisruptionbudgets'] },
  { apiGroups: ['networking.k8s.io'], resources: ['ingresses', 'networkpolicies'] },
];

/**
 * The custom resources that exist in a cluster's app namespaces, from what the cluster runs:
 * what the generator applies there (Canaries, Rollouts, routes, SealedSecrets) and what the
 * controllers create next to them (Flagger's TraefikServices, VirtualServices and
 * DestinationRules; Argo Rollouts' AnalysisRuns and Experiments).
 */
/** What a namespace with Helm-chart apps holds: HelmReleases and their chart sources (a chart of another Git repository: a GitRepository). */
export const HELM_APP_RESOURCES: readonly ApiResources[] = [
  { apiGroups: ['helm.toolkit.fluxcd.io'], resources: ['helmreleases'] },
  { apiGroups: ['source.toolkit.fluxcd.io'], resources: ['helmrepositories', 'ocirepositories', 'gitrepositories', 'helmcharts'] },
];

export function clusterReadableResources(cluster: ClusterContext, secretsBackend?: 'sealed-secrets' | 'sops'): ApiResources[] {
  const readable: ApiResources[] = [];
  const provider = cluster.progressive?.engine === 'flagger' ? cluster.progressive.provider : undefined;
  if (cluster.ingress.controller === 'traefik' || provider === 'traefik') readable.push({ apiGroups: ['traefik.io'], resources: ['ingressroutes', 'traefikservices'] });
  if (cluster.ingress.controller === 'istio' || cluster.mesh === 'istio') readable.push({ apiGroups: ['networking.istio.io'], resources: ['virtualservices', 'destinationrules'] });
  if (cluster.ingress.controller === 'gateway-api' || provider === 'gatewayapi') readable.push({ apiGroups: ['gateway.networking.k8s.io'], resources: ['httproutes'] });
  if (cluster.progressive?.engine === 'flagger') readable.push({ apiGroups: ['flagger.app'], resources: ['canaries', 'metrictemplates', 'alertproviders'] });
  if (cluster.progressive?.engine === 'argo-rollouts') readable.push({ apiGroups: ['argoproj.io'], resources: ['rollouts', 'analysisruns', 'analysistemplates', 'experiments'] });
  if (secretsBackend === 'sealed-secrets') readable.push({ apiGroups: ['bitnami.com'], resources: ['sealedsecrets'] });
  return readable;
}

/**
 * Read-mostly access for a namespace's developers, as platform teams grant it: read workloads,
 * the cluster's custom resources in the namespace (canaries, rollouts, routes), logs and events, port-forward and delete pods (to restart one); no access to Secrets, no
 * writes to what Flux owns (it would revert them anyway).
 *
 * @see https://kubernetes.io/docs/reference/access-authn-authz/rbac/
 */
export class DeveloperAccess extends Construct {
  constructor(scope: Construct, id: string, props: DeveloperAccessProps) {
    super(scope, id);
    const labels = { [MANAGED_BY_LABEL]: MANAGED_BY };
    const rules: k8s.PolicyRule[] = [
      ...[...READABLE, ...(props.readable ?? [])].map((rule) => ({ apiGroups: [...rule.apiGroups], resources: [...rule.resources], verbs: ['get', 'list', 'watch'] })),
      { apiGroups: [''], resources: ['pods/portforward'], verbs: ['create'] },
      { apiGroups: [''], resources: ['pods'], verbs: ['delete'] },
    ];
    const roleName = props.roleName ?? 'developer';
    new k8s.KubeRole(this, 'Role', { metadata: { name: roleName, namespace: props.namespace, labels }, rules });
    new k8s.KubeRoleBinding(this, 'Binding', {
      metadata: { name: props.bindingName ?? 'developer', namespace: props.namespace, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: roleName },
      subjects: (props.groups ?? [`${props.namespace}-developers`]).map((group) => ({
        apiGroup: 'rbac.authorization.k8s.io',
        kind: 'Group',
        name: group,
      })),
    });
  }
}
