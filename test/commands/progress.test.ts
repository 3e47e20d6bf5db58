import * as path from 'node:path';
import { createProgress, isCi, shouldShowProgress, type ProgressStream } from '../../src/commands/lib/progress';
import { fluxPaths, kustomizeClusters } from '../../src/render/kustomize-build';
import { verifyOutput } from '../../src/render/verify-output';
import { miniFleet } from '../support/fleet-fixtures';
import { renderToDir } from '../support/render-to-dir';
import { SHARED_CRDS } from '../validate/fixtures';

/** A stream that records what was written; a terminal when `isTTY`. */
function recorder(isTTY: boolean, columns = 80): ProgressStream & { text: string } {
  const stream = {
    isTTY,
    columns,
    text: '',
    write(chunk: string) {
      stream.text += chunk;
      return true;
    },
  };
  return stream;
}

describe('progress of long runs', () => {
  test('shows on a terminal outside CI, rewriting one line, and clears it when done', () => {
    // GIVEN a terminal and no CI variable
    const stream = recorder(true);
    const progress = createProgress(stream, {});
    // WHEN two steps are reported and the run ends
    progress.update('kubectl kustomize: 1/15 Flux paths built or reused');
    progress.update('kubectl kustomize: 2/15 Flux paths built or reused');
    progress.done();
    // THEN each step replaced the line (carriage return + erase) and the line was erased at the end
    expect(stream.text).toBe(
      '\r\u001b[2Kkubectl kustomize: 1/15 Flux paths built or reused\r\u001b[2Kkubectl kustomize: 2/15 Flux paths built or reused\r\u001b[2K',
    );
  });

  test('is quiet in CI (CI=true) and when the stream is not a terminal (a pipe, a log file)', () => {
    for (const [isTTY, env] of [
      [true, { CI: 'true' }],
      [true, { CI: '1' }],
      [false, {}],
      [false, { CI: 'false' }],
    ] as const) {
      const stream = recorder(isTTY);
      const progress = createProgress(stream, env);
      progress.update('validating 198 objects');
      progress.done();
      expect(stream.text).toBe('');
    }
  });

  test('CI=false or an empty CI counts as a person at a terminal', () => {
    expect(isCi({ CI: 'false' })).toBe(false);
    expect(isCi({ CI: '' })).toBe(false);
    expect(isCi({ CI: '0' })).toBe(false);
    expect(isCi({ CI: 'true' })).toBe(true);
    expect(shouldShowProgress({ isTTY: true, write: () => true }, { CI: 'false' })).toBe(true);
    expect(shouldShowProgress({ write: () => true }, {})).toBe(false);
  });

  test('a line longer than the terminal is cut, so it never wraps (a wrapped line cannot be rewritten)', () => {
    const stream = recorder(true, 30);
    createProgress(stream, {}).update('x'.repeat(100));
    const shown = stream.text.replace('\r\u001b[2K', '');
    expect(shown.length).toBeLessThanOrEqual(29);
    expect(shown.endsWith('…')).toBe(true);
  });

  test('a terminal that does not say its width (columns 0) counts as 80 columns', () => {
    const stream = recorder(true, 0);
    createProgress(stream, {}).update('kubectl kustomize: 12/15 Flux paths built or reused');
    expect(stream.text).toBe('\r\u001b[2Kkubectl kustomize: 12/15 Flux paths built or reused');
  });

  test('done without any update writes nothing', () => {
    const stream = recorder(true);
    createProgress(stream, {}).done();
    expect(stream.text).toBe('');
  });
});

describe('check reports each kubectl kustomize build as it finishes', () => {
  test(
    'one call per Flux path, counting up to the number of paths',
    async () => {
      // GIVEN the committed output of cluster development
      const root = path.resolve(__dirname, '../..');
      const total = fluxPaths(root, 'development').length;
      const seen: [number, number][] = [];
      // WHEN its Flux paths are built (no cache: every path runs kubectl)
      await kustomizeClusters(root, ['development'], 2, undefined, (done, of) => seen.push([done, of]));
      // THEN progress counted 1..total of total
      expect(total).toBeGreaterThan(1);
      expect(seen).toEqual(Array.from({ length: total }, (_, i) => [i + 1, total]));
    },
    120_000,
  );
});

describe('check tells its progress what it is doing, stage by stage', () => {
  test(
    'render, drift, each kustomize build, validation, converge — in that order',
    async () => {
      // GIVEN a small fleet rendered and "committed" to a directory
      const { dir } = renderToDir(miniFleet());
      const messages: string[] = [];
      // WHEN it is checked with a progress callback (no cache: every Flux path runs kubectl)
      const { problems } = await verifyOutput(miniFleet(), dir, { env: {}, kustomizeCache: false, validate: { crdDirectory: SHARED_CRDS }, progress: (m) => messages.push(m) });
      // THEN the check passed, and progress named each stage once, and each build as it finished
      expect(problems.filter((p) => p.severity === 'error')).toEqual([]);
      const builds = messages.filter((m) => m.startsWith('kubectl kustomize:'));
      expect(builds.length).toBeGreaterThan(0);
      expect(messages).toEqual([
        'rendering the fleet',
        'comparing with the committed output',
        ...builds,
        expect.stringMatching(/^validating \d+ objects$/),
        'checking what the controllers make of them (converge)',
      ]);
      expect(builds.at(-1)).toBe(`kubectl kustomize: ${builds.length}/${builds.length} Flux paths built or reused`);
    },
    120_000,
  );
});
