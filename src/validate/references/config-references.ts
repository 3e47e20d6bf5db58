import { error, type Problem } from '../../model/problem';
import { childPath } from '../field-path';
import { isRecord, list, record, str, type JsonRecord } from '../json';
import type { ValidationContext } from '../validation-context';
import { containersOf, type PodTemplate } from '../workloads';
import { collectConfigSources, type ConfigKind, type ConfigSources } from './config-sources';

/**
 * Pods reference ConfigMaps and Secrets that exist, and keys those hold:
 * `ref/configmap-missing`, `ref/secret-missing`, `ref/config-key-missing`.
 * A missing one leaves the pod in CreateContainerConfigError — after the rollout has started.
 * References marked `optional: true` may dangle.
 */
export function checkConfigReferences(ctx: ValidationContext): Problem[] {
  const sources = collectConfigSources(ctx.index, ctx.options.externalSecrets);
  return ctx.index.podTemplates.flatMap((template) => referencesOf(template).flatMap((ref) => checkReference(ref, template, sources, ctx)));
}

interface ConfigReference {
  readonly kind: ConfigKind;
  readonly name: string;
  /** Keys the reference needs, each with its field path. */
  readonly keys: readonly { readonly key: string; readonly field: string }[];
  readonly optional: boolean;
  /** Field path of the name. */
  readonly field: string;
}

/** Every ConfigMap/Secret reference of a pod template: env, envFrom, volumes, imagePullSecrets. */
export function referencesOf(template: PodTemplate): ConfigReference[] {
  const refs: ConfigReference[] = [];
  for (const { container, path } of containersOf(template)) {
    list(container.env).forEach((env, i) => {
      const from = record(record(env).valueFrom);
      for (const [key, kind] of [['configMapKeyRef', 'ConfigMap'], ['secretKeyRef', 'Secret']] as const) {
        if (isRecord(from[key])) refs.push(keyRef(kind, from[key], childPath(path, 'env', i, 'valueFrom', key)));
      }
    });
    list(container.envFrom).forEach((envFrom, i) => {
      for (const [key, kind] of [['configMapRef', 'ConfigMap'], ['secretRef', 'Secret']] as const) {
        const ref = record(envFrom)[key];
        if (isRecord(ref)) refs.push({ kind, name: str(ref.name) ?? '', keys: [], optional: ref.optional === true, field: childPath(path, 'envFrom', i, key, 'name') });
      }
    });
  }
  list(template.spec.volumes).forEach((volume, v) => {
    const vol = record(volume);
    const base = childPath(template.specPath, 'volumes', v);
    if (isRecord(vol.configMap)) refs.push(volumeRef('ConfigMap', vol.configMap, 'name', childPath(base, 'configMap')));
    if (isRecord(vol.secret)) refs.push(volumeRef('Secret', vol.secret, 'secretName', childPath(base, 'secret')));
    list(record(vol.projected).sources).forEach((source, s) => {
      const src = record(source);
      const sourceBase = childPath(base, 'projected', 'sources', s);
      if (isRecord(src.configMap)) refs.push(volumeRef('ConfigMap', src.configMap, 'name', childPath(sourceBase, 'configMap')));
      if (isRecord(src.secret)) refs.push(volumeRef('Secret', src.secret, 'name', childPath(sourceBase, 'secret')));
    });
  });
  list(template.spec.imagePullSecrets).forEach((secret, i) => {
    const name = str(record(secret).name);
    if (name) refs.push({ kind: 'Secret', name, keys: [], optional: false, field: childPath(template.specPath, 'imagePullSecrets', i, 'name') });
  });
  return refs.filter((r) => r.name !== '');
}

function keyRef(kind: ConfigKind, ref: JsonRecord, field: string): ConfigReference {
  const key = str(ref.key);
  return { kind, name: str(ref.name) ?? '', keys: key ? [{ key, field: `${field}.key` }] : [], optional: ref.optional === true, field: `${field}.name` };
}

function volumeRef(kind: ConfigKind, source: JsonRecord, nameField: string, field: string): ConfigReference {
  const keys = list(source.items).flatMap((item, i) => {
    const key = str(record(item).key);
    return key ? [{ key, field: childPath(field, 'items', i, 'key') }] : [];
  });
  return { kind, name: str(source[nameField]) ?? '', keys, optional: source.optional === true, field: childPath(field, nameField) };
}

function checkReference(ref: ConfigReference, template: PodTemplate, sources: ConfigSources, ctx: ValidationContext): Problem[] {
  if (ref.optional) return [];
  const owner = template.owner;
  const source = sources.find(ref.kind, template.namespace, ref.name);
  if (!source) {
    const how = ref.kind === 'Secret' ? 'a Secret, a sops-encrypted Secret or a SealedSecret' : 'a ConfigMap';
    return [
      error(
        ref.kind === 'Secret' ? 'ref/secret-missing' : 'ref/configmap-missing',
        ctx.placeOf(owner, ref.field),
        `${owner.kind} ${owner.metadata.name} references ${ref.kind} "${ref.name}"${ref.keys.length ? ` (key "${ref.keys[0].key}")` : ''}, which is not rendered in namespace ${template.namespace}.`,
        `Render ${how} named "${ref.name}" in namespace ${template.namespace}, fix the name, or mark the reference optional.`,
      ),
    ];
  }
  if (!source.keys) return [];
  const known = [...source.keys].sort();
  return ref.keys
    .filter(({ key }) => !source.keys!.has(key))
    .map(({ key, field }) =>
      error(
        'ref/config-key-missing',
        ctx.placeOf(owner, field),
        `${owner.kind} ${owner.metadata.name} reads key "${key}" of ${source.renderedAs} "${ref.name}", which has ${known.length ? `only ${known.map((k) => `"${k}"`).join(', ')}` : 'no keys'}.`,
        `Add "${key}" to ${source.renderedAs} "${ref.name}", or read one of its existing keys.`,
      ),
    );
}
