import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { allApps } from '../model/apps';
import type { FleetSpec } from '../model/fleet';
import { isChartInThisRepository } from '../model/helm-app';
import { error, type Problem } from '../model/problem';

/**
 * `model/chart-path-missing`: a Helm-chart app released from a chart directory of this
 * repository (`chart: { path }`) names a directory without a `Chart.yaml`. source-controller
 * would fail to package it and the HelmRelease would never install, so synth and check stop here.
 * Only apps placed on some cluster are checked (an unplaced app renders nothing).
 */
export function chartDirectoryProblems(fleet: FleetSpec, root: string): Problem[] {
  const placed = new Set(fleet.clusters.flatMap((cluster) => cluster.apps ?? []));
  return allApps(fleet).flatMap((entry) => {
    if (entry.kind !== 'helm' || !isChartInThisRepository(entry.app.chart) || !placed.has(entry.app.name)) return [];
    const path = entry.app.chart.path.replace(/^\.?\/+/, '');
    if (existsSync(join(root, path, 'Chart.yaml'))) return [];
    return [
      error(
        'model/chart-path-missing',
        { service: entry.app.name, field: 'chart.path', definition: entry.system.definition },
        `chart directory ${path} has no Chart.yaml, so Flux cannot package the chart`,
        `create the chart in ${path}/ (helm create, or copy it there), or fix "chart.path"`,
      ),
    ];
  });
}
