import { error, warning, type Problem } from '../../model/problem';
import { RULES } from '../rules';
import type { Waivers } from '../validate-options';

/**
 * Waivers let a service opt out of a rule with a reason. A waived finding stays in the report —
 * marked `waived: { reason }` so reviewers see what was accepted and why — but is not an error.
 * `policy/waiver-without-reason`: a waiver with an empty reason waives nothing and is an error,
 * because "why" is the whole point of writing one down.
 * `policy/waiver-unknown-rule`: a waiver naming no existing rule (usually a typo) is a warning.
 */
export function applyWaivers(problems: readonly Problem[], waivers: Waivers): Problem[] {
  return problems.map((p) => {
    // Only fleet policy is a choice; what the API server or admission rejects cannot be waived.
    const reason = p.place.service && isWaivable(p.code) ? waivers[p.place.service]?.[p.code] : undefined;
    return reason && reason.trim() ? { ...p, waived: { reason: reason.trim() } } : p;
  });
}

/** Policy rules may be waived; schema, reference and API-server findings may not. */
export function isWaivable(code: string): boolean {
  return code.startsWith('policy/');
}

/** Problems with the waivers themselves, for the services rendered on this cluster. */
export function checkWaivers(waivers: Waivers, cluster: string, services: ReadonlySet<string>, definitions: ReadonlyMap<string, string>): Problem[] {
  const problems: Problem[] = [];
  for (const [service, rules] of Object.entries(waivers)) {
    if (!services.has(service)) continue;
    for (const [rule, reason] of Object.entries(rules)) {
      const place = { cluster, service, field: `waivers.${service}.${rule}`, ...(definitions.has(service) ? { definition: definitions.get(service)! } : {}) };
      if (!reason || !reason.trim()) {
        problems.push(
          error('policy/waiver-without-reason', place, `Service ${service} waives ${rule} without a reason, so the waiver is ignored.`, `Write why ${service} may break ${rule}, or remove the waiver.`),
        );
      }
      if (!(rule in RULES)) {
        problems.push(warning('policy/waiver-unknown-rule', place, `Service ${service} waives "${rule}", which is not a rule id; it waives nothing.`, 'Use one of the rule ids listed in src/validate/rules.ts.'));
      }
    }
  }
  return problems;
}
