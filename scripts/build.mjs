#!/usr/bin/env node
// Bundles each command in src/commands into build/commands/<name>.js with esbuild: no
// type-checking on the synth path (`npm run typecheck` does that once), one file per command
// so Node resolves no modules at start-up, and ESM-only dependencies (age-encryption) become
// loadable from CommonJS.
import { build } from 'esbuild';
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const commands = readdirSync(join(root, 'src/commands')).filter((file) => file.endsWith('.ts'));

await build({
  entryPoints: commands.map((file) => join(root, 'src/commands', file)),
  outdir: join(root, 'build/commands'),
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: 'linked',
  logLevel: 'warning',
});
