import { Construct } from 'constructs';
import type { MeshKind } from '../../model/cluster';
import { CHARTS } from '../../model/controller-versions';
import { ControllerNamespace } from './controller-namespace';
import { ControllerRelease, type ReleaseRef } from './helm-release';

export const ARGO_ROLLOUTS = 'argo-rollouts';

export interface ArgoRolloutsValues {
  /** The chart templates its CRDs (there is no `crds/`); `keepCRDs` makes Helm keep them on uninstall. */
  readonly installCRDs: true;
  readonly keepCRDs: true;
  readonly controller: { readonly replicas: number; readonly metrics: { readonly enabled: true } };
  readonly dashboard: { readonly enabled: false };
}

export interface ArgoRolloutsProps {
  readonly mesh: MeshKind;
  /** @default [] */
  readonly dependsOn?: readonly ReleaseRef[];
  /** @default false */
  readonly argocd?: boolean;
}

/**
 * The Argo Rollouts controller, the canary engine of clusters whose
 * `progressiveDelivery.engine` is 'argo-rollouts' (Rollout objects instead of Deployments).
 *
 * @see https://argoproj.github.io/argo-rollouts/installation/#helm
 */
export class ArgoRollouts extends Construct {
  readonly release: ControllerRelease<ArgoRolloutsValues>;

  constructor(scope: Construct, id: string, props: ArgoRolloutsProps) {
    super(scope, id);
    const namespace = new ControllerNamespace(this, 'Namespace', {
      name: ARGO_ROLLOUTS,
      podSecurity: { level: 'restricted', reason: 'the chart runs the controller non-root, read-only, with every capability dropped and the RuntimeDefault seccomp profile' },
      mesh: props.mesh,
      argocd: props.argocd,
    }).name;
    const pin = CHARTS['argo-rollouts'];
    this.release = new ControllerRelease(this, 'Release', {
      name: ARGO_ROLLOUTS,
      namespace,
      pin,
      dependsOn: props.dependsOn,
      argocd: props.argocd,
      values: {
        installCRDs: true,
        keepCRDs: true,
        // Two replicas with leader election: a Rollout mid-step must not wait for a rescheduled pod.
        controller: { replicas: 2, metrics: { enabled: true } },
        dashboard: { enabled: false },
      },
    });
  }
}
