import type { Problem } from '../../model/problem';
import type { ValidationContext } from '../validation-context';
import { checkDisruptionBudgets } from './disruption-budgets';
import { checkHostAccess } from './host-access';
import { checkImageTags } from './image-tag';
import { checkIngressTls } from './ingress-tls';
import { checkProbes } from './probes';
import { checkResources } from './resources';
import { checkSecureContext } from './secure-context';

/** Every fleet policy rule family (waivers are applied afterwards, to all findings). */
const POLICY_RULES: readonly ((ctx: ValidationContext) => Problem[])[] = [
  checkResources,
  checkProbes,
  checkImageTags,
  checkSecureContext,
  checkDisruptionBudgets,
  checkHostAccess,
  checkIngressTls,
];

export function checkPolicy(ctx: ValidationContext): Problem[] {
  return POLICY_RULES.flatMap((rule) => rule(ctx));
}
