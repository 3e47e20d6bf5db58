import { DeveloperAccess } from '../../../src/charts/platform/developer-access';
import { AppNamespace } from '../../../src/charts/platform/namespace';
import { synthObjects } from '../../../src/render/synth-objects';

describe('AppNamespace', () => {
  it('enforces restricted Pod Security by default (snapshot)', () => {
    const [ns] = synthObjects((scope) => new AppNamespace(scope, 'ns', { name: 'shop', mesh: 'none' }));
    expect(ns.metadata.labels).toMatchObject({ 'pod-security.kubernetes.io/enforce': 'restricted' });
    expect(ns).toMatchSnapshot();
  });

  it('turns on Istio injection and relaxes to baseline for its init container', () => {
    const [ns] = synthObjects((scope) => new AppNamespace(scope, 'ns', { name: 'shop', mesh: 'istio' }));
    expect(ns.metadata.labels).toMatchObject({ 'istio-injection': 'enabled', 'pod-security.kubernetes.io/enforce': 'baseline' });
  });

  it('annotates Linkerd injection', () => {
    const [ns] = synthObjects((scope) => new AppNamespace(scope, 'ns', { name: 'shop', mesh: 'linkerd' }));
    expect(ns.metadata.annotations).toEqual({ 'linkerd.io/inject': 'enabled' });
  });
});

describe('DeveloperAccess', () => {
  it('grants read-mostly access without Secrets (snapshot)', () => {
    const objects = synthObjects((scope) => new DeveloperAccess(scope, 'dev', { namespace: 'shop', groups: ['shop-devs'] }));
    const role = objects.find((o) => o.kind === 'Role') as any;
    const resources = role.rules.flatMap((rule: { resources: string[] }) => rule.resources);
    expect(resources).not.toContain('secrets');
    expect(role.rules.filter((rule: { verbs: string[] }) => rule.verbs.some((v) => !['get', 'list', 'watch'].includes(v)))).toEqual([
      { apiGroups: [''], resources: ['pods/portforward'], verbs: ['create'] },
      { apiGroups: [''], resources: ['pods'], verbs: ['delete'] },
    ]);
    expect(objects).toMatchSnapshot();
  });

  it('takes the seed\'s own Role and RoleBinding names, the binding pointing at that Role (seed 004)', () => {
    // GIVEN / WHEN
    const objects = synthObjects((scope) => new DeveloperAccess(scope, 'dev', { namespace: 'staging', roleName: 'k8s-developer-role', bindingName: 'k8s-developer-rolebinding' }));

    // THEN
    const binding = objects.find((o) => o.kind === 'RoleBinding') as any;
    expect(objects.map((o) => `${o.kind}/${o.metadata.namespace}/${o.metadata.name}`)).toEqual(['Role/staging/k8s-developer-role', 'RoleBinding/staging/k8s-developer-rolebinding']);
    expect(binding.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'k8s-developer-role' });
  });

  it('keeps same-named objects of different namespaces apart in one chart (cdk8s#2821)', () => {
    // GIVEN two namespaces' Role "developer" defined in the same chart
    const objects = synthObjects((scope) => {
      new DeveloperAccess(scope, 'a', { namespace: 'team-a' });
      new DeveloperAccess(scope, 'b', { namespace: 'team-b' });
    });
    // THEN both survive, each in its namespace
    expect(objects.filter((o) => o.kind === 'Role').map((o) => o.metadata.namespace)).toEqual(['team-a', 'team-b']);
  });
});
