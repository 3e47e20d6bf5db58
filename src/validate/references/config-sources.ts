import { namespaceOf, type ClusterIndex } from '../cluster-index';
import { record, str } from '../json';

/**
 * The ConfigMaps and Secrets a pod can reference, with their keys when the rendered object lists
 * them. A Secret may be rendered three ways: plainly, encrypted by sops (key names stay readable),
 * or as a SealedSecret, which unseals into a Secret named after `spec.template.metadata.name`
 * (default: its own name) with the keys of `spec.encryptedData`.
 */

export type ConfigKind = 'ConfigMap' | 'Secret';

export interface ConfigSource {
  readonly kind: ConfigKind;
  readonly namespace: string;
  readonly name: string;
  /** The keys it holds, or undefined when they cannot be known from the rendered output. */
  readonly keys?: ReadonlySet<string>;
  /** How it is rendered, for messages: `ConfigMap`, `Secret`, `sops-encrypted Secret`, `SealedSecret`. */
  readonly renderedAs: string;
}

export interface ConfigSources {
  find(kind: ConfigKind, namespace: string, name: string): ConfigSource | undefined;
}

/** Secret types whose keys a controller fills in after apply. */
const CONTROLLER_FILLED_TYPES = new Set(['kubernetes.io/service-account-token']);

export function collectConfigSources(index: ClusterIndex, externalSecrets: readonly string[]): ConfigSources {
  const sources = new Map<string, ConfigSource>();
  const add = (source: ConfigSource) => {
    const key = `${source.kind}/${source.namespace}/${source.name}`;
    if (!sources.has(key)) sources.set(key, source);
  };
  for (const cm of index.ofKind('ConfigMap')) {
    add({ kind: 'ConfigMap', namespace: namespaceOf(cm), name: cm.metadata.name, keys: keysOf(cm.data, cm.binaryData), renderedAs: 'ConfigMap' });
  }
  for (const secret of index.ofKind('Secret')) {
    const unknownKeys = CONTROLLER_FILLED_TYPES.has(str(secret.type) ?? '');
    add({
      kind: 'Secret',
      namespace: namespaceOf(secret),
      name: secret.metadata.name,
      keys: unknownKeys ? undefined : keysOf(secret.data, secret.stringData),
      renderedAs: secret.sops !== undefined ? 'sops-encrypted Secret' : 'Secret',
    });
  }
  for (const sealed of index.ofKind('SealedSecret')) {
    const template = record(record(sealed.spec).template);
    const metadata = record(template.metadata);
    add({
      kind: 'Secret',
      namespace: str(metadata.namespace) ?? namespaceOf(sealed),
      name: str(metadata.name) ?? sealed.metadata.name,
      keys: keysOf(record(sealed.spec).encryptedData, template.data),
      renderedAs: 'SealedSecret',
    });
  }
  for (const entry of externalSecrets) {
    const [namespace, name] = entry.split('/');
    if (namespace && name) add({ kind: 'Secret', namespace, name, renderedAs: 'external Secret' });
  }
  return { find: (kind, namespace, name) => sources.get(`${kind}/${namespace}/${name}`) };
}

function keysOf(...maps: unknown[]): Set<string> {
  return new Set(maps.flatMap((m) => Object.keys(record(m))));
}
