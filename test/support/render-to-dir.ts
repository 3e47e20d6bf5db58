import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FleetSpec } from '../../src/model/fleet';
import { formatProblem } from '../../src/model/problem';
import { renderFleet, type RenderOptions, type RenderResult } from '../../src/render/render-fleet';
import { writeOutput } from '../../src/render/write-output';

export function tempDir(prefix = 'fleet-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Renders a fleet and fails with the formatted problems if it has errors. */
export function renderOk(fleet: FleetSpec, options?: RenderOptions): RenderResult {
  const result = renderFleet(fleet, options);
  const errors = result.problems.filter((p) => p.severity === 'error');
  if (errors.length > 0) throw new Error(errors.map(formatProblem).join('\n'));
  return result;
}

export function renderToDir(fleet: FleetSpec, dir = tempDir()): { dir: string; result: RenderResult } {
  const result = renderOk(fleet);
  writeOutput(dir, result.files);
  return { dir, result };
}
