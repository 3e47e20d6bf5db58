import { Construct } from 'constructs';
import {
  HelmRelease,
  HelmReleaseSpecChartRefKind,
  HelmReleaseSpecChartSpecSourceRefKind,
  HelmReleaseSpecInstallCrds,
  HelmReleaseSpecUpgradeCrds,
} from '../../../imports/flux-helmrelease-helm.toolkit.fluxcd.io';
import type { ChartPin } from '../../model/controller-versions';
import { ChartSource } from './chart-source';
import { INFRASTRUCTURE_LABELS, pruneProtectionAnnotations, type PruneProtection } from './prune-protection';

/** A HelmRelease this one waits for (helm-controller's `dependsOn`). */
export interface ReleaseRef {
  readonly name: string;
  readonly namespace: string;
}

export interface ControllerReleaseProps<Values extends object> {
  /** HelmRelease name, also the Helm release name (so `helm list` shows the same name). */
  readonly name: string;
  /** Namespace of the HelmRelease, of its Helm storage and of what the chart installs. */
  readonly namespace: string;
  /** The pinned chart, from src/model/controller-versions.ts. */
  readonly pin: ChartPin;
  /**
   * Where the chart comes from; must be in `namespace`. Pass one only to share it between
   * releases of the same repository (Istio's charts).
   * @default - a HelmRepository or OCIRepository for `pin`, in `namespace`
   */
  readonly source?: ChartSource;
  /** Chart values as a typed object; never a YAML string. */
  readonly values: Values;
  /** Releases that must be Ready first (CRDs, webhooks this chart's objects go through). @default [] */
  readonly dependsOn?: readonly ReleaseRef[];
  /** How often helm-controller checks the release for drift from the desired state. @default '1h' */
  readonly interval?: string;
  /** Time limit of each Helm action (install, upgrade, hooks). @default '5m' */
  readonly timeout?: string;
  /** Retries of a failed install or upgrade before the release is left failed. @default 3 */
  readonly retries?: number;
  /** Keep the HelmRelease (and so the Helm release) when it leaves the model. @default - pruned */
  readonly pruneProtection?: PruneProtection;
  /** Also protect it from Argo CD's pruning. @default false */
  readonly argocd?: boolean;
}

/**
 * A helm.toolkit.fluxcd.io/v2 HelmRelease of a cluster controller at an exact chart version.
 *
 * CRDs: the chart's `crds/` are created and *updated* on install and upgrade (CreateReplace);
 * Helm's default (Create) would leave CRDs at their first version forever. Helm never deletes
 * `crds/` on uninstall, so CRDs outlive a removed controller and with them every custom
 * resource.
 *
 * Failures: a failed install is retried and a failed upgrade rolled back (`remediation`), so a
 * bad bump leaves the previous version running instead of a half-upgraded controller.
 *
 * @see https://fluxcd.io/flux/components/helm/helmreleases/
 */
export class ControllerRelease<Values extends object> extends Construct {
  readonly resource: HelmRelease;
  readonly ref: ReleaseRef;

  constructor(scope: Construct, id: string, props: ControllerReleaseProps<Values>) {
    super(scope, id);
    const { pin } = props;
    const source = props.source ?? new ChartSource(this, 'Source', { namespace: props.namespace, pin });
    if (source.namespace !== props.namespace) {
      // A construct-level programming error (not a model error): sources are created per namespace.
      throw new Error(`ControllerRelease ${props.name}: source ${source.kind}/${source.name} is in ${source.namespace}, not ${props.namespace}`);
    }
    const retries = props.retries ?? 3;
    this.ref = { name: props.name, namespace: props.namespace };
    this.resource = new HelmRelease(this, 'Resource', {
      metadata: {
        name: props.name,
        namespace: props.namespace,
        labels: { ...INFRASTRUCTURE_LABELS },
        annotations: pruneProtectionAnnotations(props.pruneProtection, props.argocd),
      },
      spec: {
        releaseName: props.name,
        interval: props.interval ?? '1h',
        timeout: props.timeout ?? '5m',
        chart:
          source.kind === 'HelmRepository'
            ? { spec: { chart: pin.chart, version: pin.version, sourceRef: { kind: HelmReleaseSpecChartSpecSourceRefKind.HELM_REPOSITORY, name: source.name } } }
            : undefined,
        // An OCIRepository holds exactly one chart version (its tag): nothing to choose.
        chartRef: source.kind === 'OCIRepository' ? { kind: HelmReleaseSpecChartRefKind.OCI_REPOSITORY, name: source.name } : undefined,
        dependsOn: props.dependsOn && props.dependsOn.length > 0 ? props.dependsOn.map((ref) => ({ name: ref.name, namespace: ref.namespace })) : undefined,
        install: { crds: HelmReleaseSpecInstallCrds.CREATE_REPLACE, remediation: { retries } },
        upgrade: {
          crds: HelmReleaseSpecUpgradeCrds.CREATE_REPLACE,
          cleanupOnFail: true,
          remediation: { retries, remediateLastFailure: true },
        },
        values: props.values,
      },
    });
  }
}
