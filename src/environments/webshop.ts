import { defineSystem } from '../model/fleet';

/**
 * webshop: a small shop on the GKE cluster `shop` with Istio — a frontend (canaried through
 * Istio, with an acceptance test and a load test run by flagger-loadtester) and two backends.
 * Retries and timeouts that used to be App Mesh route policies are `traffic` here.
 */
export const webshop = defineSystem({
  name: 'webshop',
  definition: 'src/environments/webshop.ts',
  services: [
    {
      name: 'shop-frontend',
      image: 'webshop/frontend',
      namespace: 'webshop',
      ports: [{ name: 'http', port: 8080 }],
      probes: { readiness: { http: { path: '/ready' } } },
      serviceAccount: { gcpServiceAccount: 'shop-frontend@webshop-prod.iam.gserviceaccount.com' },
      ingress: { hosts: ['shop.{domain}'] },
      calls: ['catalog', 'cart'],
      traffic: { timeout: '10s', retries: { attempts: 2, perTryTimeout: '4s' } },
      canary: {
        strategy: { kind: 'canary', stepWeight: 10, maxWeight: 50 },
        webhooks: { acceptanceTest: { command: 'curl -sf http://shop-frontend-canary.webshop:8080/ready' }, loadTest: {} },
      },
    },
    {
      name: 'catalog',
      image: 'webshop/catalog',
      namespace: 'webshop',
      ports: [{ name: 'grpc', port: 9090, protocol: 'grpc' }],
      traffic: { timeout: '2s', retries: { attempts: 3, perTryTimeout: '500ms', retryOn: 'unavailable,cancelled,deadline-exceeded' } },
    },
    {
      name: 'cart',
      image: 'webshop/cart',
      namespace: 'webshop',
      ports: [{ name: 'http', port: 8080 }],
      probes: { readiness: { http: { path: '/healthz' } } },
    },
  ],
  environments: [
    {
      name: 'production',
      domain: 'webshop.example.com',
      production: true,
      services: {
        'shop-frontend': { autoscaling: { minReplicas: 3, maxReplicas: 10, cpuUtilization: 70 } },
      },
    },
  ],
});
