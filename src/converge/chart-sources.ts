import type { KubeObject } from '../model/kube-object';
import { error, warning, type Problem } from '../model/problem';
import { namespaceOf } from '../validate/cluster-index';
import { record, str } from '../validate/json';
import { placeOf } from './place';

/**
 * `converge/unpublished-chart`: a HelmRelease's chart comes from a location that does not
 * publish it, so source-controller never produces an artifact and the release never installs.
 * The table lists, per chart, the locations its maintainers publish to, with the evidence.
 */
export const UNPUBLISHED_CHART = 'converge/unpublished-chart';

export interface KnownChartSource {
  /** HelmRepository URLs (an index.yaml lists the chart) or OCI URLs (`oci://…/<chart>`, the artifact itself). */
  readonly locations: readonly string[];
  readonly evidence: string;
}

export const KNOWN_CHART_SOURCES: Readonly<Record<string, KnownChartSource>> = {
  traefik: { locations: ['https://traefik.github.io/charts'], evidence: 'traefik/traefik-helm-chart README (helm repo add traefik https://traefik.github.io/charts)' },
  'ingress-nginx': { locations: ['https://kubernetes.github.io/ingress-nginx'], evidence: 'kubernetes/ingress-nginx deploy docs' },
  'aws-load-balancer-controller': { locations: ['https://aws.github.io/eks-charts'], evidence: 'aws/eks-charts README' },
  'aws-node-termination-handler': {
    locations: ['https://aws.github.io/eks-charts', 'oci://public.ecr.aws/aws-ec2/helm/aws-node-termination-handler'],
    evidence: 'aws/eks-charts stable/aws-node-termination-handler (to chart 0.21.0); aws/aws-node-termination-handler README (OCI chart from v1.20.0)',
  },
  'external-dns': { locations: ['https://kubernetes-sigs.github.io/external-dns/'], evidence: 'kubernetes-sigs/external-dns charts/external-dns README' },
  flagger: {
    locations: ['oci://ghcr.io/fluxcd/charts/flagger', 'https://flagger.app'],
    evidence: 'docs.flagger.app install/flagger-install-with-flux (ghcr.io/fluxcd/charts/flagger) and flagger-install-on-kubernetes (helm repo add flagger https://flagger.app)',
  },
  loadtester: {
    // fluxcd/flagger .github/workflows/release.yml pushes only charts/flagger to ghcr.io; the
    // loadtester chart is in the Helm repository at https://flagger.app (docs.flagger.app usage/webhooks).
    locations: ['https://flagger.app'],
    evidence: 'docs.flagger.app usage/webhooks#load-testing (helm upgrade -i flagger-loadtester flagger/loadtester, repo https://flagger.app)',
  },
  'argo-rollouts': { locations: ['https://argoproj.github.io/argo-helm'], evidence: 'argoproj/argo-helm README' },
  'sealed-secrets': { locations: ['https://bitnami-labs.github.io/sealed-secrets'], evidence: 'bitnami-labs/sealed-secrets README (Helm chart)' },
  base: { locations: ['https://istio-release.storage.googleapis.com/charts'], evidence: 'istio.io docs setup/install/helm' },
  cni: { locations: ['https://istio-release.storage.googleapis.com/charts'], evidence: 'istio.io docs setup/install/helm' },
  istiod: { locations: ['https://istio-release.storage.googleapis.com/charts'], evidence: 'istio.io docs setup/install/helm' },
  gateway: { locations: ['https://istio-release.storage.googleapis.com/charts'], evidence: 'istio.io docs setup/install/helm' },
  prometheus: {
    locations: ['https://prometheus-community.github.io/helm-charts', 'oci://ghcr.io/prometheus-community/charts/prometheus'],
    evidence: 'prometheus-community/helm-charts README',
  },
  'kube-prometheus-stack': {
    locations: ['https://prometheus-community.github.io/helm-charts', 'oci://ghcr.io/prometheus-community/charts/kube-prometheus-stack'],
    evidence: 'prometheus-community/helm-charts charts/kube-prometheus-stack README (helm repo add prometheus-community https://prometheus-community.github.io/helm-charts; OCI artifacts on ghcr.io)',
  },
  'fluent-bit': { locations: ['https://fluent.github.io/helm-charts'], evidence: 'fluent/helm-charts README (helm repo add fluent https://fluent.github.io/helm-charts)' },
  jaeger: { locations: ['https://jaegertracing.github.io/helm-charts'], evidence: 'jaegertracing/helm-charts README (helm repo add jaegertracing https://jaegertracing.github.io/helm-charts)' },
};

/** Where a HelmRelease fetches its chart from: the chart name and the source's URL. */
export function chartLocation(release: KubeObject, objects: readonly KubeObject[]): { chart?: string; url?: string; source?: KubeObject } {
  const spec = record(release.spec);
  const ns = namespaceOf(release);
  const chartRef = record(spec.chartRef);
  if (str(chartRef.name)) {
    const source = objects.find((o) => o.kind === (str(chartRef.kind) ?? 'OCIRepository') && namespaceOf(o) === (str(chartRef.namespace) ?? ns) && o.metadata.name === chartRef.name);
    const url = str(record(source?.spec).url);
    return { chart: url?.split('/').pop(), url, source };
  }
  const chartSpec = record(record(spec.chart).spec);
  const ref = record(chartSpec.sourceRef);
  const source = objects.find((o) => o.kind === str(ref.kind) && namespaceOf(o) === (str(ref.namespace) ?? ns) && o.metadata.name === ref.name);
  return { chart: str(chartSpec.chart), url: str(record(source?.spec).url), source };
}

export function checkChartSources(cluster: string, objects: readonly KubeObject[]): Problem[] {
  return objects
    .filter((o) => o.kind === 'HelmRelease')
    .flatMap((release) => {
      const { chart, url, source } = chartLocation(release, objects);
      if (!chart || !url || !source) return [];
      const known = KNOWN_CHART_SOURCES[chart];
      const normalise = (u: string) => u.replace(/\/+$/, '');
      if (known?.locations.some((l) => normalise(l) === normalise(url))) return [];
      const place = placeOf(cluster, release, release.spec && record(release.spec).chartRef ? 'spec.chartRef' : 'spec.chart.spec.sourceRef');
      // The table records where the controllers the generator installs are published. An app's
      // own chart (SystemSpec.helmApps) is declared and pinned in the model, and a chart
      // directory of this repository (GitRepository) is not published anywhere: no record to expect.
      const appChart = release.metadata.labels?.['app.kubernetes.io/part-of'] !== 'infrastructure' || source.kind === 'GitRepository';
      if (!known && appChart) return [];
      if (!known) {
        return [
          warning(
            UNPUBLISHED_CHART,
            place,
            `HelmRelease ${namespaceOf(release)}/${release.metadata.name} installs chart ${chart} from ${source.kind} ${url}, a chart the converge check has no publisher record for.`,
            `Add chart ${chart} with its publisher's documented location to KNOWN_CHART_SOURCES (src/converge/chart-sources.ts).`,
          ),
        ];
      }
      return [
        error(
          UNPUBLISHED_CHART,
          place,
          `HelmRelease ${namespaceOf(release)}/${release.metadata.name} installs chart ${chart} from ${source.kind} ${namespaceOf(source)}/${source.metadata.name} (${url}), but ${chart} is published only at ${known.locations.join(', ')} (${known.evidence}): the source never yields the chart and the release never installs.`,
          `Point the chart's repository at ${known.locations[0]} (src/model/controller-versions.ts).`,
        ),
      ];
    });
}
