import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { KubeObject } from '../../model/kube-object';
import { isRecord, list, record, str } from '../json';
import { readYamlDocuments, type ReadCrdYamlOptions } from './crd-yaml';

/**
 * Custom resource schemas: every version of every CustomResourceDefinition found in the CRD
 * directory (like a kubeconform `-schema-location`) and among the cluster's own rendered objects.
 */

export interface CrdVersion {
  readonly group: string;
  readonly kind: string;
  readonly version: string;
  readonly served: boolean;
  /** `openAPIV3Schema`, when the CRD has one. */
  readonly schema?: unknown;
  /** `metadata.name` of the CRD, e.g. `canaries.flagger.app`. */
  readonly crdName: string;
  /** File it came from, or `rendered` for a CRD among the cluster's objects. */
  readonly source: string;
  /**
   * Gateway API release channel of the CRD (its `gateway.networking.k8s.io/channel`
   * annotation); undefined for every other CRD.
   */
  readonly channel?: string;
}

/** The annotation Gateway API puts on each CRD it ships: `standard` or `experimental`. */
export const GATEWAY_API_CHANNEL_ANNOTATION = 'gateway.networking.k8s.io/channel';

export interface CrdFileProblem {
  readonly file: string;
  readonly reason: string;
}

export interface CrdCatalog {
  /** Every version of `group`'s `kind`, served or not. */
  versionsOf(group: string, kind: string): readonly CrdVersion[];
  /** CRD files that could not be read; reported once per run. */
  readonly unreadable: readonly CrdFileProblem[];
  /**
   * Whether the CRD directory exists. Without it no custom resource can be checked, which is
   * one problem (`schema/crd-directory-missing`), not one per custom resource.
   */
  readonly directoryFound: boolean;
}

interface DirectoryCatalog {
  readonly found: boolean;
  readonly signature: string;
  readonly versions: readonly CrdVersion[];
  readonly unreadable: readonly CrdFileProblem[];
}

const directoryCache = new Map<string, DirectoryCatalog>();

/** Builds the catalog. The directory part is cached until a file in it changes. */
export function loadCrdCatalog(directory: string, rendered: readonly KubeObject[], yamlOptions: ReadCrdYamlOptions = {}): CrdCatalog {
  const fromDirectory = readDirectory(directory, yamlOptions);
  const fromRendered = rendered.filter((o) => o.kind === 'CustomResourceDefinition').flatMap((o) => crdVersions(o, 'rendered'));
  const byKind = new Map<string, CrdVersion[]>();
  // Rendered CRDs win: they are what the cluster will actually run.
  for (const v of [...fromRendered, ...fromDirectory.versions]) {
    const key = `${v.group}/${v.kind}`;
    const versions = byKind.get(key) ?? [];
    if (!versions.some((existing) => existing.version === v.version && existing.channel === v.channel)) versions.push(v);
    byKind.set(key, versions);
  }
  return { versionsOf: (group, kind) => byKind.get(`${group}/${kind}`) ?? [], unreadable: fromDirectory.unreadable, directoryFound: fromDirectory.found };
}

function readDirectory(directory: string, yamlOptions: ReadCrdYamlOptions): DirectoryCatalog {
  if (!isDirectory(directory)) return { found: false, signature: '', versions: [], unreadable: [] };
  const files = yamlFiles(directory);
  // The cache key is each file's identity, size and nanosecond mtime, as make and tsc use: the
  // directory holds megabytes of CRDs (Istio, Gateway API, Argo CD), and reading and hashing
  // them on every validation was most of an incremental synth at fleet scale.
  const signature = createHash('sha256').update(files.map(fileSignature).join('\u0001')).digest('hex');
  const cached = directoryCache.get(directory);
  if (cached && cached.signature === signature) return cached;
  const texts = files.map((file) => ({ file, text: fs.readFileSync(file, 'utf8') }));

  const versions: CrdVersion[] = [];
  const unreadable: CrdFileProblem[] = [];
  for (const { file, text } of texts) {
    const parsed = readYamlDocuments(text, yamlOptions);
    if (!parsed.ok) {
      unreadable.push({ file, reason: parsed.reason });
      continue;
    }
    for (const doc of parsed.documents) {
      if (isRecord(doc) && doc.kind === 'CustomResourceDefinition') versions.push(...crdVersions(doc as unknown as KubeObject, file));
    }
  }
  const catalog = { found: true, signature, versions, unreadable };
  directoryCache.set(directory, catalog);
  return catalog;
}

function isDirectory(directory: string): boolean {
  try {
    return fs.statSync(directory).isDirectory();
  } catch {
    return false;
  }
}

/** Every `*.yaml` / `*.yml` under the directory, sorted; a missing directory has none. */
function fileSignature(file: string): string {
  const stats = fs.statSync(file, { bigint: true, throwIfNoEntry: false });
  return stats ? `${file}\u0000${stats.ino}\u0000${stats.size}\u0000${stats.mtimeNs}` : `${file}\u0000gone`;
}

function yamlFiles(directory: string): string[] {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(directory, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries
    .flatMap((entry) => {
      const full = path.join(directory, entry.name);
      if (entry.isDirectory()) return yamlFiles(full);
      return entry.isFile() && /\.ya?ml$/.test(entry.name) ? [full] : [];
    })
    .sort();
}

function crdVersions(crd: KubeObject, source: string): CrdVersion[] {
  const spec = record(crd.spec);
  const group = str(spec.group);
  const kind = str(record(spec.names).kind);
  if (!group || !kind) return [];
  // apiextensions.k8s.io/v1beta1 CRDs kept one schema for all versions in spec.validation.
  const sharedSchema = record(spec.validation).openAPIV3Schema;
  const channel = str(record(crd.metadata?.annotations)[GATEWAY_API_CHANNEL_ANNOTATION]);
  return list(spec.versions)
    .filter(isRecord)
    .map((v) => ({
      group,
      kind,
      version: str(v.name) ?? '',
      served: v.served !== false,
      schema: record(v.schema).openAPIV3Schema ?? sharedSchema,
      crdName: crd.metadata?.name ?? `${kind}.${group}`,
      source,
      ...(channel ? { channel } : {}),
    }));
}
