import { FleetError, formatProblem, type Problem } from '../../model/problem';

/**
 * Shared edges of every command: argument parsing and the one place problems are printed.
 * Commands stay thin; the work is in functions tests call directly.
 */
export function parseFlags(argv: readonly string[]): { flags: Map<string, string[]>; positional: string[] } {
  const flags = new Map<string, string[]>();
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg.startsWith('--')) {
      const [name, inline] = arg.slice(2).split('=', 2);
      const value = inline ?? (argv[i + 1] && !argv[i + 1].startsWith('--') ? argv[++i] : 'true');
      flags.set(name, [...(flags.get(name) ?? []), value]);
    } else {
      positional.push(arg);
    }
  }
  return { flags, positional };
}

export function reportProblems(problems: readonly Problem[], stream: NodeJS.WritableStream = process.stderr): void {
  for (const problem of problems) stream.write(`${formatProblem(problem)}\n`);
}

/** Runs a command; a FleetError prints its problems (no stack trace) and exits 1. */
export function runCommand(main: () => Promise<number> | number): void {
  Promise.resolve()
    .then(main)
    .then((code) => {
      process.exitCode = code;
    })
    .catch((cause: unknown) => {
      if (cause instanceof FleetError) {
        reportProblems(cause.problems);
      } else {
        process.stderr.write(`${cause instanceof Error ? (cause.stack ?? cause.message) : String(cause)}\n`);
      }
      process.exitCode = 1;
    });
}
