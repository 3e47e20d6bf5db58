import type { ClusterSpec } from './cluster';
import type { FleetSpec } from './fleet';
import { fleetIndex } from './fleet-index';
import { error, type Place, type Problem } from './problem';
import { canariesOn, flaggerProvider } from './progressive-delivery';
import { environmentOf } from './resolve';
import { carriesRetries, durationMs, GATEWAY_API_DURATION, resolveTraffic, trafficCarriers, type TrafficCarrier, type TrafficSpec } from './traffic';

/**
 * Retries and timeouts, per cluster: each service's `traffic` must land on something that
 * enforces it there (see `trafficCarriers`). On a cluster without a mesh or a Gateway API route
 * for the service it would be silently ignored, the App Mesh migration's classic regression.
 */
export function checkTraffic(fleet: FleetSpec): Problem[] {
  return fleet.clusters.flatMap((cluster) => {
    const canaries = canariesOn(fleet, cluster);
    return cluster.services.flatMap((service) => {
      const found = trafficOn(fleet, cluster, service);
      if (!found) return [];
      const engine = canaries.has(service) ? cluster.progressiveDelivery?.engine : undefined;
      const carriers = trafficCarriers({
        mesh: cluster.mesh ?? 'none',
        ingressController: cluster.ingress.controller,
        exposed: found.exposed,
        flaggerProvider: engine === 'flagger' ? flaggerProvider(cluster) : undefined,
      });
      const place = (field: string): Place => ({ cluster: cluster.name, environment: cluster.environment, service, field, definition: found.definition });
      return checkServiceTraffic(cluster, service, found.traffic, carriers, place);
    });
  });
}

interface FoundTraffic {
  readonly traffic: TrafficSpec;
  readonly exposed: boolean;
  readonly definition: string;
}

/** The service's traffic policy in the cluster's environment (override, `false` = none). */
function trafficOn(fleet: FleetSpec, cluster: ClusterSpec, service: string): FoundTraffic | undefined {
  const entry = fleetIndex(fleet).services.get(service);
  if (!entry) return undefined;
  const override = environmentOf(entry.system, cluster.environment)?.services?.[service];
  const traffic = resolveTraffic(entry.service.traffic, override?.traffic);
  if (!traffic) return undefined;
  return { traffic, exposed: (override?.ingress ?? entry.service.ingress) !== undefined, definition: entry.system.definition };
}

function checkServiceTraffic(cluster: ClusterSpec, service: string, traffic: TrafficSpec, carriers: readonly TrafficCarrier[], place: (field: string) => Place): Problem[] {
  const problems: Problem[] = [...checkValues(traffic, place)];
  const off = `or turn it off there with services["${service}"].traffic = false in the ${cluster.environment} environment`;
  if (carriers.length === 0) {
    problems.push(
      error(
        'traffic/unsupported',
        place('traffic'),
        `cluster ${cluster.name} (ingress ${cluster.ingress.controller}, mesh ${cluster.mesh ?? 'none'}) has nothing that applies ${service}'s retries and timeouts, so they would be ignored`,
        `run the cluster with mesh: 'istio' or 'linkerd', or ingress: { controller: 'gateway-api' } for an exposed service, ${off}`,
      ),
    );
    return problems;
  }
  const channel = cluster.gatewayApi?.channel ?? 'standard';
  const retriesCarried = carriers.some((c) => carriesRetries(c, channel));
  if (traffic.retries && !retriesCarried) {
    problems.push(
      carriers.includes('http-route')
        ? error(
            'traffic/experimental-field',
            place('traffic.retries'),
            `HTTPRoute retries (spec.rules[].retry, GEP-1731) exist only in Gateway API's experimental channel; cluster ${cluster.name} runs the ${channel} channel, whose HTTPRoute CRD has no such field, so ${service}'s retries would be dropped`,
            `keep traffic.timeout and remove traffic.retries for ${cluster.environment}, ${off}; or, if the platform installed the experimental-channel CRDs on ${cluster.name}, declare gatewayApi: { channel: 'experimental' } on the cluster`,
          )
        : error(
            'traffic/retries-unsupported',
            place('traffic.retries'),
            `Flagger's Gateway API router writes only the request timeout into the HTTPRoute it owns for ${service} on cluster ${cluster.name}; the retries would be dropped`,
            `keep traffic.timeout and remove traffic.retries for ${cluster.environment}, run the canary on a mesh (istio, linkerd), ${off}`,
          ),
    );
  }
  const istio = carriers.some((c) => c === 'istio-canary' || c === 'istio-virtual-service');
  if (traffic.retries?.retryOn && !istio) {
    problems.push(
      error(
        'traffic/istio-only',
        place('traffic.retries.retryOn'),
        `retryOn holds Istio retry conditions, but ${service} on cluster ${cluster.name} is routed by ${carriers.join(' and ')}`,
        'list the HTTP statuses to retry in traffic.retries.statusCodes instead (e.g. [502, 503, 504])',
      ),
    );
  }
  return problems;
}

function checkValues(traffic: TrafficSpec, place: (field: string) => Place): Problem[] {
  const problems: Problem[] = [];
  const duration = (field: string, value: string | undefined) => {
    if (value !== undefined && !GATEWAY_API_DURATION.test(value)) {
      problems.push(error('traffic/invalid-duration', place(field), `"${value}" is not a duration every mesh reads`, "write whole numbers with h, m, s or ms, e.g. '15s' or '500ms'"));
    }
  };
  duration('traffic.timeout', traffic.timeout);
  const retries = traffic.retries;
  if (!retries) return problems;
  duration('traffic.retries.perTryTimeout', retries.perTryTimeout);
  if (!Number.isInteger(retries.attempts) || retries.attempts < 1 || retries.attempts > 10) {
    problems.push(error('traffic/invalid-retries', place('traffic.retries.attempts'), `${retries.attempts} is not a number of retries from 1 to 10`, 'retry a few times at most (2 or 3); more multiplies load on a struggling service'));
  }
  for (const code of retries.statusCodes ?? []) {
    if (!Number.isInteger(code) || code < 400 || code > 599) {
      problems.push(error('traffic/invalid-retries', place('traffic.retries.statusCodes'), `${code} is not an HTTP error status (400–599)`, 'list statuses such as 502, 503 and 504'));
    }
  }
  const perTry = retries.perTryTimeout ? durationMs(retries.perTryTimeout) : undefined;
  const total = traffic.timeout ? durationMs(traffic.timeout) : undefined;
  if (perTry !== undefined && total !== undefined && perTry > total) {
    problems.push(error('traffic/invalid-retries', place('traffic.retries.perTryTimeout'), `each attempt may take ${retries.perTryTimeout}, longer than the whole request's ${traffic.timeout}`, 'make perTryTimeout at most the timeout (Gateway API rejects backendRequest > request)'));
  }
  return problems;
}
