import { rolloutStepWeights, type CanarySpec, type CanaryStrategy } from './canary';
import type { ClusterSpec } from './cluster';
import type { FleetSpec } from './fleet';
import { fleetIndex } from './fleet-index';
import { error, type Place, type Problem } from './problem';
import { canariesOn, flaggerProvider } from './progressive-delivery';

/** Flagger providers that can route by header or cookie (A/B testing). */
const AB_PROVIDERS = new Set(['istio', 'nginx', 'gatewayapi']);

/**
 * Progressive delivery checks, per cluster: every canary must be runnable where it is deployed —
 * an engine is installed, metrics have a source (the classic "Prometheus query failed … no such
 * host" rollback), and the strategy is one the cluster's provider supports.
 */
export function checkCanaries(fleet: FleetSpec): Problem[] {
  return fleet.clusters.flatMap((cluster) => {
    const canaries = [...canariesOn(fleet, cluster)];
    return [...(canaries.length > 0 ? checkMetricsAddress(cluster) : []), ...canaries.flatMap(([service, canary]) => checkCanary(fleet, cluster, service, canary))];
  });
}

export const UNSERVED_METRICS_ADDRESS = 'canary/unserved-metrics-address';

/**
 * `canary/unserved-metrics-address`: Flagger queries `metrics.prometheus` from its own pod, so a
 * host without a namespace (seed 003's `--set metricsServer=http://prometheus:9090`) resolves only
 * in Flagger's namespace. Nothing the fleet renders serves it there, so every analysis fails with
 * "lookup prometheus … no such host" and every release is rolled back — unless the platform runs
 * both Flagger and Prometheus there (both in `preinstalled`, as the seed's Istio add-on did).
 * Qualified and external addresses are left to the converge check and the platform.
 * @see https://kubernetes.io/docs/concepts/services-networking/dns-pod-service/#namespaces-of-services
 */
function checkMetricsAddress(cluster: ClusterSpec): Problem[] {
  const metrics = cluster.progressiveDelivery?.engine === 'flagger' ? cluster.progressiveDelivery.metrics : undefined;
  if (!metrics || !('prometheus' in metrics)) return [];
  const host = /^[a-z]+:\/\/([^/:?#]+)/i.exec(metrics.prometheus)?.[1];
  if (host === undefined || host.includes('.')) return [];
  const preinstalled = new Set(cluster.preinstalled ?? []);
  if (preinstalled.has('flagger') && preinstalled.has('prometheus')) return [];
  return [
    error(
      UNSERVED_METRICS_ADDRESS,
      { cluster: cluster.name, environment: cluster.environment, field: 'progressiveDelivery.metrics.prometheus', definition: cluster.definition },
      `${metrics.prometheus} names no namespace, so it resolves only in Flagger's own namespace, where nothing on cluster ${cluster.name} serves "${host}": every canary analysis would fail ("lookup ${host} … no such host") and roll back`,
      `write the Service's namespace (e.g. 'http://${host}.monitoring:9090') for a Prometheus the platform runs, or use metrics: { install: 'prometheus' }`,
    ),
  ];
}

function definitionOf(fleet: FleetSpec, service: string): string | undefined {
  return fleetIndex(fleet).services.get(service)?.system.definition;
}

/**
 * Flagger owns a canaried service's Services: it renders the apex `<name>` as ClusterIP and
 * relabels the primary's pods `app.kubernetes.io/name: <name>-primary`, so another Service
 * selecting `<name>` would reach only the (usually scaled-to-zero) canary, and a selector other
 * than one of its selector labels is not found.
 * @see https://github.com/fluxcd/flagger/blob/main/pkg/canary/deployment_controller.go (createPrimaryDeployment: selector `<label>: <value>-primary`, makePrimaryLabels; getSelectorLabel)
 */
function checkFlaggerOwnedServices(fleet: FleetSpec, cluster: ClusterSpec, service: string, place: (field: string) => Place): Problem[] {
  const entry = fleetIndex(fleet).services.get(service);
  if (!entry) return [];
  const override = entry.system.environments.find((e) => e.name === cluster.environment)?.services?.[service];
  const type = override?.serviceType ?? entry.service.serviceType ?? 'ClusterIP';
  const extra = override?.additionalServices ?? entry.service.additionalServices ?? [];
  const problems: Problem[] = [];
  if (type !== 'ClusterIP') {
    problems.push(error('canary/flagger-owns-service', place('serviceType'), `Flagger renders the Service of canaried ${service} as ClusterIP; serviceType "${type}" would be lost`, `publish it with additionalServices on a service without a Flagger canary, or turn the canary off in ${cluster.environment}`));
  }
  if (extra.length > 0) {
    problems.push(error('canary/flagger-owns-service', place('additionalServices'), `Flagger relabels the pods of canaried ${service}, so additional Services (${extra.map((s) => s.name).join(', ')}) would reach only the canary`, `remove additionalServices, or turn the canary off in ${cluster.environment}`));
  }
  if (entry.service.existingSelector) {
    problems.push(error('canary/flagger-owns-service', place('existingSelector'), `Flagger copies ${service}'s Deployment with the generator's selector label; an adopted selector is not supported with a canary`, `finish the migration (move to the generator's selector) before enabling a canary, or turn the canary off in ${cluster.environment}`));
  }
  return problems;
}

function checkCanary(fleet: FleetSpec, cluster: ClusterSpec, service: string, canary: CanarySpec): Problem[] {
  const place = (field: string) => ({ cluster: cluster.name, environment: cluster.environment, service, field, definition: definitionOf(fleet, service) });
  const delivery = cluster.progressiveDelivery;
  if (!delivery) {
    return [
      error('canary/no-progressive-delivery', place('canary'), `${service} has a canary but cluster ${cluster.name} runs no progressive delivery engine`, `set progressiveDelivery: { engine: 'flagger', metrics: { prometheus: '<url>' } } on cluster ${cluster.name} in ${cluster.definition ?? 'src/environments/clusters.ts'}, or turn the canary off there with services["${service}"].canary = false`),
    ];
  }
  const problems: Problem[] = [];
  const strategy = canary.strategy ?? { kind: 'canary' };
  const spec = fleetIndex(fleet).services.get(service)?.service;
  if ((spec?.ports ?? []).length === 0) {
    problems.push(error('canary/no-port', place('ports'), `${service} has a canary but no port to route and measure`, 'declare the service port, or remove the canary'));
  }
  if (delivery.engine === 'flagger') {
    problems.push(...checkFlaggerOwnedServices(fleet, cluster, service, place));
    const provider = flaggerProvider(cluster);
    if (!delivery.metrics) {
      problems.push(error('canary/no-metrics-source', place('canary'), `cluster ${cluster.name} declares no metrics source, so Flagger's analysis of ${service} would fail ("Prometheus query failed … no such host") and roll back every release`, `set progressiveDelivery.metrics on cluster ${cluster.name}: { prometheus: 'http://prometheus.monitoring:9090' } for an existing Prometheus, or { install: 'prometheus' }`));
    }
    if (provider === 'kubernetes' && strategy.kind !== 'blue-green') {
      problems.push(error('canary/strategy-unsupported', place('canary.strategy'), `provider "kubernetes" on cluster ${cluster.name} can only run blue/green, not ${strategy.kind}`, `use strategy: { kind: 'blue-green' } for ${service} in ${cluster.environment}, or a cluster with a mesh or a traefik/nginx ingress`));
    }
    if (strategy.kind === 'ab' && !AB_PROVIDERS.has(provider)) {
      problems.push(error('canary/strategy-unsupported', place('canary.strategy'), `A/B testing needs header routing, which provider "${provider}" lacks`, `use a canary or blue-green strategy, or run on istio, nginx or gatewayapi`));
    }
  } else {
    if (strategy.kind !== 'canary') {
      problems.push(error('canary/strategy-unsupported', place('canary.strategy'), `Argo Rollouts clusters render canary steps only, not ${strategy.kind}`, `use strategy: { kind: 'canary', stepWeights: [20, 40, 60, 80] }`));
    }
    if (canary.webhooks || canary.metrics?.custom || canary.alerts) {
      problems.push(error('canary/flagger-only', place('canary'), `webhooks, custom metrics and alerts are Flagger features; cluster ${cluster.name} runs Argo Rollouts`, 'remove them for this environment, or run the service on a Flagger cluster'));
    }
    if (strategy.kind === 'canary') problems.push(...checkRolloutFields(canary, strategy, place));
  }
  if (delivery.engine === 'flagger') {
    const argoOnly = ARGO_ONLY_FIELDS.filter((field) => (field === 'revisionHistoryLimit' ? canary.revisionHistoryLimit : strategy.kind === 'canary' ? strategy[field] : undefined) !== undefined);
    if (argoOnly.length > 0) {
      problems.push(error('canary/argo-rollouts-only', place('canary'), `${argoOnly.join(', ')} ${argoOnly.length === 1 ? 'is an' : 'are'} Argo Rollouts field${argoOnly.length === 1 ? '' : 's'}; cluster ${cluster.name} runs Flagger, which would ignore ${argoOnly.length === 1 ? 'it' : 'them'}`, "remove them for this environment (Flagger's pace is `interval`), or run the service on an Argo Rollouts cluster"));
    }
  }
  const weights = strategy.kind === 'canary' ? [...(strategy.stepWeights ?? []), strategy.stepWeight ?? 10, strategy.maxWeight ?? 50] : [];
  if (weights.some((w) => !Number.isInteger(w) || w < 1 || w > 100)) {
    problems.push(error('canary/invalid-weight', place('canary.strategy'), 'canary weights must be whole percentages from 1 to 100', 'use weights such as stepWeight: 10, maxWeight: 50'));
  }
  return problems;
}

/** Canary fields only an Argo Rollout has (Flagger paces a canary with `interval` alone). */
const ARGO_ONLY_FIELDS = ['pauses', 'maxSurge', 'maxUnavailable', 'revisionHistoryLimit'] as const;

/**
 * A pause the controller accepts: a whole number of seconds, or a Go duration (`30s`, `1m30s`).
 * Anything else makes `RolloutPause.DurationSeconds` return -1, which the controller's
 * validation rejects ("Duration needs to be greater than 0").
 * @see https://github.com/argoproj/argo-rollouts/blob/v1.9.1/pkg/apis/rollouts/v1alpha1/types.go (RolloutPause.DurationSeconds)
 */
const ROLLOUT_PAUSE = /^(\d+|(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+)$/;

/** A count (`2`) or a percentage (`'50%'`): what the controller reads from an IntOrString. */
function isCountOrPercent(value: number | string): boolean {
  return typeof value === 'number' ? Number.isInteger(value) && value >= 0 : /^\d+%$/.test(value);
}

/** The controller's value of maxSurge/maxUnavailable when undefined: 25% each (argo-rollouts utils/defaults). */
function surgeValue(value: number | string | undefined): number {
  if (value === undefined) return 25;
  return typeof value === 'number' ? value : Number.parseInt(value, 10);
}

/**
 * The Rollout fields of a canary, as the Argo Rollouts controller validates them: one pause per
 * step, each a duration it parses; maxSurge and maxUnavailable counts or percentages, not both 0
 * ("MaxSurge and MaxUnavailable both can not be zero": with neither extra nor missing pods, no
 * pod could ever be replaced); revisionHistoryLimit not negative.
 * @see https://github.com/argoproj/argo-rollouts/blob/v1.9.1/pkg/apis/rollouts/validation/validation.go (ValidateRolloutSpec, invalidMaxSurgeMaxUnavailable)
 */
function checkRolloutFields(canary: CanarySpec, strategy: CanaryStrategy, place: (field: string) => Place): Problem[] {
  const problems: Problem[] = [];
  const steps = rolloutStepWeights(strategy).length;
  if (strategy.pauses !== undefined && strategy.pauses.length !== steps) {
    problems.push(error('canary/invalid-pause', place('canary.strategy.pauses'), `${strategy.pauses.length} pause${strategy.pauses.length === 1 ? '' : 's'} for ${steps} step weight${steps === 1 ? '' : 's'}: each step needs its own pause`, `give exactly ${steps} pauses, one per weight, or a single \`pause\` for every step`));
  }
  const durations: [string, string][] = [...(strategy.pause !== undefined ? [['canary.strategy.pause', strategy.pause] as [string, string]] : []), ...(strategy.pauses ?? []).map((p, i): [string, string] => [`canary.strategy.pauses[${i}]`, p])];
  for (const [field, duration] of durations) {
    if (!ROLLOUT_PAUSE.test(duration)) {
      problems.push(error('canary/invalid-pause', place(field), `pause "${duration}" is not a duration Argo Rollouts parses, so the controller rejects the Rollout ("Duration needs to be greater than 0")`, "write a Go duration such as '30s' or '1m30s', or a number of seconds such as '30'"));
    }
  }
  const surge = { maxSurge: strategy.maxSurge, maxUnavailable: strategy.maxUnavailable };
  for (const [field, value] of Object.entries(surge)) {
    if (value !== undefined && !isCountOrPercent(value)) {
      problems.push(error('canary/invalid-surge', place(`canary.strategy.${field}`), `${field} ${JSON.stringify(value)} is neither a pod count nor a percentage`, `write a whole number of pods (e.g. 1) or a percentage (e.g. '50%')`));
    }
  }
  const valid = Object.values(surge).every((value) => value === undefined || isCountOrPercent(value));
  if (valid && surgeValue(surge.maxSurge) === 0 && surgeValue(surge.maxUnavailable) === 0) {
    problems.push(error('canary/invalid-surge', place('canary.strategy.maxSurge'), 'maxSurge and maxUnavailable are both 0: no pod could be added or removed, and Argo Rollouts rejects the Rollout ("MaxSurge and MaxUnavailable both can not be zero")', "let one of them be above 0, e.g. maxSurge: '50%' with maxUnavailable: 0"));
  }
  const limit = canary.revisionHistoryLimit;
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 0)) {
    problems.push(error('canary/invalid-revision-history', place('canary.revisionHistoryLimit'), `revisionHistoryLimit ${limit} is not a whole number of ReplicaSets, which the controller requires (0 or more)`, 'use 0 or more, e.g. 2 to keep two old ReplicaSets for rollback'));
  }
  return problems;
}
