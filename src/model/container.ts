import type { ProbesSpec } from './probe';
import type { EnvValue, ResourcesSpec, SecurityRelaxations } from './service';
import type { VolumeMountSpec } from './volume';

/**
 * A container of the pod besides the service's own: an init container that runs to completion
 * before it, or a native sidecar (`sidecar: true`: an init container with `restartPolicy:
 * Always`, started before the main container and kept running beside it; Kubernetes ≥ 1.29).
 * Rendered in declaration order into `initContainers`, with the same secure defaults as the main
 * container, so the same policy rules apply.
 * @see https://kubernetes.io/docs/concepts/workloads/pods/init-containers/
 * @see https://kubernetes.io/docs/concepts/workloads/pods/sidecar-containers/
 */
export interface ContainerSpec {
  /** DNS label, unique in the pod. */
  readonly name: string;
  /**
   * Full image reference with tag or digest, e.g. `busybox:1.36` — these images are pinned
   * here, not by the release lock (policy rejects `latest` and missing tags).
   */
  readonly image: string;
  readonly command?: readonly string[];
  readonly args?: readonly string[];
  readonly env?: Readonly<Record<string, EnvValue>>;
  /** @default - requests 50m/64Mi, limits memory 128Mi */
  readonly resources?: ResourcesSpec;
  /** Sidecars only (an init container runs to completion and takes no probes). @default - none */
  readonly probes?: ProbesSpec;
  /** Ports the sidecar listens on (container ports only; the Service exposes the main container's). @default - none */
  readonly ports?: readonly { readonly name?: string; readonly port: number }[];
  readonly volumeMounts?: readonly VolumeMountSpec[];
  /** Relaxations of this container's secure defaults, each with its reason. @default - none */
  readonly security?: SecurityRelaxations;
  /** Keep running beside the main container (native sidecar, `restartPolicy: Always`). @default false */
  readonly sidecar?: boolean;
}

export const DEFAULT_EXTRA_CONTAINER_RESOURCES: ResourcesSpec = {
  requests: { cpu: '50m', memory: '64Mi' },
  limits: { memory: '128Mi' },
};
