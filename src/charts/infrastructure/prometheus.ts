import { Construct } from 'constructs';
import type { MeshKind } from '../../model/cluster';
import { CHARTS } from '../../model/controller-versions';
import { ControllerNamespace } from './controller-namespace';
import { ControllerRelease } from './helm-release';
import { HELM_KEEP_ANNOTATION } from './prune-protection';

export const PROMETHEUS = 'prometheus';
export const PROMETHEUS_NAMESPACE = 'monitoring';
/** Service of the server: `http://prometheus-server.monitoring.svc.cluster.local` (port 80). */
export const PROMETHEUS_SERVER = 'prometheus-server';

export interface PrometheusValues {
  readonly server: {
    /** A fixed Service name, whatever the release is called (canaries' metricsServer points at it). */
    readonly fullnameOverride: string;
    readonly retention: string;
    readonly persistentVolume: {
      readonly enabled: true;
      readonly size: string;
      /** Unset: the claim gets no storageClassName and waits for the cluster's default class. */
      readonly storageClass?: string;
      readonly annotations: Readonly<Record<string, string>>;
    };
    /** A ReadWriteOnce volume cannot be attached to the old and new pod at once. */
    readonly strategy: { readonly type: 'Recreate' };
  };
  // Canary analysis reads request metrics scraped from annotated pods; the rest of the
  // chart's bundle (alerting, node and object metrics) is off until someone needs it.
  readonly alertmanager: { readonly enabled: false };
  readonly 'kube-state-metrics': { readonly enabled: false };
  /** Also what would need Pod Security `privileged` (hostNetwork, hostPID). */
  readonly 'prometheus-node-exporter': { readonly enabled: false };
  readonly 'prometheus-pushgateway': { readonly enabled: false };
}

export interface PrometheusProps {
  readonly mesh: MeshKind;
  /** How long metrics are kept. @default '15d' */
  readonly retention?: string;
  /** Size of the TSDB volume. @default '20Gi' */
  readonly volumeSize?: string;
  /**
   * StorageClass of the TSDB volume (`server.persistentVolume.storageClass` of the chart).
   * @default - none: the cluster's default StorageClass, which EKS ≥ 1.30 does not have
   */
  readonly storageClassName?: string;
  /** @default false */
  readonly argocd?: boolean;
}

/**
 * An in-cluster Prometheus for canary analysis, rendered when the cluster's progressive
 * delivery says `metrics: { install: 'prometheus' }`. It scrapes pods by their
 * `prometheus.io/*` annotations (ingress controllers, Istio sidecars, the load tester).
 *
 * Its history is state: the namespace and the HelmRelease are prune-protected, and the volume
 * claim carries `helm.sh/resource-policy: keep`, so neither a model change nor an uninstall
 * deletes the data.
 *
 * @see https://github.com/prometheus-community/helm-charts/tree/main/charts/prometheus
 */
export class Prometheus extends Construct {
  readonly release: ControllerRelease<PrometheusValues>;

  constructor(scope: Construct, id: string, props: PrometheusProps) {
    super(scope, id);
    const reason = 'holds the Prometheus volume: the metrics history canary analysis and dashboards read';
    const namespace = new ControllerNamespace(this, 'Namespace', {
      name: PROMETHEUS_NAMESPACE,
      podSecurity: { level: 'baseline', reason: "the chart's server pod does not drop every capability or set a seccomp profile, which restricted requires" },
      mesh: props.mesh,
      pruneProtection: { reason },
      argocd: props.argocd,
    }).name;
    const pin = CHARTS.prometheus;
    this.release = new ControllerRelease(this, 'Release', {
      name: PROMETHEUS,
      namespace,
      pin,
      // The volume is provisioned on first install, which can take minutes on a cloud disk.
      timeout: '10m',
      pruneProtection: { reason },
      argocd: props.argocd,
      values: {
        server: {
          fullnameOverride: PROMETHEUS_SERVER,
          retention: props.retention ?? '15d',
          persistentVolume: { enabled: true, size: props.volumeSize ?? '20Gi', storageClass: props.storageClassName, annotations: { ...HELM_KEEP_ANNOTATION } },
          strategy: { type: 'Recreate' },
        },
        alertmanager: { enabled: false },
        'kube-state-metrics': { enabled: false },
        'prometheus-node-exporter': { enabled: false },
        'prometheus-pushgateway': { enabled: false },
      },
    });
  }
}
