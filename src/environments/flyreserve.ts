import { defineSystem } from '../model/fleet';

/**
 * flyreserve: the flight reservation system, running on the `staging` EKS cluster behind
 * Traefik, in namespace `microservices`.
 */
export const flyreserve = defineSystem({
  name: 'flyreserve',
  definition: 'src/environments/flyreserve.ts',
  services: [
    {
      name: 'flights',
      image: 'uedwinc/flights',
      ports: [{ name: 'http', port: 8080 }],
      env: {
        MYSQL_HOST: 'flights-db.flyreserve.internal',
        MYSQL_USER: 'flights',
        MYSQL_DATABASE: 'flights',
        MYSQL_PASSWORD: { secret: { name: 'mysql', key: 'password' } },
      },
      probes: { readiness: { http: { path: '/health' } } },
      resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } },
      ingress: { hosts: ['flightsvc.com'], paths: ['/flights'] },
      calls: ['reservations'],
    },
    {
      name: 'reservations',
      image: 'uedwinc/reservations',
      ports: [{ name: 'http', port: 8080 }],
      env: { REDIS_HOST: 'reservations-cache.flyreserve.internal', REDIS_PORT: '6379' },
      probes: { readiness: { http: { path: '/health' } } },
      networkPolicy: { restrictEgress: true, egressCidrs: [{ cidr: '10.20.0.0/16', ports: [6379] }] },
    },
  ],
  environments: [
    {
      name: 'staging',
      domain: 'flightsvc.com',
      namespace: 'microservices',
      services: {
        flights: { tag: 'v1.0' },
        reservations: { tag: 'v1.0' },
      },
    },
  ],
});
