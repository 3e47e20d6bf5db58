import type { GatewayApiChannel } from './cluster';

/**
 * Per-service retries and timeouts (the App Mesh route policies' replacement), mapped onto what
 * the cluster has: Istio (VirtualService, or the Canary's service when canaried), Linkerd
 * (`retry.linkerd.io/*` and `timeout.linkerd.io/request` on the Service, or on Flagger's apex
 * Service), Gateway API (the HTTPRoute's `timeouts` and `retry`). A cluster with none of them is
 * a synth error (`traffic/unsupported`), never a silently ignored setting.
 */
export interface TrafficSpec {
  /** Timeout of the whole request, retries included, e.g. '15s'. @default - the mesh's (none) */
  readonly timeout?: string;
  readonly retries?: RetriesSpec;
}

export interface RetriesSpec {
  /** Retries after the first attempt. */
  readonly attempts: number;
  /** Timeout of each attempt (Gateway API: `timeouts.backendRequest`). @default - the mesh default */
  readonly perTryTimeout?: string;
  /**
   * Istio `retryOn` conditions; Istio only (other meshes retry on `statusCodes`).
   * @default 'gateway-error,connect-failure,refused-stream'; with `statusCodes`, those codes plus
   * connect-failure and refused-stream
   * @see https://istio.io/latest/docs/reference/config/networking/virtual-service/#HTTPRetry
   */
  readonly retryOn?: string;
  /**
   * HTTP statuses that are retried on Linkerd (`retry.linkerd.io/http`) and Gateway API
   * (`retry.codes`); each from 500 to 599.
   * @default [502, 503, 504] - Istio's `gateway-error`
   */
  readonly statusCodes?: readonly number[];
}

/** The traffic policy in one environment: the override replaces the service's; `false` drops it. */
export function resolveTraffic(service: TrafficSpec | undefined, override: TrafficSpec | false | undefined): TrafficSpec | undefined {
  return override === false ? undefined : (override ?? service);
}

/** Istio's default retry conditions (and the generator's): failures a retry can fix safely. */
export const DEFAULT_ISTIO_RETRY_ON = 'gateway-error,connect-failure,refused-stream';
/** Statuses retried by default where retries are status codes (Linkerd, Gateway API): Istio's gateway-error. */
export const DEFAULT_RETRY_STATUS_CODES: readonly number[] = [502, 503, 504];

/** What carries a service's retries and timeouts on a cluster. */
export type TrafficCarrier =
  /** Our VirtualService (Istio, not canaried by Flagger). */
  | 'istio-virtual-service'
  /** The VirtualService Flagger writes from `Canary.spec.service` (retries, timeout). */
  | 'istio-canary'
  /** `retry.linkerd.io/*` / `timeout.linkerd.io/request` annotations on our Service. */
  | 'linkerd-service'
  /** The same annotations on the apex Service Flagger creates (`Canary.spec.service.apex`). */
  | 'linkerd-canary'
  /** Our HTTPRoute's `timeouts` and `retry` (gateway-api clusters, exposed services). */
  | 'http-route'
  /** The HTTPRoute Flagger writes from the Canary: its request timeout only. */
  | 'gatewayapi-canary';

/** Facts about one service on one cluster that decide where its traffic policy goes. */
export interface TrafficPlacement {
  readonly mesh: 'none' | 'istio' | 'linkerd';
  readonly ingressController: string;
  /** The service has an ingress in this environment. */
  readonly exposed: boolean;
  /** Flagger's provider when Flagger canaries the service here; undefined otherwise. */
  readonly flaggerProvider?: string;
}

/**
 * Every object that carries the service's retries/timeouts on the cluster. Empty means the
 * setting would be ignored: the cluster has no mesh and no Gateway API route for it.
 */
export function trafficCarriers(placement: TrafficPlacement): TrafficCarrier[] {
  const carriers: TrafficCarrier[] = [];
  const { mesh, flaggerProvider } = placement;
  if (flaggerProvider !== undefined) {
    if (flaggerProvider === 'istio') carriers.push('istio-canary');
    if (flaggerProvider === 'gatewayapi') carriers.push('gatewayapi-canary');
    // Flagger copies apex metadata to the apex Service whatever its provider.
    if (mesh === 'linkerd') carriers.push('linkerd-canary');
    return carriers;
  }
  if (mesh === 'istio') carriers.push('istio-virtual-service');
  if (mesh === 'linkerd') carriers.push('linkerd-service');
  if (placement.ingressController === 'gateway-api' && placement.exposed) carriers.push('http-route');
  return carriers;
}

/**
 * Whether a carrier applies the retries (every carrier applies the timeouts). Flagger's Gateway
 * API router writes only `timeouts` into the HTTPRoute it owns; our HTTPRoute's `retry` is an
 * experimental-channel field (GEP-1731, Gateway API v1.6 `config/crd/experimental`), which the
 * standard-channel CRD does not have: the API server would prune it and the route run without.
 */
export function carriesRetries(carrier: TrafficCarrier, channel: GatewayApiChannel): boolean {
  if (carrier === 'gatewayapi-canary') return false;
  if (carrier === 'http-route') return channel === 'experimental';
  return true;
}

/** Istio `retryOn`: the service's conditions, else its status codes plus connection failures. */
export function istioRetryOn(retries: RetriesSpec): string {
  if (retries.retryOn) return retries.retryOn;
  return retries.statusCodes ? [...retries.statusCodes, 'connect-failure', 'refused-stream'].join(',') : DEFAULT_ISTIO_RETRY_ON;
}

/**
 * Linkerd's per-Service retry and timeout annotations (Linkerd 2.16+; not ServiceProfiles,
 * which would override them).
 * @see https://linkerd.io/2/reference/retries/
 * @see https://linkerd.io/2/reference/timeouts/
 */
export function linkerdTrafficAnnotations(traffic: TrafficSpec | undefined): Record<string, string> {
  const annotations: Record<string, string> = {};
  if (!traffic) return annotations;
  if (traffic.retries) {
    annotations['retry.linkerd.io/http'] = (traffic.retries.statusCodes ?? DEFAULT_RETRY_STATUS_CODES).join(',');
    annotations['retry.linkerd.io/limit'] = String(traffic.retries.attempts);
    if (traffic.retries.perTryTimeout) annotations['retry.linkerd.io/timeout'] = traffic.retries.perTryTimeout;
  }
  if (traffic.timeout) annotations['timeout.linkerd.io/request'] = traffic.timeout;
  return annotations;
}

/** Gateway API's Duration: up to four number+unit pairs, e.g. '1h30m', '500ms'. */
export const GATEWAY_API_DURATION = /^([0-9]{1,5}(h|m|s|ms)){1,4}$/;

/** Milliseconds of a duration in Gateway API form; undefined when it is not one. */
export function durationMs(duration: string): number | undefined {
  if (!GATEWAY_API_DURATION.test(duration)) return undefined;
  const unit: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1 };
  let total = 0;
  for (const [, value, suffix] of duration.matchAll(/([0-9]+)(ms|h|m|s)/g)) total += Number(value) * unit[suffix];
  return total;
}
