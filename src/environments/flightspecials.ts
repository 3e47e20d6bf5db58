import { defineSystem } from '../model/fleet';

/**
 * flightspecials: a Spring Boot service configured from a ConfigMap (profile and database
 * endpoint), on its own EKS cluster behind the platform's Gateway API Gateway (it left ingress-nginx
 * when that was retired). Its request timeout is `traffic`, carried by the HTTPRoute on the Gateway.
 */
export const flightspecials = defineSystem({
  name: 'flightspecials',
  definition: 'src/environments/flightspecials.ts',
  services: [
    {
      name: 'flightspecials',
      image: 'flyreserve/flightspecials',
      namespace: 'flightspecials',
      ports: [{ name: 'http', port: 8080 }],
      config: {
        SPRING_PROFILES_ACTIVE: 'default',
        DATABASE_ENDPOINT: 'flightspecials-db.example.internal',
        DATABASE_PORT: '5432',
        DATABASE_USERNAME: 'flightspecials',
      },
      resources: { requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: '500m', memory: '512Mi' } },
      probes: {
        readiness: { http: { path: '/actuator/health/readiness' } },
        liveness: { http: { path: '/actuator/health/liveness' }, periodSeconds: 10 },
        // The JVM needs up to two minutes to start; liveness must not kill it meanwhile.
        startup: { http: { path: '/actuator/health/liveness' }, periodSeconds: 5, failureThreshold: 24 },
      },
      ingress: { paths: ['/specials'] },
      // The request timeout is carried by the HTTPRoute (standard since Gateway API v1.2). Retries
      // are not: HTTPRoute `retry` is experimental-channel only, and cluster `specials` runs the
      // standard channel, so synth would refuse them (traffic/experimental-field).
      traffic: { timeout: '15s' },
      // Argo Rollouts on cluster `specials`: 20/40/60/80 with a two-minute pause after each step.
      canary: { strategy: { kind: 'canary', stepWeights: [20, 40, 60, 80], pause: '2m' } },
      // The database password as a file (Spring's configtree), from secrets/<environment>/flightspecials-db.sops.yaml.
      secretFiles: [{ secret: 'flightspecials-db', mountPath: '/etc/flightspecials/db' }],
    },
  ],
  environments: [
    {
      name: 'production',
      domain: 'flyreserve.example.com',
      production: true,
      ingressHost: 'specials.{domain}',
      services: {
        flightspecials: { config: { SPRING_PROFILES_ACTIVE: 'production' }, replicas: 3 },
      },
    },
  ],
});
