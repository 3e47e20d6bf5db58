import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';

/**
 * What the code offers, read from the code itself, so the docs-coverage test catches what is
 * added later without anyone updating a list: problem codes, commands, model fields (the last in
 * scripts/lib/model-reference.js, which also writes docs/model-reference.md).
 */

export const ROOT = path.resolve(__dirname, '../..');

function typeScriptFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return typeScriptFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

function parse(file: string): ts.SourceFile {
  return ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
}

function walk(node: ts.Node, visit: (node: ts.Node) => void): void {
  visit(node);
  ts.forEachChild(node, (child) => walk(child, visit));
}

const CODE_SHAPE = /^([a-z][a-z0-9-]*)\/[a-z][a-z0-9-]*$/;
/** `policy/v1`, `apps/v1beta2`: API versions share the shape of a code. */
const API_VERSION = /\/v[0-9]+((alpha|beta)[0-9]+)?$/;

function stringValue(node: ts.Node): string | undefined {
  return ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) ? node.text : undefined;
}

/**
 * Every problem code in src/ (comments are not looked at: only string literals in code).
 *
 * Problems are built by `error(code, …)` / `warning(code, …)` of src/model/problem.ts, often
 * through small wrappers (`problem('model/invalid-port', …)`, rule tables, `code === '…'`) or
 * named constants (`const UNREACHABLE = 'converge/unreachable'; error(UNREACHABLE, …)`). So: the
 * code families (`model`, `secrets`, …) are the prefixes of the codes passed straight to
 * error()/warning(), as a literal or as a constant holding one; every literal `<family>/<name>`
 * anywhere in src/ is a code of that family. A new family appears as soon as one
 * error()/warning() uses it; a new code as soon as it is written anywhere.
 */
export function problemCodes(srcDir = path.join(ROOT, 'src')): { codes: string[]; families: string[] } {
  const literals = new Set<string>();
  const constants = new Map<string, Set<string>>();
  const firstArguments: ts.Expression[] = [];
  for (const file of typeScriptFiles(srcDir)) {
    walk(parse(file), (node) => {
      const text = stringValue(node);
      if (text !== undefined && CODE_SHAPE.test(text) && !API_VERSION.test(text)) literals.add(text);
      const initial = ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer ? stringValue(node.initializer) : undefined;
      if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && initial !== undefined) {
        constants.set(node.name.text, new Set([...(constants.get(node.name.text) ?? []), initial]));
      }
      if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && ['error', 'warning'].includes(node.expression.text) && node.arguments.length === 4) {
        firstArguments.push(node.arguments[0]);
      }
    });
  }
  const families = new Set<string>();
  for (const argument of firstArguments) {
    const values = ts.isIdentifier(argument) ? [...(constants.get(argument.text) ?? [])] : [stringValue(argument)];
    for (const value of values) {
      const family = value && CODE_SHAPE.exec(value)?.[1];
      if (family) families.add(family);
    }
  }
  const codes = [...literals].filter((literal) => families.has(literal.split('/')[0])).sort();
  return { codes, families: [...families].sort() };
}

/**
 * Every command a user runs: the npm scripts of package.json and the CLIs in src/commands
 * (each `src/commands/<name>.ts` is bundled and run as `npm run <name>`).
 */
export function commands(root = ROOT): string[] {
  const scripts = Object.keys((JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts);
  const clis = fs
    .readdirSync(path.join(root, 'src/commands'))
    .filter((file) => file.endsWith('.ts'))
    .map((file) => file.replace(/\.ts$/, ''));
  return [...new Set([...scripts, ...clis])].sort();
}

/** How a command is written in the docs: `npm test` for the test script, else `npm run <name>`. */
export function commandLine(name: string): string {
  return name === 'test' ? 'npm test' : `npm run ${name}`;
}
