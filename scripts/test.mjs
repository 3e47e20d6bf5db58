#!/usr/bin/env node
// `npm test [-- <jest arguments>]`: type-check, jest, then `npm run check` (drift, kubectl
// kustomize, validation of the committed output) — stopping at the first step that fails.
// Everything after `--` goes to jest, so `npm test -- -u` updates snapshots and
// `npm test -- test/render` runs one directory (check still runs after).
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const jestArgs = process.argv.slice(2);
const steps = [
  ['typecheck', process.execPath, [require.resolve('typescript/bin/tsc'), '--noEmit', '-p', 'tsconfig.json']],
  ['jest', process.execPath, [require.resolve('jest/bin/jest'), ...jestArgs]],
  ['check', process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', '-s', 'check']],
];

for (const [name, command, args] of steps) {
  const { status, signal, error } = spawnSync(command, args, { stdio: 'inherit' });
  if (error || status !== 0) {
    process.stderr.write(`npm test: ${name} failed${signal ? ` (${signal})` : error ? ` (${error.message})` : ''}\n`);
    process.exit(status || 1);
  }
}
