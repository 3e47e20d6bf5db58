import { error, type Problem } from '../../model/problem';
import { childPath } from '../field-path';
import { record } from '../json';
import type { ValidationContext } from '../validation-context';
import { containersOf, type ContainerRef, type PodTemplate } from '../workloads';
import { formatBytes, formatCores, parseQuantity } from './quantity';

/**
 * Container resources, per container (init containers included):
 * `policy/requests-set` — cpu and memory requests, so the scheduler can place the pod;
 * `policy/memory-limit-set` — a memory limit, so one leak cannot take the node down;
 * `policy/limits-gte-requests` — no limit below its request (the API server rejects it);
 * `policy/memory-ceiling`, `policy/cpu-ceiling` — no request or limit above the fleet's ceiling,
 *   which catches unit typos (`512Gi` for `512Mi`, `2000` for `2000m`) before a pod stays Pending.
 * Values that are not quantities are left to the schema check.
 */
export function checkResources(ctx: ValidationContext): Problem[] {
  const memoryCeiling = parseQuantity(ctx.options.memoryCeiling);
  const cpuCeiling = parseQuantity(ctx.options.cpuCeiling);
  return ctx.index.podTemplates.flatMap((template) =>
    containersOf(template).flatMap((ref) => [
      ...checkRequests(template, ref, ctx),
      ...checkMemoryLimit(template, ref, ctx),
      ...checkLimitsCoverRequests(template, ref, ctx),
      ...checkCeiling(template, ref, 'memory', memoryCeiling, ctx),
      ...checkCeiling(template, ref, 'cpu', cpuCeiling, ctx),
    ]),
  );
}

function resources(ref: ContainerRef): { requests: Readonly<Record<string, unknown>>; limits: Readonly<Record<string, unknown>> } {
  const r = record(ref.container.resources);
  return { requests: record(r.requests), limits: record(r.limits) };
}

const describe = (template: PodTemplate, ref: ContainerRef) =>
  `${ref.init ? 'Init container' : 'Container'} "${ref.name}" of ${template.owner.kind} ${template.owner.metadata.name}`;

function checkRequests(template: PodTemplate, ref: ContainerRef, ctx: ValidationContext): Problem[] {
  const { requests, limits } = resources(ref);
  // Kubernetes defaults a missing request to the limit, so a limit alone is a request too.
  const missing = ['cpu', 'memory'].filter((r) => requests[r] === undefined && limits[r] === undefined);
  if (missing.length === 0) return [];
  return [
    error(
      'policy/requests-set',
      ctx.placeOf(template.owner, childPath(ref.path, 'resources', 'requests')),
      `${describe(template, ref)} has no ${missing.join(' or ')} request, so the scheduler places it blind and it is evicted first.`,
      `Set resources.requests.${missing.join(' and resources.requests.')} from observed usage.`,
    ),
  ];
}

function checkMemoryLimit(template: PodTemplate, ref: ContainerRef, ctx: ValidationContext): Problem[] {
  if (resources(ref).limits.memory !== undefined) return [];
  return [
    error(
      'policy/memory-limit-set',
      ctx.placeOf(template.owner, childPath(ref.path, 'resources', 'limits', 'memory')),
      `${describe(template, ref)} has no memory limit; a leak would grow until the node runs out of memory.`,
      'Set resources.limits.memory (usually equal to the memory request).',
    ),
  ];
}

function checkLimitsCoverRequests(template: PodTemplate, ref: ContainerRef, ctx: ValidationContext): Problem[] {
  const { requests, limits } = resources(ref);
  return Object.keys(limits)
    .filter((name) => requests[name] !== undefined)
    .flatMap((name) => {
      const request = parseQuantity(requests[name] as string | number);
      const limit = parseQuantity(limits[name] as string | number);
      if (request === undefined || limit === undefined || limit >= request) return [];
      return [
        error(
          'policy/limits-gte-requests',
          ctx.placeOf(template.owner, childPath(ref.path, 'resources', 'limits', name)),
          `${describe(template, ref)} limits ${name} to ${String(limits[name])}, below its request of ${String(requests[name])}; the API server rejects such a pod.`,
          `Raise resources.limits.${name} to at least ${String(requests[name])}, or lower the request.`,
        ),
      ];
    });
}

function checkCeiling(template: PodTemplate, ref: ContainerRef, resource: 'memory' | 'cpu', ceiling: bigint | undefined, ctx: ValidationContext): Problem[] {
  if (ceiling === undefined) return [];
  const { requests, limits } = resources(ref);
  const shown = resource === 'memory' ? formatBytes(ceiling) : `${formatCores(ceiling)} cores`;
  return (['requests', 'limits'] as const).flatMap((kind) => {
    const raw = (kind === 'requests' ? requests : limits)[resource];
    if (typeof raw !== 'string' && typeof raw !== 'number') return [];
    const value = parseQuantity(raw);
    if (value === undefined || value <= ceiling) return [];
    return [
      error(
        `policy/${resource}-ceiling`,
        ctx.placeOf(template.owner, childPath(ref.path, 'resources', kind, resource)),
        `${describe(template, ref)} ${kind === 'requests' ? 'requests' : 'is limited to'} ${resource} ${String(raw)}, above the fleet ceiling of ${shown} per container; no node fits it, so the pod would stay Pending.`,
        resource === 'memory'
          ? `Check the unit (Mi vs Gi); keep resources.${kind}.memory at or below ${shown}, or raise memoryCeiling if nodes that large exist.`
          : `Check the unit (${String(raw)}m is millicores); keep resources.${kind}.cpu at or below ${shown}, or raise cpuCeiling.`,
      ),
    ];
  });
}
