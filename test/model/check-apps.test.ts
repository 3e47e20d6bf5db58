import { checkFleet } from '../../src/model/check-model';
import type { FleetSpec } from '../../src/model/fleet';
import type { HelmAppSpec } from '../../src/model/helm-app';
import { escapeHatchFleet } from '../support/escape-hatch-fleet';

function withHelmApps(apps: HelmAppSpec<unknown>[], placed: string[] = apps.map((a) => a.name)): FleetSpec {
  const fleet = escapeHatchFleet();
  return { ...fleet, systems: [{ ...fleet.systems[0], helmApps: apps }], clusters: [{ ...fleet.clusters[0], apps: placed }] };
}

const problems = (fleet: FleetSpec) => checkFleet(fleet).map((p) => `${p.code} ${p.place.field}`);

describe('app model checks', () => {
  it('accepts the escape-hatch fleet', () => {
    expect(checkFleet(escapeHatchFleet())).toEqual([]);
  });

  it.each(['^1.2.0', '~1.2', '>=1.0.0', '1.x', '*', '1.2', 'latest'])('refuses the unpinned chart version %s with the exact-version fix', (version) => {
    const [problem] = checkFleet(withHelmApps([{ name: 'redis', chart: { helmRepository: 'https://charts.example.test', name: 'redis', version } }]));
    expect(problem).toMatchObject({ code: 'model/unpinned-chart', place: { service: 'redis', field: 'chart.version' } });
    expect(problem.fix).toMatch(/exact version/);
  });

  it('refuses an unpinned per-environment version, a version for a chart from this repository, and wrong URL schemes', () => {
    const fleet = withHelmApps([
      { name: 'a', chart: { helmRepository: 'https://charts.example.test', name: 'a', version: '1.0.0' }, environments: { staging: { version: '1.1' } } },
      { name: 'b', chart: { path: 'helm/b' }, environments: { staging: { version: '1.0.0' } } },
      { name: 'c', chart: { helmRepository: 'oci://ghcr.io/x', name: 'c', version: '1.0.0' } },
      { name: 'd', chart: { ociRepository: 'https://ghcr.io/x', name: 'd', version: '1.0.0' } },
      { name: 'e', chart: { path: '../outside' } },
    ]);
    expect(problems(fleet)).toEqual([
      'model/unpinned-chart environments.staging.version',
      'model/chart-version-from-git environments.staging.version',
      'model/invalid-chart-repository chart.helmRepository',
      'model/invalid-chart-repository chart.ociRepository',
      'model/invalid-chart-path chart.path',
    ]);
  });

  it("accepts a chart directory of another Git repository, and refuses a version for it, a path leaving it and a URL source-controller cannot clone", () => {
    const git = (name: string, gitRepository: string, path = `deploy/charts/${name}`) => ({ gitRepository, ref: { branch: 'master' }, path });
    expect(problems(withHelmApps([{ name: 'a', chart: git('a', 'https://gitlab.com/team/app') }, { name: 'b', chart: { ...git('b', 'ssh://git@gitlab.com/team/app.git'), ref: { tag: 'v1.0.0' } } }]))).toEqual([]);
    const fleet = withHelmApps([
      { name: 'c', chart: git('c', 'https://gitlab.com/team/app'), environments: { staging: { version: '1.0.0' } } },
      { name: 'd', chart: git('d', 'https://gitlab.com/team/app', '../../etc') },
      { name: 'e', chart: git('e', 'git@gitlab.com:team/app.git') },
    ]);
    expect(problems(fleet)).toEqual(['model/chart-version-from-git environments.staging.version', 'model/invalid-chart-path chart.path', 'model/invalid-chart-repository chart.gitRepository']);
    expect(checkFleet(fleet)[0].fix).toContain('ref');
  });

  it('requires dependencies to be Helm apps placed on the same cluster, and cluster apps to exist', () => {
    const fleet = withHelmApps(
      [
        { name: 'a', chart: { path: 'helm/a' }, dependsOn: ['b', 'web', 'a'] },
        { name: 'b', chart: { path: 'helm/b' } },
      ],
      ['a', 'typo'],
    );
    expect(problems(fleet)).toEqual(['model/unknown-app dependsOn', 'model/depends-on-itself dependsOn', 'model/dependency-not-placed apps', 'model/unknown-app apps']);
  });

  it('refuses an app named like a service, and environments the system does not define', () => {
    const fleet = escapeHatchFleet();
    const clash: FleetSpec = {
      ...fleet,
      systems: [{ ...fleet.systems[0], helmApps: [{ name: 'web', chart: { path: 'helm/web' }, environments: { prod: {} } }] }],
      clusters: [{ ...fleet.clusters[0], apps: [] }],
    };
    expect(problems(clash)).toEqual(['model/duplicate-service name', 'model/unknown-environment environments.prod']);
  });
});
