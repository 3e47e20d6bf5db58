// Source-line links for hand-written pages (docs/samples.md): the page's template names each
// declaration it points at by a piece of its text, `@@<file>|<text>@@` (a bare file name means
// src/environments/<file>), and this turns each into `[file:N](../<path>#LN)` at the first line
// containing that text. Line numbers move whenever a file is edited; the text does not, so
// `npm run docs` re-points every link and the docs test fails when the page is stale or a text
// is no longer in its file.
'use strict';
const { readFileSync } = require('node:fs');
const { basename, join } = require('node:path');

const LINK = /@@([^|@]+)\|([^@]+)@@/g;

/** @returns {{ text: string, unresolved: string[] }} */
function resolveSourceLinks(root, template) {
  const unresolved = [];
  const files = new Map();
  const linesOf = (path) => {
    if (!files.has(path)) {
      let text = '';
      try {
        text = readFileSync(join(root, path), 'utf8');
      } catch {
        // a missing file resolves nothing: reported below
      }
      files.set(path, text.split('\n'));
    }
    return files.get(path);
  };
  const text = template.replace(LINK, (marker, file, needle) => {
    const path = file.includes('/') ? file : `src/environments/${file}`;
    const line = linesOf(path).findIndex((l) => l.includes(needle)) + 1;
    if (line === 0) {
      unresolved.push(`${path}: "${needle}"`);
      return marker;
    }
    return `[${basename(path)}:${line}](../${path}#L${line})`;
  });
  return { text, unresolved };
}

module.exports = { resolveSourceLinks };
