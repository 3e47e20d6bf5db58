import { isMap, isScalar, LineCounter, Pair, parse, parseDocument, Scalar, YAMLMap, type Document } from 'yaml';
import { error, warning, type Problem } from '../model/problem';
import { IMAGE_POLICY_NAMESPACE, imagePolicyName, RELEASE_LOCK_FILE, type ReleaseLock } from '../model/release-lock-types';
import { formatMarker, markerComment, parseMarker, type ImagePolicyMarker } from './image-policy-marker';

/**
 * Reading and editing the release lock (src/environments/releases.yaml):
 *
 *   development:
 *     clients-api: 1.4.2 # {"$imagepolicy": "flux-system:development-clients-api:tag"}
 *
 * Edits go through the `yaml` package's Document API and change only the bytes of the value
 * being set: comments, blank lines, quoting and the `$imagepolicy` markers Flux relies on stay
 * exactly as they were, so a release is a one-line diff in review.
 */

export interface LockEntry {
  readonly environment: string;
  readonly service: string;
  /** Tag or digest, always as written (the failsafe schema never turns `1.10` into 1.1). */
  readonly version: string;
  readonly marker?: ImagePolicyMarker;
  /** 1-based line of the entry, for messages. */
  readonly line: number;
}

export interface ParsedReleaseLock {
  readonly releases: ReleaseLock;
  readonly entries: readonly LockEntry[];
  /** Errors (the file cannot be read as a lock) and warnings (markers Flux cannot use). */
  readonly problems: readonly Problem[];
}

function readDocument(text: string): { doc: Document.Parsed; lines: LineCounter } {
  const lines = new LineCounter();
  // failsafe: every scalar is a string, so versions such as `1.10` or `2` keep their exact text.
  const doc = parseDocument(text, { schema: 'failsafe', lineCounter: lines });
  return { doc, lines };
}

function lineOf(lines: LineCounter, node: { range?: [number, number, number] | null } | null | undefined): number {
  return node?.range ? lines.linePos(node.range[0]).line : 1;
}

function isEmpty(node: unknown): boolean {
  return node === null || node === undefined || (isScalar(node) && (node.value === null || node.value === ''));
}

export function parseReleaseLock(text: string, file = RELEASE_LOCK_FILE): ParsedReleaseLock {
  const { doc, lines } = readDocument(text);
  const at = (line: number) => `${file}:${line}`;
  const invalid = (line: number, message: string, fix: string, environment?: string, service?: string): Problem =>
    error('release/invalid-lock', { environment, service, field: [environment, service].filter(Boolean).join('.') || undefined, definition: at(line) }, message, fix);
  const shape = 'write one map per environment: `<environment>:` then `  <service>: <tag>` lines';

  if (doc.errors.length > 0) {
    return {
      releases: {},
      entries: [],
      problems: doc.errors.map((e) => invalid(e.linePos?.[0].line ?? 1, `the release lock is not valid YAML: ${e.message.split('\n')[0]}`, 'fix the YAML syntax (or `git checkout` the file)')),
    };
  }
  if (isEmpty(doc.contents)) return { releases: {}, entries: [], problems: [] };
  if (!isMap(doc.contents)) return { releases: {}, entries: [], problems: [invalid(1, 'the release lock is not a map of environments', shape)] };

  const problems: Problem[] = [];
  const entries: LockEntry[] = [];
  const releases: Record<string, Record<string, string>> = {};
  for (const envPair of doc.contents.items) {
    const environment = isScalar(envPair.key) ? String(envPair.key.value) : '';
    if (!environment) {
      problems.push(invalid(lineOf(lines, envPair.key as Scalar), 'an environment key is not a plain name', shape));
      continue;
    }
    releases[environment] = {};
    if (isEmpty(envPair.value)) continue;
    if (!isMap(envPair.value)) {
      problems.push(invalid(lineOf(lines, envPair.value as Scalar), `environment "${environment}" is not a map of services`, shape, environment));
      continue;
    }
    for (const pair of envPair.value.items) {
      const service = isScalar(pair.key) ? String(pair.key.value) : '';
      const line = lineOf(lines, pair.key as Scalar);
      if (!service || !isScalar(pair.value) || isEmpty(pair.value)) {
        problems.push(invalid(line, `entry ${environment}.${service || '?'} is not "<service>: <tag>"`, shape, environment, service || undefined));
        continue;
      }
      const version = String(pair.value.value);
      const marker = parseMarker(pair.value.comment);
      releases[environment][service] = version;
      entries.push({ environment, service, version, marker, line });
      problems.push(...checkMarker(entries[entries.length - 1], at(line)));
    }
  }
  return { releases, entries, problems };
}

/** Warnings for entries Flux image automation would skip or write wrongly. */
function checkMarker(entry: LockEntry, definition: string): Problem[] {
  const place = { environment: entry.environment, service: entry.service, field: `${entry.environment}.${entry.service}`, definition };
  const expected: ImagePolicyMarker = { namespace: IMAGE_POLICY_NAMESPACE, name: imagePolicyName(entry.environment, entry.service), field: 'tag' };
  const fix = `end the line with #${markerComment(entry.environment, entry.service)}`;
  if (!entry.marker) {
    return [warning('release/missing-marker', place, 'the entry has no $imagepolicy marker, so Flux image automation cannot update it', fix)];
  }
  if (entry.marker.namespace !== expected.namespace || entry.marker.name !== expected.name) {
    return [warning('release/marker-mismatch', place, `the marker names policy ${entry.marker.namespace}/${entry.marker.name}; the generator renders ${expected.namespace}/${expected.name}`, fix)];
  }
  if (entry.marker.field === 'image' || entry.marker.field === 'name') {
    return [warning('release/marker-mismatch', place, `marker "${formatMarker(entry.marker)}" would write the image reference, not a version, into the lock`, fix)];
  }
  return [];
}

/** How a version is written: plain when YAML reads it back as the same string, else quoted. */
function scalarText(version: string, type: Scalar['type']): string {
  if (type === 'QUOTE_SINGLE') return `'${version}'`;
  if (type === 'QUOTE_DOUBLE') return JSON.stringify(version);
  let plainIsSafe = false;
  try {
    plainIsSafe = parse(version) === version;
  } catch {
    plainIsSafe = false;
  }
  return plainIsSafe ? version : JSON.stringify(version);
}

/**
 * The lock text with `environment`.`service` set to `version`. An existing entry is changed in
 * place (only the value's bytes; its marker and every comment stay); a new entry is appended to
 * its environment, with the marker, through the Document API. The caller validates names and
 * version first; `text` must parse (see parseReleaseLock).
 */
export function setLockedVersion(text: string, environment: string, service: string, version: string): string {
  const { doc } = readDocument(text);
  if (doc.errors.length > 0) throw new Error(`setLockedVersion: the lock does not parse: ${doc.errors[0].message}`);
  const node = doc.getIn([environment, service], true);
  let result: string;
  if (isScalar(node) && node.range) {
    const [start, end] = node.range;
    result = text.slice(0, start) + scalarText(version, node.type) + text.slice(end);
  } else {
    result = insertEntry(text, doc, environment, service, version) ?? appendEntry(doc, environment, service, version);
  }
  const check = parseReleaseLock(result);
  if (check.releases[environment]?.[service] !== version) throw new Error(`setLockedVersion: ${environment}.${service} did not become ${version}`);
  return result;
}

function entryLine(service: string, version: string, environment: string): string {
  return `${service}: ${scalarText(version, 'PLAIN')} #${markerComment(environment, service)}`;
}

/**
 * A new entry as text, so nothing else moves: after the last entry of its (block) environment,
 * or as a new environment at the end. Undefined for layouts it does not handle (flow maps, an
 * empty environment), which appendEntry rewrites through the Document API.
 */
function insertEntry(text: string, doc: Document.Parsed, environment: string, service: string, version: string): string | undefined {
  const envNode: unknown = doc.get(environment, true);
  if (envNode === undefined && (isMap(doc.contents) || isEmpty(doc.contents))) {
    const separator = text.length === 0 ? '' : text.endsWith('\n') ? '\n' : '\n\n';
    return `${text}${separator}${environment}:\n  ${entryLine(service, version, environment)}\n`;
  }
  if (!isMap(envNode) || envNode.flow || envNode.items.length === 0) return undefined;
  const last = envNode.items[envNode.items.length - 1];
  const key = last.key as Scalar;
  const value = last.value as Scalar | null;
  if (!key?.range || !value?.range) return undefined;
  const lineStart = text.lastIndexOf('\n', key.range[0]) + 1;
  const indent = text.slice(lineStart, key.range[0]);
  if (indent.trim() !== '') return undefined;
  const lineEnd = text.indexOf('\n', value.range[1]);
  const at = lineEnd < 0 ? text.length : lineEnd;
  return `${text.slice(0, at)}\n${indent}${entryLine(service, version, environment)}${lineEnd < 0 ? '\n' : ''}${text.slice(at)}`;
}

function appendEntry(doc: Document.Parsed, environment: string, service: string, version: string): string {
  if (!isMap(doc.contents)) doc.contents = new YAMLMap() as never;
  const root = doc.contents as unknown as YAMLMap;
  const existing: unknown = root.get(environment, true);
  let map: YAMLMap;
  if (isMap(existing)) {
    map = existing;
  } else {
    map = new YAMLMap();
    const key = new Scalar(environment);
    key.spaceBefore = root.items.length > 0;
    root.items = root.items.filter((pair) => !(isScalar(pair.key) && pair.key.value === environment));
    root.items.push(new Pair(key, map));
  }
  map.flow = false;
  const value = new Scalar(version);
  value.type = scalarText(version, 'PLAIN') === version ? 'PLAIN' : 'QUOTE_DOUBLE';
  value.comment = markerComment(environment, service);
  map.items.push(new Pair(new Scalar(service), value));
  return doc.toString({ lineWidth: 0 });
}
