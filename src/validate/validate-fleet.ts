import { allServices, type FleetSpec } from '../model/fleet';
import type { KubeObject } from '../model/kube-object';
import { summarize, validateCluster, type ClusterValidation, type ValidationSummary } from './validate-cluster';
import type { ValidateOptions } from './validate-options';

/**
 * Kinds rendered without a schema to check against when their CRDs are not in the CRD directory
 * (../shared/crds has none of them): Istio's routing objects (src/charts/progressive/istio-routing.ts),
 * Gateway API HTTPRoutes (src/charts/microservice/http-route.ts) and Argo CD Applications. With
 * their CRD in the directory they are validated like every custom resource; without, by the
 * reference rules only.
 */
export const KINDS_WITHOUT_SCHEMA = ['networking.istio.io/v1/Gateway', 'networking.istio.io/v1/VirtualService', 'gateway.networking.k8s.io/v1/HTTPRoute', 'argoproj.io/v1alpha1/Application'];

/** Namespaces that exist before synth's output is applied: the API server's, and flux bootstrap's. */
export const PRE_EXISTING_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease', 'flux-system'];

export interface FleetClusterObjects {
  readonly name: string;
  readonly production: boolean;
  readonly kubernetesVersion: string;
  readonly objects: readonly KubeObject[];
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
      { cluster: cluster.name, production: cluster.production, kubernetesVersion: cluster.kubernetesVersion, objects: cluster.objects },
      {
        allowedKindsWithoutSchema: KINDS_WITHOUT_SCHEMA,
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
