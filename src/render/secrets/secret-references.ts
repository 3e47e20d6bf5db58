import type { ClusterSpec } from '../../model/cluster';
import type { FleetSpec } from '../../model/fleet';
import { appEntries, appNamespaceOf } from '../../model/apps';
import { findService } from '../../model/fleet';
import { environmentOf, resolveService } from '../../model/resolve';

/**
 * Which secrets a cluster needs, decided from the model alone (pure): every namespace gets a
 * copy of each secret its services use — env vars (of every container) read from a secret key,
 * secrets mounted as files (`secretFiles`, secret and projected volumes), pull secrets of the service and of the cluster (`secrets.imagePullSecrets`).
 */
export interface SecretReference {
  readonly cluster: string;
  readonly environment: string;
  readonly namespace: string;
  readonly service: string;
  /** Name of the secret (and of its source file `secrets/<environment>/<secret>.sops.yaml`). */
  readonly secret: string;
  /** The key read; undefined when the whole secret is used (files without `keys`, pull secrets). */
  readonly key?: string;
  /** Where the model says so: `env.MYSQL_PASSWORD`, `secretFiles[0]`, `imagePullSecrets`, `secrets.imagePullSecrets`. */
  readonly field: string;
  /** The file that says so: the system definition, or the cluster's for cluster-wide pull secrets. */
  readonly definition?: string;
  /** Used as a registry credential: needs type `kubernetes.io/dockerconfigjson`. */
  readonly pullSecret: boolean;
}

/** One secret one namespace of a cluster needs, with everything that refers to it. */
export interface NeededSecret {
  readonly namespace: string;
  readonly secret: string;
  readonly references: readonly SecretReference[];
}

export const DOCKER_CONFIG_JSON_TYPE = 'kubernetes.io/dockerconfigjson';
export const DOCKER_CONFIG_JSON_KEY = '.dockerconfigjson';

/** Every secret reference of the services running on a cluster, in service order, then the apps' pull secrets. */
export function secretReferences(fleet: FleetSpec, cluster: ClusterSpec): SecretReference[] {
  return [...serviceSecretReferences(fleet, cluster), ...appPullSecretReferences(fleet, cluster)];
}

/**
 * The cluster's pull secrets in the namespaces of its apps (Helm-chart and chart apps): they are
 * application namespaces too, so `secrets.imagePullSecrets` reaches them even when no service
 * runs there (seed 004's `docker-hub` in `monitoring` and `logging`, where only Helm releases
 * run). The charts decide whether their pods list it (usually an `imagePullSecrets` value).
 */
function appPullSecretReferences(fleet: FleetSpec, cluster: ClusterSpec): SecretReference[] {
  const pullSecrets = cluster.secrets?.imagePullSecrets ?? [];
  return (cluster.apps ?? []).flatMap((name) => {
    const entry = appEntries(fleet).get(name);
    const environment = entry && environmentOf(entry.system, cluster.environment);
    // An unknown app or environment is a model error checkFleet reports; nothing to deliver.
    if (!entry || !environment) return [];
    const namespace = appNamespaceOf(entry, environment);
    return pullSecrets.map(
      (secret): SecretReference => ({ cluster: cluster.name, environment: cluster.environment, namespace, service: name, secret, key: DOCKER_CONFIG_JSON_KEY, field: 'secrets.imagePullSecrets', definition: cluster.definition, pullSecret: true }),
    );
  });
}

function serviceSecretReferences(fleet: FleetSpec, cluster: ClusterSpec): SecretReference[] {
  const clusterPullSecrets = new Set(cluster.secrets?.imagePullSecrets ?? []);
  return cluster.services.flatMap((name) => {
    const entry = findService(fleet, name);
    const environment = entry && environmentOf(entry.system, cluster.environment);
    // An unknown service or environment is a model error checkFleet reports; nothing to deliver.
    if (!entry || !environment) return [];
    const resolved = resolveService(fleet, entry.system, entry.service, { cluster, environment });
    const base = { cluster: cluster.name, environment: cluster.environment, namespace: resolved.namespace as string, service: name, definition: entry.system.definition };
    const references: SecretReference[] = [];
    for (const [variable, value] of resolved.env) {
      if (typeof value === 'object' && 'secret' in value) {
        references.push({ ...base, secret: value.secret.name, key: value.secret.key, field: `env.${variable}`, pullSecret: false });
      }
    }
    resolved.initContainers.forEach((container, index) => {
      for (const [variable, value] of container.env) {
        if (typeof value === 'object' && 'secret' in value) {
          references.push({ ...base, secret: value.secret.name, key: value.secret.key, field: `initContainers[${index}].env.${variable}`, pullSecret: false });
        }
      }
    });
    for (const [volume, spec] of Object.entries(resolved.volumes)) {
      const sources = 'secret' in spec ? [spec.secret] : 'projected' in spec ? spec.projected.sources.flatMap((source) => ('secret' in source ? [source.secret] : [])) : [];
      for (const source of sources) {
        const field = `volumes.${volume}`;
        if (!source.items) references.push({ ...base, secret: source.name, field, pullSecret: false });
        for (const item of source.items ?? []) references.push({ ...base, secret: source.name, key: item.key, field, pullSecret: false });
      }
    }
    resolved.secretFiles.forEach((files, index) => {
      const field = `secretFiles[${index}]`;
      if (!files.keys) references.push({ ...base, secret: files.secret, field, pullSecret: false });
      for (const key of files.keys ?? []) references.push({ ...base, secret: files.secret, key, field, pullSecret: false });
    });
    for (const secret of resolved.imagePullSecrets) {
      const fromCluster = clusterPullSecrets.has(secret);
      references.push({
        ...base,
        secret,
        key: DOCKER_CONFIG_JSON_KEY,
        field: fromCluster ? 'secrets.imagePullSecrets' : 'imagePullSecrets',
        definition: fromCluster ? cluster.definition : base.definition,
        pullSecret: true,
      });
    }
    return references;
  });
}

/** References grouped into one entry per namespace and secret, sorted by both. */
export function neededSecrets(references: readonly SecretReference[]): NeededSecret[] {
  const groups = new Map<string, SecretReference[]>();
  for (const reference of references) {
    const id = `${reference.namespace}\0${reference.secret}`;
    groups.set(id, [...(groups.get(id) ?? []), reference]);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, refs]) => ({ namespace: refs[0].namespace, secret: refs[0].secret, references: refs }));
}
