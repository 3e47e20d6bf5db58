import { defineSystem } from '../model/fleet';

/**
 * flyreserve (seed 000, "Release and change"): the flight information service `flights`, the only
 * microservice the seed deploys, on the `staging` EKS cluster behind Traefik, in namespace
 * `microservices`. The seed's Helm chart is implementing-microservices/ms-deploy `ms-flights`
 * (templates/deployment.yaml, values.yaml); Argo CD applies it as Application `flight-info`,
 * synced by hand (the `staging` entry of src/environments/clusters.ts).
 *
 * Values the seed gives are used as they are. Where this differs, the reason is next to it.
 */
export const flyreserve = defineSystem({
  name: 'flyreserve',
  definition: 'src/environments/flyreserve.ts',
  services: [
    {
      name: 'flights',
      // The seed's Docker Hub repository "flights" (values.yaml image.repository); the tag, v1.0 as
      // the seed releases it, is in src/environments/releases.yaml.
      image: 'uedwinc/flights',
      // ms-flights templates/deployment.yaml: containerPort 5501 named http (the image's PORT=5501,
      // ms-flights Dockerfile); values.yaml service.port 80.
      ports: [{ name: 'http', port: 5501, servicePort: 80 }],
      // values.yaml MYSQL_HOST, MYSQL_USER, MYSQL_DATABASE, MYSQLSecretName/MYSQLSecretKey, in the
      // chart's order. Secret `mysql` is the one the seed creates by hand ("Create a Kubernetes
      // secret"); here it is delivered sealed from secrets/staging/mysql.sops.yaml, whose value is
      // a TEST-ONLY sample: the seed's own password is published in the seed.
      env: {
        MYSQL_HOST: 'rds.staging.msur-vpc.com',
        MYSQL_USER: 'microservices',
        MYSQL_PASSWORD: { secret: { name: 'mysql', key: 'password' } },
        MYSQL_DATABASE: 'microservices_db',
      },
      // Liveness /ping; readiness /health, as the seed changes it from the chart's /ping (/health
      // also checks the database, ms-flights appConfig.js). No timings: the chart sets none.
      probes: { liveness: { http: { path: '/ping' } }, readiness: { http: { path: '/health' } } },
      // values.yaml replicaCount: 1.
      replicas: 1,
      // The image's own user `node` (uid/gid 1000, ms-flights Dockerfile `USER node`), which owns
      // /opt/app: the generator's default 10001 is a stranger to the image's files.
      podSecurityContext: { runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000 },
      // The seed's chart sets `resources: {}`: the generator's default requests and memory limit apply.
      //
      // values.yaml ingress: host flightsvc.com, path /flights, `tls: []` — plain HTTP, as the seed
      // tests it (curl --header "Host: flightsvc.com" http://<traefik>/flights). No certificate is
      // delivered for flightsvc.com, so no TLS is configured.
      ingress: { hosts: ['flightsvc.com'], paths: ['/flights'], tls: false },
      // Not in the seed, kept as a modernisation: the seed ships a new tag by syncing it to all
      // traffic at once, with nothing to stop a bad version. Flagger moves Traefik traffic to it in
      // 10% steps up to 50% while its success rate and latency hold, and rolls back otherwise; the
      // load test goes through Traefik with the route's Host (converge/no-metrics-traffic), since
      // Traefik emits the canary's metrics only for requests it routes. With one replica the
      // primary is pinned at 1 by an HPA (Flagger scales from autoscalerRef).
      canary: { strategy: { kind: 'canary', stepWeight: 10, maxWeight: 50 }, webhooks: { loadTest: {} } },
    },
  ],
  environments: [
    {
      name: 'staging',
      domain: 'flightsvc.com',
      namespace: 'microservices',
    },
  ],
});
