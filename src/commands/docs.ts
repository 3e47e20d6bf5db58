import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { FleetSpec } from '../model/fleet';
import { error, FleetError } from '../model/problem';
import { BOOTSTRAP_DOCS_DIR, bootstrapGuides } from '../render/bootstrap/guide';
import { renderWithSecrets } from '../render/secrets';
import { loadSampleFleet, parseCommandLine, printUsage, runCommand, type CommandLineSpec } from './lib/cli';

/**
 * The generated part of `npm run docs` that needs the model and its render: the per-cluster
 * bootstrap guide, docs/bootstrap/. (scripts/docs-model-reference.mjs writes
 * docs/model-reference.md from the types, then runs this.)
 */
export const DOCS_COMMAND: CommandLineSpec = {
  name: 'docs',
  usage: `usage: npm run docs [-- --check]
  --check  only compare: exit 1 when docs/model-reference.md or docs/bootstrap/ is stale`,
  options: { check: { type: 'boolean' } },
};

function readIfExists(path: string): string | undefined {
  return existsSync(path) ? readFileSync(path, 'utf8') : undefined;
}

/**
 * The pages of docs/bootstrap/ for a fleet, rendered like `npm run check` renders it (the
 * committed secrets are reused, so no key is needed while they are current).
 */
export async function generateBootstrapGuides(fleet: FleetSpec, root: string, env: NodeJS.ProcessEnv = process.env): Promise<Map<string, string>> {
  const result = await renderWithSecrets(fleet, root, { env });
  const errors = result.problems.filter((p) => p.severity === 'error' && !p.waived);
  if (errors.length > 0) throw new FleetError(errors);
  return bootstrapGuides({ fleet, clusters: result.clusters, readFile: (path) => readIfExists(join(root, path)) });
}

/** Pages that differ from (or are missing in) docs/bootstrap/, and files there nobody generates. */
export function staleBootstrapPages(root: string, pages: ReadonlyMap<string, string>): string[] {
  const dir = join(root, BOOTSTRAP_DOCS_DIR);
  const present = existsSync(dir) ? readdirSync(dir).map((file) => `${BOOTSTRAP_DOCS_DIR}/${file}`) : [];
  const changed = [...pages].filter(([path, text]) => readIfExists(join(root, path)) !== text).map(([path]) => path);
  return [...changed, ...present.filter((path) => !pages.has(path))].sort();
}

export async function docs(argv: readonly string[], root = process.cwd(), fleet?: FleetSpec): Promise<number> {
  const { help, flags } = parseCommandLine(DOCS_COMMAND, argv);
  if (help) return printUsage(DOCS_COMMAND);
  const pages = await generateBootstrapGuides(fleet ?? (await loadSampleFleet()), root);
  const stale = staleBootstrapPages(root, pages);
  if (flags.has('check')) {
    if (stale.length === 0) return 0;
    const why = (path: string) => (pages.has(path) ? 'is not what the model and the rendered output generate' : 'belongs to no cluster of the fleet');
    throw new FleetError(stale.map((path) => error('drift/docs-stale', { definition: path }, `${path} ${why(path)}`, 'run `npm run docs` and commit the pages')));
  }
  for (const path of stale) {
    const full = join(root, path);
    if (pages.has(path)) {
      mkdirSync(dirname(full), { recursive: true });
      writeFileSync(full, pages.get(path) as string);
    } else rmSync(full);
  }
  process.stdout.write(`docs: ${pages.size} bootstrap pages in ${BOOTSTRAP_DOCS_DIR}/, ${stale.length} written or removed\n`);
  return 0;
}

if (require.main === module) runCommand(() => docs(process.argv.slice(2)));
