import type { Problem } from '../../model/problem';
import type { ValidationContext } from '../validation-context';
import { checkConfigData } from './config-data';
import { checkContainers } from './containers';
import { checkHosts } from './hosts';
import { checkObjectMetadata } from './object-metadata';
import { checkPodSecurity } from './pod-security';

/**
 * What the API server, the kubelet and Pod Security admission reject beyond the OpenAPI schema
 * (which cannot express name grammars, sizes or admission levels). Never waivable: a waiver
 * cannot make the API server accept an object.
 */
const API_RULES: readonly ((ctx: ValidationContext) => Problem[])[] = [checkObjectMetadata, checkConfigData, checkContainers, checkHosts, checkPodSecurity];

export function checkApiRules(ctx: ValidationContext): Problem[] {
  return API_RULES.flatMap((rule) => rule(ctx));
}
