import { defineSystem } from '../model/fleet';
import { defineHelmApp, type HelmAppSpec, type HelmChartRef } from '../model/helm-app';

/**
 * hipstershop: the microservices demo shop (GoogleCloudPlatform/microservices-demo) of seed 003,
 * in namespace `microservices-demo` on the GKE cluster `shop` (Istio, Flagger).
 * The team shipped every service as a Helm chart of their repository's `deploy/charts/`; here the
 * five services whose charts they edited by hand (frontend: Istio Gateway, VirtualService and
 * Canary moved into it) or whose dependencies the model must see (checkout, email, cart and the
 * cart's Redis) are typed services, and the rest stay Helm apps installed by Flux HelmReleases
 * from the seed's own charts, so the sample shows both and how they meet.
 *
 * The seed gives names, namespace, charts, images (Docker Hub), the canary and the frontend's
 * v0.0.3; it does not show the charts' contents. The typed services' ports, env, probes and
 * resources are therefore those of the demo the team cloned (GoogleCloudPlatform/microservices-demo
 * kubernetes-manifests/<service>.yaml), which their charts packaged; each difference is explained
 * where it is declared.
 */

const NAMESPACE = 'microservices-demo';
/**
 * The seed's images: built from the demo and pushed to Docker Hub by the team ("помещены в Docker
 * Hub"). The seed does not name the Docker Hub account: it is assumed to be the team's GitLab
 * user, `dmizverev`.
 */
const IMAGES = 'dmizverev';

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

/**
 * Where the seed's charts are: the directory `deploy/charts/<name>` of the team's GitLab
 * repository (seed: "Подготовлены Helm charts в директории `deploy/charts`" in
 * https://gitlab.com/dmizverev/microservices-demo, pushed to `master`), which their Flux and Helm
 * Operator installed from. Flux v2 reads it the same way: a GitRepository on `master` and the
 * chart directory in it, released at each commit that changes it (no chart version to pin; the
 * seed's `helm list` shows frontend-0.21.0, the version in that chart's Chart.yaml).
 */
const SEED_REPOSITORY = 'https://gitlab.com/dmizverev/microservices-demo';

function seedChart(name: string): HelmChartRef {
  return { gitRepository: SEED_REPOSITORY, ref: { branch: 'master' }, path: `deploy/charts/${name}` };
}

/**
 * One service of the shop kept as a Helm app: the seed's chart, image tag per environment. The
 * seed does not show its charts' values: `image.repository`/`image.tag` and `resources` are the
 * names `helm create` charts use, the resources the demo's manifests', and the tags are the
 * sample's pins (the seed names only the frontend's v0.0.3).
 */
function shopService(name: string, tag: string, options: { dependsOn?: readonly string[]; values?: Partial<ShopChartValues> } = {}): HelmAppSpec<ShopChartValues> {
  return defineHelmApp<ShopChartValues>({
    name,
    namespace: NAMESPACE,
    chart: seedChart(name),
    values: { image: { repository: `${IMAGES}/${name}` }, resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { memory: '128Mi' } }, ...options.values },
    environments: { production: { values: { image: { repository: `${IMAGES}/${name}`, tag } } } },
    dependsOn: options.dependsOn,
  });
}

/** The demo's addresses of the services kept as Helm apps (the model has no typed reference to a chart's Service). */
const HELM_APP_ADDRESSES = {
  PRODUCT_CATALOG_SERVICE_ADDR: 'productcatalogservice:3550',
  CURRENCY_SERVICE_ADDR: 'currencyservice:7000',
  SHIPPING_SERVICE_ADDR: 'shippingservice:50051',
};

/** The demo's gRPC health probe binary (kubernetes-manifests of its 2020 releases), on a port. */
function grpcHealthProbe(port: number, ...flags: string[]): { exec: { command: string[] } } {
  return { exec: { command: ['/bin/grpc_health_probe', `-addr=:${port}`, ...flags] } };
}

/** The demo's non-root user and group (its kubernetes-manifests' pod securityContext). */
const DEMO_USER = { runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000 };

/** The demo's container resources (every service but the cart and Redis). */
const DEMO_RESOURCES = { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '200m', memory: '128Mi' } };

export const hipstershop = defineSystem({
  name: 'hipstershop',
  definition: 'src/environments/hipstershop.ts',
  services: [
    {
      // The seed's hand-edited Helm chart became a typed service: the team moved the Istio Gateway,
      // VirtualService and Flagger Canary into the chart by hand; `ingress` and `canary` render them
      // from the model (and validate them), on the cluster's Istio and Flagger.
      name: 'frontend',
      image: `${IMAGES}/frontend`,
      containerName: 'server',
      // Service port 80 on container port 8080, as the demo has it. Flagger owns the canaried
      // frontend's Services and selector, so it is reached through the Istio gateway (`ingress`),
      // as in the seed, not through the demo's extra `frontend-external` LoadBalancer Service.
      ports: [{ name: 'http', port: 8080, servicePort: 80 }],
      // The seed's own Gateway was `frontend-gateway` in microservices-demo (deploy/istio/frontend-gw.yaml,
      // hosts "*"); the cluster's shared Gateway istio-system/public-gateway (one per cluster,
      // certificate from the platform) serves it here, on a host instead of any host.
      ingress: { hosts: ['shop.{domain}'] },
      // The seed's canary: Istio traffic in steps of 5% ("Advance … canary weight 5", then 10),
      // analysed every 30s (the `[30s]` window of its success-rate query), rolled back after 5
      // failed checks ("failed checks threshold reached 5"). The seed does not show maxWeight: 50
      // is Flagger's Istio tutorial value.
      canary: { strategy: { kind: 'canary', stepWeight: 5, maxWeight: 50 }, interval: '30s', threshold: 5 },
      probes: {
        readiness: { http: { path: '/_healthz', headers: { Cookie: 'shop_session-id=x-readiness-probe' } }, initialDelaySeconds: 10 },
        liveness: { http: { path: '/_healthz', headers: { Cookie: 'shop_session-id=x-liveness-probe' } }, initialDelaySeconds: 10 },
      },
      // Every address the demo's frontend requires at start-up (it exits without one).
      env: {
        PORT: '8080',
        ...HELM_APP_ADDRESSES,
        CART_SERVICE_ADDR: { serviceAddress: { service: 'cartservice', port: 'grpc' } },
        RECOMMENDATION_SERVICE_ADDR: 'recommendationservice:8080',
        CHECKOUT_SERVICE_ADDR: { serviceAddress: { service: 'checkoutservice' } },
        AD_SERVICE_ADDR: 'adservice:9555',
      },
      podAnnotations: { 'sidecar.istio.io/rewriteAppHTTPProbers': 'true' },
      podSecurityContext: DEMO_USER,
      resources: DEMO_RESOURCES,
    },
    {
      // The seed's Helm chart became a typed service so that its callees are typed `serviceAddress`
      // env (cart, email), which opens the NetworkPolicies.
      name: 'checkoutservice',
      image: `${IMAGES}/checkoutservice`,
      containerName: 'server',
      // The Deployment the seed's chart installed selects `app: checkoutservice`; a selector is
      // immutable, so it is adopted as it is.
      existingSelector: { app: 'checkoutservice' },
      ports: [{ name: 'grpc', port: 5050, protocol: 'grpc' }],
      probes: { readiness: grpcHealthProbe(5050), liveness: grpcHealthProbe(5050) },
      env: {
        PORT: '5050',
        ...HELM_APP_ADDRESSES,
        PAYMENT_SERVICE_ADDR: 'paymentservice:50051',
        EMAIL_SERVICE_ADDR: { serviceAddress: { service: 'emailservice', port: 'grpc' } },
        CART_SERVICE_ADDR: { serviceAddress: { service: 'cartservice', port: 'grpc' } },
      },
      podSecurityContext: DEMO_USER,
      resources: DEMO_RESOURCES,
    },
    {
      // The demo exposes port 5000 on a container listening on 8080, which is `servicePort` here,
      // so callers' addresses follow it.
      name: 'emailservice',
      image: `${IMAGES}/emailservice`,
      containerName: 'server',
      ports: [{ name: 'grpc', port: 8080, servicePort: 5000, protocol: 'grpc' }],
      probes: { readiness: { ...grpcHealthProbe(8080), periodSeconds: 5 }, liveness: { ...grpcHealthProbe(8080), periodSeconds: 5 } },
      env: { PORT: '8080', DISABLE_TRACING: '1', DISABLE_PROFILER: '1' },
      // The demo's service runs as the namespace's default account: no ServiceAccount of its own.
      serviceAccount: false,
      terminationGracePeriodSeconds: 5,
      podSecurityContext: DEMO_USER,
      resources: DEMO_RESOURCES,
    },
    {
      // The demo's `REDIS_ADDR: redis-cart:6379` is a typed `serviceAddress` of redis-cart,
      // checked and kept in step with its port.
      name: 'cartservice',
      image: `${IMAGES}/cartservice`,
      containerName: 'server',
      ports: [{ name: 'grpc', port: 7070, protocol: 'grpc' }],
      probes: {
        readiness: { ...grpcHealthProbe(7070, '-rpc-timeout=5s'), initialDelaySeconds: 15 },
        liveness: { ...grpcHealthProbe(7070, '-rpc-timeout=5s'), initialDelaySeconds: 15, periodSeconds: 10 },
      },
      env: { REDIS_ADDR: { serviceAddress: { service: 'redis-cart' } } },
      terminationGracePeriodSeconds: 5,
      podSecurityContext: DEMO_USER,
      resources: { requests: { cpu: '200m', memory: '64Mi' }, limits: { cpu: '300m', memory: '128Mi' } },
    },
    {
      // The Redis the cart needs (the demo's redis-cart), as its own service.
      name: 'redis-cart',
      image: 'redis',
      containerName: 'redis',
      ports: [{ name: 'redis', port: 6379, protocol: 'tcp' }],
      replicas: 1,
      probes: { readiness: { tcp: { port: 6379 }, periodSeconds: 5 }, liveness: { tcp: { port: 6379 }, periodSeconds: 5 } },
      // The demo keeps carts in an emptyDir: they are lost with the pod, as in the seed.
      volumes: { 'redis-data': { emptyDir: {} } },
      volumeMounts: [{ volume: 'redis-data', mountPath: '/data' }],
      podSecurityContext: DEMO_USER,
      resources: { requests: { cpu: '70m', memory: '200Mi' }, limits: { cpu: '125m', memory: '256Mi' } },
    },
  ],
  helmApps: [
    shopService('adservice', 'v0.1.3', { values: { resources: { requests: { cpu: '200m', memory: '180Mi' }, limits: { memory: '300Mi' } } } }),
    shopService('currencyservice', 'v0.1.3'),
    shopService('paymentservice', 'v0.1.3'),
    shopService('productcatalogservice', 'v0.1.3'),
    shopService('recommendationservice', 'v0.1.3', { dependsOn: ['productcatalogservice'] }),
    shopService('shippingservice', 'v0.1.3'),
    defineHelmApp<{ readonly frontendAddr: string; readonly users: number; readonly image: ShopChartValues['image'] }>({
      name: 'loadgenerator',
      namespace: NAMESPACE,
      // The seed's chart. The seed then gave it "настройку ingress" (the frontend through the Istio
      // ingress gateway) so the canary had traffic; here it calls the frontend inside the mesh,
      // through its sidecar, which the frontend's Istio request metrics count the same way.
      chart: seedChart('loadgenerator'),
      // The demo's FRONTEND_ADDR (frontend:80) and USERS (10); the value names are assumed, like the other charts'.
      values: { frontendAddr: 'frontend.microservices-demo.svc.cluster.local:80', users: 10, image: { repository: `${IMAGES}/loadgenerator` } },
      environments: { production: { values: { users: 50, image: { repository: `${IMAGES}/loadgenerator`, tag: 'v0.1.3' } } } },
      // The frontend it loads is a typed service (helm-controller orders HelmReleases only); the
      // backends it reaches through the frontend are Helm apps, installed first.
      dependsOn: ['adservice', 'currencyservice', 'paymentservice', 'productcatalogservice', 'recommendationservice', 'shippingservice'],
    }),
    defineHelmApp({
      name: 'grafana-load-dashboards',
      namespace: NAMESPACE,
      // The seed's chart with its own values (the seed sets none).
      chart: seedChart('grafana-load-dashboards'),
      dependsOn: ['loadgenerator'],
    }),
  ],
  environments: [
    {
      name: 'production',
      // The seed's Gateway answered every host on the ingress gateway's IP (34.83.98.133, hosts
      // "*"); the cluster's shared Gateway routes by host, so the shop gets one under a domain
      // the seed does not have (a placeholder to replace with the team's).
      domain: 'hipster.example.com',
      // Seed: every release "in 'microservices-demo'" (deploy/namespaces, istio-injection=enabled).
      namespace: NAMESPACE,
      production: true,
    },
  ],
});
