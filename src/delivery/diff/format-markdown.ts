import { formatPath, formatValue, type FieldChange } from './field-changes';
import type { RiskLevel } from './risk-rules';
import { secretLine, summaryLine } from './format-terminal';
import { groupDiffs, summarize, type ObjectDiff } from './semantic-diff';

export interface MarkdownFormatOptions {
  /** What was compared, e.g. `origin/main → this pull request`. @default 'committed output → fresh render' */
  readonly title?: string;
  /**
   * Longest output; whole clusters are left out beyond it with a note (GitHub comments stop at
   * 65 536 characters). @default 60000
   */
  readonly maxLength?: number;
}

/** First line of the comment: CI finds and updates its previous comment by it. */
export const MARKDOWN_MARKER = '<!-- fleet-diff -->';

const ICON: Readonly<Record<RiskLevel, string>> = { danger: '🛑', warning: '⚠️', notice: 'ℹ️' };

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function objectName(diff: ObjectDiff): string {
  return `${diff.object.namespace ? `${diff.object.namespace}/` : ''}${diff.object.kind}/${diff.object.name}`;
}

function fieldLines(field: FieldChange): string[] {
  const path = formatPath(field.path);
  if (field.hidden) return [`! ${path} changed (value hidden)`];
  const lines: string[] = [];
  if (field.before !== undefined) lines.push(`-   ${path}: ${formatValue(field.before, 300)}`);
  if (field.after !== undefined) lines.push(`+   ${path}: ${formatValue(field.after, 300)}`);
  return lines;
}

function objectBlock(diff: ObjectDiff): string[] {
  const name = `${diff.object.kind}/${diff.object.name}`;
  if (diff.change === 'added') return [`+ ${name} (added, ${diff.object.apiVersion})`, ...(diff.images ?? []).map((image) => `+   image: ${image}`), ...secretBlock(diff, '+')];
  if (diff.change === 'deleted') return [`- ${name} (deleted: Flux prunes it)`, ...secretBlock(diff, '-')];
  return [`@@ ${name} @@`, ...secretBlock(diff, '!'), ...diff.fields.flatMap(fieldLines)];
}

function secretBlock(diff: ObjectDiff, prefix: string): string[] {
  const line = diff.secret && secretLine(diff.secret);
  return line ? [`${prefix}   ${line}`] : [];
}

/** A code fence longer than any backtick run inside, so values cannot close it. */
function fenced(language: string, lines: readonly string[]): string {
  const longest = Math.max(2, ...lines.map((line) => Math.max(0, ...(line.match(/`+/g) ?? []).map((run) => run.length))));
  const fence = '`'.repeat(longest + 1);
  return `${fence}${language}\n${lines.join('\n')}\n${fence}`;
}

/**
 * The diff as a pull-request comment: a summary, a table of risks, then per cluster a collapsible
 * section with one `diff` block per namespace (red before, green after).
 */
export function formatMarkdown(diffs: readonly ObjectDiff[], options: MarkdownFormatOptions = {}): string {
  const maxLength = options.maxLength ?? 60000;
  const head = [MARKDOWN_MARKER, `### Manifest diff: ${options.title ?? 'committed output → fresh render'}`, ''];
  if (diffs.length === 0) return `${[...head, 'No changes: both trees build the same objects.'].join('\n')}\n`;

  head.push(`**${summaryLine(summarize(diffs))}**`, '');
  const risky = diffs.flatMap((diff) => diff.risks.map((risk) => ({ diff, risk })));
  if (risky.length > 0) {
    head.push('| | Risk | Cluster | Object | Why |', '|---|---|---|---|---|');
    for (const { diff, risk } of risky) head.push(`| ${ICON[risk.level]} | ${risk.class} | \`${diff.cluster}\` | \`${cell(objectName(diff))}\` | ${cell(risk.message)} |`);
  } else {
    head.push('No risky changes (no prunes, immutable fields, production images, replica, resource or secret changes).');
  }
  head.push('');

  const sections = groupDiffs(diffs).map((cluster) => {
    const count = cluster.namespaces.reduce((sum, ns) => sum + ns.objects.length, 0);
    const body = cluster.namespaces.map((ns) => [`**${ns.namespace ? `namespace \`${ns.namespace}\`` : 'cluster-scoped'}**`, '', fenced('diff', ns.objects.flatMap(objectBlock)), ''].join('\n'));
    return [`<details open><summary><b>cluster <code>${cluster.cluster}</code></b>: ${count} object${count === 1 ? '' : 's'}</summary>`, '', ...body, '</details>', ''].join('\n');
  });

  let text = `${head.join('\n')}\n`;
  let omitted = 0;
  for (const section of sections) {
    if (text.length + section.length + 200 > maxLength) omitted++;
    else text += `${section}\n`;
  }
  if (omitted > 0) text += `_${omitted} cluster section${omitted === 1 ? '' : 's'} left out to fit a comment; run \`npm run diff\` locally for everything._\n`;
  return text;
}
