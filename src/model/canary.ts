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
  /**
   * Argo Rollouts: the pause after each step, one per step weight, e.g. ['30s', '30s', '30s', '20s']
   * for weights [20, 40, 60, 80]; replaces `pause`. Each is a Go duration (`30s`, `1m30s`) or a
   * number of seconds, as the controller's `RolloutPause.DurationSeconds` parses them.
   * @default - `pause` after every step
   * @see https://argo-rollouts.readthedocs.io/en/stable/features/canary/
   */
  readonly pauses?: readonly string[];
  /**
   * Argo Rollouts: how many pods above the desired count may run during an update, a count or a
   * percentage (`'50%'`).
   * @default - not rendered: the controller's 25%
   * @see https://argo-rollouts.readthedocs.io/en/stable/features/specification/
   */
  readonly maxSurge?: number | string;
  /**
   * Argo Rollouts: how many pods may be unavailable during an update, a count or a percentage.
   * Not 0 together with `maxSurge` 0: the controller rejects that Rollout.
   * @default - not rendered: the controller's 25%
   */
  readonly maxUnavailable?: number | string;
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
  /**
   * Argo Rollouts: old ReplicaSets kept for rollback (the Rollout's `revisionHistoryLimit`).
   * @default - not rendered: the controller's 10
   */
  readonly revisionHistoryLimit?: number;
}

/** Weights used on Argo Rollouts when a canary strategy gives none: the flightspecials team's 20/40/60/80 (seed 002). */
export const DEFAULT_ROLLOUT_WEIGHTS: readonly number[] = [20, 40, 60, 80];

/** The `setWeight` steps of an Argo Rollout: `stepWeights`, else `stepWeight` up to `maxWeight` (80), else 20/40/60/80. */
export function rolloutStepWeights(strategy: CanaryStrategy): number[] {
  if (strategy.stepWeights) return [...strategy.stepWeights];
  if (!strategy.stepWeight) return [...DEFAULT_ROLLOUT_WEIGHTS];
  const weights: number[] = [];
  // A non-positive step is rejected by check-canary (canary/invalid-weight) before rendering.
  for (let weight = strategy.stepWeight; weight > 0 && weight <= (strategy.maxWeight ?? 80); weight += strategy.stepWeight) weights.push(weight);
  return weights;
}

/** The pause after each `setWeight` step: `pauses` one by one, else `pause`, else the canary's interval, else '1m'. */
export function rolloutStepPauses(canary: CanarySpec, strategy: CanaryStrategy): string[] {
  const weights = rolloutStepWeights(strategy);
  const every = strategy.pause ?? canary.interval ?? '1m';
  return weights.map((_, i) => strategy.pauses?.[i] ?? every);
}
