import type { ClusterSpec } from './cluster';
import type { FleetSpec } from './fleet';
import { error, warning, type Place, type Problem } from './problem';

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;
const DURATION = /^(\d+(\.\d+)?(ms|s|m|h))+$/;

/**
 * Checks of a cluster's opt-in delivery settings (`imageAutomation`, `notifications`), as
 * Problems naming the cluster and field. They read only what the cluster declares, so they are
 * model checks and run in checkFleet (the model imports nothing above it; see
 * test/model/layering.test.ts).
 */
export function checkDelivery(fleet: FleetSpec, cluster: ClusterSpec): Problem[] {
  const place = (field: string, service?: string): Place => ({ cluster: cluster.name, environment: cluster.environment, service, field, definition: cluster.definition });
  const problems: Problem[] = [];
  const automation = cluster.imageAutomation;
  if (automation) {
    for (const [service, rule] of Object.entries(automation.policies ?? {})) {
      const field = `imageAutomation.policies.${service}`;
      if (!cluster.services.includes(service)) {
        problems.push(error('delivery/unknown-service', place(field, service), `image automation names ${service}, which does not run on cluster ${cluster.name}`, `use one of: ${cluster.services.join(', ')}`));
      }
      if ((rule.extract !== undefined || rule.order !== undefined) && rule.pattern === undefined) {
        problems.push(error('delivery/extract-without-pattern', place(field, service), '`extract` and `order` apply to tags matched by `pattern`, which is not set', 'add a `pattern` with the group to extract, or remove `extract`/`order`'));
      }
      if (rule.pattern !== undefined && rule.semver === undefined && rule.extract === undefined && (rule.order ?? 'alphabetical') === 'alphabetical') {
        problems.push(
          warning('delivery/unordered-pattern', place(field, service), 'tags matching the pattern are ordered alphabetically, which picks an arbitrary git sha', 'tag images with a build number or timestamp and `extract` it (e.g. `(?P<ts>[0-9]+)` with extract `$ts`), or use `semver`'),
        );
      }
    }
    if (automation.interval !== undefined && !DURATION.test(automation.interval)) {
      problems.push(error('delivery/invalid-interval', place('imageAutomation.interval'), `"${automation.interval}" is not a duration`, 'write it as "5m", "1h" or "30s"'));
    }
    if (automation.source && automation.source.secretName === undefined) {
      problems.push(
        error(
          'delivery/missing-write-credentials',
          place('imageAutomation.source.secretName'),
          `image automation pushes to ${automation.source.url}, another repository than the cluster's, and names no Secret that may push there (bootstrap's flux-system deploy key opens ${cluster.flux.url} only)`,
          'create a Secret in flux-system with write access to that repository (`flux create secret git <name> --url=<ssh url>`, then add the public key as a deploy key with write access) and set imageAutomation.source.secretName',
        ),
      );
    }
    if (automation.registrySecretName !== undefined && !DNS_SUBDOMAIN.test(automation.registrySecretName)) {
      problems.push(error('delivery/invalid-secret-name', place('imageAutomation.registrySecretName'), `"${automation.registrySecretName}" is not a Secret name`, 'use lower-case letters, digits, "-" and "."'));
    }
  }
  const notifications = cluster.notifications;
  if (notifications) {
    if (!DNS_SUBDOMAIN.test(notifications.secretName)) {
      problems.push(error('delivery/invalid-secret-name', place('notifications.secretName'), `"${notifications.secretName}" is not a Secret name`, 'use lower-case letters, digits, "-" and "."'));
    }
    if (notifications.provider === 'msteams' && notifications.channel !== undefined) {
      problems.push(warning('delivery/channel-ignored', place('notifications.channel'), 'Teams posts to the channel its webhook was created for; `channel` is ignored', 'remove `channel`, or create the webhook in the channel you want'));
    }
  }
  return problems;
}

/** checkDelivery for every cluster of the fleet. */
export function checkFleetDelivery(fleet: FleetSpec): Problem[] {
  return fleet.clusters.flatMap((cluster) => checkDelivery(fleet, cluster));
}
