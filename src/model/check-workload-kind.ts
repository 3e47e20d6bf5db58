import { fleetIndex } from './fleet-index';
import type { FleetSpec, SystemSpec } from './fleet';
import { appsUnitName, placementsOn } from './placement';
import { error, type Problem } from './problem';
import type { ServiceSpec } from './service';
import { hasReplicas, runsToCompletion, type WorkloadSpec } from './workload';

/**
 * Model checks of `workload`: fields of the service that its kind cannot honour are errors,
 * never silently dropped (a `replicas: 3` on a DaemonSet, a canary on a Job), and a Job's
 * `runBefore` must be orderable by Flux on every cluster that runs it.
 */
export function checkWorkloads(fleet: FleetSpec): Problem[] {
  return [
    ...fleet.systems.flatMap((system) => system.services.flatMap((service) => checkWorkloadKind(fleet, system, service))),
    ...checkRunBeforeUnits(fleet),
  ];
}

const DNS_1123_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const QUANTITY = /^(\d+(\.\d+)?|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$/;
/** Five cron fields, or one of the macros the CronJob controller accepts (robfig/cron). */
const CRON = /^(@(yearly|annually|monthly|weekly|daily|midnight|hourly)|(\S+\s+){4}\S+)$/;

export function checkWorkloadKind(fleet: FleetSpec, system: SystemSpec, service: ServiceSpec): Problem[] {
  const workload: WorkloadSpec = service.workload ?? { kind: 'Deployment' };
  const problem = (code: string, field: string, message: string, fix: string, environment?: string): Problem =>
    error(code, { service: service.name, environment, field, definition: system.definition }, message, fix);
  const problems: Problem[] = [];
  const kind = workload.kind;
  const completes = runsToCompletion(kind);

  if (!hasReplicas(kind)) {
    if (service.replicas !== undefined) problems.push(problem('model/workload-replicas', 'replicas', `a ${kind} has no replica count (${replicasMeaning(kind)})`, 'remove "replicas"'));
    if (service.autoscaling) problems.push(problem('model/workload-replicas', 'autoscaling', `a ${kind} cannot be autoscaled by a HorizontalPodAutoscaler`, 'remove "autoscaling"'));
    if (service.disruptionBudget) problems.push(problem('model/workload-disruption-budget', 'disruptionBudget', `a ${kind} gets no PodDisruptionBudget`, 'remove "disruptionBudget"'));
  }
  if (service.canary && kind !== 'Deployment') {
    problems.push(
      problem(
        'model/workload-canary',
        'canary',
        completes
          ? `a ${kind} runs to completion: there is no traffic to shift and no previous version to keep serving, so it cannot be canaried`
          : `progressive delivery here targets Deployments (Flagger's Canary and Argo Rollouts' workloadRef), not a ${kind}`,
        completes
          ? `remove "canary"; to gate a rollout on this task, make it a Job with runBefore: [the services that need it]`
          : `remove "canary", or run the service as a Deployment (workload: { kind: 'Deployment' })`,
      ),
    );
  }
  if (completes && (service.ports ?? []).length > 0) {
    problems.push(problem('model/workload-ports', 'ports', `a ${kind} serves no traffic, so it gets no Service`, `remove "ports" (a migration or batch task listens on nothing), or run it as a Deployment`));
  }
  if (completes && service.ingress) problems.push(problem('model/workload-ports', 'ingress', `a ${kind} serves no traffic and cannot be exposed`, 'remove "ingress"'));
  for (const environment of system.environments) {
    const override = environment.services?.[service.name];
    if (!override) continue;
    if (!hasReplicas(kind) && (override.replicas !== undefined || override.autoscaling)) {
      const field = override.replicas !== undefined ? 'replicas' : 'autoscaling';
      problems.push(problem('model/workload-replicas', `services.${service.name}.${field}`, `a ${kind} has no replica count (${replicasMeaning(kind)})`, `remove "${field}" from the ${environment.name} override`, environment.name));
    }
    if (override.canary && kind !== 'Deployment') problems.push(problem('model/workload-canary', `services.${service.name}.canary`, `a ${kind} cannot be canaried`, `remove "canary" from the ${environment.name} override`, environment.name));
  }

  switch (workload.kind) {
    case 'StatefulSet': {
      const names = new Set<string>();
      (workload.volumeClaims ?? []).forEach((claim, i) => {
        const field = `workload.volumeClaims[${i}]`;
        if (!DNS_1123_LABEL.test(claim.name)) problems.push(problem('model/invalid-name', `${field}.name`, `"${claim.name}" is not a DNS-1123 label`, 'use lower-case letters, digits and "-"'));
        if (names.has(claim.name)) problems.push(problem('model/duplicate-volume', `${field}.name`, `volume claim "${claim.name}" is declared twice`, 'give every claim its own name'));
        names.add(claim.name);
        if (!QUANTITY.test(claim.size)) problems.push(problem('model/invalid-quantity', `${field}.size`, `"${claim.size}" is not a storage quantity`, 'write e.g. "10Gi"'));
        if (!claim.mountPath.startsWith('/')) problems.push(problem('model/invalid-mount-path', `${field}.mountPath`, `mount path "${claim.mountPath}" is not absolute`, 'start it with "/"'));
      });
      break;
    }
    case 'CronJob':
      if (!CRON.test(workload.schedule.trim())) {
        problems.push(problem('model/invalid-schedule', 'workload.schedule', `"${workload.schedule}" is not a cron schedule`, 'write five fields (minute hour day-of-month month day-of-week), e.g. "0 3 * * *", or a macro such as "@daily"'));
      }
      break;
    case 'Job': {
      const known = fleetIndex(fleet).services;
      for (const target of workload.runBefore ?? []) {
        if (!known.has(target)) problems.push(problem('model/unknown-service', 'workload.runBefore', `runBefore names unknown service "${target}"`, `known services: ${[...known.keys()].sort().join(', ')}`));
        if (target === service.name) problems.push(problem('model/run-before-itself', 'workload.runBefore', 'a Job cannot run before itself', `remove "${target}"`));
      }
      break;
    }
  }
  if (completes || kind === 'DaemonSet') {
    const run = workload as { backoffLimit?: number; activeDeadlineSeconds?: number };
    for (const key of ['backoffLimit', 'activeDeadlineSeconds'] as const) {
      const value = run[key];
      if (value !== undefined && (!Number.isInteger(value) || value < (key === 'backoffLimit' ? 0 : 1))) {
        problems.push(problem('model/invalid-workload', `workload.${key}`, `${key} ${value} is not a whole number ≥ ${key === 'backoffLimit' ? 0 : 1}`, `set ${key} to a whole number`));
      }
    }
  }
  return problems;
}

function replicasMeaning(kind: string): string {
  return kind === 'DaemonSet' ? 'it runs one pod on every node' : 'it runs its pods to completion';
}

/**
 * A Job's `runBefore` becomes a Flux `dependsOn` between apps units, so on each cluster the Job
 * and the services it precedes must be in different units, and the units must not wait for each
 * other in a circle (Flux does not detect dependency cycles: both would wait forever).
 */
function checkRunBeforeUnits(fleet: FleetSpec): Problem[] {
  const problems: Problem[] = [];
  for (const cluster of fleet.clusters) {
    const edges = runBeforeEdges(fleet, cluster.services.length > 0 ? placementsOn(fleet, cluster) : []);
    for (const edge of edges) {
      if (edge.from === edge.to) {
        problems.push(
          error(
            'model/run-before-same-unit',
            { cluster: cluster.name, service: edge.job, field: 'workload.runBefore', definition: edge.definition },
            `Job ${edge.job} must complete before ${edge.service}, but both are applied by ${edge.from}: Flux applies one Kustomization's objects together`,
            `give the Job its own applyGroup (e.g. applyGroup: 'migrations') so that ${edge.service}'s Kustomization can wait for it`,
          ),
        );
      }
    }
    const cycle = findCycle(unitGraph(fleet, cluster, edges));
    if (cycle) {
      problems.push(
        error(
          'model/run-before-cycle',
          { cluster: cluster.name, field: 'workload.runBefore' },
          `Flux Kustomizations would wait for each other in a circle: ${cycle.join(' → ')}`,
          'move the Job or the services it precedes to another applyGroup, so that the Job\'s unit does not (through the namespace\'s secrets unit) wait for them',
        ),
      );
    }
  }
  return problems;
}

export interface RunBeforeEdge {
  readonly job: string;
  readonly service: string;
  readonly definition: string;
  /** The Job's unit. */
  readonly from: string;
  /** The unit of the service that waits. */
  readonly to: string;
}

/** Every `runBefore` between two services placed on the same cluster, as units. */
export function runBeforeEdges(fleet: FleetSpec, placements: ReturnType<typeof placementsOn>): RunBeforeEdge[] {
  const unitOf = new Map(placements.map((p) => [p.entry.service.name, appsUnitName(p)]));
  const edges: RunBeforeEdge[] = [];
  for (const placement of placements) {
    const workload = placement.entry.service.workload;
    if (workload?.kind !== 'Job') continue;
    for (const service of workload.runBefore ?? []) {
      const to = unitOf.get(service);
      if (to) edges.push({ job: placement.entry.service.name, service, definition: placement.entry.system.definition, from: appsUnitName(placement), to });
    }
  }
  return edges;
}

/** Unit → units it depends on: runBefore edges, and each group on its namespace's own unit (secrets). */
function unitGraph(fleet: FleetSpec, cluster: FleetSpec['clusters'][number], edges: readonly RunBeforeEdge[]): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  const add = (from: string, to: string) => {
    if (from === to) return;
    const set = graph.get(from) ?? new Set<string>();
    set.add(to);
    graph.set(from, set);
  };
  for (const edge of edges) add(edge.to, edge.from);
  // A group may wait for its namespace's own unit (when that holds secrets); assume it does.
  for (const placement of placementsOn(fleet, cluster)) {
    if (placement.group) add(appsUnitName(placement), appsUnitName({ namespace: placement.namespace }));
  }
  return graph;
}

function findCycle(graph: ReadonlyMap<string, ReadonlySet<string>>): string[] | undefined {
  const state = new Map<string, 'visiting' | 'done'>();
  const path: string[] = [];
  const visit = (node: string): string[] | undefined => {
    if (state.get(node) === 'done') return undefined;
    if (state.get(node) === 'visiting') return [...path.slice(path.indexOf(node)), node];
    state.set(node, 'visiting');
    path.push(node);
    for (const next of [...(graph.get(node) ?? [])].sort()) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    path.pop();
    state.set(node, 'done');
    return undefined;
  };
  for (const node of [...graph.keys()].sort()) {
    const cycle = visit(node);
    if (cycle) return cycle;
  }
  return undefined;
}
