import type { RawObject } from '../model/custom-chart';
import { defineSystem } from '../model/fleet';

/**
 * flightspecials (seed 002, "M2M FlightSpecial Microservice"): the Flight part of the TravelBuddy
 * monolith as a Spring Boot service, configured from ConfigMap `flightspecials-configmap`,
 * released by Argo Rollouts in four canary steps and exposed through TravelBuddy's shared ALB
 * (cluster `specials` in src/environments/clusters.ts). Values are the seed's Helm chart
 * (`deployment.yaml` of its section 6) unless a comment says why not.
 */

/** The ConfigMap the seed's chart names; its pods read every setting from it with configMapKeyRef. */
const CONFIG_MAP = 'flightspecials-configmap';

const fromConfigMap = (key: string) => ({ configMap: { name: CONFIG_MAP, key } });

/** The seed's ConfigMap for one environment (its keys are the chart's: lower case, not env names). */
function flightspecialsConfigMap(data: { environment: string; database_endpoint: string; database_port: string; database_username: string }): RawObject {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: CONFIG_MAP, labels: { 'app.kubernetes.io/name': 'flightspecials', 'app.kubernetes.io/part-of': 'flightspecials' } },
    data,
  };
}

export const flightspecials = defineSystem({
  name: 'flightspecials',
  definition: 'src/environments/flightspecials.ts',
  services: [
    {
      name: 'flightspecials',
      // Assumed: the seed's image is `{{ .Values.image.repository }}`, filled in by its CodeBuild
      // pipeline; the tag comes from the release lock (src/environments/releases.yaml).
      // The seed's `imagePullPolicy: Always` is not carried: it re-pulls a mutable tag, and every
      // version here is an immutable tag pinned in the lock, so Kubernetes' default for a non-latest
      // tag (IfNotPresent) pulls each version once, and a pod restart never waits on the registry.
      image: 'flyreserve/flightspecials',
      namespace: 'flightspecials',
      // 8080: the app's `server.port` (m2m-flightspecial interface/src/main/resources/application.yml)
      // and the seed's docker-compose default `APP_PORT=8080`.
      ports: [{ name: 'http', port: 8080 }],
      // The seed's `serviceAccountName`. Its pods read the database credentials from AWS Secrets
      // Manager with this account's IRSA role (see `environments` below).
      serviceAccount: { name: 'flightspecials-service-account' },
      env: {
        PROFILE: fromConfigMap('environment'),
        // Seed bug fixed: the seed wrote "-Dspring.profiles.active=${SPRING_PROFILES_ACTIVE}", which
        // Kubernetes never expands (the JVM would get the literal text). $(VAR) is Kubernetes'
        // syntax; synth orders SPRING_PROFILES_ACTIVE first so the kubelet can expand it. (The
        // image's entrypoint passes PROFILE to -Dspring.profiles.active and reads JAVA_OPTS, not
        // JAVA_OPTIONS; Spring Boot also reads SPRING_PROFILES_ACTIVE itself. Kept as the seed sets it.)
        JAVA_OPTIONS: '-Dspring.profiles.active=$(SPRING_PROFILES_ACTIVE)',
        SPRING_PROFILES_ACTIVE: fromConfigMap('environment'),
        DATABASE_ENDPOINT: fromConfigMap('database_endpoint'),
        DATABASE_PORT: fromConfigMap('database_port'),
        DATABASE_USERNAME: fromConfigMap('database_username'),
        DB_DEFAULT_SCHEMA: 'travelbuddy',
      },
      // Seed bug fixed: the seed's memory limit "512Gi" (for 512Mi) could never be scheduled;
      // synth rejects it (policy/memory-ceiling). Requests and the CPU limit are the seed's.
      resources: { requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: '500m', memory: '512Mi' } },
      // The image's entrypoint logs GC to /var/log/gc.log; with the read-only root filesystem the
      // generator enforces, the JVM could not open it and would not start.
      volumes: { logs: { emptyDir: {} } },
      volumeMounts: [{ volume: 'logs', mountPath: '/var/log' }],
      // The seed has no probes. The app has no Spring Boot Actuator (its build.gradle), so the
      // /actuator/health probes we had would never pass: readiness asks the one read endpoint
      // (it answers from the database, and the ALB health check uses the same path), liveness
      // and startup only that Tomcat listens, so a database outage does not restart the pods.
      probes: {
        readiness: { http: { path: '/flightspecials' } },
        liveness: { tcp: {}, periodSeconds: 10 },
        // The JVM needs up to two minutes to start (Flyway migrates first); liveness must not kill it meanwhile.
        startup: { tcp: {}, periodSeconds: 5, failureThreshold: 24 },
      },
      // The app's routes (FlightController: GET /flightspecials, POST /flight/{id}/name) on the
      // shared ALB; TravelBuddy's own Ingress in the same ALB group keeps the rest.
      ingress: { paths: ['/flightspecials', '/flight'] },
      // The seed's Rollout strategy, step for step. The seed's Rollout carries the pod template
      // itself; ours references the Deployment (workloadRef), which carries the same template.
      canary: {
        strategy: { kind: 'canary', stepWeights: [20, 40, 60, 80], pauses: ['30s', '30s', '30s', '20s'], maxSurge: '50%', maxUnavailable: 0 },
        revisionHistoryLimit: 2,
      },
    },
  ],
  environments: [
    {
      name: 'production',
      // Assumed: the seed reaches TravelBuddy's ALB by its AWS host name and names no domain.
      domain: 'travelbuddy.example.com',
      production: true,
      ingressHost: 'specials.{domain}',
      services: {
        flightspecials: {
          replicas: 3,
          // The seed's step 5 and 9: the pods need Secrets Manager (and Parameter Store) access,
          // "IRSA or the node role". IRSA, so no other pod on the node gets it. Assumed role name.
          serviceAccount: { awsRoleArn: 'arn:aws:iam::777788889999:role/flightspecials' },
          objects: [
            flightspecialsConfigMap({
              // The app's Spring profile `test` (application.yml) is the one that reads DATABASE_*:
              // its datasource is AWS's Secrets Manager JDBC driver, which takes DATABASE_USERNAME
              // as the name of the secret holding user and password and fetches both with the
              // pod's IRSA role. So no password reaches Kubernetes (the configtree file we mounted
              // before was never read by the app).
              environment: 'test',
              // Assumed: the seed reads the endpoint from CloudFormation output
              // M2MFlightSpecialDatabaseStackFlightSpecialDBEndpoint at build time.
              database_endpoint: 'flightspecials-db.example.internal',
              database_port: '5432',
              // The seed's value (buildspec: "DATABASE_USERNAME=flightspecial_db_credentials_test").
              database_username: 'flightspecial_db_credentials_test',
            }),
          ],
        },
      },
    },
  ],
});
