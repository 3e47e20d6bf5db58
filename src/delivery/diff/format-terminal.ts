import { formatPath, formatValue, type FieldChange } from './field-changes';
import type { Risk, RiskLevel } from './risk-rules';
import { groupDiffs, summarize, type DiffSummary, type ObjectDiff } from './semantic-diff';
import type { SecretKeyChanges } from './secret-objects';

export interface TerminalFormatOptions {
  /** ANSI colours. @default false (the command turns them on for a TTY without NO_COLOR) */
  readonly color?: boolean;
  /** What was compared, e.g. `HEAD → fresh render`. @default - no title line */
  readonly title?: string;
}

const CODES = { red: 31, green: 32, yellow: 33, cyan: 36, bold: 1, dim: 2 } as const;
type Paint = (style: keyof typeof CODES, text: string) => string;

const MARK: Readonly<Record<RiskLevel, string>> = { danger: '✖', warning: '▲', notice: '•' };
const LEVEL_STYLE: Readonly<Record<RiskLevel, keyof typeof CODES>> = { danger: 'red', warning: 'yellow', notice: 'cyan' };

export function summaryLine(summary: DiffSummary): string {
  const objects = `${summary.changed} changed, ${summary.added} added, ${summary.deleted} deleted in ${summary.clusters} cluster${summary.clusters === 1 ? '' : 's'}`;
  const risks = [...summary.risks].map(([name, count]) => `${count} ${name}`).join(', ');
  return risks ? `${objects} · risks: ${risks}` : objects;
}

function fieldLine(field: FieldChange, paint: Paint): string {
  const path = formatPath(field.path);
  if (field.hidden) return `${paint('yellow', '~')} ${path} ${paint('dim', '(value hidden)')}`;
  if (field.before === undefined) return paint('green', `+ ${path}: ${formatValue(field.after)}`);
  if (field.after === undefined) return paint('red', `- ${path}: ${formatValue(field.before)}`);
  return `${paint('yellow', '~')} ${path}: ${paint('red', formatValue(field.before))} → ${paint('green', formatValue(field.after))}`;
}

export function secretLine(secret: SecretKeyChanges): string | undefined {
  const parts = [
    secret.added.length ? `added ${secret.added.join(', ')}` : '',
    secret.removed.length ? `removed ${secret.removed.join(', ')}` : '',
    secret.changed.length ? `changed ${secret.changed.join(', ')}` : '',
  ].filter(Boolean);
  return parts.length ? `keys ${parts.join('; ')} (values not shown)` : undefined;
}

function riskLine(risk: Risk, paint: Paint): string {
  return paint(LEVEL_STYLE[risk.level], `${MARK[risk.level]} ${risk.level} ${risk.class}: ${risk.message}`);
}

function objectLines(diff: ObjectDiff, paint: Paint): string[] {
  const { kind, name, apiVersion } = diff.object;
  const head =
    diff.change === 'added'
      ? paint('green', `+ ${kind}/${name}`)
      : diff.change === 'deleted'
        ? paint('red', `- ${kind}/${name}`)
        : `${paint('yellow', '~')} ${kind}/${name}`;
  const lines = [`${head} ${paint('dim', `(${apiVersion}${diff.change === 'changed' ? '' : `, ${diff.change}`})`)}`];
  for (const image of diff.images ?? []) lines.push(`    image ${image}`);
  const secret = diff.secret && secretLine(diff.secret);
  if (secret) lines.push(`    ${secret}`);
  for (const field of diff.fields) lines.push(`    ${fieldLine(field, paint)}`);
  for (const risk of diff.risks) lines.push(`  ${riskLine(risk, paint)}`);
  return lines;
}

/** The diff as terminal text: a summary, then cluster → namespace → object, fields and risks. */
export function formatTerminal(diffs: readonly ObjectDiff[], options: TerminalFormatOptions = {}): string {
  const paint: Paint = options.color ? (style, text) => `\u001b[${CODES[style]}m${text}\u001b[0m` : (_style, text) => text;
  const lines: string[] = [];
  if (options.title) lines.push(paint('bold', `fleet diff: ${options.title}`));
  if (diffs.length === 0) {
    lines.push('no changes: both trees build the same objects');
    return `${lines.join('\n')}\n`;
  }
  lines.push(summaryLine(summarize(diffs)));
  for (const cluster of groupDiffs(diffs)) {
    lines.push('', paint('bold', `cluster ${cluster.cluster}`));
    for (const namespace of cluster.namespaces) {
      lines.push(`  ${namespace.namespace ? `namespace ${namespace.namespace}` : '(cluster-scoped)'}`);
      for (const diff of namespace.objects) lines.push(...objectLines(diff, paint).map((line) => `    ${line}`));
    }
  }
  return `${lines.join('\n')}\n`;
}
