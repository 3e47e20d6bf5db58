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
  readonly dashboard: { readonly enabled: false } | ArgoRolloutsDashboardValues;
}

/** The chart's `dashboard` values when it runs (argo-helm charts/argo-rollouts values.yaml, `dashboard.*`). */
export interface ArgoRolloutsDashboardValues {
  readonly enabled: true;
  readonly service: { readonly type: 'ClusterIP'; readonly port: number };
  /**
   * The chart's default is `{}`, which the namespace's `restricted` Pod Security level rejects
   * (it needs no privilege escalation, every capability dropped and a seccomp profile).
   */
  readonly containerSecurityContext: {
    readonly allowPrivilegeEscalation: false;
    readonly readOnlyRootFilesystem: true;
    readonly capabilities: { readonly drop: readonly ['ALL'] };
    readonly seccompProfile: { readonly type: 'RuntimeDefault' };
  };
}

/** Port of the dashboard's Service and container (the chart's default, the seed's `:3100`). */
export const ARGO_ROLLOUTS_DASHBOARD_PORT = 3100;

export interface ArgoRolloutsProps {
  readonly mesh: MeshKind;
  /** @default [] */
  readonly dependsOn?: readonly ReleaseRef[];
  /** @default false */
  readonly argocd?: boolean;
  /**
   * Run the dashboard (ClusterIP only: it has no authentication; reach it with kubectl port-forward).
   * @default false
   */
  readonly dashboard?: boolean;
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
      podSecurity: { level: 'restricted', reason: 'the chart runs the controller (and the dashboard, with the container security context set below) non-root, read-only, with every capability dropped and the RuntimeDefault seccomp profile' },
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
        // Seed 002 exposed the dashboard with a public LoadBalancer on :3100. It has no login and
        // can promote or abort any rollout, so it stays a ClusterIP Service: `kubectl port-forward`
        // gates it behind the cluster's RBAC (argo-helm charts/argo-rollouts, values `dashboard.*`).
        dashboard: props.dashboard ? dashboardValues() : { enabled: false },
      },
    });
  }
}

function dashboardValues(): ArgoRolloutsDashboardValues {
  return {
    enabled: true,
    service: { type: 'ClusterIP', port: ARGO_ROLLOUTS_DASHBOARD_PORT },
    containerSecurityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' } },
  };
}
