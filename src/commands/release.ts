import { applyAndReport } from '../delivery/apply-lock-plan';
import { readLockText } from '../delivery/lock-file';
import { planRelease } from '../delivery/release';
import type { FleetSpec } from '../model/fleet';
import { FleetError } from '../model/problem';
import { loadSampleFleet, parseCommandLine, printUsage, runCommand, type CommandLineSpec } from './lib/cli';

const USAGE = 'npm run release -- <environment> <service> <tag|sha256:digest> [--dry-run] [--no-render]';

/**
 * `npm run release -- <environment> <service> <tag>`: pin a version in the release lock
 * (src/environments/releases.yaml) and re-render. `--dry-run` prints the change and writes
 * nothing; `--no-render` only edits the lock (for pipelines that leave rendering to CI).
 * Any mistake is reported with its fix and nothing is written.
 */
export const RELEASE_COMMAND: CommandLineSpec = {
  name: 'release',
  usage: `usage: ${USAGE}
  --dry-run    print the change and write nothing
  --no-render  only edit the release lock (leave rendering to CI)`,
  options: { 'dry-run': { type: 'boolean' }, 'no-render': { type: 'boolean' } },
  positionals: { min: 3, max: 3, names: '<environment> <service> <tag>' },
};

export async function release(argv: readonly string[], root = process.cwd(), model?: FleetSpec): Promise<number> {
  const { help, flags, positional } = parseCommandLine(RELEASE_COMMAND, argv);
  if (help) return printUsage(RELEASE_COMMAND);
  const fleet = model ?? (await loadSampleFleet());
  const [environment, service, version] = positional;
  const lock = readLockText(root);
  if ('problem' in lock) throw new FleetError([lock.problem]);
  const result = planRelease(fleet, lock.text, { environment, service, version });
  if (!result.ok) throw new FleetError(result.problems);
  await applyAndReport('release', root, fleet, result.plan, { dryRun: flags.has('dry-run'), render: !flags.has('no-render') });
  return 0;
}

if (require.main === module) runCommand(() => release(process.argv.slice(2)));
