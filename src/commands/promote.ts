import { applyAndReport } from '../delivery/apply-lock-plan';
import { readLockText } from '../delivery/lock-file';
import { parsePromotedService, planPromotion } from '../delivery/promote';
import type { FleetSpec } from '../model/fleet';
import { FleetError } from '../model/problem';
import { loadSampleFleet, parseCommandLine, printUsage, runCommand, type CommandLineSpec } from './lib/cli';

const USAGE = 'npm run promote -- <from-environment> <to-environment> [service[@version]…] [--dry-run] [--no-render]';

/**
 * `npm run promote -- <from> <to> [service…]`: copy the versions `from` runs into `to`, the next
 * environment of the pipeline (src/environments/index.ts), and re-render. Without services,
 * everything `from` runs whose next step is `to`. `service@version` refuses unless `from` runs
 * exactly that version (what CI tested). Prints each change; writes nothing on any problem.
 */
export const PROMOTE_COMMAND: CommandLineSpec = {
  name: 'promote',
  usage: `usage: ${USAGE}
  --dry-run    print the changes and write nothing
  --no-render  only edit the release lock (leave rendering to CI)`,
  options: { 'dry-run': { type: 'boolean' }, 'no-render': { type: 'boolean' } },
  positionals: { min: 2, max: Number.POSITIVE_INFINITY, names: '<from-environment> <to-environment> [service[@version]…]' },
};

export async function promote(argv: readonly string[], root = process.cwd(), model?: FleetSpec): Promise<number> {
  const { help, flags, positional } = parseCommandLine(PROMOTE_COMMAND, argv);
  if (help) return printUsage(PROMOTE_COMMAND);
  const fleet = model ?? (await loadSampleFleet());
  const [from, to, ...services] = positional;
  const lock = readLockText(root);
  if ('problem' in lock) throw new FleetError([lock.problem]);
  const result = planPromotion(fleet, lock.text, { from, to, services: services.length > 0 ? services.map(parsePromotedService) : undefined });
  if (!result.ok) throw new FleetError(result.problems);
  await applyAndReport(`promote ${from} → ${to}`, root, fleet, result.plan, { dryRun: flags.has('dry-run'), render: !flags.has('no-render') });
  return 0;
}

if (require.main === module) runCommand(() => promote(process.argv.slice(2)));
