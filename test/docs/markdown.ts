import * as fs from 'node:fs';
import * as path from 'node:path';

/** Just enough Markdown for the docs tests: prose without code, links, heading anchors, tables. */

/** The text outside fenced code blocks (``` or ````), line numbers kept (code lines blanked). */
export function withoutCodeBlocks(markdown: string): string {
  let fence: string | undefined;
  return markdown
    .split('\n')
    .map((line) => {
      const marker = /^\s*(`{3,}|~{3,})/.exec(line)?.[1];
      if (marker && (fence === undefined || (marker[0] === fence[0] && marker.length >= fence.length))) {
        fence = fence === undefined ? marker : undefined;
        return '';
      }
      return fence === undefined ? line : '';
    })
    .join('\n');
}

export interface Link {
  readonly target: string;
  readonly line: number;
}

/** Inline links `[text](target)` and images outside code; inline code spans are skipped. */
export function links(markdown: string): Link[] {
  return withoutCodeBlocks(markdown)
    .split('\n')
    .flatMap((line, index) =>
      [...line.replace(/`[^`]*`/g, (span) => ' '.repeat(span.length)).matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((match) => ({ target: match[1], line: index + 1 })),
    );
}

/**
 * GitHub's heading anchors: lower case, punctuation dropped (letters, digits, spaces, `-` and
 * `_` kept), spaces to `-`; a repeated heading gets `-1`, `-2`, ….
 */
export function anchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const result = new Set<string>();
  for (const line of withoutCodeBlocks(markdown).split('\n')) {
    const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line)?.[1];
    if (heading === undefined) continue;
    const text = heading.replace(/`/g, '').replace(/\[([^\]]*)\]\([^)]*\)/g, '$1');
    const base = text
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    result.add(count === 0 ? base : `${base}-${count}`);
  }
  return result;
}

/** Problems with one link of `file`: a missing file or directory, or a missing anchor. */
export function brokenLink(file: string, link: Link): string | undefined {
  if (/^[a-z][a-z0-9+.-]*:/i.test(link.target)) return undefined; // https:, mailto: — not checked offline
  const [target, anchor] = link.target.split('#', 2);
  const resolved = target === '' ? file : path.resolve(path.dirname(file), decodeURIComponent(target));
  const where = `${file}:${link.line} → ${link.target}`;
  if (!fs.existsSync(resolved)) return `${where}: no such file`;
  if (anchor === undefined || anchor === '') return undefined;
  if (!resolved.endsWith('.md')) return brokenLineAnchor(resolved, anchor, where);
  return anchors(fs.readFileSync(resolved, 'utf8')).has(anchor) ? undefined : `${where}: no heading with this anchor`;
}

/**
 * A line anchor into a source file (`#L48`, `#L48-L52`, as GitHub links lines): the lines must
 * exist and not be blank, so a link whose file shrank or moved its text under it is caught.
 */
function brokenLineAnchor(resolved: string, anchor: string, where: string): string | undefined {
  const range = /^L(\d+)(?:-L(\d+))?$/.exec(anchor);
  if (!range) return `${where}: only line anchors (#L<n>, #L<n>-L<m>) are checked outside Markdown`;
  const lines = fs.readFileSync(resolved, 'utf8').split('\n');
  const first = Number(range[1]);
  const last = range[2] === undefined ? first : Number(range[2]);
  if (first < 1 || last < first || last > lines.length) return `${where}: no such line (the file has ${lines.length})`;
  return lines[first - 1].trim() === '' ? `${where}: the line is blank` : undefined;
}

/** Cells of a Markdown table row (`| a | b |`), trimmed; undefined for other lines. */
export function tableCells(line: string): string[] | undefined {
  if (!/^\s*\|.*\|\s*$/.test(line)) return undefined;
  return line
    .trim()
    .slice(1, -1)
    .split(/(?<!\\)\|/)
    .map((cell) => cell.trim());
}
