import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as yaml from 'js-yaml';
import { syntheticFleet } from '../../src/bench/synthetic-fleet';
import type { FleetSpec } from '../../src/model/fleet';
import type { KubeObject } from '../../src/model/kube-object';
import { appsUnitName, appsUnits, MAX_OBJECTS_PER_APPS_UNIT } from '../../src/render/apps-units';
import { kustomizeCluster } from '../../src/render/kustomize-build';
import { renderOk, renderToDir } from '../support/render-to-dir';

// Runs kubectl kustomize: on a busy 2-core machine one test can take far longer than jest's 5 s default.
jest.setTimeout(120_000);

/** The synthetic fleet with some services moved into applyGroups. */
function grouped(fleet: FleetSpec, groupOf: (service: string) => string | undefined): FleetSpec {
  return { ...fleet, systems: fleet.systems.map((system) => ({ ...system, services: system.services.map((s) => ({ ...s, applyGroup: groupOf(s.name) })) })) };
}

const id = (obj: KubeObject) => `${obj.kind}/${obj.metadata.namespace ?? ''}/${obj.metadata.name}`;

function fluxKustomizations(dir: string, cluster: string): { metadata: { name: string }; spec: { path: string; dependsOn: { name: string }[]; healthCheckExprs?: unknown[] } }[] {
  return yaml.loadAll(readFileSync(join(dir, 'clusters', cluster, 'apps.yaml'), 'utf8')) as never;
}

describe('apps units', () => {
  it('names and orders units: each namespace, then its groups', () => {
    const units = appsUnits([{ namespace: 'b' }, { namespace: 'a', group: 'y' }, { namespace: 'a', group: 'x' }, { namespace: 'b' }], ['a']);
    expect(units.map(appsUnitName)).toEqual(['apps-a', 'apps-a-x', 'apps-a-y', 'apps-b']);
    // two units under one name are never merged silently (the model check reports them first)
    expect(() => appsUnits([{ namespace: 'a', group: 'b-c' }, { namespace: 'a-b', group: 'c' }])).toThrow('apps-a-b-c names two apps units');
  });

  it('applies each applyGroup with its own Flux Kustomization that builds into exactly the modelled objects', () => {
    // GIVEN 6 services of one namespace, 3 of them in group "search"
    const fleet = grouped(syntheticFleet({ services: 6, clusters: 1, servicesPerTeam: 6 }), (name) => (['svc-0-1', 'svc-0-3', 'svc-0-5'].includes(name) ? 'search' : undefined));

    // WHEN it is rendered
    const { dir, result } = renderToDir(fleet);

    // THEN the group's services sit in the group's directory, listed by its own kustomization
    expect(existsSync(join(dir, 'clusters/cluster-0/apps/team-0/search/svc-0-1/kustomization.yaml'))).toBe(true);
    expect(existsSync(join(dir, 'clusters/cluster-0/apps/team-0/svc-0-1'))).toBe(false);
    const group = yaml.load(readFileSync(join(dir, 'clusters/cluster-0/apps/team-0/search/kustomization.yaml'), 'utf8'));
    expect(group).toMatchObject({ namespace: 'team-0', resources: ['svc-0-1', 'svc-0-3', 'svc-0-5'] });
    const own = yaml.load(readFileSync(join(dir, 'clusters/cluster-0/apps/team-0/kustomization.yaml'), 'utf8'));
    expect(own).toMatchObject({ namespace: 'team-0', resources: ['svc-0-0', 'svc-0-2', 'svc-0-4'] });

    // AND Flux gets one Kustomization per unit, each after the infrastructure
    const flux = fluxKustomizations(dir, 'cluster-0');
    expect(flux.map((k) => [k.metadata.name, k.spec.path, k.spec.dependsOn.map((d) => d.name)])).toEqual([
      ['apps-team-0', './clusters/cluster-0/apps/team-0', ['infra-configs']],
      ['apps-team-0-search', './clusters/cluster-0/apps/team-0/search', ['infra-configs']],
    ]);
    // AND kubectl kustomize of every Flux path gives exactly the objects of the model
    expect(kustomizeCluster(dir, 'cluster-0').map(id).sort()).toEqual(result.clusters[0].objects.map(id).sort());
  });

  it("applies a group after its namespace's own unit when that unit holds the namespace's secrets", () => {
    const fleet = grouped(syntheticFleet({ services: 2, clusters: 1, servicesPerTeam: 2 }), () => 'all');
    const sealed: KubeObject = { apiVersion: 'bitnami.com/v1alpha1', kind: 'SealedSecret', metadata: { name: 'db', namespace: 'team-0' } };
    const result = renderOk(fleet, { secrets: new Map([['cluster-0', { objects: [sealed] }]]) });
    const flux = (result.clusters[0].objects as KubeObject[]).filter((o) => o.kind === 'Kustomization' && o.metadata.name.startsWith('apps-'));
    const dependsOn = (name: string) => ((flux.find((k) => k.metadata.name === name) as unknown as { spec: { dependsOn: { name: string }[] } }).spec.dependsOn ?? []).map((d) => d.name);
    expect(flux.map((k) => k.metadata.name)).toEqual(['apps-team-0', 'apps-team-0-all']);
    expect(dependsOn('apps-team-0')).toEqual(['infra-configs']);
    expect(dependsOn('apps-team-0-all')).toEqual(['infra-configs', 'apps-team-0']);
    expect(result.files.get('clusters/cluster-0/apps/team-0/kustomization.yaml')).toContain('  - secrets\n');
  });

  it('warns when one Flux Kustomization would apply more than a few hundred objects, and not once the namespace is split', () => {
    // GIVEN one namespace of 70 services (8 objects each)
    const fleet = syntheticFleet({ services: 70, clusters: 1, servicesPerTeam: 70, canaries: false });

    // THEN its single Kustomization is flagged, with the count and the fix
    const [warning, ...others] = renderOk(fleet).problems.filter((p) => p.code === 'flux/large-build');
    expect(others).toEqual([]);
    expect(warning).toMatchObject({ severity: 'warning', place: { cluster: 'cluster-0', namespace: 'team-0', object: 'Kustomization/apps-team-0' } });
    expect(warning.message).toMatch(new RegExp(`^apps-team-0 applies \\d+ objects of 70 services \\(more than ${MAX_OBJECTS_PER_APPS_UNIT}\\)`));
    expect(warning.fix).toContain('applyGroup');

    // AND split into two groups, nothing is flagged
    const split = grouped(fleet, (name) => (Number(name.split('-')[2]) % 2 === 0 ? 'even' : 'odd'));
    expect(renderOk(split).problems.filter((p) => p.code === 'flux/large-build')).toEqual([]);
  });
});
