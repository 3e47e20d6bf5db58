import type { ClusterSpec } from '../model/cluster';

const CONFIG_REPO = 'https://github.com/example-org/fleet-config';
const DEFINITION = 'src/environments/clusters.ts';

/** Every cluster of the fleet: what runs there and what the cluster provides. */
export const clusters: ClusterSpec[] = [
  {
    name: 'staging',
    environment: 'staging',
    provider: 'eks',
    kubernetesVersion: '1.31',
    ingress: { controller: 'traefik' },
    flux: { url: CONFIG_REPO },
    services: ['flights', 'reservations'],
    definition: DEFINITION,
  },
  {
    name: 'development',
    environment: 'development',
    provider: 'eks',
    kubernetesVersion: '1.31',
    ingress: { controller: 'alb' },
    flux: { url: CONFIG_REPO },
    services: ['clients-api', 'inventory-api', 'renting-api', 'resource-api', 'front-end'],
    definition: DEFINITION,
  },
  {
    name: 'production',
    environment: 'production',
    provider: 'eks',
    kubernetesVersion: '1.31',
    ingress: { controller: 'alb', certificateArn: 'arn:aws:acm:eu-west-1:444455556666:certificate/4f0c2d1e-bookstore' },
    flux: { url: CONFIG_REPO },
    services: ['clients-api', 'inventory-api', 'renting-api', 'resource-api', 'front-end'],
    definition: DEFINITION,
  },
  {
    name: 'specials',
    environment: 'production',
    provider: 'eks',
    kubernetesVersion: '1.31',
    ingress: { controller: 'nginx' },
    flux: { url: CONFIG_REPO },
    services: ['flightspecials'],
    definition: DEFINITION,
  },
];
