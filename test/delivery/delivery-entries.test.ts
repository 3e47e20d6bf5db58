import { checkDelivery } from '../../src/model/check-delivery';
import { parseReleaseLock } from '../../src/delivery/release-lock';
import { onlyDirectory, policyFor } from '../../src/charts/flux/image-automation';
import { fleet } from '../../src/environments';
import type { ClusterSpec } from '../../src/model/cluster';
import type { FleetSpec } from '../../src/model/fleet';
import type { KubeObject } from '../../src/model/kube-object';
import { deliveryEntries } from '../../src/render/delivery-entries';
import { toYaml } from '../../src/render/yaml';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const LOCK = readFileSync(join(__dirname, '../../src/environments/releases.yaml'), 'utf8');

function cluster(name: string, extra: Partial<ClusterSpec>): { fleet: FleetSpec; spec: ClusterSpec } {
  const base = fleet.clusters.find((c) => c.name === name);
  if (!base) throw new Error(`no sample cluster ${name}`);
  const spec = { ...base, ...extra };
  return { fleet: { ...fleet, clusters: fleet.clusters.map((c) => (c === base ? spec : c)) }, spec };
}

function byKind(objects: readonly KubeObject[], kind: string): KubeObject[] {
  return objects.filter((obj) => obj.kind === kind);
}

describe('deliveryEntries', () => {
  it('renders nothing for a cluster that opts into nothing', () => {
    const plain = fleet.clusters.filter((c) => !c.imageAutomation && !c.notifications);
    expect(plain.length).toBeGreaterThan(0);
    for (const spec of plain) expect(deliveryEntries(fleet, spec)).toEqual({});
  });

  it('renders image automation whose policies are exactly the markers of the lock for that environment', () => {
    // GIVEN the development cluster opting into image automation for every service
    const { fleet: opted, spec } = cluster('development', { imageAutomation: { source: { url: 'https://github.com/example-org/fleet', secretName: 'fleet-push' } } });

    // WHEN its delivery entries are rendered
    const objects = deliveryEntries(opted, spec)['image-automation.yaml'];

    // THEN each lock marker of development's services on this cluster names a rendered ImagePolicy,
    // and nothing else does (platform-dev runs other development services, without automation)
    const policies = byKind(objects, 'ImagePolicy').map((p) => `${p.metadata.namespace}:${p.metadata.name}`);
    const markers = parseReleaseLock(LOCK)
      .entries.filter((e) => e.environment === 'development' && spec.services.includes(e.service))
      .map((e) => `${e.marker?.namespace}:${e.marker?.name}`);
    expect(policies.sort()).toEqual(markers.sort());
    expect(byKind(objects, 'ImageRepository').map((r) => (r.spec as { image: string }).image).sort()).toEqual(spec.services.map((s) => `555566667777.dkr.ecr.eu-west-1.amazonaws.com/bookstore.${s}`).sort());
    expect(byKind(objects, 'ImagePolicy').every((p) => p.apiVersion === 'image.toolkit.fluxcd.io/v1')).toBe(true);
  });

  it('commits to the lock directory with the Setters strategy, through the project repository', () => {
    const { fleet: opted, spec } = cluster('development', {
      imageAutomation: { source: { url: 'https://github.com/example-org/fleet', branch: 'main', secretName: 'fleet-push' }, pushBranch: 'flux/image-updates', policies: { 'clients-api': { semver: '^1.4.0' } } },
    });
    const objects = deliveryEntries(opted, spec)['image-automation.yaml'];
    const [automation] = byKind(objects, 'ImageUpdateAutomation');
    const [source] = byKind(objects, 'GitRepository');
    expect(automation.spec).toMatchObject({
      sourceRef: { kind: 'GitRepository', name: 'fleet-releases' },
      update: { path: './src/environments', strategy: 'Setters' },
      git: { checkout: { ref: { branch: 'main' } }, push: { branch: 'flux/image-updates' } },
      policySelector: { matchLabels: { 'app.kubernetes.io/managed-by': 'fleet-synth' } },
    });
    expect(source.spec).toMatchObject({ url: 'https://github.com/example-org/fleet', ref: { branch: 'main' }, secretRef: { name: 'fleet-push' } });
    expect(byKind(objects, 'ImagePolicy').map((p) => p.metadata.name)).toEqual(['development-clients-api']);
    expect(toYaml(objects)).toMatchSnapshot();
  });

  it('refuses another repository without a Secret that may push to it', () => {
    // bootstrap's flux-system deploy key opens the cluster's own repository only
    const { fleet: opted, spec } = cluster('development', { imageAutomation: { source: { url: 'ssh://git@github.com/example-org/fleet' } } });
    expect(checkDelivery(opted, spec).map((p) => `${p.severity} ${p.code} ${p.place.field}`)).toEqual(['error delivery/missing-write-credentials imageAutomation.source.secretName']);
    const withSecret = cluster('development', { imageAutomation: { source: { url: 'ssh://git@github.com/example-org/fleet', secretName: 'fleet-push' } } });
    expect(checkDelivery(withSecret.fleet, withSecret.spec)).toEqual([]);
  });

  it('pushes through the bootstrap source when the output lives next to the model', () => {
    const { fleet: opted, spec } = cluster('staging', { imageAutomation: { policies: { flights: { pattern: '^v1\\.(?P<build>[0-9]+)$', extract: '$build' } } } });
    const objects = deliveryEntries(opted, spec)['image-automation.yaml'];
    expect(byKind(objects, 'GitRepository')).toEqual([]);
    expect(byKind(objects, 'ImageUpdateAutomation')[0].spec).toMatchObject({ sourceRef: { name: 'flux-system' } });
    expect(byKind(objects, 'ImagePolicy')[0].spec).toMatchObject({ filterTags: { pattern: '^v1\\.(?P<build>[0-9]+)$', extract: '$build' }, policy: { numerical: { order: 'asc' } } });
  });

  it('maps rules to Flux policies', () => {
    expect(policyFor({})).toEqual({ policy: { semver: { range: '>=0.0.0' } } });
    expect(policyFor({ semver: '~2.0' })).toEqual({ policy: { semver: { range: '~2.0' } } });
    expect(policyFor({ pattern: '^1\\.5\\.[0-9a-f]{7}$' })).toEqual({ policy: { alphabetical: { order: 'asc' } }, filterTags: { pattern: '^1\\.5\\.[0-9a-f]{7}$' } });
    expect(policyFor({ pattern: '^(?P<v>.*)-rc$', extract: '$v', semver: '>=1.0.0' })).toEqual({ policy: { semver: { range: '>=1.0.0' } }, filterTags: { pattern: '^(?P<v>.*)-rc$', extract: '$v' } });
    expect(onlyDirectory('./src/environments')).toBe('/*\n!/src/\n/src/*\n!/src/environments/\n');
  });

  it('renders a Flux v1beta3 Provider and Alert for notifications', () => {
    const { fleet: opted, spec } = cluster('production', { notifications: { provider: 'slack', channel: '#prod-alerts', secretName: 'slack-webhook' }, imageAutomation: { source: { url: 'https://github.com/example-org/fleet', secretName: 'fleet-push' } } });
    const objects = deliveryEntries(opted, spec)['notifications.yaml'];
    const [provider] = byKind(objects, 'Provider');
    const [alert] = byKind(objects, 'Alert');
    expect(provider).toMatchObject({ apiVersion: 'notification.toolkit.fluxcd.io/v1beta3', metadata: { name: 'fleet', namespace: 'flux-system' }, spec: { type: 'slack', channel: '#prod-alerts', secretRef: { name: 'slack-webhook' } } });
    expect(alert).toMatchObject({ apiVersion: 'notification.toolkit.fluxcd.io/v1beta3', spec: { providerRef: { name: 'fleet' }, eventSeverity: 'error', eventMetadata: { cluster: 'production', environment: 'production' } } });
    expect((alert.spec as { eventSources: { kind: string }[] }).eventSources.map((s) => s.kind)).toEqual(['GitRepository', 'Kustomization', 'HelmRepository', 'HelmRelease', 'ImageRepository', 'ImagePolicy', 'ImageUpdateAutomation']);

    const teams = cluster('staging', { notifications: { provider: 'msteams', secretName: 'teams-webhook', severity: 'info' } });
    const teamsObjects = deliveryEntries(teams.fleet, teams.spec)['notifications.yaml'];
    expect(byKind(teamsObjects, 'Provider')[0].spec).toEqual({ type: 'msteams', secretRef: { name: 'teams-webhook' } });
    expect(byKind(teamsObjects, 'Alert')[0].spec).toMatchObject({ eventSeverity: 'info' });
  });

  it('checks the opt-in settings', () => {
    const { fleet: opted, spec } = cluster('staging', {
      imageAutomation: { interval: 'often', policies: { ghost: {}, flights: { extract: '$ts' } } },
      notifications: { provider: 'msteams', channel: 'ops', secretName: 'Teams_Hook' },
    });
    expect(checkDelivery(opted, spec).map((p) => `${p.severity} ${p.code} ${p.place.field}`)).toEqual([
      'error delivery/unknown-service imageAutomation.policies.ghost',
      'error delivery/extract-without-pattern imageAutomation.policies.flights',
      'error delivery/invalid-interval imageAutomation.interval',
      'error delivery/invalid-secret-name notifications.secretName',
      'warning delivery/channel-ignored notifications.channel',
    ]);
    const patterned = cluster('development', { imageAutomation: { policies: { 'clients-api': { pattern: '^v' } } } });
    expect(checkDelivery(patterned.fleet, patterned.spec).map((p) => `${p.severity} ${p.code} ${p.place.field}`)).toEqual(['warning delivery/unordered-pattern imageAutomation.policies.clients-api']);
  });
});
