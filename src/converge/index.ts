// The converge layer: what Flux, Flagger, Argo Rollouts and Istio will do with one cluster's
// rendered objects, and whether the result reconciles and serves. See README.md.
export { convergeCluster } from './converge-cluster';
export { appliedUnits, type AppliedUnit } from './applied-units';
export { convergeFleet, callEdges, ingressDataPlane, type ClusterBuilds } from './converge-fleet';
export type { ConvergeInput, CallEdge, DataPlaneSpec, ArgoCdBuilds } from './converge-input';
export { deriveClusterState, PLATFORM_NAMESPACES, type ClusterState, type PodSet } from './cluster-state';
export { CONVERGE_RULES } from './rules';
