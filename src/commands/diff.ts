import { rmSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { formatMarkdown } from '../delivery/diff/format-markdown';
import { formatTerminal } from '../delivery/diff/format-terminal';
import { diffTrees, extractRef } from '../delivery/diff/output-trees';
import { readLockText } from '../delivery/lock-file';
import { parseReleaseLock } from '../delivery/release-lock';
import type { FleetSpec } from '../model/fleet';
import { error, FleetError } from '../model/problem';
import { renderWithSecrets } from '../render/secrets';
import { writeOutput } from '../render/write-output';
import { loadSampleFleet, parseCommandLine, printUsage, runCommand, unknownClusters, type CommandLineSpec } from './lib/cli';

/**
 * `npm run diff [-- --base <git ref> | --base-dir <dir>] [--cluster <name>…]
 *  [--format terminal|markdown] [--output <file>] [--color|--no-color]`
 *
 * Renders the fleet (with the working tree's release lock) into a temporary directory and
 * compares what Kustomize builds from it with what it builds from the committed output (HEAD by
 * default, or --base <ref>, or a checked-out config repository with --base-dir, whose sealed
 * secrets are then reused), object by object, flagging risky changes. Exits 0: the diff
 * informs; `npm run check` gates.
 */
export const DIFF_COMMAND: CommandLineSpec = {
  name: 'diff',
  usage: `usage: npm run diff [-- --base <git ref> | --base-dir <dir>] [--cluster <name>…] [--format terminal|markdown] [--output <file>] [--color|--no-color]
  --base <ref>       compare with the output committed at this ref (default HEAD)
  --base-dir <dir>   compare with a checked-out config repository (its sealed secrets are reused)
  --cluster <name>   only this cluster (repeatable)
  --format <format>  terminal (default) or markdown (for a pull request comment)
  --output <file>    write the report to a file instead of stdout`,
  options: {
    base: { type: 'string' },
    'base-dir': { type: 'string' },
    cluster: { type: 'string', multiple: true },
    format: { type: 'string' },
    output: { type: 'string' },
    color: { type: 'boolean' },
    'no-color': { type: 'boolean' },
  },
};

export async function diff(argv: readonly string[], root = process.cwd(), model?: FleetSpec): Promise<number> {
  const { help, flags } = parseCommandLine(DIFF_COMMAND, argv);
  if (help) return printUsage(DIFF_COMMAND);
  const fleet = model ?? (await loadSampleFleet());
  const unknown = unknownClusters(fleet, flags.get('cluster'));
  if (unknown.length > 0) throw new FleetError(unknown);
  const format = flags.get('format')?.[0] ?? 'terminal';
  if (format !== 'terminal' && format !== 'markdown') {
    throw new FleetError([error('diff/usage', { field: 'format' }, `unknown format "${format}"`, 'use --format terminal or --format markdown')]);
  }
  const lock = readLockText(root);
  if ('problem' in lock) throw new FleetError([lock.problem]);
  const parsed = parseReleaseLock(lock.text);
  const lockErrors = parsed.problems.filter((p) => p.severity === 'error');
  if (lockErrors.length > 0) throw new FleetError(lockErrors);

  const temporary: string[] = [];
  try {
    const baseDir = flags.get('base-dir')?.[0];
    const ref = flags.get('base')?.[0] ?? 'HEAD';
    let base: string;
    if (baseDir) {
      base = resolve(root, baseDir);
    } else {
      base = extractRef(root, ref);
      temporary.push(base);
    }
    // As `npm run check` renders: secrets included, reused when unchanged from the committed
    // output — the working tree's, or with --base-dir the deployed config repository's.
    const result = await renderWithSecrets({ ...fleet, releases: parsed.releases }, root, { env: process.env, out: baseDir ? base : root });
    const renderErrors = result.problems.filter((p) => p.severity === 'error' && !p.waived);
    if (renderErrors.length > 0) throw new FleetError(renderErrors);
    const head = mkdtempSync(join(tmpdir(), 'fleet-diff-head-'));
    temporary.push(head);
    writeOutput(head, result.files);
    const production = new Set(result.clusters.filter((c) => c.production).map((c) => c.spec.name));
    const diffs = diffTrees(base, head, { clusters: flags.get('cluster'), production: (cluster) => production.has(cluster) });

    const title = `${baseDir ? baseDir : ref} → fresh render`;
    const color = flags.has('color') || (!flags.has('no-color') && !process.env.NO_COLOR && process.stdout.isTTY === true && !flags.has('output'));
    const text = format === 'markdown' ? formatMarkdown(diffs, { title: `\`${baseDir ?? ref}\` → this change` }) : formatTerminal(diffs, { color, title });
    const output = flags.get('output')?.[0];
    if (output) writeFileSync(resolve(root, output), text);
    else process.stdout.write(text);
    return 0;
  } finally {
    for (const dir of temporary) rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) runCommand(() => diff(process.argv.slice(2)));
