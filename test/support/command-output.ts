import { FleetError, formatProblem } from '../../src/model/problem';

/**
 * Silences stdout and stderr around each test of the calling `describe`; `printed()` is what
 * the command wrote to stdout in the current test (since the last `clearPrinted()`).
 */
export function captureOutput(): { printed: () => string; clearPrinted: () => void } {
  let stdout: jest.SpyInstance | undefined;
  let stderr: jest.SpyInstance | undefined;
  beforeEach(() => {
    stdout = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  });
  afterEach(() => {
    stdout?.mockRestore();
    stderr?.mockRestore();
  });
  return {
    printed: () => (stdout?.mock.calls ?? []).map((call) => String(call[0])).join(''),
    clearPrinted: () => stdout?.mockClear(),
  };
}

/** The formatted problems of the FleetError a command throws; fails when it throws nothing else. */
export async function fleetErrorText(run: () => Promise<unknown>): Promise<string> {
  try {
    await run();
  } catch (cause) {
    if (cause instanceof FleetError) return cause.problems.map(formatProblem).join('\n');
    throw cause;
  }
  throw new Error('expected a FleetError');
}
