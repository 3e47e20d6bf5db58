import { Construct } from 'constructs';
import {
  AlertProvider,
  AlertProviderSpecType,
  Canary,
  CanarySpecAnalysisAlertsSeverity,
  CanarySpecAnalysisWebhooksType,
  CanarySpecAutoscalerRefKind,
  CanarySpecIngressRefKind,
  CanarySpecProvider,
  CanarySpecTargetRefKind,
  MetricTemplate,
  MetricTemplateSpecProviderType,
  type CanarySpecAnalysis,
  type CanarySpecAnalysisMatch,
  type CanarySpecAnalysisMetrics,
  type CanarySpecAnalysisWebhooks,
  type CanarySpecService,
} from '../../../imports/flagger-flagger.app';
import type { CanarySpec, CanaryWebhooks } from '../../model/canary';
import { LOADTESTER_URL } from '../../model/progressive-delivery';
import { INGRESS_NGINX, INGRESS_NGINX_NAMESPACE } from '../infrastructure/ingress-nginx';
import { TRAEFIK, TRAEFIK_NAMESPACE } from '../infrastructure/traefik';
import { ingressPort, type ResolvedService } from '../../model/resolve';
import { istioRetryOn, linkerdTrafficAnnotations } from '../../model/traffic';
import { appMetricsProvider, sortedRecord } from '../microservice/pod-template';
import { serviceLabels } from '../labels';
import type { ClusterContext } from '../microservice/cluster-context';

export interface ServiceCanaryProps {
  readonly service: ResolvedService;
  readonly canary: CanarySpec;
  /** The cluster; must have Flagger (`progressive.engine === 'flagger'`) and a metrics server. */
  readonly cluster: ClusterContext;
  /** The Ingress Flagger clones for the canary (nginx provider). @default - none */
  readonly ingressName?: string;
}

/** Istio Gateway every canaried service on an Istio cluster is exposed through. */
export const ISTIO_GATEWAY = 'istio-system/public-gateway';

const DEFAULT_STEP_WEIGHT = 10;
const DEFAULT_MAX_WEIGHT = 50;
const DEFAULT_ITERATIONS = 10;

/**
 * A Flagger Canary for a service, plus its MetricTemplates and AlertProvider.
 *
 * Ownership: Flagger creates the Services `<name>`, `<name>-primary`, `<name>-canary` and the
 * routing objects of its provider (VirtualService, DestinationRule, TraefikService, HTTPRoute,
 * canary Ingress) — the generator renders none of them, and the target Deployment carries no
 * `spec.replicas` (the primary is scaled from the HPA named in `autoscalerRef`).
 *
 * @see https://docs.flagger.app/usage/how-it-works
 */
export class ServiceCanary extends Construct {
  readonly resource: Canary;

  constructor(scope: Construct, id: string, props: ServiceCanaryProps) {
    super(scope, id);
    const { service, canary, cluster } = props;
    const progressive = cluster.progressive;
    if (!progressive || progressive.engine !== 'flagger') throw new Error(`unchecked model: ${service.name} canary without Flagger`);
    const labels = serviceLabels(service.name, service.system, service.labels);
    const metadata = (name: string) => ({ name, namespace: service.namespace, labels });

    const appMetrics = appMetricsProvider(progressive.provider);
    if (appMetrics) {
      for (const [name, query] of Object.entries(APP_METRIC_QUERIES)) {
        new MetricTemplate(this, `metric-${name}`, {
          metadata: metadata(`${service.name}-${name}`),
          spec: { provider: { type: MetricTemplateSpecProviderType.PROMETHEUS, address: progressive.metricsServer }, query },
        });
      }
    }
    for (const metric of canary.metrics?.custom ?? []) {
      new MetricTemplate(this, `metric-${metric.name}`, {
        metadata: metadata(`${service.name}-${metric.name}`),
        spec: { provider: { type: MetricTemplateSpecProviderType.PROMETHEUS, address: progressive.metricsServer }, query: metric.query },
      });
    }
    if (canary.alerts) {
      new AlertProvider(this, 'alerts', {
        metadata: metadata(`${service.name}-alerts`),
        spec: {
          type: canary.alerts.provider === 'slack' ? AlertProviderSpecType.SLACK : AlertProviderSpecType.MSTEAMS,
          channel: canary.alerts.channel,
          secretRef: { name: canary.alerts.secretName },
        },
      });
    }

    this.resource = new Canary(this, 'Resource', {
      metadata: metadata(service.name),
      spec: {
        provider: (progressive.provider === 'gatewayapi' ? 'gatewayapi:v1' : progressive.provider) as CanarySpecProvider,
        metricsServer: progressive.metricsServer,
        targetRef: { apiVersion: 'apps/v1', kind: CanarySpecTargetRefKind.DEPLOYMENT, name: service.name },
        autoscalerRef: service.autoscaling
          ? { apiVersion: 'autoscaling/v2', kind: CanarySpecAutoscalerRefKind.HORIZONTAL_POD_AUTOSCALER, name: service.name }
          : undefined,
        ingressRef: props.ingressName ? { apiVersion: 'networking.k8s.io/v1', kind: CanarySpecIngressRefKind.INGRESS, name: props.ingressName } : undefined,
        progressDeadlineSeconds: 600,
        service: canaryService(service, cluster),
        analysis: analysis(service, canary, appMetrics, cluster),
      },
    });
  }
}

function canaryService(service: ResolvedService, cluster: ClusterContext): CanarySpecService {
  const port = ingressPort(service, service.ingress);
  const provider = cluster.progressive?.provider;
  const exposed = service.ingress !== undefined;
  const retries = service.traffic?.retries;
  const linkerd = cluster.mesh === 'linkerd' ? linkerdTrafficAnnotations(service.traffic) : {};
  return {
    port: port.servicePort,
    portName: port.name,
    targetPort: port.name ?? port.port,
    appProtocol: port.protocol === 'grpc' ? 'grpc' : undefined,
    // Istio: the canary's VirtualService binds to the shared gateway for external hosts and to
    // the mesh for in-cluster callers; retries and timeouts ride on it (App Mesh's replacement).
    gateways: provider === 'istio' && exposed ? [ISTIO_GATEWAY, 'mesh'] : undefined,
    hosts: (provider === 'istio' || provider === 'gatewayapi') && exposed ? [...(service.ingress?.hosts ?? [])] : undefined,
    gatewayRefs: provider === 'gatewayapi' ? gatewayRefs(service, cluster, port.servicePort) : undefined,
    retries: provider === 'istio' && retries ? { attempts: retries.attempts, perTryTimeout: retries.perTryTimeout, retryOn: istioRetryOn(retries) } : undefined,
    timeout: (provider === 'istio' || provider === 'gatewayapi') && service.traffic?.timeout ? service.traffic.timeout : undefined,
    // Linkerd reads retries and timeouts from the Service callers address: Flagger's apex Service.
    apex: Object.keys(linkerd).length > 0 ? { annotations: sortedRecord(linkerd) } : undefined,
  };
}

/**
 * Parents of the HTTPRoute Flagger writes: the cluster's Gateway for an exposed service; for an
 * internal one the apex Service itself (GAMMA, mesh routing), so it is never published on the
 * public Gateway for every host.
 */
function gatewayRefs(service: ResolvedService, cluster: ClusterContext, port: number): CanarySpecService['gatewayRefs'] {
  if (service.ingress) {
    const { name, namespace, sectionName } = cluster.ingress.gateway;
    return [{ name, namespace, sectionName }];
  }
  return [{ group: '', kind: 'Service', name: service.name, namespace: service.namespace, port }];
}

function analysis(service: ResolvedService, canary: CanarySpec, appMetrics: boolean, cluster: ClusterContext): CanarySpecAnalysis {
  const strategy = canary.strategy ?? { kind: 'canary' };
  const steps: Partial<CanarySpecAnalysis> =
    strategy.kind === 'canary'
      ? strategy.stepWeights
        ? { stepWeights: [...strategy.stepWeights] }
        : { stepWeight: strategy.stepWeight ?? DEFAULT_STEP_WEIGHT, maxWeight: strategy.maxWeight ?? DEFAULT_MAX_WEIGHT }
      : { iterations: strategy.iterations ?? DEFAULT_ITERATIONS, match: strategy.kind === 'ab' ? abMatch(strategy.match) : undefined };
  return {
    interval: canary.interval ?? '1m',
    threshold: canary.threshold ?? 5,
    ...steps,
    metrics: metrics(service, canary, appMetrics),
    webhooks: webhooks(service, canary.webhooks, cluster),
    alerts: canary.alerts
      ? [
          { name: 'on-call', severity: CanarySpecAnalysisAlertsSeverity.ERROR, providerRef: { name: `${service.name}-alerts`, namespace: service.namespace } },
          { name: 'team', severity: CanarySpecAnalysisAlertsSeverity.INFO, providerRef: { name: `${service.name}-alerts`, namespace: service.namespace } },
        ]
      : undefined,
  };
}

function abMatch(match: Extract<NonNullable<CanarySpec['strategy']>, { kind: 'ab' }>['match']): CanarySpecAnalysisMatch[] {
  return match.map((rule) =>
    'header' in rule
      ? { headers: { [rule.header]: { exact: rule.exact, regex: rule.regex } } }
      : { headers: { cookie: { regex: rule.regex.includes(rule.cookie) ? rule.regex : `^(.*?;)?(${rule.cookie}=${rule.regex})(;.*)?$` } } },
  );
}

/**
 * Flagger's built-in queries for the kubernetes and gatewayapi providers
 * (fluxcd/flagger v1.44.0 pkg/metrics/observers/http.go) filter by `kubernetes_namespace` and
 * `kubernetes_pod_name`; the prometheus-community chart's `kubernetes-pods` job labels pod
 * metrics `namespace` and `pod` instead, so the built-ins find no values. These are the same
 * queries on the chart's labels; the duration is in milliseconds, as the built-in's threshold.
 */
const APP_POD = 'namespace="{{ namespace }}",pod=~"{{ target }}-[0-9a-zA-Z]+(-[0-9a-zA-Z]+)"';
export const APP_METRIC_QUERIES = {
  'request-success-rate': `sum(rate(http_request_duration_seconds_count{${APP_POD},status!~"5.*"}[{{ interval }}])) / sum(rate(http_request_duration_seconds_count{${APP_POD}}[{{ interval }}])) * 100`,
  'request-duration': `histogram_quantile(0.99, sum(rate(http_request_duration_seconds_bucket{${APP_POD}}[{{ interval }}])) by (le)) * 1000`,
} as const;

function metrics(service: ResolvedService, canary: CanarySpec, appMetrics: boolean): CanarySpecAnalysisMetrics[] {
  const interval = canary.interval ?? '1m';
  const result: CanarySpecAnalysisMetrics[] = [];
  const successRate = canary.metrics?.successRate ?? 99;
  const duration = canary.metrics?.maxDurationMs ?? 500;
  const templateRef = (name: string) => (appMetrics ? { templateRef: { name: `${service.name}-${name}`, namespace: service.namespace } } : {});
  if (successRate !== false) result.push({ name: 'request-success-rate', ...templateRef('request-success-rate'), thresholdRange: { min: successRate }, interval });
  if (duration !== false) result.push({ name: 'request-duration', ...templateRef('request-duration'), thresholdRange: { max: duration }, interval });
  for (const metric of canary.metrics?.custom ?? []) {
    result.push({
      name: metric.name,
      templateRef: { name: `${service.name}-${metric.name}`, namespace: service.namespace },
      thresholdRange: { min: metric.min, max: metric.max },
      interval: metric.interval ?? interval,
    });
  }
  return result;
}

/**
 * The in-cluster Service of each ingress controller whose own metrics a Flagger provider reads:
 * Traefik's (release `traefik`) and ingress-nginx's controller (`<release>-controller`,
 * kubernetes/ingress-nginx charts/ingress-nginx templates/controller-service.yaml).
 */
const INGRESS_SERVICE: Readonly<Record<string, string>> = {
  traefik: `${TRAEFIK}.${TRAEFIK_NAMESPACE}`,
  nginx: `${INGRESS_NGINX}-controller.${INGRESS_NGINX_NAMESPACE}`,
};

/**
 * Where the default load test sends requests: where the provider measures them. Traefik and
 * ingress-nginx emit the metrics Flagger's traefik and nginx providers read only for requests
 * they route (fluxcd/flagger v1.44.0 pkg/metrics/observers/traefik.go, nginx.go), so there the
 * load goes through the controller's Service with the route's Host (TLS routes over https; hey
 * does not verify the certificate). Elsewhere it goes to `<name>-canary`, which selects the
 * canary pods (measured by their sidecar, proxy or the application itself).
 */
export function loadTestTarget(service: ResolvedService, cluster: ClusterContext): { url: string; hostFlag: string } {
  const ingress = service.ingress;
  const controller = INGRESS_SERVICE[cluster.progressive?.provider ?? ''];
  if (controller && ingress && ingress.hosts.length > 0) {
    const scheme = ingress.tlsSecretName !== undefined ? 'https' : 'http';
    return { url: `${scheme}://${controller}${ingress.paths[0] ?? '/'}`, hostFlag: `-host ${ingress.hosts[0]} ` };
  }
  return { url: `http://${service.name}-canary.${service.namespace}:${service.ports[0]?.servicePort ?? 80}/`, hostFlag: '' };
}

function webhooks(service: ResolvedService, spec: CanaryWebhooks | undefined, cluster: ClusterContext): CanarySpecAnalysisWebhooks[] | undefined {
  if (!spec) return undefined;
  // Flagger's `<name>-canary` Service listens on the canary's service port.
  const target = `http://${service.name}-canary.${service.namespace}:${service.ports[0]?.servicePort ?? 80}/`;
  const load = loadTestTarget(service, cluster);
  const hooks: CanarySpecAnalysisWebhooks[] = [];
  if (spec.confirmRollout) hooks.push({ name: 'confirm-rollout', type: CanarySpecAnalysisWebhooksType.CONFIRM_HYPHEN_ROLLOUT, url: spec.confirmRollout.url });
  if (spec.acceptanceTest) {
    hooks.push({
      name: 'acceptance-test',
      type: CanarySpecAnalysisWebhooksType.PRE_HYPHEN_ROLLOUT,
      url: spec.acceptanceTest.url ?? LOADTESTER_URL,
      timeout: '30s',
      metadata: spec.acceptanceTest.url ? undefined : { type: 'bash', cmd: spec.acceptanceTest.command ?? `curl -sf ${target}` },
    });
  }
  if (spec.loadTest) {
    hooks.push({
      name: 'load-test',
      type: CanarySpecAnalysisWebhooksType.ROLLOUT,
      url: LOADTESTER_URL,
      timeout: '5s',
      metadata: { cmd: spec.loadTest.command ?? `hey -z 1m -q 10 -c 2 ${load.hostFlag}${load.url}` },
    });
  }
  if (spec.confirmPromotion) hooks.push({ name: 'confirm-promotion', type: CanarySpecAnalysisWebhooksType.CONFIRM_HYPHEN_PROMOTION, url: spec.confirmPromotion.url });
  return hooks;
}
