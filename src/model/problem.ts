/**
 * Problems are values, not exceptions: every model error, validation finding and policy finding
 * is a `Problem` that names where it is (cluster / environment / namespace / service / object /
 * field), what rule it breaks, and how to fix it. They are collected, then rendered once at the
 * edge (a command), so a user sees every problem of a run at once instead of the first stack trace.
 */

/** Where a problem is. Every field is optional; set all that are known. */
export interface Place {
  readonly cluster?: string;
  readonly environment?: string;
  readonly namespace?: string;
  readonly service?: string;
  /** `Kind/name` of a rendered object. */
  readonly object?: string;
  /** Dotted path of the field, in the model (`resources.limits.memory`) or object (`spec.replicas`). */
  readonly field?: string;
  /** The TypeScript definition that produced it, e.g. `src/environments/bookstore.ts`. */
  readonly definition?: string;
}

export type Severity = 'error' | 'warning';

export interface Problem {
  /** Stable rule id, e.g. `model/unknown-service` or `policy/memory-ceiling`. */
  readonly code: string;
  readonly severity: Severity;
  readonly place: Place;
  /** What is wrong, in one sentence. */
  readonly message: string;
  /** What to change to fix it. */
  readonly fix: string;
  /** Set when the service waived this rule; the reason is shown in reports. */
  readonly waived?: { readonly reason: string };
}

/** Thrown only at the boundary between collecting and reporting: carries every problem found. */
export class FleetError extends Error {
  constructor(readonly problems: readonly Problem[]) {
    super(problems.map(formatProblem).join('\n'));
    this.name = 'FleetError';
  }
}

export function error(code: string, place: Place, message: string, fix: string): Problem {
  return { code, severity: 'error', place, message, fix };
}

export function warning(code: string, place: Place, message: string, fix: string): Problem {
  return { code, severity: 'warning', place, message, fix };
}

const PLACE_ORDER: readonly (keyof Place)[] = ['cluster', 'environment', 'namespace', 'service', 'object', 'field'];

/** `cluster=staging service=flights field=resources.limits.memory` */
export function formatPlace(place: Place): string {
  return PLACE_ORDER.filter((key) => place[key] !== undefined)
    .map((key) => `${key}=${place[key]}`)
    .join(' ');
}

/**
 * One problem as a single block of text: `error [code] place: message\n  fix: ...`. A waived
 * finding is labelled `waived` (with its reason), not by its severity: it does not count as an
 * error, and a report listing `error` lines above "0 errors" reads as a contradiction.
 */
export function formatProblem(problem: Problem): string {
  const where = formatPlace(problem.place);
  const label = problem.waived ? 'waived' : problem.severity;
  const waived = problem.waived ? ` (waived: ${problem.waived.reason})` : '';
  const lines = [`${label} [${problem.code}] ${where}: ${problem.message}${waived}`, `  fix: ${problem.fix}`];
  if (problem.place.definition) lines.push(`  defined in: ${problem.place.definition}`);
  return lines.join('\n');
}

/** Throws a FleetError when any problem is an unwaived error. */
export function throwIfErrors(problems: readonly Problem[]): void {
  const errors = problems.filter((p) => p.severity === 'error' && !p.waived);
  if (errors.length > 0) throw new FleetError(errors);
}
