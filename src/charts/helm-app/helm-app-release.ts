import { Construct } from 'constructs';
import {
  HelmRelease,
  HelmReleaseSpecChartRefKind,
  HelmReleaseSpecChartSpecReconcileStrategy,
  HelmReleaseSpecChartSpecSourceRefKind,
  HelmReleaseSpecUpgradeRemediationStrategy,
} from '../../../imports/flux-helmrelease-helm.toolkit.fluxcd.io';
import { GitRepository } from '../../../imports/flux-source-gitrepository-source.toolkit.fluxcd.io';
import { HelmRepository } from '../../../imports/flux-source-helmrepository-source.toolkit.fluxcd.io';
import { OciRepository, OciRepositorySpecLayerSelectorOperation } from '../../../imports/flux-source-ocirepository-source.toolkit.fluxcd.io';
import { isChartFromGit, type GitChartRef, type HelmChartRef } from '../../model/helm-app';
import { BOOTSTRAP_SOURCE_NAME, FLUX_NAMESPACE } from '../flux/git-source';
import { HELM_CHART_LAYER } from '../infrastructure/chart-source';

/** Another HelmRelease this one waits for; `namespace` undefined = the same namespace. */
export interface HelmAppDependency {
  readonly name: string;
  readonly namespace?: string;
}

export interface HelmAppReleaseProps {
  /** HelmRelease name and Helm release name. */
  readonly name: string;
  /** @default - none (set by the overlay's namespace) */
  readonly namespace?: string;
  readonly chart: HelmChartRef;
  /** Exact chart version; undefined for a chart directory in Git. */
  readonly version?: string;
  /** Chart values (merged for the environment). */
  readonly values: unknown;
  /** Labels on the HelmRelease and its source. */
  readonly labels: Readonly<Record<string, string>>;
  /** @default [] */
  readonly dependsOn?: readonly HelmAppDependency[];
  /** @default '10m' */
  readonly interval?: string;
  /** @default '5m' */
  readonly timeout?: string;
  /** @default 3 */
  readonly retries?: number;
}

/**
 * An application's helm.toolkit.fluxcd.io/v2 HelmRelease and the source of its chart:
 * - Helm repository: a HelmRepository `<name>` in the app's namespace, and `spec.chart.spec`
 *   (chart, exact version, sourceRef) — helm-controller creates the HelmChart from it;
 * - OCI registry: an OCIRepository `<name>` pinned to the version's tag (selecting the chart
 *   layer) and `spec.chartRef`: an OCIRepository holds one chart version, nothing to choose;
 * - a chart directory in this repository: `spec.chart.spec` with the path, from the cluster's
 *   GitRepository `flux-system` (bootstrap's) in flux-system, `reconcileStrategy: Revision` so that each commit
 *   changing the chart is released (with the default ChartVersion, an edit without a version
 *   bump would never reach the cluster);
 * - a chart directory in another Git repository: a GitRepository `<name>` in the app's namespace
 *   following the model's `ref`, and `spec.chart.spec` with the path from it, `reconcileStrategy:
 *   Revision` for the same reason.
 * A failed install is retried, a failed upgrade rolled back (`remediateLastFailure`) and its
 * new resources cleaned up (`cleanupOnFail`), so a bad values change leaves the previous
 * release running.
 *
 * @see https://fluxcd.io/flux/components/helm/helmreleases/ (helm-controller v1.x, HelmRelease v2)
 * @see CRD helm.toolkit.fluxcd.io_helmreleases.yaml: spec.chart and spec.chartRef are mutually exclusive
 */
export class HelmAppRelease extends Construct {
  readonly resource: HelmRelease;

  constructor(scope: Construct, id: string, props: HelmAppReleaseProps) {
    super(scope, id);
    const { chart, name, namespace } = props;
    const metadata = { name, namespace, labels: { ...props.labels } };
    const interval = props.interval ?? '10m';
    if ('helmRepository' in chart) {
      new HelmRepository(this, 'HelmRepository', { metadata, spec: { url: chart.helmRepository, interval: '1h' } });
    } else if ('gitRepository' in chart) {
      new GitRepository(this, 'GitRepository', { metadata, spec: { url: chart.gitRepository, interval: '1h', ref: gitReference(chart.ref) } });
    } else if ('ociRepository' in chart) {
      new OciRepository(this, 'OCIRepository', {
        metadata,
        spec: {
          url: `${chart.ociRepository.replace(/\/+$/, '')}/${chart.name}`,
          interval: '1h',
          ref: { tag: props.version },
          layerSelector: { mediaType: HELM_CHART_LAYER, operation: OciRepositorySpecLayerSelectorOperation.COPY },
        },
      });
    }
    const retries = props.retries ?? 3;
    this.resource = new HelmRelease(this, 'HelmRelease', {
      metadata,
      spec: {
        releaseName: name,
        interval,
        timeout: props.timeout ?? '5m',
        chart: 'ociRepository' in chart ? undefined : { spec: chartSpec(chart, name, props.version) },
        chartRef: 'ociRepository' in chart ? { kind: HelmReleaseSpecChartRefKind.OCI_REPOSITORY, name } : undefined,
        dependsOn: props.dependsOn && props.dependsOn.length > 0 ? props.dependsOn.map((dep) => ({ ...dep })) : undefined,
        install: { remediation: { retries } },
        upgrade: {
          cleanupOnFail: true,
          remediation: { retries, remediateLastFailure: true, strategy: HelmReleaseSpecUpgradeRemediationStrategy.ROLLBACK },
        },
        values: isEmpty(props.values) ? undefined : (props.values as Record<string, unknown>),
      },
    });
  }
}

function chartSpec(chart: HelmChartRef, name: string, version: string | undefined) {
  if (isChartFromGit(chart)) {
    // Another repository: the GitRepository rendered next to the release; this one: bootstrap's.
    const sourceRef = 'gitRepository' in chart ? { name } : { name: BOOTSTRAP_SOURCE_NAME, namespace: FLUX_NAMESPACE };
    return {
      chart: `./${chart.path.replace(/^\.?\/+/, '')}`,
      sourceRef: { kind: HelmReleaseSpecChartSpecSourceRefKind.GIT_REPOSITORY, ...sourceRef },
      reconcileStrategy: HelmReleaseSpecChartSpecReconcileStrategy.REVISION,
    };
  }
  return { chart: chart.name, version, sourceRef: { kind: HelmReleaseSpecChartSpecSourceRefKind.HELM_REPOSITORY, name } };
}

/** source-controller's `spec.ref`: the one field the model names. */
function gitReference(ref: GitChartRef): { branch?: string; tag?: string; commit?: string } {
  if ('branch' in ref) return { branch: ref.branch };
  if ('tag' in ref) return { tag: ref.tag };
  return { commit: ref.commit };
}

function isEmpty(values: unknown): boolean {
  return values === undefined || (typeof values === 'object' && values !== null && Object.keys(values).length === 0);
}
