import { parseArgs } from 'node:util';
import type { FleetSpec } from '../../model/fleet';
import { error, FleetError, formatProblem, type Problem } from '../../model/problem';
import { fsProblem } from '../../render/fs-problem';
import { crashProblem } from './crash-report';

/**
 * Shared edges of every command: argument parsing, `--help`, loading the model, and the one
 * place problems are printed. Commands stay thin; the work is in functions tests call directly.
 */

/** What a command accepts. Every command also takes `-h`/`--help`. */
export interface CommandLineSpec {
  /** `npm run <name>`. */
  readonly name: string;
  /** Printed for `--help` and with every usage problem. */
  readonly usage: string;
  /** Flags by name; a `string` flag takes a value, `multiple` ones may repeat. @default {} */
  readonly options?: Readonly<Record<string, { readonly type: 'string' | 'boolean'; readonly multiple?: boolean }>>;
  /** How many positional arguments, and how the usage names them. @default - none */
  readonly positionals?: { readonly min: number; readonly max: number; readonly names: string };
}

export interface CommandLine {
  /** `--help` was given: print the usage and do nothing else. */
  readonly help: boolean;
  /** Flag values by name (booleans as `['true']`), each in the order given. */
  readonly flags: ReadonlyMap<string, string[]>;
  readonly positional: readonly string[];
}

/**
 * Parses argv strictly (node:util parseArgs): an unknown flag, a missing value or a positional
 * argument too many is a `<command>/usage` problem, never silently ignored.
 */
export function parseCommandLine(spec: CommandLineSpec, argv: readonly string[]): CommandLine {
  // --help wins over every other mistake on the line: whoever asks for help gets it.
  const end = argv.indexOf('--');
  if ((end === -1 ? argv : argv.slice(0, end)).some((arg) => arg === '--help' || arg === '-h')) return { help: true, flags: new Map(), positional: [] };
  const options = { ...spec.options, help: { type: 'boolean' as const, short: 'h' } };
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
  } catch (cause) {
    // parseArgs appends advice about `--` that does not apply to npm scripts; keep the first sentence.
    throw new FleetError([usageProblem(spec, (cause as Error).message.split('\n')[0].replace(/\. To specify .*$/, ''))]);
  }
  if (parsed.values.help) return { help: true, flags: new Map(), positional: [] };
  const flags = new Map<string, string[]>();
  for (const [name, value] of Object.entries(parsed.values)) {
    if (value === undefined) continue;
    flags.set(name, (Array.isArray(value) ? value : [value]).map(String));
  }
  const { min, max, names } = spec.positionals ?? { min: 0, max: 0, names: 'no arguments' };
  const count = parsed.positionals.length;
  if (count < min || count > max) {
    const extra = count > max ? `: unexpected ${parsed.positionals.slice(max).map((arg) => JSON.stringify(arg)).join(' ')}` : '';
    throw new FleetError([usageProblem(spec, `expected ${names}, got ${count} argument(s)${extra}`)]);
  }
  return { help: false, flags, positional: parsed.positionals };
}

export function usageProblem(spec: CommandLineSpec, message: string): Problem {
  return error(`${spec.name}/usage`, {}, message, `run \`npm run ${spec.name} -- --help\` for the usage`);
}

/** Prints the usage for `--help`; the command returns 0 without doing anything else. */
export function printUsage(spec: CommandLineSpec): number {
  process.stdout.write(`${spec.usage}\n`);
  return 0;
}

/** `--cluster` names the fleet does not have: a problem each, listing the clusters it has. */
export function unknownClusters(fleet: FleetSpec, names: readonly string[] | undefined): Problem[] {
  const known = fleet.clusters.map((cluster) => cluster.name);
  return (names ?? [])
    .filter((name) => !known.includes(name))
    .map((name) => error('cli/unknown-cluster', { cluster: name }, `the fleet has no cluster "${name}"`, `use one of: ${known.join(', ')}`));
}

/**
 * The sample fleet of src/environments, loaded when a command needs it rather than when the
 * bundle starts: a broken environment file or release lock then fails inside runCommand, as
 * problems, and `--help` works even while the model is broken.
 */
export async function loadSampleFleet(): Promise<FleetSpec> {
  // require, not import(): esbuild then bundles src/environments as a module initialised on
  // first use instead of at start-up, and jest (CommonJS) loads it without a VM flag.
  return (require('../../environments') as typeof import('../../environments')).fleet;
}

export function reportProblems(problems: readonly Problem[], stream: NodeJS.WritableStream = process.stderr): void {
  for (const problem of problems) stream.write(`${formatProblem(problem)}\n`);
}

/**
 * Runs a command and sets the exit code. Nothing escapes as a stack trace: a FleetError prints
 * its problems, a file-system error names the file (fs-problem.ts), and any other throw — an
 * environment file that throws while the model loads — names the TypeScript file and line it
 * came from (crash-report.ts). Exit code 1 for all of them.
 */
export function runCommand(main: () => Promise<number> | number): void {
  Promise.resolve()
    .then(main)
    .then((code) => {
      process.exitCode = code;
    })
    .catch((cause: unknown) => {
      reportProblems(cause instanceof FleetError ? cause.problems : [fsProblem(cause, process.cwd()) ?? crashProblem(cause)]);
      process.exitCode = 1;
    });
}
