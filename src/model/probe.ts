/**
 * Health checks of a container. Fields left out are not rendered, so Kubernetes' own defaults
 * apply (they are named in each `@default`).
 * @see https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/pod-v1/#Probe
 */

/** A port of the same container: its name (`http`) or its number (`8080`). */
export type ContainerPortRef = string | number;

export interface HttpProbeSpec {
  readonly path: string;
  /** @default - the main (first) port */
  readonly port?: ContainerPortRef;
  /** Request headers, e.g. `{ Host: 'shop.example.com' }` or a probe token header. @default - none */
  readonly headers?: Readonly<Record<string, string>>;
  /** @default 'HTTP' */
  readonly scheme?: 'HTTP' | 'HTTPS';
}

/** A probe. Only one of `http`, `grpc`, `tcp`, `exec` is set. */
export interface ProbeSpec {
  readonly http?: HttpProbeSpec;
  /** gRPC health checking protocol; the port is rendered as a number (the API takes no names). */
  readonly grpc?: { readonly port?: ContainerPortRef; readonly service?: string };
  readonly tcp?: { readonly port?: ContainerPortRef };
  readonly exec?: { readonly command: readonly string[] };
  /**
   * Seconds between checks.
   * @default - not rendered, so Kubernetes' 10; a liveness probe derived from readiness renders 10
   */
  readonly periodSeconds?: number;
  /** @default - not rendered, so Kubernetes' 0 */
  readonly initialDelaySeconds?: number;
  /** @default - not rendered, so Kubernetes' 3 */
  readonly failureThreshold?: number;
  /** Seconds one check may take before it counts as failed. @default - not rendered, so Kubernetes' 1 */
  readonly timeoutSeconds?: number;
}

export interface ProbesSpec {
  /**
   * @default - derived from the main (first) port: HTTP GET `/` for http, gRPC health for grpc,
   * a TCP connect for tcp; none without ports.
   */
  readonly readiness?: ProbeSpec;
  /** @default - the readiness check with `periodSeconds` 10 (or readiness's own period when it sets one) */
  readonly liveness?: ProbeSpec;
  /** Slow starters (JVMs) get a startup probe so liveness does not kill them while booting. @default - none */
  readonly startup?: ProbeSpec;
}
