import { defineSystem } from '../model/fleet';

const REGISTRY = 'us-central1-docker.pkg.dev/google-samples/microservices-demo';

/**
 * boutique: part of a well-known microservices demo (Online Boutique) as it runs today, moved
 * onto the fleet without rewriting it, on the GKE cluster `shop` next to webshop. It shows the
 * workload API an existing application needs:
 * - Service ports that differ from container ports (frontend 80 → 8080, emailservice 5000 → 8080),
 *   an unnamed port (redis-cart) behind a headless Service, an extra LoadBalancer Service;
 * - addresses of other services as typed references (`serviceAddress`), which follow a port
 *   change and open the NetworkPolicies like `calls`;
 * - probes with HTTP headers, numeric ports and timeouts; the demo's own users and groups;
 * - a native sidecar and an init container, volumes (emptyDir in memory, a PVC, projected files);
 * - the frontend Deployment adopted with its existing `app: frontend` selector.
 */
export const boutique = defineSystem({
  name: 'boutique',
  definition: 'src/environments/boutique.ts',
  services: [
    {
      name: 'frontend',
      image: `${REGISTRY}/frontend`,
      namespace: 'boutique',
      containerName: 'server',
      // The running Deployment selects `app: frontend`; a selector is immutable, so it is kept.
      existingSelector: { app: 'frontend' },
      ports: [{ name: 'http', port: 8080, servicePort: 80 }],
      additionalServices: [{ name: 'frontend-external', type: 'LoadBalancer', ports: [{ port: 'http', servicePort: 80 }] }],
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
      name: 'checkoutservice',
      image: `${REGISTRY}/checkoutservice`,
      namespace: 'boutique',
      containerName: 'server',
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
          args: ['--port=5432', '--health-check', '--http-address=0.0.0.0', 'boutique-prod:us-central1:orders'],
          ports: [{ name: 'proxy-health', port: 9090 }],
          probes: { startup: { http: { path: '/startup', port: 'proxy-health' }, periodSeconds: 1, failureThreshold: 30 } },
          resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { memory: '128Mi' } },
        },
        {
          name: 'migrate',
          image: `${REGISTRY}/checkoutservice-migrations:v0.10.2`,
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
      name: 'emailservice',
      image: `${REGISTRY}/emailservice`,
      namespace: 'boutique',
      containerName: 'server',
      ports: [{ name: 'grpc', port: 8080, servicePort: 5000, protocol: 'grpc' }],
      probes: { readiness: { grpc: { port: 8080 }, periodSeconds: 5, timeoutSeconds: 2 } },
      // The demo's service runs as the namespace's default account: no ServiceAccount of its own.
      serviceAccount: false,
      terminationGracePeriodSeconds: 5,
      podSecurityContext: { runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000 },
    },
    {
      name: 'cartservice',
      image: `${REGISTRY}/cartservice`,
      namespace: 'boutique',
      containerName: 'server',
      ports: [{ name: 'grpc', port: 7070, protocol: 'grpc' }],
      env: { REDIS_ADDR: { serviceAddress: { service: 'redis-cart' } } },
      podLabels: { app: 'cartservice' },
    },
    {
      name: 'redis-cart',
      image: 'redis',
      namespace: 'boutique',
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
  environments: [
    {
      name: 'production',
      domain: 'boutique.example.com',
      production: true,
      services: {
        frontend: { replicas: 3, podAnnotations: { 'cluster-autoscaler.kubernetes.io/safe-to-evict': 'true' } },
        emailservice: { terminationGracePeriodSeconds: 10 },
      },
    },
  ],
});
