// The model's two build-time guards, run by scripts/build.mjs before every command that loads the
// fleet (synth bundles with esbuild, which never type-checks):
//
// 1. Type-check the fleet definition (src/environments/index.ts and everything it imports) with
//    the project's tsconfig: a type error there fails the command with the compiler's message.
// 2. Derive the runtime schema of the model from the exported TypeScript types (FleetSpec and
//    every type it reaches), written to build/model-schema.json. src/model/model-fields.ts walks
//    the fleet against it and rejects any field the model does not define, with "did you mean".
//    Nothing lists field names by hand: a field added to a model interface is known at once.
//
// Both come from one TypeScript program, and only when an input changed: the cache
// (build/model-check.json) keys the result on the content hash of every source file of that
// program plus the TypeScript version, tsconfig and this script. An unchanged re-run only
// re-hashes those files (a few milliseconds).
//
// A changed run is kept short: parsing @types/node (2 MB) was most of it, so the program first
// runs without it, with the few Node globals a fleet definition uses declared below, and only
// the fleet definition's own files (src/environments) are checked — the rest of src/ is
// `npm run typecheck`'s. Only when that finds errors that missing Node types could explain is
// the program built again with @types/node, and its diagnostics are the ones reported.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';

const SCHEMA_FILE = 'build/model-schema.json';
const CACHE_FILE = 'build/model-check.json';
const ENTRY = 'src/environments/index.ts';
/** Files whose type errors fail the command: the fleet definition. */
const CHECKED_DIR = 'src/environments/';
/** Node globals for the fast pass, declared exactly as @types/node declares them (a subset). */
const NODE_GLOBALS = 'declare var __dirname: string;\ndeclare var __filename: string;\n';
const NODE_GLOBALS_FILE = 'build/model-check-globals.d.ts';
/** Cannot find module / name / namespace: what a missing @types/node looks like. */
const MISSING_NODE_TYPES = new Set([2307, 2304, 2503, 2580, 2591, 2592, 2593]);
/** The model's root type: the schema starts here. */
const ROOT = { file: 'src/model/fleet.ts', type: 'FleetSpec' };

function sha(text) {
  return createHash('sha256').update(text).digest('hex').slice(0, 32);
}

// TypeScript is loaded only when the check has to run: importing it costs about a second.
let ts;

function typescriptVersion(root) {
  return readJson(join(root, 'node_modules/typescript/package.json'))?.version ?? 'unknown';
}

function cacheKey(root) {
  // This script is an input too: a change to the derivation rewrites the schema.
  return sha(`${typescriptVersion(root)}\n${readFileSync(join(root, 'tsconfig.json'), 'utf8')}\n${readFileSync(import.meta.filename, 'utf8')}`);
}

function readJson(path) {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
}

/** True when every input of the last run still has the content it had then. */
function isFresh(root, cache) {
  if (!cache || cache.key !== cacheKey(root) || !existsSync(join(root, SCHEMA_FILE))) return false;
  return Object.entries(cache.files).every(([file, hash]) => {
    try {
      return sha(readFileSync(join(root, file))) === hash;
    } catch {
      return false;
    }
  });
}

function compilerOptions(root, nodeTypes) {
  const configPath = join(root, 'tsconfig.json');
  const config = ts.readConfigFile(configPath, ts.sys.readFile);
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, root, undefined, configPath);
  // jest's types are for tests; the fleet definition must not use them.
  return { ...parsed.options, types: nodeTypes ? ['node'] : [], noEmit: true };
}

/** The fleet program and the type errors of the fleet definition's files. */
function checkFleetProgram(root, nodeTypes) {
  const rootNames = [join(root, ENTRY), join(root, ROOT.file), ...(nodeTypes ? [] : [join(root, NODE_GLOBALS_FILE)])];
  const program = ts.createProgram({ rootNames, options: compilerOptions(root, nodeTypes) });
  const checked = program.getSourceFiles().filter((file) => resolve(file.fileName).startsWith(join(root, CHECKED_DIR)));
  const diagnostics = [
    ...program.getOptionsDiagnostics(),
    ...program.getGlobalDiagnostics(),
    ...checked.flatMap((file) => [...program.getSyntacticDiagnostics(file), ...program.getSemanticDiagnostics(file)]),
  ].filter((d) => d.category === ts.DiagnosticCategory.Error);
  return { program, diagnostics };
}

/** `error [model/type-error] src/environments/x.ts:12:5: <compiler message>`, one per diagnostic. */
function formatDiagnostic(root, diagnostic) {
  const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n    ');
  if (!diagnostic.file || diagnostic.start === undefined) return `error [model/type-error] TS${diagnostic.code}: ${message}`;
  const { line, character } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
  const file = relative(root, diagnostic.file.fileName).split(sep).join('/');
  return `error [model/type-error] ${file}:${line + 1}:${character + 1}: TS${diagnostic.code}: ${message}\n  fix: make the value match the model's type (the editor shows the same message), then run the command again`;
}

// ---- schema derivation -------------------------------------------------------------------------

/**
 * Shapes (see src/model/model-schema.ts for the reader):
 *   {k:'any'} {k:'string'} {k:'number'} {k:'boolean'} {k:'literal', v}
 *   {k:'array', items} {k:'record', values} {k:'ref', name} {k:'union', of:[…]}
 * and named objects in `types`: { props: { name: { optional, shape } }, index?: shape }.
 * Types declared outside this project (cdk8s constructs, ApiObject, functions) are opaque ('any'):
 * the model does not own their fields.
 */
function deriveSchema(root, program) {
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(join(root, ROOT.file));
  if (!source) throw new Error(`${ROOT.file} is not part of the fleet program`);
  const moduleSymbol = checker.getSymbolAtLocation(source);
  const rootSymbol = moduleSymbol && checker.getExportsOfModule(moduleSymbol).find((s) => s.name === ROOT.type);
  if (!rootSymbol) throw new Error(`${ROOT.file} does not export ${ROOT.type}`);
  const types = {};
  const names = new Map(); // ts.Type → name in `types`
  const used = new Set();
  const projectSrc = join(root, 'src') + sep;

  // A model object: every property declared in this project's src/ (interfaces, object literal
  // types, and mapped types such as Required<PortSpec> over them), and not a class instance.
  const isModelObject = (type, properties) => {
    if ((type.getSymbol()?.flags ?? 0) & ts.SymbolFlags.Class) return false;
    const declarations = properties.flatMap((property) => property.getDeclarations() ?? []);
    return declarations.length > 0 && declarations.every((d) => resolve(d.getSourceFile().fileName).startsWith(projectSrc));
  };

  // Named after the interface or alias; an inline object type after where it appears (`ProbeSpec.http`).
  const nameFor = (type, hint) => {
    const symbolName = type.aliasSymbol?.name ?? type.getSymbol()?.name;
    const base = symbolName && !symbolName.startsWith('__') ? symbolName : hint;
    let name = base;
    for (let i = 2; used.has(name); i += 1) name = `${base}${i}`;
    used.add(name);
    return name;
  };

  const shapeOf = (type, hint) => {
    const f = type.flags;
    if (f & (ts.TypeFlags.Any | ts.TypeFlags.Unknown | ts.TypeFlags.Never)) return { k: 'any' };
    if (f & ts.TypeFlags.StringLiteral) return { k: 'literal', v: type.value };
    if (f & ts.TypeFlags.NumberLiteral) return { k: 'literal', v: type.value };
    if (f & ts.TypeFlags.BooleanLiteral) return { k: 'literal', v: checker.typeToString(type) === 'true' };
    if (f & (ts.TypeFlags.String | ts.TypeFlags.TemplateLiteral | ts.TypeFlags.StringMapping)) return { k: 'string' };
    if (f & ts.TypeFlags.Number) return { k: 'number' };
    if (f & ts.TypeFlags.Boolean) return { k: 'boolean' };
    if (f & (ts.TypeFlags.Undefined | ts.TypeFlags.Null | ts.TypeFlags.Void)) return undefined;
    if (type.isUnion()) {
      const members = type.types.map((member) => shapeOf(member, hint)).filter(Boolean);
      const literals = members.filter((m) => m.k === 'literal' && typeof m.v === 'boolean');
      const rest = members.filter((m) => !(m.k === 'literal' && typeof m.v === 'boolean'));
      if (literals.length === 2) rest.push({ k: 'boolean' });
      else rest.push(...literals);
      return rest.length === 1 ? rest[0] : { k: 'union', of: rest };
    }
    if (checker.isArrayType(type) || checker.isTupleType(type)) {
      const [item] = checker.getTypeArguments(type);
      return { k: 'array', items: item ? (shapeOf(item, hint) ?? { k: 'any' }) : { k: 'any' } };
    }
    if (!(f & (ts.TypeFlags.Object | ts.TypeFlags.Intersection))) return { k: 'any' };
    if (type.getCallSignatures().length > 0 || type.getConstructSignatures().length > 0) return { k: 'any' };
    const properties = checker.getPropertiesOfType(type);
    const index = checker.getIndexInfosOfType(type).find((info) => info.keyType.flags & ts.TypeFlags.String);
    if (properties.length === 0 && index) return { k: 'record', values: shapeOf(index.type, hint) ?? { k: 'any' } };
    // Class instances and library types: their fields are not the model's to police.
    if (!isModelObject(type, properties)) return { k: 'any' };
    const known = names.get(type);
    if (known) return { k: 'ref', name: known };
    const name = nameFor(type, hint);
    names.set(type, name);
    const props = {};
    types[name] = { props };
    for (const property of properties) {
      const declaration = property.valueDeclaration ?? property.getDeclarations()?.[0];
      const propertyType = declaration ? checker.getTypeOfSymbolAtLocation(property, declaration) : checker.getTypeOfSymbol(property);
      props[property.name] = { optional: (property.flags & ts.SymbolFlags.Optional) !== 0, shape: shapeOf(propertyType, `${name}.${property.name}`) ?? { k: 'any' } };
    }
    if (index) types[name].index = shapeOf(index.type, `${name}[key]`) ?? { k: 'any' };
    return { k: 'ref', name };
  };

  const rootType = checker.getDeclaredTypeOfSymbol(rootSymbol);
  return { root: shapeOf(rootType, ROOT.type), types };
}

/**
 * Runs both guards unless nothing changed. Returns the problems as text lines (empty when the
 * fleet definition type-checks); the schema is written either way, so the runtime check works
 * even while a type error is being fixed.
 */
export async function ensureModelCheck(root) {
  const cachePath = join(root, CACHE_FILE);
  const cache = readJson(cachePath);
  if (isFresh(root, cache)) return cache.errors;
  ts ??= (await import('typescript')).default;
  mkdirSync(join(root, 'build'), { recursive: true });
  writeIfChanged(join(root, NODE_GLOBALS_FILE), NODE_GLOBALS);
  let { program, diagnostics } = checkFleetProgram(root, false);
  if (diagnostics.some((d) => MISSING_NODE_TYPES.has(d.code))) ({ program, diagnostics } = checkFleetProgram(root, true));
  const errors = diagnostics.map((d) => formatDiagnostic(root, d));
  const schema = deriveSchema(root, program);
  const files = {};
  for (const file of program.getSourceFiles()) {
    const path = resolve(file.fileName);
    if (!path.startsWith(root + sep) || path.includes(`${sep}node_modules${sep}`)) continue;
    files[relative(root, path).split(sep).join('/')] = sha(readFileSync(path));
  }
  writeIfChanged(join(root, SCHEMA_FILE), `${JSON.stringify(schema)}\n`);
  writeFileSync(cachePath, `${JSON.stringify({ key: cacheKey(root), files, errors }, null, 1)}\n`);
  return errors;
}

function writeIfChanged(path, text) {
  if (existsSync(path) && readFileSync(path, 'utf8') === text) return;
  writeFileSync(path, text);
}

// `node scripts/model-check.mjs`: the same check on its own (jest's global setup uses it too).
if (import.meta.filename === resolve(process.argv[1] ?? '')) {
  const errors = await ensureModelCheck(resolve(import.meta.dirname, '..'));
  for (const line of errors) process.stderr.write(`${line}\n`);
  process.exitCode = errors.length > 0 ? 1 : 0;
}
