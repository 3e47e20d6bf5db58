import { defineSystem } from '../model/fleet';
import type { ServiceSpec } from '../model/service';
import type { TrafficSpec } from '../model/traffic';

/**
 * bookstore, from seed 001 (../shared/seeds/001_*.txt, the "eks-acg" course notes): the
 * front-end and four APIs (`clients-api`, `inventory-api`, `renting-api`, `resource-api`) on EKS
 * in the namespaces `development` and `production` (the seed's `-n development` / helm-v5
 * `.Release.Namespace`), behind the AWS Load Balancer Controller with ExternalDNS records, each
 * API reaching its own DynamoDB table through its IRSA service account.
 *
 * App Mesh migration (AWS retires App Mesh on 2026-09-30; docs/migration.md "bookstore: App Mesh
 * to Linkerd and OpenTelemetry"): the seed's VirtualNodes/VirtualServices/VirtualRouters and the
 * envoy sidecar become Linkerd's proxy (both clusters declare `mesh: 'linkerd'`), the
 * VirtualRouters' `retryPolicy` becomes `traffic` (Linkerd's `retry.linkerd.io/*` /
 * `timeout.linkerd.io/request` Service annotations), and the X-Ray daemon sidecar becomes the
 * OpenTelemetry SDK exporting OTLP to the AWS Distro for OpenTelemetry collector (`OTEL_*` env).
 */

/**
 * The clusters' region (clusters.ts). The seed runs everything from CloudShell and names no
 * region (its charts' `aws.region: us-east-1` is a placeholder the create.sh scripts override).
 */
const REGION = 'eu-west-1';

/**
 * The account whose ECR holds the images: the seed's CodeBuild pushes one image per commit to
 * ECR repository `bookstore.<service>` and deploys that same image to development, then (after
 * manual approval) to production. The production account pulls it cross-account (ECR repository
 * policy, platform-owned), so both environments run the identical, approved artefact.
 */
const REGISTRY = `555566667777.dkr.ecr.${REGION}.amazonaws.com`;

const ACCOUNT = {
  // Each environment's cluster account (clusters.ts): IRSA roles cannot live in another one
  // (model/role-account-mismatch).
  development: '555566667777',
  production: '444455556666',
};

/**
 * Where the seed's X-Ray daemon sidecar sent traces, now: OTLP/gRPC to the ADOT collector the
 * platform runs on both clusters (EKS add-on `adot`, OpenTelemetryCollector `adot` in namespace
 * `opentelemetry`, Service `adot-collector`, which exports to X-Ray with the awsxray exporter).
 */
const OTEL_COLLECTOR = 'http://adot-collector.opentelemetry.svc.cluster.local:4317';

/**
 * The seed's VirtualRouter `retryPolicy`, verbatim (seed: "See, `retryPolicy` on line 62" of
 * inventory-api/infra/helm-v7/templates/mesh-components.yaml; the same policy is in the helm-v7
 * charts of clients-api, renting-api, resource-api (`2000ms`) and the front-end's proxy route, in
 * the course repository pluralsight-cloud/hands-on-with-amazon-eks the seed's links point into):
 *
 *     retryPolicy: { maxRetries: 10, perRetryTimeout: { unit: s, value: 2 },
 *                    httpRetryEvents: [server-error, gateway-error] }
 *
 * On Linkerd (`retry.linkerd.io/limit`, `retry.linkerd.io/timeout`, `retry.linkerd.io/http`):
 * - maxRetries 10 → `attempts: 10`; perRetryTimeout 2s → `perTryTimeout: '2s'`;
 * - httpRetryEvents → the statuses App Mesh documents for them (API_HttpRetryPolicy):
 *   server-error = 500–508, 510, 511; gateway-error = 502, 503, 504 (already in server-error);
 * - not carried: both events also include Envoy's `reset` policy (retry when the connection is
 *   reset before a response), and Linkerd's retry annotations name response statuses only;
 * - timeout: the seed's routes set none, so they ran with App Mesh's default HTTP route timeout
 *   of 15s, which also capped the retries (10 × 2s would otherwise be 20s+); Linkerd has no default
 *   request timeout, so the 15s is written down to keep the seed's bound.
 */
const RETRY_POLICY: TrafficSpec = {
  timeout: '15s',
  retries: { attempts: 10, perTryTimeout: '2s', statusCodes: [500, 501, 502, 503, 504, 505, 506, 507, 508, 510, 511] },
};

/** OpenTelemetry SDK settings replacing the seed's X-Ray sidecar (`tracing.provider=x-ray`). */
function tracing(service: string): Record<string, string> {
  return {
    OTEL_SERVICE_NAME: service,
    OTEL_TRACES_EXPORTER: 'otlp',
    OTEL_EXPORTER_OTLP_ENDPOINT: OTEL_COLLECTOR,
    // X-Ray's trace header stays readable while services migrate one by one.
    OTEL_PROPAGATORS: 'tracecontext,baggage,xray',
  };
}

/** The seed's ECR repository and eksctl service account for one bookstore service. */
function service(name: string, spec: Omit<ServiceSpec, 'name' | 'image'>): ServiceSpec {
  return {
    name,
    // Seed: `aws ecr list-images --repository-name bookstore.${microservice_name}`. ECR pulls
    // authenticate with the node role: no Docker Hub pull secret (the clusters list none).
    image: `${REGISTRY}/bookstore.${name}`,
    // Seed: `eksctl create iamserviceaccount --name <MICROSERVICE>-iam-service-account`; the
    // role ARN is per environment (below).
    serviceAccount: { name: `${name}-iam-service-account` },
    // Seed: every service's helm chart has an ingress; the host comes from the environment's
    // pattern (helm-v5 ingress.yaml line 19).
    ingress: { paths: ['/'] },
    traffic: RETRY_POLICY,
    ...spec,
    env: { ...tracing(name), ...spec.env },
  };
}

/** Each API's `service.containerPort` in its chart (`<service>/infra/helm-v7/values.yaml`). */
const CHART_PORTS: Readonly<Record<string, number>> = { 'resource-api': 5000, 'inventory-api': 5001, 'clients-api': 5003, 'renting-api': 5004 };

/**
 * One of the four APIs as its chart runs it (seed: "Each microservice has a helm chart to deploy
 * the application", the course repository's `<service>/infra/helm-v7`): its container port behind
 * Service port 80, and the env of its Deployment template. The charts have no probe and empty
 * `resources`: the readiness path and the requests below are the sample's (policy requires both).
 * The charts name their Services `<service>-service`; here the Service is named like the service,
 * and the endpoints below are typed addresses of it. A new API gets port 8080.
 */
function api(name: string, extra: Partial<ServiceSpec> = {}): ServiceSpec {
  return service(name, {
    ports: [{ name: 'http', port: CHART_PORTS[name] ?? 8080, servicePort: 80 }],
    probes: { readiness: { http: { path: '/healthz' } } },
    resources: { requests: { cpu: '100m', memory: '192Mi' }, limits: { memory: '384Mi' } },
    ...extra,
  });
}

/** An API's address as the charts' `http://<service>-service` endpoints (typed: it opens the NetworkPolicy). */
function endpoint(service: string): { serviceAddress: { service: string; scheme: string } } {
  return { serviceAddress: { service, scheme: 'http' } };
}

/**
 * The env that differs per environment: each API's DynamoDB table `<namespace>-<table>` (seed:
 * `./create-dynamodb-table.sh development|production`; the charts' `{{ .Release.Namespace }}-<table>`),
 * and the clients API's ASP.NET environment (its chart's `ternary "Development" "Production"`).
 */
function environmentEnv(environment: keyof typeof ACCOUNT): Record<string, { env: Record<string, string> }> {
  const table = (name: string) => ({ env: { DYNAMODB_TABLE: `${environment}-${name}` } });
  return {
    'clients-api': { env: { ASPNETCORE_ENVIRONMENT: environment === 'development' ? 'Development' : 'Production' } },
    'inventory-api': table('inventory'),
    'renting-api': table('renting'),
    'resource-api': table('resources'),
  };
}

/**
 * The IRSA role eksctl created for a service in one environment (seed: `eksctl create
 * iamserviceaccount … --attach-policy-arn <production|development>-iam-policy-<service>`). eksctl
 * generates the role name; the fleet names it after environment and service instead, in the
 * environment cluster's own account.
 */
function role(environment: keyof typeof ACCOUNT, service: string): string {
  return `arn:aws:iam::${ACCOUNT[environment]}:role/bookstore-${environment}-${service}`;
}

const SERVICES = ['clients-api', 'inventory-api', 'renting-api', 'resource-api', 'front-end'] as const;

/** Every service's IRSA role in one environment (the seed creates one per service, front-end included). */
function irsaRoles(environment: keyof typeof ACCOUNT): Record<string, { serviceAccount: { awsRoleArn: string }; env?: Record<string, string> }> {
  const env = environmentEnv(environment);
  return Object.fromEntries(SERVICES.map((name) => [name, { serviceAccount: { awsRoleArn: role(environment, name) }, ...env[name] }]));
}

export const bookstore = defineSystem({
  name: 'bookstore',
  definition: 'src/environments/bookstore.ts',
  services: [
    // Not in the seed: blue/green in production (Flagger's kubernetes provider) demonstrates
    // progressive delivery on an ALB cluster; development runs plain rolling updates. The apex
    // sends nothing to the canary before promotion: the load test is its only traffic.
    api('clients-api', { env: { AWS_DEFAULT_REGION: REGION }, canary: { strategy: { kind: 'blue-green', iterations: 5 }, webhooks: { loadTest: {} } } }),
    api('inventory-api', {
      env: {
        RESOURCE_API_ENDPOINT: endpoint('resource-api'),
        AWS_DEFAULT_REGION: REGION,
        AWS_REGION: REGION,
        // Not in the seed: the API keys demonstrate secret delivery (sops in development, sealed in production).
        CATALOG_API_KEY: { secret: { name: 'bookstore-api-keys', key: 'catalog-api-key' } },
      },
    }),
    api('renting-api', {
      env: {
        INVENTORY_API_ENDPOINT: endpoint('inventory-api'),
        CLIENTS_API_ENDPOINT: endpoint('clients-api'),
        AWS_REGION: REGION,
        RESOURCES_API_ENDPOINT: endpoint('resource-api'),
        // Not in the seed, like CATALOG_API_KEY.
        PAYMENTS_API_KEY: { secret: { name: 'bookstore-api-keys', key: 'payments-api-key' } },
      },
    }),
    api('resource-api', { env: { AWS_DEFAULT_REGION: REGION } }),
    service('front-end', {
      // The chart's containerPort 80 (nginx serving the built front-end) behind Service port 80.
      ports: [{ name: 'http', port: 80 }],
      resources: { requests: { cpu: '50m', memory: '96Mi' }, limits: { memory: '192Mi' } },
      // Seed: "Browse to bookstore.{{rootdomain}}"; development follows the seed's `-development` pattern.
      ingress: { paths: ['/'], hosts: ['bookstore.{domain}'] },
      // Seed: "the service will need access to the apis" (its App Mesh backends). The seed's
      // front-end chart runs the UI and an nginx proxy to the APIs (`front-end-proxy`, whose route
      // has the retry policy, the UI's has none); here one service does both and keeps the policy.
      calls: ['clients-api', 'inventory-api', 'renting-api', 'resource-api'],
    }),
  ],
  environments: [
    {
      name: 'development',
      // The seed's Route 53 root domain ({{rootdomain}} / .Values.baseDomain).
      domain: 'example.com',
      namespace: 'development',
      // Seed helm-v5 ingress.yaml: `{{ eq .Release.Namespace "development" | ternary "<service>-development" "<service>" }}.{{ .Values.baseDomain }}`.
      ingressHost: '{service}-{environment}.{domain}',
      services: {
        ...irsaRoles('development'),
        // Development has no progressive delivery: plain rolling updates.
        'clients-api': { ...irsaRoles('development')['clients-api'], canary: false },
        'front-end': { ...irsaRoles('development')['front-end'], replicas: 1, ingress: { hosts: ['bookstore-development.{domain}'] } },
      },
    },
    {
      name: 'production',
      domain: 'example.com',
      namespace: 'production',
      production: true,
      namespaces: { production: { developers: ['bookstore-oncall'] } },
      // The seed's cicd-5 text says production deploys "with the `-production` postfix", which
      // contradicts its own helm-v5 ternary (no postfix outside development); the ternary is
      // what runs, so production hosts are `<service>.<domain>` (the default pattern).
      services: {
        ...irsaRoles('production'),
        // Not in the seed (it gives no replica counts): production capacity of the sample.
        'clients-api': { ...irsaRoles('production')['clients-api'], autoscaling: { minReplicas: 3, maxReplicas: 10, cpuUtilization: 70 } },
        'inventory-api': {
          ...irsaRoles('production')['inventory-api'],
          autoscaling: { minReplicas: 3, maxReplicas: 12, cpuUtilization: 70 },
          resources: { requests: { cpu: '250m', memory: '384Mi' }, limits: { memory: '768Mi' } },
        },
        'renting-api': { ...irsaRoles('production')['renting-api'], replicas: 3 },
        'front-end': { ...irsaRoles('production')['front-end'], replicas: 3 },
      },
    },
  ],
});
