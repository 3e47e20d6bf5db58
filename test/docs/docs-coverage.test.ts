import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { generateBootstrapGuides, staleBootstrapPages } from '../../src/commands/docs';
import { commandLine, commands, problemCodes, ROOT } from './code-inventory';
import { anchors, brokenLink, links, tableCells, withoutCodeBlocks } from './markdown';

// CommonJS, shared with scripts/docs-model-reference.mjs (which writes the page).
const { modelReference, renderModelReference } = require('../../scripts/lib/model-reference.js') as {
  modelReference(modelDir: string): { name: string; fields: { field: string }[] }[];
  renderModelReference(modelDir: string): string;
};
const { resolveSourceLinks } = require('../../scripts/lib/source-links.js') as {
  resolveSourceLinks(root: string, template: string): { text: string; unresolved: string[] };
};

/**
 * The docs cover the code: every problem code (with its fix), every command and every model
 * field the code has is documented, and no README/docs link points at a missing file or
 * anchor. What the code has is read from the code (code-inventory.ts, model-reference.js), so a
 * code, command or field added later fails here until it is documented.
 */

const MODEL = path.join(ROOT, 'src/model');
const DOCS = path.join(ROOT, 'docs');
const read = (file: string) => fs.readFileSync(file, 'utf8');

function markdownFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return markdownFiles(full);
    return entry.name.endsWith('.md') ? [full] : [];
  });
}

const DOC_FILES = [path.join(ROOT, 'README.md'), ...markdownFiles(DOCS)].sort();

/** Codes of the problem-code tables (`| \`code\` … | … | fix |`) that have a fix cell. */
function documentedCodes(markdown: string): Set<string> {
  const documented = new Set<string>();
  for (const line of withoutCodeBlocks(markdown).split('\n')) {
    const cells = tableCells(line);
    if (!cells || cells.length < 3 || cells[cells.length - 1] === '') continue;
    for (const match of cells[0].matchAll(/`([a-z][a-z0-9-]*\/[a-z][a-z0-9-]*)`/g)) documented.add(match[1]);
  }
  return documented;
}

/** `Type.field` for every row of the field tables under each `## Type` heading. */
function documentedFields(markdown: string): Set<string> {
  const documented = new Set<string>();
  let type: string | undefined;
  for (const line of withoutCodeBlocks(markdown).split('\n')) {
    const heading = /^##\s+(\w+)\s*$/.exec(line);
    if (heading) type = heading[1];
    const cells = tableCells(line);
    const field = cells && /^`([^`]+)`$/.exec(cells[0])?.[1];
    if (type && field) documented.add(`${type}.${field}`);
  }
  return documented;
}

/** Commands not written as `npm run <name>` (or `npm test`) in the given text. */
function undocumentedCommands(names: readonly string[], markdown: string): string[] {
  return names.filter((name) => !new RegExp(`${commandLine(name).replace(/ /g, '\\s+')}(?![\\w:-])`).test(markdown));
}

describe('docs cover the code', () => {
  const validation = read(path.join(DOCS, 'validation.md'));

  test('every problem code in src/ has a row with its fix in docs/validation.md, and every row names a real code', () => {
    const { codes, families } = problemCodes();
    // The inventory must find the codes at all (a broken scan would pass vacuously).
    expect(families.length).toBeGreaterThanOrEqual(15);
    expect(codes.length).toBeGreaterThanOrEqual(140);
    const documented = documentedCodes(validation);
    expect(codes.filter((code) => !documented.has(code))).toEqual([]);
    expect([...documented].filter((code) => !codes.includes(code))).toEqual([]);
  });

  test('every command (package.json scripts, src/commands) is documented in docs/commands.md as `npm run <name>` (or `npm test`)', () => {
    const names = commands();
    expect(names.length).toBeGreaterThanOrEqual(12);
    expect(undocumentedCommands(names, read(path.join(DOCS, 'commands.md')))).toEqual([]);
  });

  test('every field of every type users declare (from FleetSpec down) has a row in docs/model-reference.md', () => {
    const types = modelReference(MODEL);
    const fields = types.flatMap((type) => type.fields.map((row) => `${type.name}.${row.field}`));
    expect(types.length).toBeGreaterThanOrEqual(40);
    expect(fields.length).toBeGreaterThanOrEqual(180);
    const documented = documentedFields(read(path.join(DOCS, 'model-reference.md')));
    expect(fields.filter((field) => !documented.has(field))).toEqual([]);
  });

  test('docs/samples.md is what `npm run docs` writes from its template: every source-line link points at its text', () => {
    const { text, unresolved } = resolveSourceLinks(ROOT, read(path.join(DOCS, 'samples.md.tmpl')));
    expect(unresolved).toEqual([]);
    expect(read(path.join(DOCS, 'samples.md')) === text ? 'fresh' : 'stale: run `npm run docs`').toBe('fresh');
  });

  test('docs/model-reference.md is what `npm run docs` writes from the current types (defaults cannot drift)', () => {
    expect(read(path.join(DOCS, 'model-reference.md')) === renderModelReference(MODEL) ? 'fresh' : 'stale: run `npm run docs`').toBe('fresh');
  });

  test('docs/bootstrap/ is what `npm run docs` generates from the sample fleet and its render (the walkthroughs cannot drift)', async () => {
    // The sample fleet and the render `npm run check` compares with (committed secrets reused, no key needed).
    const { fleet } = require('../../src/environments') as typeof import('../../src/environments');
    const pages = await generateBootstrapGuides(fleet, ROOT, {});
    expect(pages.size).toBe(fleet.clusters.length + 1);
    expect(staleBootstrapPages(ROOT, pages)).toEqual([]);
  }, 120_000);

  test('every link in README.md and docs/ points at an existing file, and an anchor at an existing heading', () => {
    const found = DOC_FILES.flatMap((file) => links(read(file)).map((link) => ({ file, link })));
    expect(found.length).toBeGreaterThan(50);
    expect(found.map(({ file, link }) => brokenLink(path.relative(ROOT, file), link)).filter(Boolean)).toEqual([]);
  });
});

describe('the README and the docs pages', () => {
  const readme = read(path.join(ROOT, 'README.md'));

  test('the README fits on a screen: at most 150 lines', () => {
    expect(readme.trimEnd().split('\n').length).toBeLessThanOrEqual(150);
  });

  test('the README starts with the two commands: install + render, and test', () => {
    expect(readme).toContain('npm ci && npm run synth');
    expect(readme).toMatch(/^npm test\b/m);
  });

  test('every docs page starts with a title and the task it answers', () => {
    const pages = markdownFiles(DOCS);
    expect(pages.length).toBeGreaterThanOrEqual(12);
    for (const page of pages) {
      const lines = read(page)
        .split('\n')
        .filter((line) => line.trim() !== '' && !line.startsWith('<!--'));
      expect({ page: path.relative(ROOT, page), title: lines[0].startsWith('# '), task: lines[1]?.startsWith('**Task:') }).toEqual({ page: path.relative(ROOT, page), title: true, task: true });
    }
  });
});

describe('the coverage checks fail when something is missing', () => {
  test('codes are found whether passed to error()/warning() as a literal, a named constant or through a wrapper', () => {
    // GIVEN a source tree with a new family used each way, plus look-alikes that are not codes
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fleet-codes-'));
    fs.writeFileSync(
      path.join(dir, 'a.ts'),
      [
        "export const LOST = 'orbit/lost';",
        "const problem = (code: string) => error(code, {}, 'm', 'f');",
        "error(LOST, {}, 'message', 'fix');",
        "warning('orbit/drifting', {}, 'message', 'fix');",
        "problem('orbit/decaying');",
        "// 'orbit/in-a-comment' is not code",
        "const apiVersion = 'orbit/v1beta1';",
        "const image = 'example/web';",
      ].join('\n'),
    );
    // WHEN inventoried / THEN the family is known and every code of it is found, nothing else
    expect(problemCodes(dir)).toEqual({ codes: ['orbit/decaying', 'orbit/drifting', 'orbit/lost'], families: ['orbit'] });
  });

  test('a code without a row, a row without a fix, a command or field not mentioned, a dead link or anchor', () => {
    expect([...documentedCodes('| `model/a` | when | fix |\n| `model/b`, `model/c` | when | |')]).toEqual(['model/a']);
    expect(undocumentedCommands(['synth', 'test', 'import'], 'run `npm run synth` and `npm test`; npm run important')).toEqual(['import']);
    expect([...documentedFields('## ServiceSpec\n| `name` | `string` |\n## PortSpec\n| `port` | `number` |')]).toEqual(['ServiceSpec.name', 'PortSpec.port']);
    const readme = path.join(ROOT, 'README.md');
    expect(brokenLink(readme, { target: 'docs/no-such-page.md', line: 1 })).toContain('no such file');
    expect(brokenLink(readme, { target: 'docs/validation.md#no-such-heading', line: 1 })).toContain('no heading');
    expect(brokenLink(readme, { target: 'https://fluxcd.io/flux/', line: 1 })).toBeUndefined();
    expect(brokenLink(readme, { target: 'package.json#L2', line: 1 })).toBeUndefined();
    expect(brokenLink(readme, { target: 'package.json#L99999', line: 1 })).toContain('no such line');
    expect(brokenLink(readme, { target: 'package.json#scripts', line: 1 })).toContain('only line anchors');
    expect([...anchors('# Delivery: release → promote → merge\n## `npm run diff`\n## Steps\n## Steps')]).toEqual(['delivery-release--promote--merge', 'npm-run-diff', 'steps', 'steps-1']);
    expect(links('see [a](x.md) and `[b](y.md)`\n```\n[c](z.md)\n```\n').map((l) => l.target)).toEqual(['x.md']);
  });
});
