import { checkFleet } from '../model/check-model';
import { allServices, findService, type FleetSpec, type ServiceEntry, type SystemSpec } from '../model/fleet';
import { error, warning, type Problem } from '../model/problem';
import { RELEASE_LOCK_FILE } from '../model/release-lock-types';
import { environmentOf } from '../model/resolve';
import { runsIn, versionIn, type PlanResult, type VersionChange } from './lock-plan';
import { parseReleaseLock, setLockedVersion } from './release-lock';

/** One service to promote, optionally pinned: `flights@1.4.2` promotes only if 1.4.2 is what runs. */
export interface PromotedService {
  readonly name: string;
  /** The version the caller expects the source environment to run. @default - whatever it runs */
  readonly expected?: string;
}

export interface PromotionRequest {
  readonly from: string;
  readonly to: string;
  /** @default - every service that runs in `from` and whose next environment is `to` */
  readonly services?: readonly PromotedService[];
}

/** `flights` or `flights@1.4.2` (also `flights@sha256:…`). */
export function parsePromotedService(arg: string): PromotedService {
  const at = arg.indexOf('@');
  return at < 0 ? { name: arg } : { name: arg.slice(0, at), expected: arg.slice(at + 1) };
}

/**
 * The environment a system's services move to after `environment`, following the fleet's
 * pipeline and skipping environments the system does not have (bookstore: development →
 * production, as it has no staging).
 */
export function nextEnvironment(fleet: FleetSpec, system: SystemSpec, environment: string): string | undefined {
  const index = fleet.pipeline.indexOf(environment);
  if (index < 0) return undefined;
  return fleet.pipeline.slice(index + 1).find((name) => environmentOf(system, name) !== undefined);
}

/**
 * `promote <from> <to> [service…]`: copy the versions `from` runs into `to`. Refused when either
 * environment is off the pipeline, when `to` is not the next step, when the source environment
 * does not run the service (no cluster there, or no version), or when it runs another version
 * than the one the caller pinned.
 */
export function planPromotion(fleet: FleetSpec, lockText: string, request: PromotionRequest): PlanResult {
  const parsed = parseReleaseLock(lockText);
  const parseErrors = parsed.problems.filter((p) => p.severity === 'error');
  if (parseErrors.length > 0) return { ok: false, problems: parseErrors };
  const current: FleetSpec = { ...fleet, releases: parsed.releases };

  const problems = checkDirection(current, request);
  if (problems.length > 0) return { ok: false, problems };

  const selected = request.services ?? implicitServices(current, request);
  if (selected.length === 0) {
    return {
      ok: false,
      problems: [error('promote/nothing-to-promote', { environment: request.from }, `no service runs in ${request.from} with ${request.to} as its next environment`, `check the pipeline (${fleet.pipeline.join(' → ')}) and which clusters run what`)],
    };
  }
  const changes: VersionChange[] = [];
  for (const wanted of selected) {
    const outcome = promotionOf(current, request, wanted);
    if ('problem' in outcome) problems.push(outcome.problem);
    else changes.push(outcome.change);
  }
  if (problems.length > 0) return { ok: false, problems };

  let text = lockText;
  for (const change of changes) if (change.from !== change.to) text = setLockedVersion(text, change.environment, change.service, change.to);
  const next = parseReleaseLock(text);
  const modelErrors = checkFleet({ ...fleet, releases: next.releases }).filter((p) => p.severity === 'error');
  if (modelErrors.length > 0) return { ok: false, problems: modelErrors };

  const touched = new Set(changes.map((c) => c.service));
  const warnings: Problem[] = next.problems.filter((p) => p.severity === 'warning' && p.place.environment === request.to && touched.has(p.place.service ?? ''));
  for (const change of changes) {
    if (!runsIn(fleet, change.service, request.to)) {
      warnings.push(warning('release/not-deployed', { environment: request.to, service: change.service }, `no ${request.to} cluster runs ${change.service}; the lock changes but no manifest does`, `add "${change.service}" to a ${request.to} cluster's services in src/environments/clusters.ts`));
    }
  }
  return { ok: true, plan: { text, releases: next.releases, changes, warnings } };
}

function checkDirection(fleet: FleetSpec, request: PromotionRequest): Problem[] {
  const pipeline = fleet.pipeline.join(' → ');
  const problems: Problem[] = [];
  for (const environment of [request.from, request.to]) {
    if (!fleet.pipeline.includes(environment)) {
      problems.push(error('promote/not-in-pipeline', { environment, field: 'pipeline' }, `"${environment}" is not an environment of the promotion pipeline`, `use environments of the pipeline: ${pipeline}`));
    }
  }
  if (problems.length === 0 && fleet.pipeline.indexOf(request.to) <= fleet.pipeline.indexOf(request.from)) {
    problems.push(error('promote/wrong-direction', { environment: request.to, field: 'pipeline' }, `${request.to} does not come after ${request.from} in the pipeline`, `promote forward along ${pipeline}`));
  }
  return problems;
}

function implicitServices(fleet: FleetSpec, request: PromotionRequest): PromotedService[] {
  return allServices(fleet)
    .filter((entry) => runsIn(fleet, entry.service.name, request.from) && nextEnvironment(fleet, entry.system, request.from) === request.to)
    .map((entry) => ({ name: entry.service.name }));
}

function promotionOf(fleet: FleetSpec, request: PromotionRequest, wanted: PromotedService): { change: VersionChange } | { problem: Problem } {
  const place = { environment: request.from, service: wanted.name, definition: RELEASE_LOCK_FILE };
  const entry: ServiceEntry | undefined = findService(fleet, wanted.name);
  if (!entry) {
    const known = allServices(fleet).map((e) => e.service.name).sort();
    return { problem: error('release/unknown-service', { ...place, field: 'service' }, `no service named "${wanted.name}"`, `use one of: ${known.join(', ')}`) };
  }
  const version = versionIn(fleet, entry, request.from);
  if (!runsIn(fleet, wanted.name, request.from) || version === undefined) {
    return { problem: error('promote/not-running', { ...place, field: request.from }, `${request.from} does not run ${wanted.name}, so there is no version to promote`, `release it to ${request.from} first (npm run release -- ${request.from} ${wanted.name} <tag>), or promote from the environment that runs it`) };
  }
  if (wanted.expected !== undefined && wanted.expected !== version) {
    return { problem: error('promote/version-not-running', { ...place, field: `${request.from}.${wanted.name}` }, `${request.from} runs ${wanted.name} ${version}, not ${wanted.expected}`, `promote the version ${request.from} runs (${wanted.name}@${version}), or release ${wanted.expected} to ${request.from} first`) };
  }
  if (!environmentOf(entry.system, request.to)) {
    return { problem: error('promote/unknown-environment', { ...place, environment: request.to, field: 'environment' }, `${wanted.name} (system ${entry.system.name}) has no ${request.to} environment`, nextStep(fleet, entry.system, request, wanted.name)) };
  }
  const next = nextEnvironment(fleet, entry.system, request.from);
  if (next !== request.to) {
    return { problem: error('promote/skips-environment', { ...place, field: 'pipeline' }, `promoting ${wanted.name} from ${request.from} to ${request.to} would skip ${next}`, `promote ${request.from} → ${next} first, then ${next} → ${request.to}`) };
  }
  return { change: { environment: request.to, service: wanted.name, from: versionIn(fleet, entry, request.to), to: version } };
}

function nextStep(fleet: FleetSpec, system: SystemSpec, request: PromotionRequest, service: string): string {
  const next = nextEnvironment(fleet, system, request.from);
  const add = `add a ${request.to} environment to ${system.definition}`;
  return next ? `${add}, or promote ${service} to ${next}` : `${add}; ${request.from} is the last environment of ${system.name}`;
}
