import type { Problem } from '../../model/problem';
import type { ValidationContext } from '../validation-context';
import { checkConfigReferences } from './config-references';
import { checkDuplicates } from './duplicates';
import { checkFluxKustomizations } from './flux-kustomizations';
import { checkIngressBackends } from './ingress-backends';
import { checkNamespaces } from './namespaces';
import { checkNetworkPolicies } from './network-policies';
import { checkScaleTargets } from './scale-targets';
import { checkServiceAccounts } from './service-accounts';
import { checkServices } from './services';

/** Every cross-object rule family, in the order a reader would check by hand. */
const REFERENCE_RULES: readonly ((ctx: ValidationContext) => Problem[])[] = [
  checkDuplicates,
  checkNamespaces,
  checkServiceAccounts,
  checkConfigReferences,
  checkServices,
  checkIngressBackends,
  checkScaleTargets,
  checkNetworkPolicies,
  checkFluxKustomizations,
];

export function checkReferences(ctx: ValidationContext): Problem[] {
  return REFERENCE_RULES.flatMap((rule) => rule(ctx));
}
