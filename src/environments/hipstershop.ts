import { defineSystem } from '../model/fleet';
import { defineHelmApp, type HelmAppSpec, type HelmChartRef } from '../model/helm-app';

/**
 * hipstershop: the microservices demo shop (GoogleCloudPlatform/microservices-demo) of seed 003,
 * in namespace `microservices-demo` on the GKE cluster `shop` (Istio, Flagger).
 * The team shipped every service as a Helm chart of their repository's `deploy/charts/`; here the
 * five services whose charts they edited by hand are typed services, and the rest stay Helm apps
 * installed by Flux HelmReleases, so the sample shows both and how they meet.
 *
 * The typed services show the workload API an existing application needs:
 * - Service ports that differ from container ports (frontend 80 → 8080, emailservice 5000 → 8080),
 *   an unnamed port (redis-cart) behind a headless Service, an extra internal LoadBalancer Service;
 * - addresses of other services as typed references (`serviceAddress`), which follow a port
 *   change and open the NetworkPolicies like `calls`;
 * - probes with HTTP headers, numeric ports and timeouts; the demo's own users and groups;
 * - a native sidecar and an init container, volumes (emptyDir in memory, a PVC, projected files);
 * - the checkoutservice Deployment adopted with its existing `app: checkoutservice` selector.
 */

const NAMESPACE = 'microservices-demo';
/** The seed's images: built from the demo and pushed to Docker Hub by the team. */
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

/** One service of the shop kept as a Helm app: the seed's chart, image tag per environment. */
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
      // Service port 80 on container port 8080, as the chart had it. Flagger owns the canaried
      // frontend's Services and selector, so it is reached through the Istio gateway (`ingress`),
      // as in the seed, not through an extra LoadBalancer Service.
      ports: [{ name: 'http', port: 8080, servicePort: 80 }],
      ingress: { hosts: ['shop.{domain}'] },
      // The seed's canary: Istio traffic in steps of 5%, analysed every 30s, rolled back after 5 failed checks.
      canary: { strategy: { kind: 'canary', stepWeight: 5, maxWeight: 50 }, interval: '30s', threshold: 5 },
      probes: {
        readiness: { http: { path: '/_healthz', headers: { Cookie: 'shop_session-id=x-readiness-probe' } }, initialDelaySeconds: 10 },
        liveness: { http: { path: '/_healthz', headers: { Cookie: 'shop_session-id=x-liveness-probe' } }, initialDelaySeconds: 10, timeoutSeconds: 5 },
      },
      env: {
        PORT: '8080',
        CART_SERVICE_ADDR: { serviceAddress: { service: 'cartservice', port: 'grpc' } },
        CHECKOUT_SERVICE_ADDR: { serviceAddress: { service: 'checkoutservice' } },
      },
      podSecurityContext: { runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000 },
      podAnnotations: { 'sidecar.istio.io/rewriteAppHTTPProbers': 'true' },
      resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '200m', memory: '128Mi' } },
    },
    {
      // The seed's hand-edited Helm chart became a typed service: its chart's dependency list
      // (cart, email) is now typed `serviceAddress` env that opens the NetworkPolicies, and the
      // database proxy and migration it needs are a native sidecar and an init container.
      name: 'checkoutservice',
      image: `${IMAGES}/checkoutservice`,
      containerName: 'server',
      // The Deployment the chart installed selects `app: checkoutservice`; a selector is
      // immutable, so it is adopted as it is.
      existingSelector: { app: 'checkoutservice' },
      ports: [{ name: 'grpc', port: 5050, protocol: 'grpc' }],
      env: {
        PORT: '5050',
        CART_SERVICE_ADDR: { serviceAddress: { service: 'cartservice', port: 'grpc' } },
        EMAIL_SERVICE_ADDR: { serviceAddress: { service: 'emailservice', port: 'grpc' } },
        ORDERS_DB_ADDR: 'localhost:5432',
      },
      // Cloud SQL Auth Proxy as a native sidecar, started before the migration and the server.
      initContainers: [
        {
          name: 'cloud-sql-proxy',
          image: 'gcr.io/cloud-sql-connectors/cloud-sql-proxy:2.14.1',
          sidecar: true,
          args: ['--port=5432', '--health-check', '--http-address=0.0.0.0', 'hipstershop-prod:us-central1:orders'],
          ports: [{ name: 'proxy-health', port: 9090 }],
          probes: { startup: { http: { path: '/startup', port: 'proxy-health' }, periodSeconds: 1, failureThreshold: 30 } },
          resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { memory: '128Mi' } },
        },
        {
          name: 'migrate',
          image: `${IMAGES}/checkoutservice-migrations:v0.1.3`,
          args: ['up'],
          env: { DATABASE_ADDR: 'localhost:5432' },
          volumeMounts: [{ volume: 'scratch', mountPath: '/work' }],
        },
      ],
      volumes: {
        scratch: { emptyDir: { sizeLimit: '64Mi', medium: 'Memory' } },
        identity: {
          projected: {
            sources: [
              { serviceAccountToken: { path: 'token', audience: 'orders-db', expirationSeconds: 3600 } },
              { downwardAPI: { items: [{ path: 'pod-name', fieldPath: 'metadata.name' }] } },
            ],
          },
        },
      },
      volumeMounts: [{ volume: 'identity', mountPath: '/var/run/identity' }],
      terminationGracePeriodSeconds: 15,
    },
    {
      // The seed's hand-edited Helm chart became a typed service: the chart exposed port 5000 on a
      // container listening on 8080, which is `servicePort` here, so callers' addresses follow it.
      name: 'emailservice',
      image: `${IMAGES}/emailservice`,
      containerName: 'server',
      ports: [{ name: 'grpc', port: 8080, servicePort: 5000, protocol: 'grpc' }],
      probes: { readiness: { grpc: { port: 8080 }, periodSeconds: 5, timeoutSeconds: 2 } },
      // The demo's service runs as the namespace's default account: no ServiceAccount of its own.
      serviceAccount: false,
      terminationGracePeriodSeconds: 5,
      podSecurityContext: { runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000 },
    },
    {
      // The seed's hand-edited Helm chart became a typed service: its `REDIS_ADDR: redis-cart:6379`
      // value is a typed `serviceAddress` of redis-cart, checked and kept in step with its port.
      name: 'cartservice',
      image: `${IMAGES}/cartservice`,
      containerName: 'server',
      ports: [{ name: 'grpc', port: 7070, protocol: 'grpc' }],
      // Assumed: the team's order exports outside the cluster read carts through an internal
      // load balancer of the VPC (GKE's annotation), besides the main ClusterIP Service.
      additionalServices: [
        {
          name: 'cartservice-internal',
          type: 'LoadBalancer',
          ports: [{ port: 'grpc', servicePort: 7070 }],
          annotations: { 'networking.gke.io/load-balancer-type': 'Internal' },
          loadBalancerSourceRanges: ['10.0.0.0/8'],
        },
      ],
      env: { REDIS_ADDR: { serviceAddress: { service: 'redis-cart' } } },
      podLabels: { app: 'cartservice' },
    },
    {
      // The seed's hand-edited Helm chart became a typed service: the cart chart bundled Redis;
      // as its own service it gets a headless Service on its unnamed port and a persistent volume.
      name: 'redis-cart',
      image: 'redis',
      containerName: 'redis',
      serviceType: 'headless',
      // Unnamed, as in the demo's manifest: the Service targets it by number.
      ports: [{ port: 6379, protocol: 'tcp' }],
      replicas: 1,
      volumes: { data: { persistentVolumeClaim: { claimName: 'redis-cart-data' } } },
      volumeMounts: [{ volume: 'data', mountPath: '/data' }],
      podSecurityContext: { runAsUser: 999, runAsGroup: 1000, fsGroup: 1000 },
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
      domain: 'hipster.example.com',
      namespace: NAMESPACE,
      production: true,
      services: {
        frontend: { replicas: 3, podAnnotations: { 'cluster-autoscaler.kubernetes.io/safe-to-evict': 'true' } },
        emailservice: { terminationGracePeriodSeconds: 10 },
      },
    },
  ],
});
