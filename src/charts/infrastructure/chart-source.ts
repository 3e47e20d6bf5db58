import { Construct } from 'constructs';
import { HelmRepository } from '../../../imports/flux-source-helmrepository-source.toolkit.fluxcd.io';
import {
  OciRepository,
  OciRepositorySpecLayerSelectorOperation,
  OciRepositorySpecVerifyProvider,
} from '../../../imports/flux-source-ocirepository-source.toolkit.fluxcd.io';
import type { ChartPin } from '../../model/controller-versions';
import { INFRASTRUCTURE_LABELS } from './prune-protection';

/** The media type of a Helm chart's tarball layer in an OCI artifact. */
export const HELM_CHART_LAYER = 'application/vnd.cncf.helm.chart.content.v1.tar+gzip';

export interface ChartSourceProps {
  /** Namespace of the source: the namespace of the HelmRelease(s) that use it. */
  readonly namespace: string;
  readonly pin: ChartPin;
  /**
   * How often source-controller re-reads the repository. Versions are pinned, so this only
   * bounds how long a version bump waits for an index that already lists the new version.
   * @default '1h'
   */
  readonly interval?: string;
}

/**
 * Where Flux fetches a controller's chart from: a source.toolkit.fluxcd.io/v1 HelmRepository
 * for classic repositories, or an OCIRepository pinned to the chart version's tag (verified
 * with cosign when the publisher signs it) for OCI charts.
 *
 * It lives in the release's own namespace rather than flux-system, so the HelmRelease never
 * needs a cross-namespace reference (which multi-tenant Flux installs forbid with
 * `--no-cross-namespace-refs`).
 *
 * @see https://fluxcd.io/flux/components/source/helmrepositories/
 * @see https://fluxcd.io/flux/components/source/ocirepositories/
 */
export class ChartSource extends Construct {
  readonly kind: 'HelmRepository' | 'OCIRepository';
  readonly name: string;
  readonly namespace: string;

  constructor(scope: Construct, id: string, props: ChartSourceProps) {
    super(scope, id);
    const { pin, namespace } = props;
    const interval = props.interval ?? '1h';
    this.namespace = namespace;
    if (pin.repository.type === 'helm') {
      this.kind = 'HelmRepository';
      this.name = pin.repository.name;
      new HelmRepository(this, 'Resource', {
        metadata: { name: this.name, namespace, labels: { ...INFRASTRUCTURE_LABELS } },
        spec: { url: pin.repository.url, interval },
      });
      return;
    }
    const { cosign } = pin.repository;
    this.kind = 'OCIRepository';
    this.name = pin.chart;
    new OciRepository(this, 'Resource', {
      metadata: { name: this.name, namespace, labels: { ...INFRASTRUCTURE_LABELS } },
      spec: {
        url: pin.repository.url,
        interval,
        ref: { tag: pin.version },
        layerSelector: { mediaType: HELM_CHART_LAYER, operation: OciRepositorySpecLayerSelectorOperation.COPY },
        verify: cosign
          ? { provider: OciRepositorySpecVerifyProvider.COSIGN, matchOidcIdentity: [{ issuer: cosign.issuer, subject: cosign.subject }] }
          : undefined,
      },
    });
  }
}
