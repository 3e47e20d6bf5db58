import { CHARTS } from '../model/controller-versions';
import type { EnvironmentSpec } from '../model/environment';
import { defineSystem } from '../model/fleet';
import { defineHelmApp, pinnedChart } from '../model/helm-app';

/**
 * platform: seed 004 ("Bootstrapping Services in an AWS EKS cluster"), the team's staging and dev
 * EKS clusters in AWS staging account 773713188930 (us-east-2), as a system of its own. The name
 * is the seed's own word for what it sets up ("our platform" of shared cluster services plus
 * Hydra and Reaction Commerce); the seed's clusters are `platform-staging` and `platform-dev` in
 * src/environments/clusters.ts.
 *
 * What the seed did by hand with `kubectl apply` / `kustomize build`, and where it is now:
 * - app namespaces `staging` / `dev` (its bootstrap/namespaces overlays) → each environment's
 *   `namespace`; `logging`, `monitoring`, `observability` → the namespaces of the stacks below.
 * - RBAC `k8s-developer-role` / `k8s-developer-rolebinding` (bootstrap/rbac) → `namespaces.<ns>.developerRbac`,
 *   with the names the seed's `kustomize build` printed per namespace.
 * - fluentd, jaeger-operator, prometheus-operator (bootstrap/<service>/overlays) → pinned Helm
 *   apps (HelmReleases), versions in src/model/controller-versions.ts, each modernised below.
 * - the Docker Hub pull secret `docker-hub` → the cluster's `secrets.imagePullSecrets`.
 * - Hydra and Reaction Commerce (kustomize/hydra, sops secrets, a Hydra ConfigMap) → typed
 *   services reading the seed's secret keys.
 * - sops with AWS KMS → `.sops.yaml` names the KMS key next to the age recipient (see there for
 *   the operator's one-time `sops updatekeys`); Flux decrypts the per-cluster files with the
 *   cluster's age key (Secret `sops-age`), as on every `sops` cluster of the fleet.
 * - nginx ingress behind the ALB on NodePorts 30080/30443 (bootstrap/nginx-ingress-alb) → the
 *   cluster's `ingress.nodePorts`, on Traefik (see clusters.ts for why not ingress-nginx).
 * - Flux v1 + memcached, fluxctl, a custom Flux image on Docker Hub (bootstrap/flux) → Flux v2
 *   (`flux bootstrap`): Flux v1 is archived and unsupported since 2022 (fluxcd/flux README:
 *   "Flux v1 has reached end of life"); Flux v2 needs no memcached (its image automation reads
 *   registries itself) and no `fluxctl identity` (bootstrap creates the deploy key), and it
 *   renders Kustomize overlays without the seed's `.flux.yaml` / generate_kustomize_output.sh.
 */

const NAMESPACES = { logging: 'logging', monitoring: 'monitoring', observability: 'observability' } as const;

/** Hydra's public (OAuth2/OIDC) and admin API ports (ory/hydra docs: serve.public.port 4444, serve.admin.port 4445). */
const HYDRA_PUBLIC_PORT = 4444;
const HYDRA_ADMIN_PORT = 4445;

/**
 * The seed's Hydra secret keys, kept under the seed's names (`secrets/<env>/hydra.sops.yaml`).
 * Hydra ≥ 1.0 reads them under new names: its configuration keys are `dsn`, `secrets.system`
 * and `oidc.subject_identifiers.pairwise.salt`, set by the environment variables DSN,
 * SECRETS_SYSTEM and OIDC_SUBJECT_IDENTIFIERS_PAIRWISE_SALT (ory/hydra
 * docs/docs/reference/configuration.md: "Set this value using environment variables …
 * export DSN=<value>"). The 0.x names DATABASE_URL, SYSTEM_SECRET and
 * OIDC_SUBJECT_TYPE_PAIRWISE_SALT are not read by Hydra 2: with them as env names Hydra would
 * start without its database and system secret.
 */
const HYDRA_SECRET_ENV = {
  DSN: { secret: { name: 'hydra', key: 'DATABASE_URL' } },
  SECRETS_SYSTEM: { secret: { name: 'hydra', key: 'SYSTEM_SECRET' } },
  OIDC_SUBJECT_IDENTIFIERS_PAIRWISE_SALT: { secret: { name: 'hydra', key: 'OIDC_SUBJECT_TYPE_PAIRWISE_SALT' } },
} as const;

/**
 * The image of Hydra's migration: the cluster overlay's Kustomize `images` entry for oryd/hydra
 * rewrites it to the tag of the `hydra` entry in src/environments/releases.yaml, like the server's.
 */
const HYDRA_MIGRATE_IMAGE = 'oryd/hydra:v2.3.0';

/**
 * Hydra's ConfigMap (the seed's kustomize/hydra/overlays/<env>/configmap.yaml, "the correct host
 * URLS" per environment), rendered as ConfigMap `hydra-config` and read with envFrom.
 * Login and consent are Reaction's identity pages, as in Reaction Commerce's Hydra setup.
 */
function hydraConfig(domain: string): Record<string, string> {
  return {
    URLS_SELF_ISSUER: `https://hydra.${domain}/`,
    URLS_LOGIN: `https://reaction.${domain}/account/login`,
    URLS_CONSENT: `https://reaction.${domain}/consent`,
    URLS_LOGOUT: `https://reaction.${domain}/account/logout`,
    // The ALB terminates TLS (the seed's ACM certificate *.ENV.domain.io) and Traefik forwards
    // plain HTTP inside the VPC: Hydra 2 refuses plain HTTP unless it comes from these ranges
    // (serve.tls.allow_termination_from; the private ranges of RFC 1918, since the seed gives no VPC CIDR).
    SERVE_TLS_ALLOW_TERMINATION_FROM: '10.0.0.0/8,172.16.0.0/12,192.168.0.0/16',
    LOG_LEVEL: 'info',
  };
}

/**
 * One environment of the seed: its app namespace (`staging` / `dev`, the seed's names) and the
 * RBAC names its `kustomize build` printed (bootstrap/rbac/overlays/<ns>): `k8s-developer-role`
 * in the app namespace, `-monitoring` suffixed in monitoring.
 *
 * The seed's third namespace, `default`, gets neither the Role nor the `docker-hub` Secret here:
 * `default` belongs to the cluster (`converge/platform-namespace`: the fleet would render and
 * prune-own the Namespace), and nothing of the seed runs in it — its apps run in `staging`/`dev`.
 * Likewise `flux-system` gets no `docker-hub` Secret: it is `flux bootstrap`'s, and Flux v2 pulls
 * its controllers anonymously from ghcr.io (the seed needed it for its own Flux v1 image).
 */
function environment(name: string, namespace: string, domain: string): EnvironmentSpec {
  return {
    name,
    domain,
    namespace,
    services: { hydra: { config: hydraConfig(domain) } },
    namespaces: {
      [namespace]: { developerRbac: { role: 'k8s-developer-role', binding: 'k8s-developer-rolebinding' } },
      [NAMESPACES.monitoring]: {
        developerRbac: { role: 'k8s-developer-role-monitoring', binding: 'k8s-developer-rolebinding-monitoring' },
        // node-exporter runs with hostNetwork, hostPID and hostPath mounts of / (kube-prometheus-stack's
        // prometheus-node-exporter subchart), which only `privileged` admits.
        podSecurity: 'privileged',
      },
      // Fluent Bit's DaemonSet reads the nodes' /var/log and containers' logs through hostPath mounts.
      [NAMESPACES.logging]: { podSecurity: 'privileged' },
      // The jaeger chart's all-in-one pod sets no seccomp profile or non-root user of its own.
      [NAMESPACES.observability]: { podSecurity: 'baseline' },
    },
  };
}

export const platform = defineSystem({
  name: 'platform',
  definition: 'src/environments/platform.ts',
  services: [
    {
      // Ory Hydra, the OAuth2/OIDC server of the seed ("RDS Postgres instance configured for Hydra").
      name: 'hydra',
      image: 'oryd/hydra',
      command: ['hydra'],
      args: ['serve', 'all'],
      ports: [
        { name: 'public', port: HYDRA_PUBLIC_PORT },
        { name: 'admin', port: HYDRA_ADMIN_PORT },
      ],
      env: HYDRA_SECRET_ENV,
      // Placeholder values of the ConfigMap; each environment sets its own host URLs.
      config: hydraConfig('example.invalid'),
      // `hydra migrate sql` before every start (idempotent): the seed's schema changes of 1.x
      // releases had to be run by hand ("Please run hydra migrate sql when upgrading").
      initContainers: [
        {
          name: 'migrate',
          image: HYDRA_MIGRATE_IMAGE,
          command: ['hydra'],
          args: ['migrate', 'sql', '--read-from-env', '--yes'],
          env: { DSN: HYDRA_SECRET_ENV.DSN },
        },
      ],
      probes: {
        liveness: { http: { path: '/health/alive', port: 'admin' } },
        readiness: { http: { path: '/health/ready', port: 'admin' } },
      },
      // Only the public API is exposed; the admin API stays inside the cluster.
      ingress: { port: 'public', tls: false },
      resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } },
    },
    {
      // Reaction Commerce, the seed's commerce API on MongoDB Atlas ("Create MongoDB database and user in Atlas").
      name: 'reaction',
      image: 'reactioncommerce/reaction',
      ports: [{ name: 'http', port: 3000 }],
      env: {
        MONGO_URL: { secret: { name: 'reaction', key: 'MONGO_URL' } },
        MONGO_OPLOG_URL: { secret: { name: 'reaction', key: 'MONGO_OPLOG_URL' } },
        // Reaction checks every access token at Hydra's admin API (reactioncommerce/reaction
        // config.js: HYDRA_OAUTH2_INTROSPECT_URL, dev default http://hydra:4445/oauth2/introspect);
        // same namespace, so the short name resolves. `calls` opens Hydra's NetworkPolicy to it.
        HYDRA_OAUTH2_INTROSPECT_URL: `http://hydra:${HYDRA_ADMIN_PORT}/oauth2/introspect`,
      },
      calls: ['hydra'],
      probes: { readiness: { http: { path: '/health' } } },
      // TLS ends at the seed's ALB (ACM certificate *.ENV.domain.io); Traefik serves plain HTTP to it.
      ingress: { tls: false },
      resources: { requests: { cpu: '200m', memory: '384Mi' }, limits: { memory: '512Mi' } },
    },
  ],
  helmApps: [
    // prometheus-operator → kube-prometheus-stack: the operator's bundled chart moved to the
    // prometheus-community repository under this name (prometheus-operator/kube-prometheus).
    defineHelmApp({
      name: 'kube-prometheus-stack',
      namespace: NAMESPACES.monitoring,
      chart: pinnedChart(CHARTS['kube-prometheus-stack']),
      // EKS runs the control plane: its scheduler, controller-manager and etcd cannot be scraped,
      // and their default ServiceMonitors would only ever alert as down.
      values: { kubeControllerManager: { enabled: false }, kubeScheduler: { enabled: false }, kubeEtcd: { enabled: false } },
      // Its CRDs are large: the first install takes longer than the 5m default.
      timeout: '10m',
    }),
    // fluentd → Fluent Bit, the CNCF Fluent project's node log collector (fluentd remains the
    // aggregator, which the seed did not run). The seed's overlay content (its outputs) is not in
    // the seed: the chart's default configuration is kept; point `config.outputs` at the
    // Elasticsearch cluster the seed's CDK stack provisions.
    defineHelmApp({ name: 'fluent-bit', namespace: NAMESPACES.logging, chart: pinnedChart(CHARTS['fluent-bit']) }),
    // jaeger-operator → Jaeger v2 from the jaeger chart: the operator works only with the retired
    // Jaeger v1 (jaegertracing/jaeger-operator README: "DEPRECATED"); Jaeger v2 is an
    // OpenTelemetry Collector distribution and takes OTLP from the services.
    defineHelmApp({
      name: 'jaeger',
      namespace: NAMESPACES.observability,
      chart: pinnedChart(CHARTS.jaeger),
      values: { allInOne: { enabled: true }, storage: { type: 'memory' }, provisionDataStore: { cassandra: false } },
    }),
  ],
  environments: [
    // The seed's DNS: `*.ENV.domain.io` certificates and `ENV.domain.io` zones per environment
    // (it writes `domain.io` as the team's domain; kept as written).
    environment('staging', 'staging', 'staging.domain.io'),
    // The seed's `dev` namespace and cluster; the environment is the fleet pipeline's `development`.
    environment('development', 'dev', 'dev.domain.io'),
  ],
});
