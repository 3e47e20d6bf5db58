import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONVERGE_RULES } from '../../src/converge';

// Every problem code the converge layer can report is registered with its property, documented
// in the layer's README table and in docs/validation.md.
const dir = join(__dirname, '../../src/converge');
const codesInSource = [
  ...new Set(
    readdirSync(dir)
      .filter((f) => f.endsWith('.ts'))
      .flatMap((f) => [...readFileSync(join(dir, f), 'utf8').matchAll(/= '(converge\/[a-z-]+)'/g)].map((m) => m[1])),
  ),
].sort();

describe('converge rules', () => {
  it('registers every code the layer defines', () => {
    expect(codesInSource.length).toBeGreaterThanOrEqual(10);
    expect(Object.keys(CONVERGE_RULES).sort()).toEqual(codesInSource);
  });

  it.each(codesInSource)('documents %s in the README table and docs/validation.md', (code) => {
    expect(readFileSync(join(dir, 'README.md'), 'utf8')).toContain(`| \`${code}\` |`);
    expect(readFileSync(join(__dirname, '../../docs/validation.md'), 'utf8')).toContain(`| \`${code}\` |`);
  });
});
