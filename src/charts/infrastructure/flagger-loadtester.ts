import { Construct } from 'constructs';
import type { MeshKind } from '../../model/cluster';
import { CHARTS } from '../../model/controller-versions';
import { ControllerRelease, type ReleaseRef } from './helm-release';

/** Release name; the chart names its Service after it, which `LOADTESTER_URL` addresses. */
export const FLAGGER_LOADTESTER = 'flagger-loadtester';

export interface FlaggerLoadTesterValues {
  /** Istio: the pod opts into a sidecar so it reaches services that require mTLS. */
  readonly podLabels: Readonly<Record<string, string>>;
  /** Replaces the chart's default annotations, so the Prometheus ones are repeated. */
  readonly podAnnotations: Readonly<Record<string, string>>;
  readonly cmd: { readonly timeout: string };
  /** The chart sets requests only; a runaway `hey` must not take a node's memory. */
  readonly resources: {
    readonly requests: { readonly cpu: string; readonly memory: string };
    readonly limits: { readonly memory: string };
  };
}

export interface FlaggerLoadTesterProps {
  /** Flagger's namespace (`FLAGGER_NAMESPACE`). */
  readonly namespace: string;
  readonly mesh: MeshKind;
  /** @default [] */
  readonly dependsOn?: readonly ReleaseRef[];
  /** @default false */
  readonly argocd?: boolean;
}

/** Pod labels and annotations that put the load tester in the mesh its targets are in. */
export function loadTesterMeshMetadata(mesh: MeshKind): { podLabels: Record<string, string>; podAnnotations: Record<string, string> } {
  const prometheus = { 'prometheus.io/port': '8080', 'prometheus.io/scrape': 'true' };
  if (mesh === 'istio') return { podLabels: { 'sidecar.istio.io/inject': 'true' }, podAnnotations: prometheus };
  if (mesh === 'linkerd') return { podLabels: {}, podAnnotations: { ...prometheus, 'linkerd.io/inject': 'enabled' } };
  return { podLabels: {}, podAnnotations: prometheus };
}

/**
 * flagger-loadtester: runs the load tests (`hey`) and acceptance tests canary webhooks ask for,
 * so a canary has traffic to analyse. Rendered only when a canary on the cluster uses it.
 *
 * @see https://docs.flagger.app/usage/webhooks#load-testing
 */
export class FlaggerLoadTester extends Construct {
  readonly release: ControllerRelease<FlaggerLoadTesterValues>;

  constructor(scope: Construct, id: string, props: FlaggerLoadTesterProps) {
    super(scope, id);
    const pin = CHARTS['flagger-loadtester'];
    this.release = new ControllerRelease(this, 'Release', {
      name: FLAGGER_LOADTESTER,
      namespace: props.namespace,
      pin,
      dependsOn: props.dependsOn,
      argocd: props.argocd,
      values: {
        ...loadTesterMeshMetadata(props.mesh),
        cmd: { timeout: '1h' },
        resources: { requests: { cpu: '10m', memory: '64Mi' }, limits: { memory: '256Mi' } },
      },
    });
  }
}
