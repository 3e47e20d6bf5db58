import { databaseBackup } from '../charts/custom/examples/database-backup';
import { namespaceGuardrails } from '../charts/custom/examples/namespace-guardrails';
import { attachChart, defineChartApp } from '../model/custom-chart';
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
      // Its own Flux Kustomization, so that it can wait for catalog-migrate (in apps-webshop).
      applyGroup: 'catalog',
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
    {
      // The catalog's database: stable pod names and a volume per pod (StatefulSet + headless Service).
      name: 'catalog-db',
      image: 'webshop/catalog-db',
      namespace: 'webshop',
      workload: { kind: 'StatefulSet', volumeClaims: [{ name: 'data', mountPath: '/var/lib/catalog', size: '20Gi' }] },
      ports: [{ name: 'sql', port: 5432, protocol: 'tcp' }],
      replicas: 1,
      env: { DB_PASSWORD: { secret: { name: 'catalog-db', key: 'password' } } },
      // Your own chart, rendered with the service: a nightly dump with a third-party image.
      charts: [
        attachChart({
          id: 'backup',
          chart: databaseBackup,
          values: { image: 'ghcr.io/example-org/pg-backup:2.4.1', schedule: '30 2 * * *', destination: 'gs://webshop-backups/catalog', passwordSecret: 'catalog-db' },
          environments: { production: { destination: 'gs://webshop-prod-backups/catalog' } },
        }),
      ],
    },
    {
      // Schema migration: runs to completion before the catalog (applied by apps-webshop-catalog) rolls out.
      name: 'catalog-migrate',
      image: 'webshop/catalog-migrate',
      namespace: 'webshop',
      workload: { kind: 'Job', runBefore: ['catalog'], activeDeadlineSeconds: 900 },
      args: ['migrate', 'up'],
      env: { DB_PASSWORD: { secret: { name: 'catalog-db', key: 'password' } } },
      calls: ['catalog-db'],
    },
    {
      // Nightly sales report.
      name: 'sales-report',
      image: 'webshop/sales-report',
      namespace: 'webshop',
      workload: { kind: 'CronJob', schedule: '0 3 * * *', timeZone: 'Europe/Berlin' },
      calls: ['catalog'],
      resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { memory: '128Mi' } },
    },
    {
      // Node log agent: one pod per node, exposing its own metrics.
      name: 'log-agent',
      image: 'webshop/log-agent',
      namespace: 'webshop',
      workload: { kind: 'DaemonSet', tolerations: [{ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' }] },
      ports: [{ name: 'metrics', port: 2020 }],
      probes: { readiness: { http: { path: '/api/v1/health' } } },
      resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { memory: '128Mi' } },
    },
  ],
  // A chart app: the webshop namespace's quota and default limits, sized per environment.
  charts: [
    defineChartApp({
      name: 'webshop-guardrails',
      namespace: 'webshop',
      chart: namespaceGuardrails,
      values: { requestsCpu: '4', requestsMemory: '8Gi' },
      environments: { production: { values: { requestsCpu: '16', requestsMemory: '32Gi', pods: 100 } } },
    }),
  ],
  environments: [
    {
      name: 'production',
      domain: 'webshop.example.com',
      production: true,
      services: {
        'shop-frontend': { autoscaling: { minReplicas: 3, maxReplicas: 10, cpuUtilization: 70 } },
        'catalog-db': { resources: { requests: { cpu: '500m', memory: '384Mi' }, limits: { memory: '512Mi' } } },
        'sales-report': {
          env: { REPORT_RECIPIENTS: 'sales@webshop.example.com' },
          // A field the model does not cover: skip a run that could not start within 10 minutes.
          patches: [{ target: { kind: 'CronJob' }, merge: { spec: { startingDeadlineSeconds: 600 } } }],
        },
        cart: {
          // A one-off object: the cart's feature flags, only in production.
          objects: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cart-feature-flags' }, data: { 'express-checkout': 'on' } }],
          patches: [{ target: { kind: 'Deployment' }, jsonPatch: [{ op: 'add', path: '/spec/minReadySeconds', value: 10 }] }],
        },
      },
    },
  ],
});
