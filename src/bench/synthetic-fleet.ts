import type { ClusterSpec, IngressControllerKind } from '../model/cluster';
import { defineFleet, defineSystem, type FleetSpec, type SystemSpec } from '../model/fleet';
import type { ServiceSpec } from '../model/service';

export interface SyntheticFleetOptions {
  readonly services: number;
  readonly clusters: number;
  /** Services per team (system and namespace). @default 50 */
  readonly servicesPerTeam?: number;
  /** Add a canary to every service on clusters that run Flagger. @default true */
  readonly canaries?: boolean;
}

const CONTROLLERS: IngressControllerKind[] = ['traefik', 'nginx', 'alb'];

/** AWS account of the cluster of environment `index`: its services' IRSA roles live there too. */
const accountOf = (index: number) => `1111222${String(index).padStart(5, '0')}`;

/**
 * A fleet of `services` services on each of `clusters` clusters, built through the same public
 * model API users write (defineSystem/defineFleet), every service with the full object set:
 * Deployment, Service, Ingress, HPA, PDB, ServiceAccount, ConfigMap, NetworkPolicy — and a
 * Canary on clusters with Flagger.
 */
export function syntheticFleet(options: SyntheticFleetOptions): FleetSpec {
  const perTeam = options.servicesPerTeam ?? 50;
  const environments = Array.from({ length: options.clusters }, (_, i) => `env-${i}`);
  const systems: SystemSpec[] = [];
  for (let team = 0; team * perTeam < options.services; team++) {
    const count = Math.min(perTeam, options.services - team * perTeam);
    const names = Array.from({ length: count }, (_, i) => `svc-${team}-${i}`);
    const services: ServiceSpec[] = names.map((name, i) => ({
      name,
      image: `registry.example.com/team-${team}/${name}`,
      namespace: `team-${team}`,
      ports: [{ name: 'http', port: 8080 }],
      env: { LOG_LEVEL: 'info', UPSTREAM: `http://${names[(i + 1) % count]}:8080` },
      config: { FEATURE_FLAGS: 'a,b,c', TIMEOUT_MS: String(1000 + i) },
      resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } },
      probes: { readiness: { http: { path: '/healthz' } } },
      autoscaling: { minReplicas: 2, maxReplicas: 6 },
      serviceAccount: {},
      ingress: { paths: ['/'] },
      calls: count > 1 ? [names[(i + 1) % count]] : [],
      canary: options.canaries === false ? undefined : { strategy: { kind: 'canary', stepWeight: 20, maxWeight: 60 } },
    }));
    systems.push(
      defineSystem({
        name: `team-${team}`,
        definition: `bench/team-${team}.ts`,
        services,
        environments: environments.map((name, e) => ({
          name,
          domain: `${name}.example.com`,
          ingressHost: '{service}-{environment}.{domain}',
          production: e === environments.length - 1,
          services: Object.fromEntries(
            names.map((n, i) => [n, { tag: `1.${e}.${i}`, serviceAccount: { awsRoleArn: `arn:aws:iam::${accountOf(e)}:role/${n}` } }]),
          ),
        })),
      }),
    );
  }
  const allNames = systems.flatMap((system) => system.services.map((s) => s.name));
  const clusters: ClusterSpec[] = environments.map((environment, i) => {
    const controller = CONTROLLERS[i % CONTROLLERS.length];
    const flagger = controller !== 'alb';
    return {
      name: `cluster-${i}`,
      environment,
      provider: 'eks',
      kubernetesVersion: '1.31',
      ingress: { controller },
      flux: { url: 'https://git.example.com/fleet' },
      aws: { region: 'eu-west-1', accountId: accountOf(i), vpcId: `vpc-${String(i).padStart(17, '0')}` },
      services: allNames,
      progressiveDelivery: flagger ? { engine: 'flagger', metrics: { prometheus: 'http://prometheus.monitoring:9090' } } : undefined,
      // Every ingress's default TLS secret (`<service>-tls`) comes from the platform's certificate issuer.
      platformSecrets: ['*/*-tls'],
    };
  });
  // ALB clusters run Flagger's blue/green-only provider: turn canaries off there.
  const withOverrides = systems.map((system) => ({
    ...system,
    environments: system.environments.map((environment) => {
      const cluster = clusters.find((c) => c.environment === environment.name);
      if (cluster?.progressiveDelivery) return environment;
      const services = Object.fromEntries(Object.entries(environment.services ?? {}).map(([name, o]) => [name, { ...o, canary: false as const }]));
      return { ...environment, services };
    }),
  }));
  return defineFleet({ systems: withOverrides, clusters, pipeline: environments });
}
