/**
 * The ONE place the charts of cluster controllers are pinned: repository, chart, exact version.
 *
 * Why exact versions (never ranges such as `1.x`): the rendered HelmRelease is the release. A
 * range would let a cluster upgrade a controller on its own schedule, outside review, and two
 * clusters rendered from the same commit could run different controllers. Bumping a version is a
 * one-line change here, reviewed like any other, and `npm run synth` shows every cluster it
 * touches.
 *
 * `appVersion` is what the chart deploys at that version (its Chart.yaml). It is not rendered;
 * it is here so a reviewer sees what a bump changes, and so tests can check that controllers
 * whose CRDs are vendored in ../shared/crds (Flagger, Sealed Secrets, Traefik, Argo Rollouts)
 * match those CRDs.
 */

/** A classic Helm repository (an `index.yaml` over HTTPS), rendered as a HelmRepository. */
export interface HelmChartRepository {
  readonly type: 'helm';
  /** Name of the HelmRepository object (one per repository and namespace). */
  readonly name: string;
  readonly url: string;
}

/** An OCI artifact of one chart, rendered as an OCIRepository and referenced with `chartRef`. */
export interface OciChartRepository {
  readonly type: 'oci';
  /** `oci://…` without the tag; the tag is the pinned version. */
  readonly url: string;
  /**
   * Keyless cosign verification of the chart artifact: the OIDC issuer and subject (regular
   * expressions) of the workflow that signed it.
   * @default - not verified
   */
  readonly cosign?: { readonly issuer: string; readonly subject: string };
}

export type ChartRepository = HelmChartRepository | OciChartRepository;

export interface ChartPin {
  /** Chart name in its repository. */
  readonly chart: string;
  /** Exact chart version. */
  readonly version: string;
  /**
   * Version of the software the chart deploys at `version` (documentation; not rendered).
   * @default - not recorded: read it with `helm show chart` before bumping
   */
  readonly appVersion?: string;
  readonly repository: ChartRepository;
  /** Where the version was read from, for the next person who bumps it. */
  readonly see: string;
}

const ISTIO_REPOSITORY: HelmChartRepository = { type: 'helm', name: 'istio', url: 'https://istio-release.storage.googleapis.com/charts' };
const ISTIO_VERSION = '1.30.3';
const ISTIO_SEE = 'https://istio.io/latest/news/releases/1.30.x/';

/** Flagger signs its OCI artifacts in GitHub Actions (keyless, sigstore bundle; needs Flux ≥ 2.8). */
const FLAGGER_COSIGN = { issuer: '^https://token.actions.githubusercontent.com$', subject: '^https://github.com/fluxcd/flagger.*$' };

export const CHARTS = {
  traefik: {
    chart: 'traefik',
    version: '41.1.0',
    appVersion: 'v3.7.9',
    repository: { type: 'helm', name: 'traefik', url: 'https://traefik.github.io/charts' },
    see: 'https://github.com/traefik/traefik-helm-chart/pull/1947 (41.1.0: Traefik v3.7.9, the version of the vendored traefik.io CRDs)',
  },
  // ingress-nginx was retired in March 2026 (repository archived, no more security fixes):
  // 4.15.1 is its last chart. Clusters that choose `nginx` get a warning; plan a move to Traefik.
  'ingress-nginx': {
    chart: 'ingress-nginx',
    version: '4.15.1',
    appVersion: '1.15.1',
    repository: { type: 'helm', name: 'ingress-nginx', url: 'https://kubernetes.github.io/ingress-nginx' },
    see: 'https://kubernetes.io/blog/2025/11/11/ingress-nginx-retirement/',
  },
  'aws-load-balancer-controller': {
    chart: 'aws-load-balancer-controller',
    version: '3.4.2',
    appVersion: 'v3.4.2',
    repository: { type: 'helm', name: 'eks', url: 'https://aws.github.io/eks-charts' },
    see: 'https://github.com/aws/eks-charts/pull/1347',
  },
  // The seed's source (`helm repo add eks https://aws.github.io/eks-charts`). 0.21.0 (NTH
  // v1.19.0) is the last chart eks-charts publishes: from v1.20.0 the project releases its chart
  // only as oci://public.ecr.aws/aws-ec2/helm/aws-node-termination-handler (aws-node-termination-handler
  // PR #803). Moving to that OCI artifact is the next bump.
  'aws-node-termination-handler': {
    chart: 'aws-node-termination-handler',
    version: '0.21.0',
    appVersion: '1.19.0',
    repository: { type: 'helm', name: 'eks', url: 'https://aws.github.io/eks-charts' },
    see: 'https://github.com/aws/aws-node-termination-handler/issues/892 (helm search repo eks/aws-node-termination-handler: 0.21.0 / 1.19.0 is the latest on eks-charts)',
  },
  'external-dns': {
    chart: 'external-dns',
    version: '1.21.1',
    appVersion: '0.21.0',
    repository: { type: 'helm', name: 'external-dns', url: 'https://kubernetes-sigs.github.io/external-dns/' },
    see: 'https://artifacthub.io/packages/helm/external-dns/external-dns/1.21.1',
  },
  flagger: {
    chart: 'flagger',
    version: '1.44.0',
    appVersion: '1.44.0',
    repository: { type: 'oci', url: 'oci://ghcr.io/fluxcd/charts/flagger', cosign: FLAGGER_COSIGN },
    see: 'https://docs.flagger.app/install/flagger-install-with-flux (chart = app version; CRDs in ../shared/crds/flagger are v1.44.0)',
  },
  'flagger-loadtester': {
    chart: 'loadtester',
    version: '0.38.0',
    appVersion: '0.38.0',
    // Flagger's release workflow pushes only charts/flagger to ghcr.io; the loadtester chart is
    // published in Flagger's Helm repository (docs.flagger.app usage/webhooks: flagger/loadtester).
    repository: { type: 'helm', name: 'flagger', url: 'https://flagger.app' },
    see: 'fluxcd/flagger v1.44.0 charts/loadtester/Chart.yaml; https://docs.flagger.app/usage/webhooks#load-testing',
  },
  'argo-rollouts': {
    chart: 'argo-rollouts',
    version: '2.41.1',
    appVersion: 'v1.9.1',
    repository: { type: 'helm', name: 'argo', url: 'https://argoproj.github.io/argo-helm' },
    see: 'argoproj/argo-helm charts/argo-rollouts (2.41.1 deploys v1.9.1, the version of the vendored Rollout CRD)',
  },
  // kubeseal and this chart must agree with the vendored SealedSecret CRD (v0.36.6). The
  // chart's appVersion is what to check when bumping: `helm show chart … | grep appVersion`.
  'sealed-secrets': {
    chart: 'sealed-secrets',
    version: '2.18.5',
    appVersion: '0.36.6',
    repository: { type: 'helm', name: 'sealed-secrets', url: 'https://bitnami-labs.github.io/sealed-secrets' },
    see: 'https://github.com/bitnami-labs/sealed-secrets/releases (helm-v2.18.x; 0.36.6 is the CRD version in ../shared/crds)',
  },
  'istio-base': { chart: 'base', version: ISTIO_VERSION, appVersion: ISTIO_VERSION, repository: ISTIO_REPOSITORY, see: ISTIO_SEE },
  'istio-cni': { chart: 'cni', version: ISTIO_VERSION, appVersion: ISTIO_VERSION, repository: ISTIO_REPOSITORY, see: ISTIO_SEE },
  istiod: { chart: 'istiod', version: ISTIO_VERSION, appVersion: ISTIO_VERSION, repository: ISTIO_REPOSITORY, see: ISTIO_SEE },
  'istio-gateway': { chart: 'gateway', version: ISTIO_VERSION, appVersion: ISTIO_VERSION, repository: ISTIO_REPOSITORY, see: ISTIO_SEE },
  prometheus: {
    chart: 'prometheus',
    version: '29.14.0',
    repository: { type: 'helm', name: 'prometheus-community', url: 'https://prometheus-community.github.io/helm-charts' },
    see: 'https://github.com/prometheus-community/helm-charts/releases (prometheus-29.14.0)',
  },
  // Seed 004's cluster stacks (its bootstrap/ overlays of fluentd, jaeger-operator and
  // prometheus-operator), now Helm apps of the platform system (src/environments/platform.ts),
  // pinned here with the controllers so a bump is reviewed the same way.
  // prometheus-operator's bundle became kube-prometheus-stack (operator, Prometheus,
  // Alertmanager, Grafana, node-exporter, kube-state-metrics) in the same publisher's repository.
  'kube-prometheus-stack': {
    chart: 'kube-prometheus-stack',
    version: '87.14.0',
    repository: { type: 'helm', name: 'prometheus-community', url: 'https://prometheus-community.github.io/helm-charts' },
    see: 'https://newreleases.io/project/github/prometheus-community/helm-charts/release/kube-prometheus-stack-87.14.0 (released with prometheus-29.15.0, one after the pinned prometheus chart)',
  },
  // fluentd → Fluent Bit (CNCF Fluent project's Kubernetes log collector; fluentd stays the
  // aggregator tier, which seed 004 does not run). The chart announces its deprecation for
  // Fluent Bit 5.3.0 in favour of fluent-bit-collector/-aggregator: the next bump moves there.
  'fluent-bit': {
    chart: 'fluent-bit',
    version: '0.59.0',
    appVersion: '5.2.1',
    repository: { type: 'helm', name: 'fluent', url: 'https://fluent.github.io/helm-charts' },
    see: 'https://github.com/fluent/helm-charts/releases/tag/fluent-bit-0.59.0 (Fluent Bit v5.2.1)',
  },
  // jaeger-operator is deprecated ("This Operator only works with retired Jaeger v1",
  // jaegertracing/jaeger-operator README); Jaeger v2 (built on the OpenTelemetry Collector) is
  // installed with the jaeger chart (jaegertracing.io/docs/latest/deployment/kubernetes).
  jaeger: {
    chart: 'jaeger',
    version: '4.1.5',
    repository: { type: 'helm', name: 'jaegertracing', url: 'https://jaegertracing.github.io/helm-charts' },
    see: 'https://www.jaegertracing.io/docs/latest/deployment/kubernetes/ (the Helm chart for Jaeger v2; 4.1.5 with its allInOne deployment, in-memory storage)',
  },
} as const satisfies Record<string, ChartPin>;

export type ChartKey = keyof typeof CHARTS;
