import { defineSystem } from '../model/fleet';
import type { ServiceSpec } from '../model/service';

const ACCOUNT = {
  // The development cluster's account (clusters.ts): IRSA roles cannot live in another one.
  development: '555566667777',
  production: '444455556666',
};

function api(name: string, extra: Partial<ServiceSpec> = {}): ServiceSpec {
  return {
    name,
    image: `bookstore/${name}`,
    namespace: 'bookstore',
    ports: [{ name: 'http', port: 8080 }],
    probes: { readiness: { http: { path: '/healthz' } } },
    resources: { requests: { cpu: '100m', memory: '192Mi' }, limits: { memory: '384Mi' } },
    ...extra,
  };
}

/** IRSA role of a service in one AWS account, named after environment and service. */
function role(environment: keyof typeof ACCOUNT, service: string): string {
  return `arn:aws:iam::${ACCOUNT[environment]}:role/bookstore-${environment}-${service}`;
}

/**
 * bookstore: five services on EKS in `development` and `production`, exposed through the AWS
 * Load Balancer Controller with ExternalDNS hostnames; services with AWS access use IRSA.
 * Development hosts carry the environment (`inventory-api-development.bookstore.example.com`).
 */
export const bookstore = defineSystem({
  name: 'bookstore',
  definition: 'src/environments/bookstore.ts',
  services: [
    // Blue/green behind the ALB in production (Flagger's kubernetes provider); off in development.
    // The apex sends nothing to the canary before promotion: the load test is its only traffic
    // (converge/no-metrics-traffic).
    api('clients-api', { ingress: { paths: ['/'] }, canary: { strategy: { kind: 'blue-green', iterations: 5 }, webhooks: { loadTest: {} } } }),
    api('inventory-api', { ingress: { paths: ['/'] }, serviceAccount: {}, env: { CATALOG_API_KEY: { secret: { name: 'bookstore-api-keys', key: 'catalog-api-key' } } } }),
    api('renting-api', {
      ingress: { paths: ['/'] },
      calls: ['clients-api', 'inventory-api'],
      env: { PAYMENTS_API_KEY: { secret: { name: 'bookstore-api-keys', key: 'payments-api-key' } } },
    }),
    api('resource-api', { serviceAccount: {} }),
    {
      name: 'front-end',
      image: 'bookstore/front-end',
      namespace: 'bookstore',
      ports: [{ name: 'http', port: 3000 }],
      resources: { requests: { cpu: '50m', memory: '96Mi' }, limits: { memory: '192Mi' } },
      ingress: { hosts: ['www.{domain}'] },
      calls: ['clients-api', 'inventory-api', 'renting-api', 'resource-api'],
    },
  ],
  environments: [
    {
      name: 'development',
      domain: 'bookstore.example.com',
      ingressHost: '{service}-{environment}.{domain}',
      services: {
        // Development has no progressive delivery: plain rolling updates.
        'clients-api': { canary: false },
        'inventory-api': { serviceAccount: { awsRoleArn: role('development', 'inventory-api') } },
        'resource-api': { serviceAccount: { awsRoleArn: role('development', 'resource-api') } },
        'front-end': { replicas: 1, ingress: { hosts: ['www-development.{domain}'] } },
      },
    },
    {
      name: 'production',
      domain: 'bookstore.example.com',
      production: true,
      namespaces: { bookstore: { developers: ['bookstore-oncall'] } },
      services: {
        'clients-api': { autoscaling: { minReplicas: 3, maxReplicas: 10, cpuUtilization: 70 } },
        'inventory-api': {
          serviceAccount: { awsRoleArn: role('production', 'inventory-api') },
          autoscaling: { minReplicas: 3, maxReplicas: 12, cpuUtilization: 70 },
          resources: { requests: { cpu: '250m', memory: '384Mi' }, limits: { memory: '768Mi' } },
        },
        'renting-api': { replicas: 3 },
        'resource-api': { serviceAccount: { awsRoleArn: role('production', 'resource-api') } },
        'front-end': { replicas: 3 },
      },
    },
  ],
});
