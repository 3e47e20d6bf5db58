/**
 * Progressive delivery as a property of a service. The same `CanarySpec` renders a Flagger
 * Canary on clusters whose `progressiveDelivery.engine` is 'flagger' and an Argo Rollout on
 * 'argo-rollouts' clusters; environments turn it on or off (`canary: false`).
 */

/** Shift traffic in steps: `stepWeight` up to `maxWeight`, or explicit `stepWeights`. */
export interface CanaryStrategy {
  readonly kind: 'canary';
  /**
   * @default 10 on Flagger; on Argo Rollouts, without stepWeight (and stepWeights) the steps are
   * 20, 40, 60, 80
   */
  readonly stepWeight?: number;
  /** @default 50 on Flagger, 80 on Argo Rollouts */
  readonly maxWeight?: number;
  /** Explicit weights, e.g. [1, 10, 25, 50]; replaces stepWeight/maxWeight. */
  readonly stepWeights?: readonly number[];
  /** Argo Rollouts: pause after each step. @default - the canary's `interval`, else '1m' */
  readonly pause?: string;
}

/** Run the new version beside the old for `iterations` analyses, then switch all traffic. */
export interface BlueGreenStrategy {
  readonly kind: 'blue-green';
  /** @default 10 */
  readonly iterations?: number;
}

/** Route matching requests (a header or cookie) to the new version for `iterations` analyses. */
export interface ABTestStrategy {
  readonly kind: 'ab';
  /** @default 10 */
  readonly iterations?: number;
  readonly match: readonly ({ readonly header: string; readonly exact?: string; readonly regex?: string } | { readonly cookie: string; readonly regex: string })[];
}

export type CanaryStrategySpec = CanaryStrategy | BlueGreenStrategy | ABTestStrategy;

/** A custom metric, rendered as a Flagger MetricTemplate on the cluster's Prometheus. */
export interface CustomMetric {
  /** DNS label, also the MetricTemplate name (`<service>-<name>`). */
  readonly name: string;
  /** PromQL; `{{ namespace }}`, `{{ target }}`, `{{ interval }}` are filled in by Flagger. */
  readonly query: string;
  readonly min?: number;
  readonly max?: number;
  /** @default - the analysis interval */
  readonly interval?: string;
}

export interface CanaryMetrics {
  /** Minimum percentage of non-5xx requests. `false` to skip. @default 99 */
  readonly successRate?: number | false;
  /** Maximum P99 request duration in milliseconds. `false` to skip. @default 500 */
  readonly maxDurationMs?: number | false;
  readonly custom?: readonly CustomMetric[];
}

export interface CanaryWebhooks {
  /** Called before traffic shifts; a failure aborts the rollout. Run by flagger-loadtester unless `url` is set. */
  readonly acceptanceTest?: { readonly command?: string; readonly url?: string };
  /** Load generated during analysis through flagger-loadtester (`hey`), so metrics have traffic. */
  readonly loadTest?: { readonly command?: string };
  /** Gate: the rollout waits until this URL answers 200 (e.g. a ChatOps approval). */
  readonly confirmRollout?: { readonly url: string };
  /** Gate before promotion. */
  readonly confirmPromotion?: { readonly url: string };
}

export interface CanaryAlerts {
  readonly provider: 'slack' | 'msteams';
  /** Secret (in the service's namespace) with key `address` holding the webhook URL. */
  readonly secretName: string;
  /** Slack channel. @default - the webhook's default channel */
  readonly channel?: string;
}

export interface CanarySpec {
  /** @default { kind: 'canary' } with stepWeight 10 up to maxWeight 50 */
  readonly strategy?: CanaryStrategySpec;
  /** Time between analysis steps. @default '1m' */
  readonly interval?: string;
  /** Failed checks before rollback. @default 5 */
  readonly threshold?: number;
  readonly metrics?: CanaryMetrics;
  readonly webhooks?: CanaryWebhooks;
  readonly alerts?: CanaryAlerts;
}
