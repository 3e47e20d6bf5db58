import type { ClusterSpec } from './cluster';
import type { FleetSpec } from './fleet';
import { fleetIndex } from './fleet-index';
import { error, type Problem } from './problem';
import { environmentOf } from './resolve';

/** `arn:<partition>:iam::<account>:role/<path/name>`; the account is the group. */
const IAM_ROLE_ARN = /^arn:aws[a-z-]*:iam::(\d{12}):role\/.+$/;

/**
 * IRSA only works inside one account: EKS's pod identity webhook hands the pod a token from the
 * cluster's OIDC provider, and STS AssumeRoleWithWebIdentity accepts it only for a role whose
 * trust policy names that provider, which is registered in the cluster's own account. A role in
 * another account is a typo (or a role that was never given a cross-account trust): the pod
 * starts and every AWS call fails with AccessDenied.
 * @see https://docs.aws.amazon.com/eks/latest/userguide/associate-service-account-role.html
 */
export function checkRoleAccounts(fleet: FleetSpec, cluster: ClusterSpec): Problem[] {
  const account = cluster.aws?.accountId;
  if (cluster.provider !== 'eks' || account === undefined) return [];
  const problems: Problem[] = [];
  for (const name of cluster.services) {
    const entry = fleetIndex(fleet).services.get(name);
    const environment = entry && environmentOf(entry.system, cluster.environment);
    if (!entry || !environment) continue; // model/unknown-service, model/unknown-environment
    // serviceAccount: false has no account, so no role (check-workload reports an override that sets one).
    const own = entry.service.serviceAccount === false ? undefined : entry.service.serviceAccount;
    const arn = environment.services?.[name]?.serviceAccount?.awsRoleArn ?? own?.awsRoleArn;
    if (arn === undefined) continue;
    const place = { cluster: cluster.name, environment: cluster.environment, service: name, field: 'serviceAccount.awsRoleArn', definition: entry.system.definition };
    const roleAccount = IAM_ROLE_ARN.exec(arn)?.[1];
    if (roleAccount === undefined) {
      problems.push(error('model/invalid-role-arn', place, `"${arn}" is not an IAM role ARN`, 'write it as arn:aws:iam::<12-digit account>:role/<name>'));
    } else if (roleAccount !== account) {
      problems.push(
        error(
          'model/role-account-mismatch',
          place,
          `${name}'s IAM role ${arn} is in account ${roleAccount}, but cluster ${cluster.name} runs in account ${account}: the role cannot trust the cluster's OIDC provider, so every AWS call of the pod is denied`,
          `use the role of ${cluster.environment} in account ${account} (arn:aws:iam::${account}:role/…), or correct aws.accountId of cluster ${cluster.name}`,
        ),
      );
    }
  }
  return problems;
}
