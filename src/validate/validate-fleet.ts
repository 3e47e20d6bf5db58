import { allServices, type FleetSpec } from '../model/fleet';
import type { ClusterSpec, GatewayApiChannel } from '../model/cluster';
import type { KubeObject } from '../model/kube-object';
import { summarize, validateCluster, type ClusterValidation, type ValidationSummary } from './validate-cluster';
import type { ValidateOptions } from './validate-options';

/** Namespaces that exist before synth's output is applied: the API server's, and flux bootstrap's. */
export const PRE_EXISTING_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease', 'flux-system'];

export interface FleetClusterObjects {
  readonly name: string;
  readonly production: boolean;
  readonly kubernetesVersion: string;
  /** @default 'standard' */
  readonly gatewayApiChannel?: GatewayApiChannel;
  /** Whose CRDs the cluster has without Git (src/validate/schema/provider-crds.ts). @default - none */
  readonly provider?: ClusterSpec['provider'];
  readonly objects: readonly KubeObject[];
}

/** What validation needs of a rendered cluster: its facts from the model and its objects. */
export function fleetClusterObjects(spec: ClusterSpec, production: boolean, objects: readonly KubeObject[]): FleetClusterObjects {
  return { name: spec.name, production, kubernetesVersion: spec.kubernetesVersion, gatewayApiChannel: spec.gatewayApi?.channel, provider: spec.provider, objects };
}

/**
 * Validates every cluster of a fleet with the fleet's own waivers and definitions, so each
 * finding names the TypeScript file that produced it.
 */
export function validateFleet(
  fleet: FleetSpec,
  clusters: readonly FleetClusterObjects[],
  options: ValidateOptions = {},
): { results: ClusterValidation[]; summary: ValidationSummary } {
  const services = allServices(fleet);
  const waivers = Object.fromEntries(services.filter((e) => e.service.waivers).map((e) => [e.service.name, e.service.waivers ?? {}]));
  const definitions = Object.fromEntries(services.map((e) => [e.service.name, e.system.definition]));
  const results = clusters.map((cluster) => ({
    cluster: cluster.name,
    objects: cluster.objects.length,
    problems: validateCluster(
      { cluster: cluster.name, production: cluster.production, kubernetesVersion: cluster.kubernetesVersion, gatewayApiChannel: cluster.gatewayApiChannel, provider: cluster.provider, objects: cluster.objects },
      {
        knownNamespaces: PRE_EXISTING_NAMESPACES,
        waivers,
        definitions,
        memoryCeiling: fleet.policy?.memoryCeiling,
        cpuCeiling: fleet.policy?.cpuCeiling,
        ...options,
      },
    ),
  }));
  const deduplicated = reportFleetWideOnce(results);
  return { results: deduplicated, summary: summarize(deduplicated) };
}

/** Problems about the whole run rather than one cluster (they name no cluster); reported once. */
const FLEET_WIDE_CODES = new Set(['schema/crd-directory-missing']);

/** Keeps a fleet-wide problem in the first cluster that reports it and drops the repeats. */
function reportFleetWideOnce(results: readonly ClusterValidation[]): ClusterValidation[] {
  const seen = new Set<string>();
  return results.map((result) => ({
    ...result,
    problems: result.problems.filter((problem) => {
      if (!FLEET_WIDE_CODES.has(problem.code) || problem.place.cluster !== undefined) return true;
      const key = `${problem.code}\u0000${problem.message}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    }),
  }));
}
