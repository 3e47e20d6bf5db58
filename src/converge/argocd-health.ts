/**
 * The kinds whose health Argo CD assesses (group/kind), and whether that health waits for the
 * pods to run (so a missing Secret or ConfigMap keeps it Progressing, then Degraded).
 * - built in: argoproj/gitops-engine pkg/health/health.go GetHealthCheckFunc;
 * - Lua checks shipped with Argo CD: argoproj/argo-cd resource_customizations/<group>/<kind>/health.lua.
 * Kinds not listed have no health in Argo CD: they count as Healthy as soon as they are applied,
 * so a sync wave after them waits for nothing.
 */
export const ARGO_CD_HEALTH: Readonly<Record<string, { readonly source: string; readonly podOwner?: boolean }>> = {
  'apps/Deployment': { source: 'gitops-engine pkg/health/health_deployment.go', podOwner: true },
  'apps/StatefulSet': { source: 'gitops-engine pkg/health/health_statefulset.go', podOwner: true },
  'apps/DaemonSet': { source: 'gitops-engine pkg/health/health_daemonset.go', podOwner: true },
  'apps/ReplicaSet': { source: 'gitops-engine pkg/health/health_replicaset.go', podOwner: true },
  '/Pod': { source: 'gitops-engine pkg/health/health_pod.go', podOwner: true },
  'batch/Job': { source: 'gitops-engine pkg/health/health_job.go', podOwner: true },
  '/Service': { source: 'gitops-engine pkg/health/health_service.go' },
  '/PersistentVolumeClaim': { source: 'gitops-engine pkg/health/health_pvc.go' },
  'networking.k8s.io/Ingress': { source: 'gitops-engine pkg/health/health_ingress.go' },
  'autoscaling/HorizontalPodAutoscaler': { source: 'gitops-engine pkg/health/health_hpa.go' },
  'argoproj.io/Rollout': { source: 'argo-cd resource_customizations/argoproj.io/Rollout/health.lua', podOwner: true },
  'bitnami.com/SealedSecret': { source: 'argo-cd resource_customizations/bitnami.com/SealedSecret/health.lua' },
  'flagger.app/Canary': { source: 'argo-cd resource_customizations/flagger.app/Canary/health.lua' },
  'cert-manager.io/Certificate': { source: 'argo-cd resource_customizations/cert-manager.io/Certificate/health.lua' },
  'external-secrets.io/ExternalSecret': { source: 'argo-cd resource_customizations/external-secrets.io/ExternalSecret/health.lua' },
};
