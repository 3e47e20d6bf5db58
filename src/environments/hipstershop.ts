import { defineSystem } from '../model/fleet';
import { defineHelmApp, type HelmAppSpec } from '../model/helm-app';

/**
 * hipstershop: the microservices demo shop (GoogleCloudPlatform/microservices-demo) as its team
 * ships it — every service is a Helm chart of their repository's `deploy/charts/`, installed by
 * a Flux HelmRelease in namespace `microservices-demo` (seed 003). The charts are published to
 * their OCI registry; the load generator's chart lives in this repository (`helm/loadgenerator`)
 * and the Grafana dashboards come from a classic Helm repository. Versions are exact; the
 * production values pin each image tag.
 */

/** The values every chart of `deploy/charts/` takes. */
export interface ShopChartValues {
  readonly image: { readonly repository: string; readonly tag?: string };
  readonly replicas?: number;
  readonly resources?: {
    readonly requests?: { readonly cpu?: string; readonly memory?: string };
    readonly limits?: { readonly cpu?: string; readonly memory?: string };
  };
  /** Extra environment variables of the container. */
  readonly env?: Readonly<Record<string, string>>;
}

/** The frontend chart also renders the Istio Gateway, VirtualService and Flagger Canary. */
export interface FrontendChartValues extends ShopChartValues {
  readonly ingress: { readonly host: string };
  readonly canary: { readonly enabled: boolean; readonly stepWeight?: number; readonly maxWeight?: number };
}

const CHARTS = 'oci://ghcr.io/example-org/microservices-demo/charts';
const CHART_VERSION = '0.21.0';
const NAMESPACE = 'microservices-demo';

/** One service of the shop: its chart from the team's OCI registry, image tag per environment. */
function shopService(name: string, tag: string, options: { dependsOn?: readonly string[]; values?: Partial<ShopChartValues> } = {}): HelmAppSpec<ShopChartValues> {
  return defineHelmApp<ShopChartValues>({
    name,
    namespace: NAMESPACE,
    chart: { ociRepository: CHARTS, name, version: CHART_VERSION },
    values: { image: { repository: `dmizverev/${name}` }, resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { memory: '128Mi' } }, ...options.values },
    environments: { production: { values: { image: { repository: `dmizverev/${name}`, tag } } } },
    dependsOn: options.dependsOn,
  });
}

const backends = ['productcatalogservice', 'currencyservice', 'cartservice', 'recommendationservice', 'shippingservice', 'checkoutservice', 'adservice'];

export const hipstershop = defineSystem({
  name: 'hipstershop',
  definition: 'src/environments/hipstershop.ts',
  services: [],
  helmApps: [
    shopService('adservice', 'v0.1.3', { values: { resources: { requests: { cpu: '200m', memory: '180Mi' }, limits: { memory: '300Mi' } } } }),
    shopService('cartservice', 'v0.1.3', { values: { env: { REDIS_ADDR: 'redis-cart:6379' } } }),
    shopService('currencyservice', 'v0.1.3'),
    shopService('emailservice', 'v0.1.3'),
    shopService('paymentservice', 'v0.1.3'),
    shopService('productcatalogservice', 'v0.1.3'),
    shopService('recommendationservice', 'v0.1.3', { dependsOn: ['productcatalogservice'] }),
    shopService('shippingservice', 'v0.1.3'),
    shopService('checkoutservice', 'v0.1.3', { dependsOn: ['productcatalogservice', 'shippingservice', 'paymentservice', 'emailservice', 'currencyservice', 'cartservice'] }),
    defineHelmApp<FrontendChartValues>({
      name: 'frontend',
      namespace: NAMESPACE,
      chart: { ociRepository: CHARTS, name: 'frontend', version: CHART_VERSION },
      values: { image: { repository: 'dmizverev/frontend' }, ingress: { host: 'shop.hipster.example.com' }, canary: { enabled: false } },
      environments: {
        production: {
          // The seed's v0.0.3 canary release: Flagger (from the frontend chart) shifts Istio traffic 5% at a time.
          values: { image: { repository: 'dmizverev/frontend', tag: 'v0.0.3' }, replicas: 3, canary: { enabled: true, stepWeight: 5, maxWeight: 50 } },
        },
      },
      dependsOn: backends,
      timeout: '10m',
    }),
    defineHelmApp<{ readonly frontendAddr: string; readonly users: number; readonly image: ShopChartValues['image'] }>({
      name: 'loadgenerator',
      namespace: NAMESPACE,
      chart: { path: 'helm/loadgenerator' },
      values: { frontendAddr: 'frontend.microservices-demo.svc.cluster.local:80', users: 10, image: { repository: 'dmizverev/loadgenerator' } },
      environments: { production: { values: { users: 50, image: { repository: 'dmizverev/loadgenerator', tag: 'v0.1.3' } } } },
      dependsOn: ['frontend'],
    }),
    defineHelmApp<{ readonly grafana: { readonly folder: string } }>({
      name: 'grafana-load-dashboards',
      namespace: NAMESPACE,
      chart: { helmRepository: 'https://charts.example-org.dev/microservices-demo', name: 'grafana-load-dashboards', version: '0.3.0' },
      values: { grafana: { folder: 'hipstershop' } },
    }),
  ],
  environments: [{ name: 'production', domain: 'hipster.example.com', namespace: NAMESPACE, production: true }],
});
