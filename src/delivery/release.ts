import { checkFleet } from '../model/check-model';
import { allServices, findService, type FleetSpec } from '../model/fleet';
import { error, warning, type Problem } from '../model/problem';
import { isImageVersion, RELEASE_LOCK_FILE } from '../model/release-lock-types';
import { environmentOf } from '../model/resolve';
import { knownEnvironments, runsIn, versionIn, type PlanResult } from './lock-plan';
import { parseReleaseLock, setLockedVersion } from './release-lock';

export interface ReleaseRequest {
  readonly environment: string;
  readonly service: string;
  /** Image tag (`1.4.2`, `v1.0`, `1.4.3f9c2e1`: MAJOR.MINOR.<git sha>) or `sha256:<64 hex>`. */
  readonly version: string;
}

/**
 * `release <env> <service> <tag>`: set one lock entry. Every mistake (unknown environment or
 * service, a service whose system has no such environment, a malformed tag, a lock that does
 * not parse) is a Problem and nothing is planned, so the command writes nothing.
 */
export function planRelease(fleet: FleetSpec, lockText: string, request: ReleaseRequest): PlanResult {
  const parsed = parseReleaseLock(lockText);
  const parseErrors = parsed.problems.filter((p) => p.severity === 'error');
  if (parseErrors.length > 0) return { ok: false, problems: parseErrors };

  const problems = validateRequest(fleet, request);
  if (problems.length > 0) return { ok: false, problems };

  const text = setLockedVersion(lockText, request.environment, request.service, request.version);
  const next = parseReleaseLock(text);
  const releases = next.releases;
  const modelErrors = checkFleet({ ...fleet, releases }).filter((p) => p.severity === 'error');
  if (modelErrors.length > 0) return { ok: false, problems: modelErrors };

  const entry = findService(fleet, request.service);
  const from = entry ? versionIn({ ...fleet, releases: parsed.releases }, entry, request.environment) : undefined;
  const warnings: Problem[] = next.problems.filter((p) => p.severity === 'warning' && p.place.environment === request.environment && p.place.service === request.service);
  if (!runsIn(fleet, request.service, request.environment)) {
    warnings.push(
      warning('release/not-deployed', { environment: request.environment, service: request.service }, `no ${request.environment} cluster runs ${request.service}; the lock changes but no manifest does`, `add "${request.service}" to a ${request.environment} cluster's services in src/environments/clusters.ts`),
    );
  }
  return { ok: true, plan: { text, releases, changes: [{ environment: request.environment, service: request.service, from, to: request.version }], warnings } };
}

function validateRequest(fleet: FleetSpec, request: ReleaseRequest): Problem[] {
  const place = { environment: request.environment, service: request.service, definition: RELEASE_LOCK_FILE };
  const problems: Problem[] = [];
  const environments = knownEnvironments(fleet);
  if (!environments.includes(request.environment)) {
    problems.push(error('release/unknown-environment', { ...place, field: 'environment' }, `no environment named "${request.environment}"`, `use one of: ${environments.join(', ')}`));
  }
  const entry = findService(fleet, request.service);
  if (!entry) {
    const known = allServices(fleet).map((e) => e.service.name).sort();
    problems.push(error('release/unknown-service', { ...place, field: 'service' }, `no service named "${request.service}"`, `use one of: ${known.join(', ')}`));
  } else if (environments.includes(request.environment) && !environmentOf(entry.system, request.environment)) {
    const own = entry.system.environments.map((e) => e.name).join(', ');
    problems.push(error('release/unknown-environment', { ...place, field: 'environment' }, `${request.service} (system ${entry.system.name}) has no ${request.environment} environment`, `release it to one of: ${own}`));
  }
  if (!isImageVersion(request.version)) {
    problems.push(
      error('release/invalid-version', { ...place, field: 'version' }, `"${request.version}" is not an image tag or sha256 digest`, 'use a tag such as "1.4.2", "v1.0" or "1.4.3f9c2e1" (MAJOR.MINOR.<git sha>: letters, digits, ".", "_", "-", at most 128), or "sha256:<64 hex>"'),
    );
  }
  return problems;
}
