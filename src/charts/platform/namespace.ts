import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import type { MeshKind } from '../../model/cluster';
import type { NamespaceSpec } from '../../model/environment';
import { defaultPodSecurity } from '../../model/pod-security';
import { MANAGED_BY, MANAGED_BY_LABEL } from '../labels';

export interface AppNamespaceProps {
  readonly name: string;
  readonly mesh: MeshKind;
  /** @default - restricted, or baseline on Istio (sidecars need more than restricted allows; istio-cni removes the NET_ADMIN init container) */
  readonly podSecurity?: NamespaceSpec['podSecurity'];
  /**
   * ALBs send traffic straight to pod IPs (`target-type: ip`): label the namespace so the AWS
   * Load Balancer Controller's webhook injects its pod readiness gate, which holds a rolling
   * update until the new pods are healthy in the target group (else a rollout can leave the ALB
   * with only initial or draining targets).
   * @default false
   * @see https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/deploy/pod_readiness_gate/ (kubernetes-sigs/aws-load-balancer-controller docs/deploy/pod_readiness_gate.md)
   */
  readonly albReadinessGate?: boolean;
}

/** Namespace label that turns on the AWS Load Balancer Controller's pod readiness gate injection. */
export const ALB_READINESS_GATE_LABEL = 'elbv2.k8s.aws/pod-readiness-gate-inject';

/**
 * An application namespace, rendered so that no deployment fails for want of it, with the
 * labels the cluster needs: Pod Security Standards enforcement and mesh sidecar injection.
 *
 * @see https://kubernetes.io/docs/concepts/security/pod-security-admission/
 */
export class AppNamespace extends Construct {
  readonly resource: k8s.KubeNamespace;

  constructor(scope: Construct, id: string, props: AppNamespaceProps) {
    super(scope, id);
    const level = props.podSecurity ?? defaultPodSecurity(props.mesh);
    const labels: Record<string, string> = {
      [MANAGED_BY_LABEL]: MANAGED_BY,
      'pod-security.kubernetes.io/enforce': level,
      'pod-security.kubernetes.io/warn': 'restricted',
    };
    if (props.mesh === 'istio') labels['istio-injection'] = 'enabled';
    if (props.albReadinessGate) labels[ALB_READINESS_GATE_LABEL] = 'enabled';
    this.resource = new k8s.KubeNamespace(this, 'Resource', {
      metadata: {
        name: props.name,
        labels: Object.fromEntries(Object.keys(labels).sort().map((key) => [key, labels[key]])),
        annotations: props.mesh === 'linkerd' ? { 'linkerd.io/inject': 'enabled' } : undefined,
      },
    });
  }
}
