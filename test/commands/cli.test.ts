import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { bench } from '../../src/commands/bench';
import { check } from '../../src/commands/check';
import { diff } from '../../src/commands/diff';
import { crashProblem, stackPositions } from '../../src/commands/lib/crash-report';
import { parseCommandLine, type CommandLineSpec } from '../../src/commands/lib/cli';
import { promote } from '../../src/commands/promote';
import { release } from '../../src/commands/release';
import { LOCK_FILE } from '../../src/render/output-lock';
import { secrets } from '../../src/commands/secrets';
import { synth } from '../../src/commands/synth';
import { error, formatProblem } from '../../src/model/problem';
import { captureOutput, fleetErrorText } from '../support/command-output';
import { miniFleet } from '../support/fleet-fixtures';
import { tempDir } from '../support/render-to-dir';

const spec: CommandLineSpec = {
  name: 'demo',
  usage: 'usage: npm run demo -- <a> [--name <n>…] [--flag]',
  options: { name: { type: 'string', multiple: true }, flag: { type: 'boolean' }, 'no-cache': { type: 'boolean' } },
  positionals: { min: 1, max: 2, names: '<a> [<b>]' },
};

describe('parseCommandLine', () => {
  it('reads repeated, inline and boolean flags and positionals', () => {
    const line = parseCommandLine(spec, ['x', '--name', 'one', '--name=two', '--flag', '--no-cache', 'y']);
    expect(line).toEqual({ help: false, flags: new Map([['name', ['one', 'two']], ['flag', ['true']], ['no-cache', ['true']]]), positional: ['x', 'y'] });
  });

  it.each([
    [['x', '--nmae', 'one'], "error [demo/usage] : Unknown option '--nmae'"],
    [['x', '--name'], "error [demo/usage] : Option '--name <value>' argument missing"],
    [['x', 'y', 'z'], 'error [demo/usage] : expected <a> [<b>], got 3 argument(s): unexpected "z"'],
    [[], 'error [demo/usage] : expected <a> [<b>], got 0 argument(s)'],
    [['x', '--flag=yes'], "error [demo/usage] : Option '--flag' does not take an argument"],
  ])('refuses %j', async (argv, expected) => {
    const text = await fleetErrorText(async () => parseCommandLine(spec, argv));
    expect(text.split('\n')[0]).toBe(expected);
    expect(text).toContain('fix: run `npm run demo -- --help` for the usage');
  });

  it('answers --help and -h whatever else is given', () => {
    expect(parseCommandLine(spec, ['--help']).help).toBe(true);
    expect(parseCommandLine(spec, ['x', '-h', '--flag']).help).toBe(true);
  });
});

describe('every command', () => {
  const output = captureOutput();
  const commands: [string, (argv: string[], root: string) => Promise<number>][] = [
    ['synth', (argv, root) => synth(argv, root, miniFleet())],
    ['check', (argv, root) => check(argv, root, miniFleet())],
    ['diff', (argv, root) => diff(argv, root, miniFleet())],
    ['release', (argv, root) => release(argv, root, miniFleet())],
    ['promote', (argv, root) => promote(argv, root, miniFleet())],
    ['secrets', (argv, root) => secrets(argv, root, { env: {}, readValue: async () => Buffer.from(''), print: (line) => process.stdout.write(`${line}\n`), fleet: miniFleet() })],
    ['bench', (argv) => bench(argv)],
  ];

  it.each(commands)('%s --help prints its usage and does nothing else', async (name, run) => {
    const root = tempDir();
    expect(await run(['--help'], root)).toBe(0);
    expect(await run(['--cluster', 'stage', '-h'].filter((arg) => name !== 'bench' || arg === '-h'), root)).toBe(0);
    expect(output.printed()).toMatch(new RegExp(`^usage: npm run ${name}`));
    expect(readdirSync(root)).toEqual([]);
  });

  it.each(commands)('%s refuses an unknown flag before doing anything', async (name, run) => {
    const root = tempDir();
    const text = await fleetErrorText(() => run(['--definitely-not-a-flag'], root));
    expect(text).toMatch(new RegExp(`^error \\[${name}/usage\\] : Unknown option '--definitely-not-a-flag'|^error \\[secrets/value-on-command-line\\]`));
    expect(readdirSync(root)).toEqual([]);
  });

  it.each([
    ['synth', ['stray']],
    ['check', ['stray']],
    ['diff', ['HEAD~1']],
    ['release', ['staging', 'web', '1.0.0', 'extra']],
  ])('%s refuses extra arguments %j', async (name, argv) => {
    const run = commands.find(([n]) => n === name)![1];
    const root = tempDir();
    expect(await fleetErrorText(() => run(argv, root))).toMatch(new RegExp(`^error \\[${name}/usage\\] : expected .*unexpected "${argv.at(-1)}"`));
    expect(readdirSync(root)).toEqual([]);
  });

  it.each([['synth'], ['check'], ['diff']])('%s refuses an unknown cluster, listing the known ones', async (name) => {
    const run = commands.find(([n]) => n === name)![1];
    const root = tempDir();
    const text = await fleetErrorText(() => run(['--cluster', 'stage', '--cluster', 'prod-us'], root));
    expect(text).toBe('error [cli/unknown-cluster] cluster=prod-us: the fleet has no cluster "prod-us"\n  fix: use one of: stage');
    expect(readdirSync(root)).toEqual([]);
  });

  it.each([
    [['list', 'qa']],
    [['set', 'prod', 'db', 'password']],
    [['rotate', 'stagign']],
  ])('secrets %j refuses an unknown environment', async (argv) => {
    const run = commands.find(([n]) => n === 'secrets')![1];
    const root = tempDir();
    expect(await fleetErrorText(() => run(argv, root))).toMatch(/^error \[secrets\/unknown-environment\] environment=\S+: the fleet has no environment "\S+"\n {2}fix: use one of: staging$/);
    expect(readdirSync(root)).toEqual([]);
  });

  it('secrets reseal refuses an unknown cluster', async () => {
    const run = commands.find(([n]) => n === 'secrets')![1];
    expect(await fleetErrorText(() => run(['reseal', 'nowhere'], tempDir()))).toMatch(/^error \[secrets\/unknown-cluster\] cluster=nowhere/);
  });
});

describe('check and the output lock', () => {
  it('refuses to read a tree a synth is writing, and leaves that synth its lock', async () => {
    const root = tempDir();
    // A live process other than this one (jest's parent) holds the tree.
    const owner = `${process.ppid} ${hostname()}\n`;
    writeFileSync(join(root, LOCK_FILE), owner);
    const text = await fleetErrorText(() => check([], root, miniFleet()));
    expect(text).toMatch(/^error \[output\/locked\] .*process \d+ .* is writing this output tree/);
    expect(readFileSync(join(root, LOCK_FILE), 'utf8')).toBe(owner);
  });
});

describe('crashProblem', () => {
  const bundle = '/repo/build/commands/synth.js';
  const stack = [
    'TypeError: Cannot read properties of undefined (reading "replicas")',
    `    at replicasOf (${bundle}:43508:17)`,
    `    at Object.<anonymous> (${bundle}:51234:3)`,
    '    at Module._compile (node:internal/modules/cjs/loader:1554:14)',
  ].join('\n');
  // A source map as a function: bundle line 43508 is src/model/service.ts, 51234 the environment file.
  const mapped = ({ file, line, column }: { file: string; line: number; column: number }) => {
    if (file !== bundle) return { file, line, column };
    return line === 43508 ? { file: '/repo/src/model/service.ts', line: 12, column: 5 } : { file: '/repo/src/environments/payments.ts', line: 77, column: 9 };
  };

  it('names the environment file and line a frame maps to, not the bundle', () => {
    const cause = Object.assign(new TypeError('Cannot read properties of undefined (reading "replicas")'), { stack });
    const text = formatProblem(crashProblem(cause, mapped, '/repo'));
    expect(text).toBe(
      [
        'error [model/definition-threw] : src/environments/payments.ts:77:9 threw TypeError: Cannot read properties of undefined (reading "replicas")',
        '  fix: fix the code at that line of the environment file (it runs when the model is loaded)',
        '  defined in: src/environments/payments.ts:77:9',
      ].join('\n'),
    );
  });

  it('falls back to the first frame of our own code, and to no place at all', () => {
    const onlyModel = stack.split('\n').slice(0, 2).join('\n');
    expect(crashProblem(Object.assign(new Error('x'), { stack: onlyModel }), mapped, '/repo').place.definition).toBe('src/model/service.ts:12:5');
    expect(crashProblem('a string was thrown', mapped, '/repo')).toMatchObject({ code: 'cli/unexpected-error', message: 'thrown value a string was thrown' });
  });

  it('reads both frame shapes of a V8 stack', () => {
    expect(stackPositions('E\n    at f (/a/b.js:1:2)\n    at /c/d.js:3:4\n    at new X (file:///e/f.js:5:6)')).toEqual([
      { file: '/a/b.js', line: 1, column: 2 },
      { file: '/c/d.js', line: 3, column: 4 },
      { file: '/e/f.js', line: 5, column: 6 },
    ]);
  });
});

describe('formatProblem', () => {
  it('labels a waived finding `waived` with its reason, not `error`', () => {
    const waived = { ...error('policy/no-probes', { service: 'batch' }, 'no readiness probe', 'add one'), waived: { reason: 'consumes a queue' } };
    expect(formatProblem(waived).split('\n')[0]).toBe('waived [policy/no-probes] service=batch: no readiness probe (waived: consumes a queue)');
  });
});
