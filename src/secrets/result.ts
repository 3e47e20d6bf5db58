import { Problem } from '../model/problem';

/**
 * The outcome of a secrets operation: a value, or the problems that prevented it. Secrets code
 * never throws for a user mistake (missing key, tampered file, expired certificate): the command
 * at the edge renders the problems once.
 */
export type Result<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly problems: readonly Problem[] };

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function fail<T = never>(...problems: Problem[]): Result<T> {
  return { ok: false, problems };
}

/** Re-types a failed result so it can be returned from a function with another value type. */
export function failed<T>(result: { readonly ok: false; readonly problems: readonly Problem[] }): Result<T> {
  return { ok: false, problems: result.problems };
}
