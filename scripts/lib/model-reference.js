// The model reference (docs/model-reference.md), read from the TypeScript types users write:
// every interface and type alias reachable from `FleetSpec` (what `defineFleet` takes), each
// field with its type, its `@default` and its description from the JSDoc. Shared by
// scripts/docs-model-reference.mjs (writes the page) and test/docs/docs-coverage.test.ts
// (fails when a field is missing from the page or the page is stale).
//
// CommonJS on purpose: node scripts import it as is, and jest loads it without a transform.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const ts = require('typescript');

/** Where users' declarations start: the parameter of defineFleet. */
const ROOT_TYPE = 'FleetSpec';

/** Every `*.ts` file of src/model, parsed (no type checker: the walk is syntactic and fast). */
function parseModel(modelDir) {
  return fs
    .readdirSync(modelDir)
    .filter((file) => file.endsWith('.ts'))
    .sort()
    .map((file) => ts.createSourceFile(path.join(modelDir, file), fs.readFileSync(path.join(modelDir, file), 'utf8'), ts.ScriptTarget.ES2022, true));
}

function isExported(node) {
  return (ts.getCombinedModifierFlags(node) & ts.ModifierFlags.Export) !== 0;
}

/** Exported interfaces and type aliases of src/model by name. */
function declarations(sources) {
  const byName = new Map();
  for (const source of sources) {
    for (const statement of source.statements) {
      if ((ts.isInterfaceDeclaration(statement) || ts.isTypeAliasDeclaration(statement)) && isExported(statement)) {
        byName.set(statement.name.text, { node: statement, source });
      }
    }
  }
  return byName;
}

function oneLine(text) {
  return text.replace(/\s+/g, ' ').trim();
}

/** The JSDoc of a declaration or member: its description and its `@default`, if any. */
function jsDoc(node) {
  const docs = (node.jsDoc ?? []).filter((doc) => ts.isJSDoc(doc));
  const doc = docs[docs.length - 1];
  if (!doc) return { description: '', default: undefined };
  const description = oneLine(ts.getTextOfJSDocComment(doc.comment) ?? '');
  const defaultTag = (doc.tags ?? []).find((tag) => tag.tagName.text === 'default');
  const defaultText = defaultTag ? oneLine(ts.getTextOfJSDocComment(defaultTag.comment) ?? '') : undefined;
  return { description, default: defaultText === undefined ? undefined : defaultText.replace(/^-\s*/, '') };
}

/** `/** … *\/` comments written before a union member (JSDoc the compiler does not attach). */
function leadingDocComment(node, source) {
  const ranges = ts.getLeadingCommentRanges(source.text, node.pos) ?? [];
  const last = ranges[ranges.length - 1];
  if (!last) return '';
  const text = source.text.slice(last.pos, last.end);
  return text.startsWith('/**') ? oneLine(text.replace(/^\/\*\*|\*\/$/g, '').replace(/^\s*\*\s?/gm, '')) : '';
}

/** Type names referenced anywhere inside a type node (for the reachability walk). */
function referencedNames(typeNode) {
  const names = [];
  const visit = (node) => {
    if (ts.isTypeReferenceNode(node) && ts.isIdentifier(node.typeName)) names.push(node.typeName.text);
    if (ts.isIndexedAccessTypeNode(node) && ts.isTypeReferenceNode(node.objectType) && ts.isIdentifier(node.objectType.typeName)) names.push(node.objectType.typeName.text);
    ts.forEachChild(node, visit);
  };
  visit(typeNode);
  return names;
}

/**
 * Object literal types written inline in a field's type (`aws?: { region; accountId }`, arrays
 * and unions of them), with the suffix their fields get: `.` or `[].`.
 */
function inlineLiterals(typeNode, suffix = '.') {
  if (ts.isTypeLiteralNode(typeNode)) return [{ literal: typeNode, suffix }];
  if (ts.isParenthesizedTypeNode(typeNode) || ts.isTypeOperatorNode(typeNode)) return inlineLiterals(typeNode.type, suffix);
  if (ts.isArrayTypeNode(typeNode)) return inlineLiterals(typeNode.elementType, '[].');
  if (ts.isUnionTypeNode(typeNode) || ts.isIntersectionTypeNode(typeNode)) return typeNode.types.flatMap((t) => inlineLiterals(t, suffix));
  return [];
}

/** A type as written, with inline object types shortened to `{…}` (their fields get rows). */
function typeText(typeNode) {
  let text = typeNode.getText();
  const start = typeNode.getStart();
  // Replace from the end, so earlier offsets stay valid.
  const literals = inlineLiterals(typeNode).map(({ literal }) => literal).sort((a, b) => b.getStart() - a.getStart());
  for (const literal of literals) text = `${text.slice(0, literal.getStart() - start)}{…}${text.slice(literal.getEnd() - start)}`;
  return oneLine(text.replace(/\/\*[\s\S]*?\*\//g, '')).replace(/^\|\s*/, '').replace(/\(\s*\|?\s*/g, '(').replace(/\s+\)/g, ')');
}

/** Rows for the members of an interface or inline object type, nested fields dotted. */
function fieldRows(members, prefix = '') {
  const rows = [];
  for (const member of members) {
    if (!ts.isPropertySignature(member) || !member.type) continue;
    const name = `${prefix}${member.name.getText()}`;
    const doc = jsDoc(member);
    rows.push({ field: name, type: typeText(member.type), refs: referencedNames(member.type), required: !member.questionToken, default: doc.default, description: doc.description });
    const seen = new Set();
    for (const { literal, suffix } of inlineLiterals(member.type)) {
      for (const row of fieldRows(literal.members, `${name}${suffix}`)) {
        if (seen.has(row.field)) continue;
        seen.add(row.field);
        rows.push(row);
      }
    }
  }
  return rows;
}

/**
 * Every type users declare, in the order a reader meets them from FleetSpec: interfaces with
 * their fields, type aliases with their variants (string literals, or object variants whose
 * fields are listed like an interface's).
 */
function modelReference(modelDir) {
  const sources = parseModel(modelDir);
  const byName = declarations(sources);
  const queue = [ROOT_TYPE];
  const seen = new Set();
  const types = [];
  while (queue.length > 0) {
    const name = queue.shift();
    if (seen.has(name) || !byName.has(name)) continue;
    seen.add(name);
    const { node, source } = byName.get(name);
    const file = path.relative(path.resolve(modelDir, '../..'), source.fileName).split(path.sep).join('/');
    const doc = jsDoc(node);
    if (ts.isInterfaceDeclaration(node)) {
      const heritage = (node.heritageClauses ?? []).flatMap((clause) => clause.types.map((t) => t.expression.getText()));
      types.push({ name, file, kind: 'interface', description: doc.description, extends: heritage, fields: fieldRows(node.members) });
      queue.push(...heritage, ...node.members.flatMap((member) => (member.type ? referencedNames(member.type) : [])));
    } else {
      const variants = aliasVariants(node.type, source);
      types.push({ name, file, kind: 'type', description: doc.description, type: typeText(node.type), variants, fields: variants.flatMap((v) => v.fields) });
      queue.push(...referencedNames(node.type));
    }
  }
  return types;
}

/** The variants of a type alias: string literals, references, or inline objects with fields. */
function aliasVariants(typeNode, source) {
  if (ts.isParenthesizedTypeNode(typeNode)) return aliasVariants(typeNode.type, source);
  if (ts.isUnionTypeNode(typeNode) || ts.isIntersectionTypeNode(typeNode)) return typeNode.types.flatMap((t) => aliasVariants(t, source));
  const description = leadingDocComment(typeNode, source);
  if (ts.isTypeLiteralNode(typeNode)) return [{ text: `{ ${typeNode.members.map((m) => oneLine(m.name.getText() + (m.questionToken ? '?' : '') + (m.type ? `: ${m.type.getText()}` : ''))).join('; ')} }`, description, fields: fieldRows(typeNode.members) }];
  return [{ text: oneLine(typeNode.getText()), description, fields: [] }];
}

/** The fields the reference must document, as `Type.field` (nested fields dotted). */
function modelFieldNames(modelDir) {
  return modelReference(modelDir).flatMap((type) => type.fields.map((row) => `${type.name}.${row.field}`));
}

function cell(text) {
  return text.replace(/\|/g, '\\|');
}

/** Prose for a table cell: `|` escaped, and `<name>` outside code spans kept as text, not HTML. */
function prose(text) {
  return cell(text)
    .split('`')
    .map((part, i) => (i % 2 === 0 ? part.replace(/</g, '&lt;').replace(/>/g, '&gt;') : part))
    .join('`');
}

function code(text) {
  // A backtick inside inline code would end it; the model's types have none, but be safe.
  return text.includes('`') ? `\`\` ${cell(text)} \`\`` : `\`${cell(text)}\``;
}

/** Links to the sections of the documented types a field's type names. */
function typeLinks(row, documented) {
  return [...new Set(row.refs ?? [])].filter((name) => documented.has(name)).map((name) => `[${name}](#${name.toLowerCase()})`);
}

function defaultCell(row, documented) {
  if (row.default !== undefined && row.default !== '') return prose(row.default);
  if (row.required) return '**required**';
  // Leaving an object out means different things (probes: derived probes; autoscaling: no HPA);
  // its type's section says which, so point there rather than claim "none".
  const links = typeLinks(row, documented);
  return links.length > 0 ? `see ${links.join(', ')}` : 'none';
}

/** The whole page, deterministic: same types, same bytes. */
function renderModelReference(modelDir) {
  const types = modelReference(modelDir);
  const documented = new Set(types.map((type) => type.name));
  const lines = [
    '<!-- GENERATED by `npm run docs` from the JSDoc of src/model (scripts/lib/model-reference.js). Edit the types, not this file. -->',
    '',
    '# Model reference: every field and its default',
    '',
    '**Task: look up what a field of a service, environment or cluster does and what you get when you leave it out.**',
    '',
    'Everything you declare in `src/environments/` is one of these types, starting at `FleetSpec`',
    "(what `defineFleet` takes). \"Default\" is what the generator uses when the field is left out; it",
    'comes from the `@default` tag of the field in `src/model/`, so this page cannot drift from the',
    'code: `npm run docs` rewrites it and `test/docs/docs-coverage.test.ts` fails when it is stale.',
    'How these fields are used is explained in [adding services, environments and clusters](adding.md).',
    '',
    '## Contents',
    '',
    ...types.map((type) => `- [${type.name}](#${type.name.toLowerCase()})`),
    '',
  ];
  for (const type of types) {
    lines.push(`## ${type.name}`, '');
    if (type.description) lines.push(prose(type.description), '');
    lines.push(`Defined in [\`${type.file}\`](../${type.file}).${type.extends?.length ? ` Also has every field of ${type.extends.map((e) => `[${e}](#${e.toLowerCase()})`).join(', ')}.` : ''}`, '');
    if (type.kind === 'type') {
      lines.push(`Type: ${code(type.type)}`, '');
      if (type.variants.some((variant) => variant.description || variant.fields.length > 0)) {
        lines.push('Made of:', '');
        for (const variant of type.variants) lines.push(`- ${code(variant.text)}${variant.description ? ` — ${prose(variant.description)}` : ''}`);
        lines.push('');
      }
    }
    if (type.fields.length > 0) {
      lines.push('| field | type | default | description |', '|---|---|---|---|');
      for (const row of type.fields) {
        const links = typeLinks(row, documented);
        const description = [prose(row.description), links.length > 0 ? `Type: ${links.join(', ')}.` : ''].filter(Boolean).join(' ');
        lines.push(`| \`${row.field}\` | ${code(row.type)} | ${defaultCell(row, documented)} | ${description} |`);
      }
      lines.push('');
    }
  }
  return `${lines.join('\n').trimEnd()}\n`;
}

module.exports = { modelReference, modelFieldNames, renderModelReference, ROOT_TYPE };
