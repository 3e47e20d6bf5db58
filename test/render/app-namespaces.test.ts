import { ALB_READINESS_GATE_LABEL } from '../../src/charts/platform/namespace';
import { fleet } from '../../src/environments';
import type { KubeObject } from '../../src/model/kube-object';
import { renderFleet } from '../../src/render/render-fleet';

/** The resource name RBAC uses for a kind (the API's plural). */
function plural(kind: string): string {
  const lower = kind.toLowerCase();
  if (lower.endsWith('y')) return `${lower.slice(0, -1)}ies`;
  if (lower.endsWith('s')) return `${lower}es`;
  return `${lower}s`;
}

const group = (apiVersion: string) => (apiVersion.includes('/') ? apiVersion.split('/')[0] : '');

interface Rule {
  readonly apiGroups: string[];
  readonly resources: string[];
  readonly verbs: string[];
}

const sealedSecret = (namespace: string): KubeObject => ({ apiVersion: 'bitnami.com/v1alpha1', kind: 'SealedSecret', metadata: { name: 'db', namespace }, spec: { encryptedData: { password: 'AgB' } } });

describe('app namespaces follow what each cluster applies to them', () => {
  // GIVEN every sample cluster, the Sealed Secrets ones delivering a SealedSecret
  const clusters = renderFleet(fleet, {
    secrets: new Map([
      ['staging', { objects: [sealedSecret('microservices')] }],
      ['production', { objects: [sealedSecret('production')] }],
    ]),
  }).clusters;

  it("lets developers read every kind applied to their namespace (Rollouts, Canaries, routes…), never Secrets", () => {
    for (const cluster of clusters) {
      const roles = cluster.objects.filter((o) => o.kind === 'Role' && o.metadata.name === 'developer');
      const namespaces = new Set(roles.map((role) => role.metadata.namespace as string));
      for (const obj of cluster.objects.filter((o) => namespaces.has(o.metadata.namespace as string) && o.kind !== 'Secret' && !o.apiVersion.startsWith('rbac.'))) {
        const rules = (roles.find((r) => r.metadata.namespace === obj.metadata.namespace) as unknown as { rules: Rule[] }).rules;
        const readable = rules.some((rule) => rule.apiGroups.includes(group(obj.apiVersion)) && rule.resources.includes(plural(obj.kind)) && rule.verbs.includes('list'));
        expect({ cluster: cluster.spec.name, kind: `${obj.apiVersion} ${obj.kind}`, readable }).toEqual({ cluster: cluster.spec.name, kind: `${obj.apiVersion} ${obj.kind}`, readable: true });
      }
      for (const role of roles) expect((role as unknown as { rules: Rule[] }).rules.flatMap((r) => r.resources)).not.toContain('secrets');
    }
  });

  it('labels a namespace for the AWS Load Balancer Controller readiness gate where ALBs target its pod IPs', () => {
    let albNamespaces = 0;
    for (const cluster of clusters) {
      const targetsPods = new Set(
        cluster.objects.filter((o) => o.kind === 'Ingress' && o.metadata.annotations?.['alb.ingress.kubernetes.io/target-type'] === 'ip').map((o) => o.metadata.namespace as string),
      );
      albNamespaces += targetsPods.size;
      for (const ns of cluster.objects.filter((o) => o.kind === 'Namespace' && o.metadata.labels?.['app.kubernetes.io/part-of'] !== 'infrastructure')) {
        const label = ns.metadata.labels?.[ALB_READINESS_GATE_LABEL];
        expect({ cluster: cluster.spec.name, namespace: ns.metadata.name, label }).toEqual({ cluster: cluster.spec.name, namespace: ns.metadata.name, label: targetsPods.has(ns.metadata.name) ? 'enabled' : undefined });
      }
    }
    expect(albNamespaces).toBeGreaterThan(0);
  });
});

describe('developer RBAC names from the environment (seed 004: k8s-developer-role)', () => {
  it('renders the namespace\'s Role and RoleBinding under the declared names', () => {
    // GIVEN the flyreserve staging namespace declared with the seed's RBAC names
    const custom = {
      ...fleet,
      systems: fleet.systems.map((system) =>
        system.name !== 'flyreserve'
          ? system
          : { ...system, environments: system.environments.map((env) => ({ ...env, namespaces: { microservices: { developerRbac: { role: 'k8s-developer-role', binding: 'k8s-developer-rolebinding' } } } })) },
      ),
    };

    // WHEN
    const staging = renderFleet(custom, { secrets: new Map([['staging', { objects: [sealedSecret('microservices')] }]]) }).clusters.find((c) => c.spec.name === 'staging');

    // THEN
    const rbac = (staging?.objects ?? []).filter((o: KubeObject) => (o.kind === 'Role' || o.kind === 'RoleBinding') && o.metadata.namespace === 'microservices');
    expect(rbac.map((o: KubeObject) => `${o.kind}/${o.metadata.name}`).sort()).toEqual(['Role/k8s-developer-role', 'RoleBinding/k8s-developer-rolebinding']);
  });
});
