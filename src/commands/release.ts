import { fleet as sampleFleet } from '../environments';
import { applyAndReport } from '../delivery/apply-lock-plan';
import { readLockText } from '../delivery/lock-file';
import { planRelease } from '../delivery/release';
import type { FleetSpec } from '../model/fleet';
import { error, FleetError } from '../model/problem';
import { parseFlags, runCommand } from './lib/cli';

const USAGE = 'npm run release -- <environment> <service> <tag|sha256:digest> [--dry-run] [--no-render]';

/**
 * `npm run release -- <environment> <service> <tag>`: pin a version in the release lock
 * (src/environments/releases.yaml) and re-render. `--dry-run` prints the change and writes
 * nothing; `--no-render` only edits the lock (for pipelines that leave rendering to CI).
 * Any mistake is reported with its fix and nothing is written.
 */
export async function release(argv: readonly string[], root = process.cwd(), fleet: FleetSpec = sampleFleet): Promise<number> {
  const { flags, positional } = parseFlags(argv);
  if (positional.length !== 3) {
    throw new FleetError([error('release/usage', {}, `expected <environment> <service> <tag>, got ${positional.length} argument(s)`, `run: ${USAGE}`)]);
  }
  const [environment, service, version] = positional;
  const lock = readLockText(root);
  if ('problem' in lock) throw new FleetError([lock.problem]);
  const result = planRelease(fleet, lock.text, { environment, service, version });
  if (!result.ok) throw new FleetError(result.problems);
  await applyAndReport('release', root, fleet, result.plan, { dryRun: flags.has('dry-run'), render: !flags.has('no-render') });
  return 0;
}

if (require.main === module) runCommand(() => release(process.argv.slice(2)));
