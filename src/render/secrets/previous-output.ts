import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KubeObject } from '../../model/kube-object';
import { objectFileName, secretsDir } from '../layout';
import { GENERATED_MARKER, parseYamlDocuments } from '../yaml';

/**
 * The secret objects the previous render committed, read back so unchanged secrets are reused
 * byte for byte (sealing and SOPS encryption are randomized; see src/secrets). They live in the
 * namespace's secrets directory, `clusters/<cluster>/apps/<namespace>/secrets/<kind>-<name>.yaml`,
 * written without their namespace (the namespace's kustomization sets it).
 */
export function previousSecretPath(cluster: string, namespace: string, kind: 'SealedSecret' | 'Secret', name: string): string {
  return `${secretsDir(cluster, namespace)}/${objectFileName({ apiVersion: 'v1', kind, metadata: { name } })}`;
}

/** The committed file without its generated header line; undefined when there is none. */
export function readPreviousText(out: string, path: string): string | undefined {
  let text: string;
  try {
    text = readFileSync(join(out, path), 'utf8');
  } catch {
    return undefined;
  }
  return text.startsWith(GENERATED_MARKER) ? text.slice(text.indexOf('\n') + 1) : text;
}

/** The committed object with its namespace put back; undefined when absent or unreadable. */
export function readPreviousObject(out: string, path: string, namespace: string): KubeObject | undefined {
  const text = readPreviousText(out, path);
  if (text === undefined) return undefined;
  let docs: unknown[];
  try {
    docs = parseYamlDocuments(text);
  } catch {
    return undefined;
  }
  const [object] = docs as KubeObject[];
  if (docs.length !== 1 || typeof object?.metadata?.name !== 'string') return undefined;
  return withNamespace(object, namespace);
}

/** The object with `metadata.namespace` set, right after the name (where Kubernetes puts it). */
export function withNamespace(object: KubeObject, namespace: string): KubeObject {
  const { name, namespace: _old, ...rest } = object.metadata;
  return { ...object, metadata: { name, namespace, ...rest } };
}
