import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadAll } from 'js-yaml';

/**
 * Reads CRD YAML. Some upstream CRD files are valid for Go's YAML parser but not for YAML 1.2
 * parsers: Flagger's `crd.yaml` has single-quoted descriptions whose continuation lines are not
 * indented past their key, and both js-yaml and `yaml` reject it ("deficient indentation").
 * Those files are re-serialised once by `kubectl kustomize` (the Go parser) and the result is
 * cached by content hash, in memory and in the OS temp directory, so later runs skip kubectl.
 */

export type YamlDocuments = { readonly ok: true; readonly documents: readonly unknown[]; readonly normalised: boolean } | { readonly ok: false; readonly reason: string };

const parsed = new Map<string, YamlDocuments>();

export interface ReadCrdYamlOptions {
  /**
   * Where kustomize-normalised copies are kept between runs.
   * @default - `<os tmpdir>/fleet-validate-crd-cache`
   */
  readonly cacheDirectory?: string;
  /**
   * Re-serialises YAML with a Go parser; returns the new text or an error message.
   * @default - `kubectl kustomize` on a temporary directory holding the file
   */
  readonly normalise?: (text: string) => { ok: true; text: string } | { ok: false; reason: string };
}

export function readYamlDocuments(text: string, options: ReadCrdYamlOptions = {}): YamlDocuments {
  const hash = createHash('sha256').update(text).digest('hex');
  const cached = parsed.get(hash) ?? readParsedCache(hash, options);
  if (cached) return cached;
  const result = parseOrNormalise(text, hash, options);
  parsed.set(hash, result);
  if (result.ok) writeQuietly(parsedCacheFile(hash, options), JSON.stringify(result));
  return result;
}

/**
 * Parsing the CRD directory's YAML (~12 MB, Argo Rollouts alone 0.5 MB) took most of a small
 * synth; the parsed documents are kept as JSON by content hash, which loads ~10x faster.
 */
function parsedCacheFile(hash: string, options: ReadCrdYamlOptions): string {
  return path.join(options.cacheDirectory ?? path.join(os.tmpdir(), 'fleet-validate-crd-cache'), `${hash}.json`);
}

function readParsedCache(hash: string, options: ReadCrdYamlOptions): YamlDocuments | undefined {
  const text = readIfExists(parsedCacheFile(hash, options));
  if (text === undefined) return undefined;
  try {
    const result = JSON.parse(text) as YamlDocuments;
    parsed.set(hash, result);
    return result;
  } catch {
    return undefined;
  }
}

function parseOrNormalise(text: string, hash: string, options: ReadCrdYamlOptions): YamlDocuments {
  const direct = tryParse(text);
  if (direct.ok) return { ok: true, documents: direct.documents, normalised: false };

  const cacheFile = path.join(options.cacheDirectory ?? path.join(os.tmpdir(), 'fleet-validate-crd-cache'), `${hash}.yaml`);
  let normalisedText = readIfExists(cacheFile);
  if (normalisedText === undefined) {
    const normalised = (options.normalise ?? normaliseWithKustomize)(text);
    if (!normalised.ok) return { ok: false, reason: `${direct.reason}; normalising with kustomize failed too: ${normalised.reason}` };
    normalisedText = normalised.text;
    writeQuietly(cacheFile, normalisedText);
  }
  const again = tryParse(normalisedText);
  return again.ok ? { ok: true, documents: again.documents, normalised: true } : { ok: false, reason: `${direct.reason} (and after kustomize: ${again.reason})` };
}

function tryParse(text: string): { ok: true; documents: unknown[] } | { ok: false; reason: string } {
  try {
    return { ok: true, documents: loadAll(text).filter((d) => d !== null && d !== undefined) };
  } catch (e) {
    return { ok: false, reason: (e as Error).message.split('\n')[0] };
  }
}

/** `kubectl kustomize` re-serialises every resource with Go's YAML library. */
export function normaliseWithKustomize(text: string): { ok: true; text: string } | { ok: false; reason: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fleet-crd-normalise-'));
  try {
    fs.writeFileSync(path.join(dir, 'crd.yaml'), text);
    fs.writeFileSync(path.join(dir, 'kustomization.yaml'), 'resources:\n- crd.yaml\n');
    const out = execFileSync('kubectl', ['kustomize', dir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000, maxBuffer: 64 * 1024 * 1024 });
    return { ok: true, text: out };
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    return { ok: false, reason: (err.stderr || err.message).trim().split('\n')[0] };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function readIfExists(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

function writeQuietly(file: string, text: string): void {
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    // Write then rename, so a concurrent run never reads half a file.
    const partial = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(partial, text);
    fs.renameSync(partial, file);
  } catch {
    // The cache only saves time; failing to write it is not a validation problem.
  }
}
