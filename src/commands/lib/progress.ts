/**
 * Progress of long runs (`check`, `bench`), shown on one rewritten line of a terminal and never
 * in CI or a pipe: logs stay the same from run to run, and a test or CI log never holds
 * carriage returns. Results and problems are printed by the command as before; progress only says
 * what the run is doing while the user waits.
 *
 * scripts/build.mjs applies the same rule (`shouldShowProgress`) to its "bundling…" line, which
 * runs before any bundle exists.
 */

/** The part of a stream progress needs: a TTY flag, writing and (on a terminal) the width. */
export interface ProgressStream {
  readonly isTTY?: boolean;
  readonly columns?: number;
  write(text: string): boolean;
}

export interface Progress {
  /** Replaces the progress line with `message` (one line, cut to the terminal's width). */
  update(message: string): void;
  /** Clears the progress line, so the command's own output starts at column 0. */
  done(): void;
}

/**
 * True when `CI` is set to anything but `false`/`0`/empty: GitHub Actions, GitLab CI, Buildkite,
 * CircleCI and Travis all set `CI=true`.
 */
export function isCi(env: NodeJS.ProcessEnv): boolean {
  const value = env.CI?.trim().toLowerCase();
  return value !== undefined && value !== '' && value !== 'false' && value !== '0';
}

/** Progress is for a person at a terminal: the stream is a TTY and this is not CI. */
export function shouldShowProgress(stream: ProgressStream, env: NodeJS.ProcessEnv): boolean {
  return stream.isTTY === true && !isCi(env);
}

const QUIET: Progress = { update: () => undefined, done: () => undefined };

/** `\r` + erase line: the next text replaces the current progress line. */
const REWRITE_LINE = '\r\u001b[2K';

/**
 * A progress line on `stream` (stderr, so stdout stays the command's result), or a no-op when
 * `shouldShowProgress` says no.
 */
export function createProgress(stream: ProgressStream = process.stderr, env: NodeJS.ProcessEnv = process.env): Progress {
  if (!shouldShowProgress(stream, env)) return QUIET;
  let shown = false;
  return {
    update(message) {
      // A terminal of unknown width (columns 0 or unset, e.g. under `script`) counts as 80.
      const width = Math.max(20, (stream.columns || 80) - 1);
      const line = message.replace(/\s+/g, ' ');
      stream.write(`${REWRITE_LINE}${line.length > width ? `${line.slice(0, width - 1)}…` : line}`);
      shown = true;
    },
    done() {
      if (shown) stream.write(REWRITE_LINE);
      shown = false;
    },
  };
}
