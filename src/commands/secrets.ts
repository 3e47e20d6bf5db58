import type { FleetSpec } from '../model/fleet';
import { error, FleetError, type Problem } from '../model/problem';
import { renderFleet } from '../render/render-fleet';
import { secretsDir } from '../render/layout';
import { prepareFleetSecrets } from '../render/secrets';
import { writeOutput } from '../render/write-output';
import { loadAgeIdentities, readFileIfExists, type Result } from '../secrets';
import { loadSampleFleet, parseCommandLine, printUsage, reportProblems, runCommand, type CommandLineSpec } from './lib/cli';
import { listSecretKeys, removeSecretKey, rotateSecretRecipients, setSecretValue, type SecretFilesContext } from './lib/secret-files';

const USAGE = `usage: npm run secrets -- <command>
  set <environment> <secret> <key> [--type <type>]   value from stdin, or a prompt with echo off
  list <environment> [<secret>]                       key names only
  remove <environment> <secret> <key>
  rotate [<environment>]                              re-wrap data keys for the recipients in .sops.yaml
  reseal <cluster>                                    seal / encrypt that cluster's secrets anew
Keys are read like sops does: SOPS_AGE_KEY, SOPS_AGE_KEY_FILE, ~/.config/sops/age/keys.txt.`;

/** What the command touches outside the project files; tests pass their own. */
export interface SecretsIo {
  /** Environment variables (age identities are found through them). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The value for `set`: stdin when piped, else a prompt with echo off. Never argv. */
  readonly readValue: (prompt: string) => Promise<Buffer>;
  /** One line of output (never a value). */
  readonly print: (line: string) => void;
  /** The fleet `reseal` renders. @default - the sample fleet of src/environments */
  readonly fleet?: FleetSpec;
}

/**
 * `npm run secrets -- …`: edit the SOPS sources under secrets/<environment>/ and re-seal a
 * cluster. A thin shell over src/commands/lib/secret-files.ts; problems are thrown as one
 * FleetError and printed once by runCommand.
 */
export const SECRETS_COMMAND: CommandLineSpec = {
  name: 'secrets',
  usage: USAGE,
  options: { type: { type: 'string' } },
  positionals: { min: 0, max: Number.POSITIVE_INFINITY, names: '<command> [arguments]' },
};

export async function secrets(argv: readonly string[], root = process.cwd(), io: SecretsIo = processIo()): Promise<number> {
  const { help, flags, positional } = parseSecretsCommandLine(argv);
  if (help) return printUsage(SECRETS_COMMAND);
  const [command, ...args] = positional;
  const identities = loadAgeIdentities({ env: io.env, readFile: readFileIfExists });
  // A missing key is fine until a file must be opened (the problem then says so); a broken one is reported.
  reportProblems(identities.problems.filter((p) => p.code !== 'secrets/age-identity-missing'));
  const ctx: SecretFilesContext = { root, identities: identities.identities };
  switch (command) {
    case 'set': {
      if (args.length > 3 || [...flags.keys()].some((flag) => flag !== 'type')) throw new FleetError([valueOnCommandLine()]);
      const [environment, secret, key] = expect(args, 3, 'set <environment> <secret> <key>');
      await knownEnvironment(io, environment);
      const value = await io.readValue(`value of ${environment}/${secret} ${key} (input hidden): `);
      const set = orThrow(await setSecretValue(ctx, environment, secret, key, value, { type: flags.get('type')?.[0] }));
      io.print(
        set.changed
          ? `${set.created ? 'created' : 'updated'} ${set.file}: ${set.field}.${key} — run \`npm run synth\` with SOPS_AGE_KEY_FILE set, then commit both`
          : `${set.file}: ${key} already holds this value, nothing changed`,
      );
      return 0;
    }
    case 'list': {
      const [environment, secret] = expect(args, args.length === 2 ? 2 : 1, 'list <environment> [<secret>]');
      await knownEnvironment(io, environment);
      for (const listed of orThrow(listSecretKeys(root, environment, secret))) {
        io.print(`${listed.secret} (${listed.type ?? 'Opaque'}, ${listed.file}): ${listed.keys.join(', ') || '(no keys)'}`);
      }
      return 0;
    }
    case 'remove': {
      const [environment, secret, key] = expect(args, 3, 'remove <environment> <secret> <key>');
      await knownEnvironment(io, environment);
      const removed = orThrow(await removeSecretKey(ctx, environment, secret, key));
      io.print(`removed ${key} from ${removed.file} — remove its uses from the model, run \`npm run synth\` with SOPS_AGE_KEY_FILE set, then commit`);
      return 0;
    }
    case 'rotate': {
      const [environment] = expect(args, Math.min(args.length, 1), 'rotate [<environment>]');
      if (environment !== undefined) await knownEnvironment(io, environment);
      const outcomes = orThrow(await rotateSecretRecipients(ctx, environment));
      for (const outcome of outcomes) io.print(`${outcome.rotated ? 'rotated' : 'unchanged'} ${outcome.file}`);
      io.print(`${outcomes.filter((o) => o.rotated).length} of ${outcomes.length} files re-wrapped for the recipients in .sops.yaml`);
      return 0;
    }
    case 'reseal': {
      const [cluster] = expect(args, 1, 'reseal <cluster>');
      const fleet = io.fleet ?? (await loadSampleFleet());
      if (!fleet.clusters.some((c) => c.name === cluster)) {
        throw new FleetError([error('secrets/unknown-cluster', { cluster }, `the fleet has no cluster "${cluster}"`, `use one of: ${fleet.clusters.map((c) => c.name).join(', ')}`)]);
      }
      return reseal(fleet, root, cluster, io);
    }
    default:
      io.print(USAGE);
      return command === undefined || command === 'help' ? 0 : 1;
  }
}

/**
 * Seals (or SOPS-encrypts) every secret of a cluster anew, ignoring the committed objects —
 * after a new controller certificate, or to retire old ciphertexts — and writes only the
 * cluster's secrets directories.
 */
async function reseal(fleet: FleetSpec, root: string, cluster: string, io: SecretsIo): Promise<number> {
  const prepared = await prepareFleetSecrets(fleet, root, { env: io.env, clusters: [cluster], reseal: [cluster] });
  const result = renderFleet(fleet, { clusters: [cluster], secrets: prepared.secrets });
  const problems = [...prepared.problems, ...result.problems];
  const errors = problems.filter((p) => p.severity === 'error' && !p.waived);
  if (errors.length > 0) throw new FleetError(errors);
  reportProblems(problems);
  const namespaces = [...new Set((prepared.secrets.get(cluster)?.objects ?? []).map((o) => o.metadata.namespace as string))];
  const dirs = namespaces.map((namespace) => secretsDir(cluster, namespace));
  const files = new Map([...result.files].filter(([path]) => dirs.some((dir) => path.startsWith(`${dir}/`))));
  const report = writeOutput(root, files, { scope: dirs });
  io.print(`resealed ${prepared.stats.renewed} secrets of cluster ${cluster}: ${report.written.length} files written — commit them`);
  return 0;
}

/** Strict flags; for `set`, any stray flag or argument may be a value typed on the command line. */
function parseSecretsCommandLine(argv: readonly string[]) {
  try {
    return parseCommandLine(SECRETS_COMMAND, argv);
  } catch (cause) {
    if (argv.find((arg) => !arg.startsWith('-')) === 'set') throw new FleetError([valueOnCommandLine()]);
    throw cause;
  }
}

/** An environment the fleet does not declare is a typo: say so before touching secrets/<environment>/. */
async function knownEnvironment(io: SecretsIo, environment: string): Promise<void> {
  const fleet = io.fleet ?? (await loadSampleFleet());
  const known = [...new Set([...fleet.systems.flatMap((system) => system.environments.map((env) => env.name)), ...fleet.clusters.map((cluster) => cluster.environment)])];
  if (!known.includes(environment)) {
    throw new FleetError([error('secrets/unknown-environment', { environment }, `the fleet has no environment "${environment}"`, `use one of: ${known.join(', ')}`)]);
  }
}

function expect(args: readonly string[], count: number, usage: string): string[] {
  if (args.length !== count) throw new FleetError([error('secrets/usage', {}, `expected: npm run secrets -- ${usage}`, USAGE)]);
  return [...args];
}

function valueOnCommandLine(): Problem {
  return error(
    'secrets/value-on-command-line',
    {},
    'secret values are never read from the command line (they would end up in shell history and process lists)',
    'pipe the value on stdin (`npm run secrets -- set <env> <secret> <key> < file`) or type it at the prompt',
  );
}

function orThrow<T>(result: Result<T>): T {
  if (!result.ok) throw new FleetError(result.problems);
  return result.value;
}

function processIo(): SecretsIo {
  return { env: process.env, readValue: readValueFromProcess, print: (line) => process.stdout.write(`${line}\n`) };
}

/** Piped stdin as is (one trailing newline dropped, as `echo` adds one); on a terminal, a prompt without echo. */
async function readValueFromProcess(prompt: string): Promise<Buffer> {
  const stdin = process.stdin;
  if (!stdin.isTTY) {
    const chunks: Buffer[] = [];
    for await (const chunk of stdin) chunks.push(Buffer.from(chunk as Buffer));
    const value = Buffer.concat(chunks);
    const end = value.at(-1) === 0x0a ? (value.at(-2) === 0x0d ? 2 : 1) : 0;
    return value.subarray(0, value.length - end);
  }
  process.stderr.write(prompt);
  stdin.setRawMode(true);
  stdin.resume();
  try {
    return await new Promise<Buffer>((resolve, reject) => {
      let typed = '';
      const onData = (chunk: Buffer) => {
        for (const char of chunk.toString('utf8')) {
          if (char === '\r' || char === '\n') {
            stdin.off('data', onData);
            process.stderr.write('\n');
            resolve(Buffer.from(typed, 'utf8'));
            return;
          }
          if (char === '\u0003') {
            stdin.off('data', onData);
            reject(new FleetError([error('secrets/cancelled', {}, 'cancelled at the prompt', 'run the command again')]));
            return;
          }
          typed = char === '\u007f' || char === '\b' ? [...typed].slice(0, -1).join('') : typed + char;
        }
      };
      stdin.on('data', onData);
    });
  } finally {
    stdin.setRawMode(false);
    stdin.pause();
  }
}

if (require.main === module) runCommand(() => secrets(process.argv.slice(2)));
