import { allApps, appEntries, type AppEntry } from './apps';
import { allServices, type FleetSpec } from './fleet';
import { EXACT_VERSION, isChartFromGit, type HelmAppSpec } from './helm-app';
import { error, type Problem } from './problem';
import { environmentOf } from './resolve';

/**
 * Model checks of the escape hatches: Helm-chart apps (pinned chart versions, known sources,
 * dependencies placed where the app is), chart apps, charts attached to services, and the
 * placement of apps on clusters (`ClusterSpec.apps`).
 */
export function checkApps(fleet: FleetSpec): Problem[] {
  return [...checkAppNames(fleet), ...allApps(fleet).flatMap((entry) => checkApp(fleet, entry)), ...checkAttachedCharts(fleet), ...checkPlacement(fleet)];
}

const DNS_LABEL = /^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/;

function place(entry: AppEntry, field: string, environment?: string) {
  return { service: entry.app.name, environment, field, definition: entry.system.definition };
}

function checkAppNames(fleet: FleetSpec): Problem[] {
  const seen = new Map<string, string>(allServices(fleet).map((e) => [e.service.name, `service of ${e.system.definition}`]));
  const problems: Problem[] = [];
  for (const entry of allApps(fleet)) {
    const name = entry.app.name;
    if (!DNS_LABEL.test(name)) problems.push(error('model/invalid-name', place(entry, 'name'), `"${name}" is not a DNS-1035 label`, 'use lower-case letters, digits and "-", starting with a letter, at most 63 characters'));
    if (name === 'secrets') problems.push(error('model/reserved-name', place(entry, 'name'), '"secrets" names the directory of each namespace\'s Secrets', 'rename the app'));
    const other = seen.get(name);
    if (other) {
      problems.push(error('model/duplicate-service', place(entry, 'name'), `app name "${name}" is also a ${other}`, 'services and apps share one name space (they name directories, Flux units and objects); rename one'));
    }
    seen.set(name, `${entry.kind === 'helm' ? 'Helm app' : 'chart app'} of ${entry.system.definition}`);
  }
  return problems;
}

function checkApp(fleet: FleetSpec, entry: AppEntry): Problem[] {
  const problems: Problem[] = [];
  const environments = new Set(entry.system.environments.map((e) => e.name));
  for (const name of Object.keys(entry.app.environments ?? {})) {
    if (!environments.has(name)) {
      problems.push(error('model/unknown-environment', place(entry, `environments.${name}`), `${entry.system.name} has no environment "${name}"`, `use one of: ${[...environments].join(', ')}`));
    }
  }
  const group = entry.app.applyGroup;
  if (group !== undefined && (!/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(group) || group === 'secrets')) {
    problems.push(error('model/invalid-apply-group', place(entry, 'applyGroup'), `applyGroup "${group}" is not a DNS-1123 label other than "secrets"`, 'use lower-case letters, digits and "-", at most 63 characters'));
  }
  if (entry.kind === 'helm') problems.push(...checkHelmApp(fleet, entry, entry.app));
  else if (!entry.app.chart && !Object.values(entry.app.environments ?? {}).some((env) => (env.objects ?? []).length > 0)) {
    problems.push(error('model/empty-app', place(entry, 'chart'), `chart app ${entry.app.name} has neither a chart nor objects`, 'set "chart" (your chart function) or an environment\'s "objects"'));
  }
  return problems;
}

function checkHelmApp(fleet: FleetSpec, entry: AppEntry, app: HelmAppSpec<unknown>): Problem[] {
  const problems: Problem[] = [];
  const chart = app.chart;
  const pin = (version: string | undefined, field: string, environment?: string) => {
    if (version === undefined || EXACT_VERSION.test(version)) return;
    problems.push(
      error(
        'model/unpinned-chart',
        place(entry, field, environment),
        `chart version "${version}" is not an exact version: a range or partial version lets helm-controller upgrade the app by itself whenever the repository publishes a match, unreviewed`,
        'write the exact version, e.g. "1.4.2" (`helm search repo <chart> --versions` lists them)',
      ),
    );
  };
  if (isChartFromGit(chart)) {
    const external = 'gitRepository' in chart;
    if (chart.path.startsWith('/') || chart.path.split('/').includes('..')) {
      const example = external ? 'give the chart directory relative to the repository root, e.g. "deploy/charts/frontend"' : 'give the chart directory relative to the project root, e.g. "helm/loadgenerator"';
      problems.push(error('model/invalid-chart-path', place(entry, 'chart.path'), `chart path "${chart.path}" leaves the repository`, example));
    }
    // source-controller clones http(s) and ssh URLs only (GitRepository spec.url).
    if (external && !/^(https?|ssh):\/\//.test(chart.gitRepository)) {
      problems.push(error('model/invalid-chart-repository', place(entry, 'chart.gitRepository'), `"${chart.gitRepository}" is not an http(s) or ssh:// Git URL`, 'write the clone URL, e.g. "https://gitlab.com/team/app" or "ssh://git@gitlab.com/team/app.git"'));
    }
    for (const [name, env] of Object.entries(app.environments ?? {})) {
      if (env.version !== undefined) {
        const fix = external ? 'remove "version"; change the chart\'s `ref` (a tag or commit) instead' : 'remove "version"; change the chart directory (or its values) instead';
        problems.push(error('model/chart-version-from-git', place(entry, `environments.${name}.version`, name), 'a chart from Git is pinned by its revision, not by a version', fix));
      }
    }
  } else {
    if ('helmRepository' in chart && !/^https?:\/\//.test(chart.helmRepository)) {
      problems.push(error('model/invalid-chart-repository', place(entry, 'chart.helmRepository'), `"${chart.helmRepository}" is not an http(s) Helm repository URL`, chart.helmRepository.startsWith('oci://') ? 'use "ociRepository" for oci:// registries' : 'write the repository URL, e.g. "https://charts.example.com"'));
    }
    if ('ociRepository' in chart && !chart.ociRepository.startsWith('oci://')) {
      problems.push(error('model/invalid-chart-repository', place(entry, 'chart.ociRepository'), `"${chart.ociRepository}" is not an oci:// URL`, 'write the registry path without the chart name, e.g. "oci://ghcr.io/example-org/charts"'));
    }
    pin(chart.version, 'chart.version');
    for (const [name, env] of Object.entries(app.environments ?? {})) pin(env.version, `environments.${name}.version`, name);
  }
  const apps = appEntries(fleet);
  for (const dependency of app.dependsOn ?? []) {
    const target = apps.get(dependency);
    if (dependency === app.name) problems.push(error('model/depends-on-itself', place(entry, 'dependsOn'), 'an app cannot depend on itself', `remove "${dependency}"`));
    else if (target?.kind !== 'helm') {
      problems.push(error('model/unknown-app', place(entry, 'dependsOn'), `dependsOn names "${dependency}", which is not a Helm-chart app`, `helm-controller orders HelmReleases only; known Helm apps: ${[...apps.values()].filter((a) => a.kind === 'helm').map((a) => a.app.name).sort().join(', ')}`));
    }
  }
  return problems;
}

function checkAttachedCharts(fleet: FleetSpec): Problem[] {
  const problems: Problem[] = [];
  for (const { service, system } of allServices(fleet)) {
    const ids = new Set<string>();
    const environments = new Set(system.environments.map((e) => e.name));
    (service.charts ?? []).forEach((chart, i) => {
      const field = `charts[${i}]`;
      if (ids.has(chart.id)) problems.push(error('model/duplicate-chart', { service: service.name, field: `${field}.id`, definition: system.definition }, `chart id "${chart.id}" is used twice`, 'give each attached chart its own id'));
      ids.add(chart.id);
      for (const name of Object.keys(chart.environments ?? {})) {
        if (!environments.has(name)) problems.push(error('model/unknown-environment', { service: service.name, field: `${field}.environments.${name}`, definition: system.definition }, `${system.name} has no environment "${name}"`, `use one of: ${[...environments].join(', ')}`));
      }
    });
  }
  return problems;
}

/** `ClusterSpec.apps` names known apps whose system runs the cluster's environment, and their Helm dependencies too. */
function checkPlacement(fleet: FleetSpec): Problem[] {
  const apps = appEntries(fleet);
  const problems: Problem[] = [];
  for (const cluster of fleet.clusters) {
    const placed = new Set(cluster.apps ?? []);
    for (const name of cluster.apps ?? []) {
      const at = { cluster: cluster.name, field: 'apps', definition: cluster.definition };
      const entry = apps.get(name);
      if (!entry) {
        problems.push(error('model/unknown-app', at, `cluster lists unknown app "${name}"`, `define it in a system's helmApps or charts; known apps: ${[...apps.keys()].sort().join(', ') || '(none)'}`));
        continue;
      }
      if (!environmentOf(entry.system, cluster.environment)) {
        problems.push(error('model/unknown-environment', { ...at, service: name }, `${entry.system.name} defines no environment "${cluster.environment}"`, `add environment ${cluster.environment} to ${entry.system.definition}`));
      }
      if (entry.kind === 'helm') {
        for (const dependency of entry.app.dependsOn ?? []) {
          if (apps.get(dependency)?.kind === 'helm' && !placed.has(dependency)) {
            problems.push(error('model/dependency-not-placed', { ...at, service: name }, `${name} depends on ${dependency}, which does not run on ${cluster.name}: helm-controller would wait for it forever`, `add "${dependency}" to the cluster's apps, or remove the dependency`));
          }
        }
      }
    }
  }
  return problems;
}
