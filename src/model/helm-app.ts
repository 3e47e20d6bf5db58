import type { ChartPin } from './controller-versions';
import type { ObjectPatch } from './object-patch';

/**
 * An application delivered as a Flux HelmRelease of a chart, placed on clusters like a service
 * (by name, in `ClusterSpec.apps`) and applied by its namespace's Flux unit. Its base
 * (`dist/bases/<name>/`: the chart source and the HelmRelease with the common values) and the
 * per-cluster overlay (that environment's values and version) are computed like a service's.
 *
 * @see https://fluxcd.io/flux/components/helm/helmreleases/
 */
export interface HelmAppSpec<Values = Readonly<Record<string, unknown>>> {
  /** DNS-1035 label, unique among services and apps; also the Helm release name. */
  readonly name: string;
  /** @default - the environment's namespace */
  readonly namespace?: string;
  /** @default - the namespace's own Flux Kustomization */
  readonly applyGroup?: string;
  readonly chart: HelmChartRef;
  /** Chart values every environment starts from (a typed object, never a YAML string). @default {} */
  readonly values?: Values;
  /** What one environment changes. */
  readonly environments?: Readonly<Record<string, HelmAppEnvironment<Values>>>;
  /**
   * Helm apps (names) that must be Ready before this one is installed or upgraded, on every
   * cluster running both (helm-controller's `spec.dependsOn`).
   * @default []
   */
  readonly dependsOn?: readonly string[];
  /** Time limit of each Helm action (install, upgrade, hooks). @default '5m' */
  readonly timeout?: string;
  /** How often helm-controller re-checks the release. @default '10m' */
  readonly interval?: string;
  /** Retries of a failed install or upgrade; a failed upgrade is then rolled back. @default 3 */
  readonly retries?: number;
}

/** Where the chart comes from. Versions are exact (`1.4.2`), never ranges. */
export type HelmChartRef =
  /** A classic Helm repository (`index.yaml`): rendered as a HelmRepository in the app's namespace. */
  | { readonly helmRepository: string; readonly name: string; readonly version: string }
  /** An OCI registry (`oci://ghcr.io/org/charts`): an OCIRepository pinned to the version's tag. */
  | { readonly ociRepository: string; readonly name: string; readonly version: string }
  /**
   * A chart directory in this repository (e.g. `helm/loadgenerator`, relative to the project
   * root), read through bootstrap's GitRepository `flux-system`. The chart is released at every
   * commit that changes it (`reconcileStrategy: Revision`): the commit pins it, so no version.
   */
  | { readonly path: string }
  /**
   * A chart directory in another Git repository, e.g. the application repository where its team
   * keeps `deploy/charts/<name>` (seed 003): a GitRepository `<name>` in the app's namespace
   * following `ref`, and the chart at `path` in it, released at every revision that changes it
   * (`reconcileStrategy: Revision`). No version: `ref` decides it (a tag or commit pins it; a
   * branch follows the team's pushes, as their own Flux did).
   */
  | { readonly gitRepository: string; readonly ref: GitChartRef; readonly path: string };

/**
 * Which revision of a chart's Git repository Flux checks out: exactly one of a branch, a tag or a
 * commit SHA (source-controller's `spec.ref.branch|tag|commit`).
 * @see https://fluxcd.io/flux/components/source/gitrepositories/#reference
 */
export type GitChartRef = { readonly branch: string } | { readonly tag: string } | { readonly commit: string };

/** A chart read from Git (this repository or another one): pinned by the revision, not a version. */
export function isChartFromGit(chart: HelmChartRef): chart is Extract<HelmChartRef, { path: string }> {
  return 'path' in chart;
}

/** A chart directory of this repository (read through bootstrap's GitRepository `flux-system`). */
export function isChartInThisRepository(chart: HelmChartRef): chart is { readonly path: string } {
  return 'path' in chart && !('gitRepository' in chart);
}

export interface HelmAppEnvironment<Values> {
  /** Merged over the app's values (deep, objects only; lists replace). @default - none */
  readonly values?: Partial<Values>;
  /** The chart version in this environment (promote a chart like an image). @default - `chart.version` */
  readonly version?: string;
  /** Patches on the rendered HelmRelease or source, for fields the model does not cover. @default - none */
  readonly patches?: readonly ObjectPatch[];
}

/** Identity function that types the app's per-environment values from its `values`. */
export function defineHelmApp<Values>(app: HelmAppSpec<Values>): HelmAppSpec<Values> {
  return app;
}

/** An exact SemVer 2.0 version: no ranges (`^1.2`, `~1`, `>=1`, `1.x`, `*`), no partial versions. */
export const EXACT_VERSION = /^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/;

export function chartVersionIn(app: HelmAppSpec<unknown>, environment: string | undefined): string | undefined {
  if (isChartFromGit(app.chart)) return undefined;
  return (environment !== undefined ? app.environments?.[environment]?.version : undefined) ?? app.chart.version;
}

/**
 * The chart reference of a pin of src/model/controller-versions.ts, for platform stacks that are
 * Helm apps (seed 004's monitoring/logging/tracing): one place pins every third-party chart.
 */
export function pinnedChart(pin: ChartPin): HelmChartRef {
  return pin.repository.type === 'helm' ? { helmRepository: pin.repository.url, name: pin.chart, version: pin.version } : { ociRepository: pin.repository.url.replace(/\/[^/]+$/, ''), name: pin.chart, version: pin.version };
}
