import type { ClusterSpec, MeshKind } from './cluster';
import type { NamespaceSpec } from './environment';
import type { FleetSpec } from './fleet';
import type { PodSecurityLevel } from './kubernetes-rules';
import { environmentOf } from './resolve';

/**
 * Namespaces the API server or flux bootstrap create and own. Synth renders every application
 * namespace as a Namespace object that Flux prunes with its Kustomization, so an application
 * service in one of these would make Flux own (and on removal delete) a namespace the cluster
 * cannot live without.
 */
export const PLATFORM_NAMESPACES: readonly string[] = ['default', 'kube-system', 'kube-public', 'kube-node-lease', 'flux-system'];

/** The settings of a namespace on a cluster: the first system whose environment declares it. */
export function namespaceSpecOn(fleet: FleetSpec, cluster: ClusterSpec, namespace: string): NamespaceSpec {
  for (const system of fleet.systems) {
    const spec = environmentOf(system, cluster.environment)?.namespaces?.[namespace];
    if (spec) return spec;
  }
  return {};
}

/** restricted, or baseline on Istio (its init container needs NET_ADMIN unless istio-cni runs). */
export function defaultPodSecurity(mesh: MeshKind | undefined): PodSecurityLevel {
  return mesh === 'istio' ? 'baseline' : 'restricted';
}

/** The Pod Security Standard a namespace enforces on a cluster (its `pod-security.kubernetes.io/enforce` label). */
export function namespacePodSecurity(fleet: FleetSpec, cluster: ClusterSpec, namespace: string): PodSecurityLevel {
  return namespaceSpecOn(fleet, cluster, namespace).podSecurity ?? defaultPodSecurity(cluster.mesh);
}
