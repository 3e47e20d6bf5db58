import type { KubeObject } from '../../model/kube-object';
import { formatPath, formatValue, keysOf, startsWith, type FieldChange, type PathSegment } from './field-changes';
import { swappedCiphertexts } from '../../secrets/sealed-integrity';
import type { SecretKeyChanges } from './secret-objects';

/**
 * What a reviewer must not miss in a manifest diff. Each rule looks at one object's change and
 * names the risk in the reviewer's terms: what Flux or the API server will do with it.
 */
export type RiskClass = 'prune' | 'immutable' | 'production-image' | 'replicas' | 'resources' | 'secret';

/** danger: breaks the apply or destroys something; warning: reaches users; notice: worth a look. */
export type RiskLevel = 'danger' | 'warning' | 'notice';

export interface Risk {
  readonly class: RiskClass;
  readonly level: RiskLevel;
  readonly message: string;
}

export interface RiskContext {
  readonly change: 'added' | 'deleted' | 'changed';
  readonly before?: KubeObject;
  readonly after?: KubeObject;
  /** Unredacted field changes: rules that quote values skip secret-like objects. */
  readonly fields: readonly FieldChange[];
  /** Set for secret-like objects (Secret, SealedSecret, SOPS): which keys changed. */
  readonly secret?: SecretKeyChanges;
  /** The cluster runs a production environment. */
  readonly production: boolean;
}

export type RiskRule = (context: RiskContext) => Risk[];

function group(obj: KubeObject): string {
  const slash = obj.apiVersion.indexOf('/');
  return slash < 0 ? '' : obj.apiVersion.slice(0, slash);
}

function is(obj: KubeObject | undefined, apiGroup: string, ...kinds: string[]): boolean {
  return obj !== undefined && group(obj) === apiGroup && kinds.includes(obj.kind);
}

const PRUNE_CONSEQUENCE: Readonly<Record<string, string>> = {
  Namespace: ', and with the namespace every object in it',
  PersistentVolumeClaim: ', and with the claim possibly its volume and data',
  CustomResourceDefinition: ', and with the definition every custom resource of that kind',
};

export const pruneRule: RiskRule = ({ change, before }) =>
  change === 'deleted' && before
    ? [{ class: 'prune', level: 'danger', message: `Flux prunes it from the cluster (prune: true)${PRUNE_CONSEQUENCE[before.kind] ?? ''}` }]
    : [];

interface ImmutableField {
  readonly applies: (obj: KubeObject) => boolean;
  readonly prefix: readonly string[];
  readonly why: string;
  /** Changes under the prefix that the API server does allow. */
  readonly allowed?: (path: readonly PathSegment[]) => boolean;
}

const REJECTED = 'the API server rejects the apply, so the Flux Kustomization fails until the object is deleted and recreated';
const WORKLOADS = (obj: KubeObject) => is(obj, 'apps', 'Deployment', 'ReplicaSet', 'DaemonSet', 'StatefulSet');

const IMMUTABLE_FIELDS: readonly ImmutableField[] = [
  { applies: WORKLOADS, prefix: ['spec', 'selector'], why: `spec.selector is immutable: ${REJECTED}` },
  ...['serviceName', 'volumeClaimTemplates', 'podManagementPolicy'].map((key) => ({
    applies: (obj: KubeObject) => is(obj, 'apps', 'StatefulSet'),
    prefix: ['spec', key],
    why: `StatefulSet spec.${key} is immutable: ${REJECTED}`,
  })),
  { applies: (obj) => is(obj, 'batch', 'Job'), prefix: ['spec', 'selector'], why: `Job spec.selector is immutable: ${REJECTED}` },
  { applies: (obj) => is(obj, 'batch', 'Job'), prefix: ['spec', 'template'], why: `a Job's pod template is immutable: ${REJECTED} (or give the Job a new name)` },
  { applies: (obj) => is(obj, '', 'Service'), prefix: ['spec', 'clusterIP'], why: `Service spec.clusterIP is immutable: ${REJECTED}` },
  { applies: (obj) => is(obj, '', 'Service'), prefix: ['spec', 'clusterIPs'], why: `Service spec.clusterIPs is immutable: ${REJECTED}` },
  {
    applies: (obj) => is(obj, '', 'Service'),
    prefix: ['spec', 'type'],
    why: 'changing a Service type is rejected when the allocated clusterIP or nodePorts do not fit the new type (e.g. to or from ExternalName, headless), and a LoadBalancer change replaces the external address',
  },
  { applies: (obj) => is(obj, 'rbac.authorization.k8s.io', 'RoleBinding', 'ClusterRoleBinding'), prefix: ['roleRef'], why: `roleRef is immutable: ${REJECTED}` },
  {
    applies: (obj) => is(obj, '', 'PersistentVolumeClaim'),
    prefix: ['spec'],
    why: `a PersistentVolumeClaim spec is immutable except for growing its storage request: ${REJECTED}`,
    allowed: (path) => startsWith(path, ['spec', 'resources', 'requests']) || startsWith(path, ['spec', 'volumeAttributesClassName']),
  },
  ...['data', 'binaryData', 'stringData'].map((key) => ({
    applies: (obj: KubeObject) => is(obj, '', 'ConfigMap', 'Secret') && obj.immutable === true,
    prefix: [key],
    why: `the object is marked immutable, so its ${key} cannot change: ${REJECTED}`,
  })),
];

/**
 * kustomize-controller's per-object force apply (fluxcd/kustomize-controller#787, fluxcd/pkg
 * ssa): an object annotated `kustomize.toolkit.fluxcd.io/force: enabled` whose apply fails on
 * an immutable field is deleted and re-created. The generator annotates Jobs this way.
 */
function forceApplied(obj: KubeObject): boolean {
  return obj.metadata.annotations?.['kustomize.toolkit.fluxcd.io/force']?.toLowerCase() === 'enabled';
}

export const immutableRule: RiskRule = ({ change, before, fields }) => {
  if (change !== 'changed' || !before) return [];
  const rules = IMMUTABLE_FIELDS.filter((rule) => rule.applies(before) && fields.some((f) => startsWith(f.path, rule.prefix) && !(rule.allowed?.(f.path) ?? false)));
  if (rules.length > 0 && forceApplied(before)) {
    const rerun = before.kind === 'Job' ? ': the Job runs again' : '';
    return [{ class: 'immutable', level: 'warning', message: `an immutable field changes; Flux deletes and re-creates the ${before.kind} (kustomize.toolkit.fluxcd.io/force: enabled)${rerun}` }];
  }
  return rules.map((rule) => ({ class: 'immutable', level: 'danger', message: rule.why.replace('the object', `the ${before.kind}`) }));
};

function isContainerField(path: readonly PathSegment[], key: string): boolean {
  const keys = keysOf(path);
  const at = keys.findIndex((k) => k === 'containers' || k === 'initContainers' || k === 'ephemeralContainers');
  return at >= 0 && keys.slice(at + 1).includes(key);
}

export const productionImageRule: RiskRule = ({ change, production, fields, secret }) => {
  if (!production || change !== 'changed' || secret) return [];
  return fields
    .filter((f) => keysOf(f.path).at(-1) === 'image' && isContainerField(f.path, 'image'))
    .map((f) => ({ class: 'production-image', level: 'warning', message: `image changes in production: ${formatValue(f.before)} → ${formatValue(f.after)}` }));
};

const SCALING_FIELDS: readonly (readonly string[])[] = [['spec', 'replicas'], ['spec', 'minReplicas'], ['spec', 'maxReplicas']];

export const replicasRule: RiskRule = ({ change, production, fields, secret }) => {
  if (change !== 'changed' || secret) return [];
  return fields
    .filter((f) => SCALING_FIELDS.some((prefix) => f.path.length === 2 && startsWith(f.path, prefix)))
    .map((f) => ({ class: 'replicas', level: production ? 'warning' : 'notice', message: `${formatPath(f.path)} ${formatValue(f.before)} → ${formatValue(f.after)}` }));
};

export const resourcesRule: RiskRule = ({ change, production, fields, secret }) => {
  if (change !== 'changed' || secret) return [];
  return fields
    .filter((f) => isContainerField(f.path, 'resources'))
    .map((f) => {
      const keys = keysOf(f.path);
      const container = f.path.find((s): s is { name: string } => typeof s === 'object');
      const what = keys.slice(keys.indexOf('resources')).join('.');
      return { class: 'resources' as const, level: production ? ('warning' as const) : ('notice' as const), message: `${container ? `${container.name} ` : ''}${what} ${formatValue(f.before)} → ${formatValue(f.after)}` };
    });
};

export const secretRule: RiskRule = ({ change, secret }) => {
  if (!secret || change === 'deleted') return [];
  const parts = [
    secret.added.length ? `added ${secret.added.join(', ')}` : '',
    secret.removed.length ? `removed ${secret.removed.join(', ')}` : '',
    secret.changed.length ? `changed ${secret.changed.join(', ')}` : '',
  ].filter(Boolean);
  if (parts.length === 0) return [];
  return [{ class: 'secret', level: 'notice', message: `secret keys ${parts.join('; ')} (values are not shown)` }];
};

/**
 * A SealedSecret key whose ciphertext changed while its source digest, certificate and scope did
 * not: fleet never seals anew for an unchanged source, so someone sealed a value by hand with the
 * public certificate — the way a pull request injects a password (see src/secrets/sealed-integrity.ts).
 */
export const swappedCiphertextRule: RiskRule = ({ change, before, after }) => {
  if (change !== 'changed' || !before || !after) return [];
  const keys = swappedCiphertexts(before, after);
  if (keys.length === 0) return [];
  return [{ class: 'secret', level: 'danger', message: `ciphertext of ${keys.join(', ')} changed but its SOPS source did not (same source digest): sealed outside fleet, possibly an injected value — reject unless you resealed it yourself` }];
};

export const RISK_RULES: readonly RiskRule[] = [pruneRule, immutableRule, productionImageRule, replicasRule, resourcesRule, secretRule, swappedCiphertextRule];

export function assessRisks(context: RiskContext, rules: readonly RiskRule[] = RISK_RULES): Risk[] {
  return rules.flatMap((rule) => rule(context));
}

export const LEVEL_ORDER: readonly RiskLevel[] = ['danger', 'warning', 'notice'];
