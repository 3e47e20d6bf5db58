/**
 * Walks a SOPS YAML document the way sops walks its tree (`walkBranch` / `walkSlice` in
 * getsops/sops `sops.go`): mapping keys in document order, list items in order without adding
 * their index to the path, null values skipped, the top-level `sops` key left out. The order is
 * what the MAC covers, so it must be exactly sops' order.
 *
 * Plain scalars are typed by YAML 1.2 core rules (the `yaml` package), sops by go-yaml v3. They
 * agree on everything Kubernetes manifests use (strings, `1`, `1.5`, `true`, `null`, `0x1F`,
 * timestamps kept as strings); they differ on exotica such as `012` (go: octal 10) or `1_000`
 * (go: 1000). Such values in a plain field would make the MAC differ from sops'; quote them.
 */
import { Document, isAlias, isMap, isScalar, isSeq, parseAllDocuments, Scalar, ToStringOptions } from 'yaml';
import { TypedScalar } from './sops-cipher';

/** A scalar leaf of the document with the key path sops uses for it. */
export interface SopsLeaf {
  /** Mapping keys from the root; list items add nothing. */
  readonly path: readonly string[];
  readonly node: Scalar;
}

/** The top-level key that holds SOPS metadata. */
export const SOPS_KEY = 'sops';

/** How documents are written back: the layout sops 3.10 writes (2-space indent, indented lists, no folding). */
export const YAML_OUTPUT: ToStringOptions = { indent: 2, indentSeq: true, lineWidth: 0 };

/** Parses exactly one YAML mapping document, or says why it is not one. */
export function parseSingleDocument(text: string): Document | { readonly error: string } {
  const docs = parseAllDocuments(text);
  if (!Array.isArray(docs)) return { error: 'the file is empty' };
  if (docs.length !== 1) return { error: `expected one YAML document, found ${docs.length}` };
  const [doc] = docs;
  if (doc.errors.length > 0) return { error: `invalid YAML: ${doc.errors[0].code} at line ${doc.errors[0].linePos?.[0].line ?? '?'}` };
  if (doc.contents !== null && !isMap(doc.contents)) return { error: 'the document must be a mapping' };
  return doc;
}

/** The leaves of a document in sops' order, or why it cannot be walked. */
export function collectLeaves(doc: Document): readonly SopsLeaf[] | { readonly error: string } {
  const leaves: SopsLeaf[] = [];
  const error = walk(doc.contents, [], leaves);
  return error === undefined ? leaves : { error };
}

/** The type sops gives a plain YAML scalar (yaml.v3 decoding into interface{}); undefined for null. */
export function typedScalar(node: Scalar): TypedScalar | undefined {
  const { value } = node;
  if (typeof value === 'string') return { value, type: 'str' };
  if (typeof value === 'boolean') return { value, type: 'bool' };
  if (typeof value === 'bigint') return { value: Number(value), type: 'int' };
  if (typeof value === 'number') return { value, type: isFloat(node, value) ? 'float' : 'int' };
  return undefined;
}

function walk(node: unknown, path: readonly string[], leaves: SopsLeaf[]): string | undefined {
  if (node === null || node === undefined) return undefined;
  if (isAlias(node)) return `YAML aliases are not supported (at ${pathText(path)})`;
  if (isMap(node)) {
    for (const pair of node.items) {
      const key = mappingKey(pair.key);
      if (key === undefined) return `only string keys are supported (under ${pathText(path)})`;
      if (path.length === 0 && key === SOPS_KEY) continue;
      const error = walk(pair.value, [...path, key], leaves);
      if (error) return error;
    }
    return undefined;
  }
  if (isSeq(node)) {
    for (const item of node.items) {
      const error = walk(item, path, leaves);
      if (error) return error;
    }
    return undefined;
  }
  if (isScalar(node)) {
    if (node.value === null || node.value === undefined) return undefined;
    if (typeof node.value === 'object') return `unsupported YAML value type at ${pathText(path)}`;
    leaves.push({ path, node });
    return undefined;
  }
  return `unsupported YAML node at ${pathText(path)}`;
}

/** A mapping key as sops sees it: only strings are keys (a node, or a raw string set by code). */
export function mappingKey(key: unknown): string | undefined {
  const value = isScalar(key) ? key.value : key;
  return typeof value === 'string' ? value : undefined;
}

/** `1.0`, `1e3` and `.inf` are floats; `1`, `0x1F` and `0o17` are ints. */
function isFloat(node: Scalar, value: number): boolean {
  const source = typeof node.source === 'string' ? node.source : undefined;
  if (source === undefined) return !Number.isInteger(value);
  if (/^[-+]?0[xo]/i.test(source)) return false;
  return /[.eE]|inf|nan/i.test(source);
}

/** `stringData.password`, or `(root)`; for messages. */
export function pathText(path: readonly string[]): string {
  return path.length === 0 ? '(root)' : path.join('.');
}
