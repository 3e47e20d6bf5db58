import { Construct } from 'constructs';
import type { MeshKind } from '../../model/cluster';
import { CHARTS } from '../../model/controller-versions';
import { LOADTESTER_NAMESPACE, type FlaggerProvider } from '../../model/progressive-delivery';
import { ControllerNamespace } from './controller-namespace';
import { ControllerRelease, type ReleaseRef } from './helm-release';

export const FLAGGER = 'flagger';
/** Flagger and flagger-loadtester share a namespace (canary webhooks call `LOADTESTER_URL`). */
export const FLAGGER_NAMESPACE = LOADTESTER_NAMESPACE;

export interface FlaggerValues {
  /** Default routing provider of Canaries that do not name one. */
  readonly meshProvider: FlaggerProvider;
  /** Prometheus the builtin request-success-rate and request-duration checks query. */
  readonly metricsServer?: string;
  /** The cluster's Prometheus is rendered (or named) separately, never Flagger's bundled one. */
  readonly prometheus: { readonly install: false };
  /** CRDs come from the chart's `crds/` (HelmRelease `crds: CreateReplace`), not templates. */
  readonly crd: { readonly create: false };
}

/** The namespace Flagger and the load tester run in; created once per cluster. */
export interface FlaggerNamespaceProps {
  readonly mesh: MeshKind;
  /** @default false */
  readonly argocd?: boolean;
}

/**
 * flagger-system. Not labelled for the mesh (`opt-in`): Flagger itself needs no sidecar, while
 * the load tester asks for one with a pod label so it can call services under strict mTLS.
 */
export class FlaggerNamespace extends Construct {
  readonly name: string;

  constructor(scope: Construct, id: string, props: FlaggerNamespaceProps) {
    super(scope, id);
    this.name = new ControllerNamespace(this, 'Resource', {
      name: FLAGGER_NAMESPACE,
      podSecurity: { level: 'baseline', reason: 'flagger-loadtester runs its load-test tools as root in a writable filesystem, which restricted forbids' },
      mesh: props.mesh,
      meshMembership: 'opt-in',
      argocd: props.argocd,
    }).name;
  }
}

export interface FlaggerProps {
  /** Namespace from `FlaggerNamespace`. */
  readonly namespace: string;
  readonly provider: FlaggerProvider;
  /** @default - the chart's default (`http://prometheus:9090`): canaries are rejected without metrics anyway */
  readonly metricsServer?: string;
  /** Releases that must be Ready first (istiod on Istio clusters, whose CRDs Flagger watches). @default [] */
  readonly dependsOn?: readonly ReleaseRef[];
  /** @default false */
  readonly argocd?: boolean;
}

/**
 * Flagger, the canary engine of clusters whose `progressiveDelivery.engine` is 'flagger',
 * installed from its cosign-signed OCI chart.
 *
 * @see https://docs.flagger.app/install/flagger-install-with-flux
 */
export class Flagger extends Construct {
  readonly release: ControllerRelease<FlaggerValues>;

  constructor(scope: Construct, id: string, props: FlaggerProps) {
    super(scope, id);
    const pin = CHARTS.flagger;
    this.release = new ControllerRelease(this, 'Release', {
      name: FLAGGER,
      namespace: props.namespace,
      pin,
      dependsOn: props.dependsOn,
      argocd: props.argocd,
      values: { meshProvider: props.provider, metricsServer: props.metricsServer, prometheus: { install: false }, crd: { create: false } },
    });
  }
}
