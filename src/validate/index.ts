// The validation layer: schema, cross-object references and fleet policy for one cluster's
// rendered objects. Commands call `validateCluster` per cluster and `summarize` once.
export { validateCluster, summarize, sortProblems, type ClusterValidation, type ValidationSummary } from './validate-cluster';
export type { ClusterInput } from './validation-context';
export { SERVICE_LABEL, DEFINITION_ANNOTATION } from './validation-context';
export { type ValidateOptions, type Waivers, DEFAULT_KNOWN_NAMESPACES, DEFAULT_MEMORY_CEILING, DEFAULT_CPU_CEILING } from './validate-options';
export { RULES } from './rules';
export { parseQuantity, formatBytes, formatCores } from './policy/quantity';
