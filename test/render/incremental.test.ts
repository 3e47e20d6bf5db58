import { readdirSync, readFileSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { syntheticFleet } from '../../src/bench/synthetic-fleet';
import type { FleetSpec } from '../../src/model/fleet';
import { synthesize } from '../../src/render/synthesize';
import { UNIT_CACHE_FILE } from '../../src/render/unit-cache';
import { tempDir } from '../support/render-to-dir';

function tree(dir: string, prefix = ''): Record<string, string> {
  return Object.fromEntries(
    readdirSync(dir)
      .filter((entry) => entry !== 'node_modules')
      .flatMap((entry) => {
        const path = join(dir, entry);
        return statSync(path).isDirectory() ? Object.entries(tree(path, `${prefix}${entry}/`)) : [[`${prefix}${entry}`, readFileSync(path, 'utf8')]];
      }),
  );
}

function withTag(fleet: FleetSpec, service: string, tag: string): FleetSpec {
  return {
    ...fleet,
    systems: fleet.systems.map((system) => ({
      ...system,
      environments: system.environments.map((env, i) => (i === 0 && system.services.some((s) => s.name === service) ? { ...env, services: { ...env.services, [service]: { ...env.services?.[service], tag } } } : env)),
    })),
  };
}

describe('incremental synth', () => {
  const fleet = syntheticFleet({ services: 12, clusters: 2, servicesPerTeam: 6 });
  const generator = 'test';

  it('re-renders only the changed service and writes output byte-identical to a full render', () => {
    // GIVEN a synthesised tree with its unit cache
    const dir = tempDir();
    synthesize(fleet, dir, { generator });

    // WHEN one service's release changes and synth runs incrementally
    const changed = withTag(fleet, 'svc-0-0', '7.7.7');
    const report = synthesize(changed, dir, { generator });

    // THEN only that service's overlay on that cluster was rendered…
    const rendered = report.result.units.filter((u) => !u.reused).map((u) => u.key);
    expect(rendered).toEqual(['overlay/cluster-0/svc-0-0']);
    expect(report.write.written).toEqual(['clusters/cluster-0/apps/team-0/svc-0-0/kustomization.yaml']);
    // …and the tree equals a full render of the changed fleet
    const full = tempDir();
    synthesize(changed, full, { generator, full: true });
    expect(tree(dir)).toEqual(tree(full));
  });

  it('re-renders a unit whose file was deleted or edited by hand', () => {
    const dir = tempDir();
    synthesize(fleet, dir, { generator });
    const file = 'dist/bases/svc-1-2/deployment.yaml';
    const original = readFileSync(join(dir, file), 'utf8');
    unlinkSync(join(dir, file));
    const report = synthesize(fleet, dir, { generator });
    expect(report.result.units.filter((u) => !u.reused).map((u) => u.key)).toEqual(['base/svc-1-2']);
    expect(readFileSync(join(dir, file), 'utf8')).toBe(original);
  });

  it('keeps reused units reusable after an incremental synth, and still notices a later hand edit', () => {
    // GIVEN an incremental synth after one change (its record takes reused files' stamps from the lookup)
    const dir = tempDir();
    synthesize(fleet, dir, { generator });
    const changed = withTag(fleet, 'svc-0-0', '7.7.7');
    synthesize(changed, dir, { generator });

    // WHEN nothing changes, every unit is reused
    const again = synthesize(changed, dir, { generator });
    expect(again.result.units.filter((u) => !u.reused)).toEqual([]);

    // AND a file of a unit that was reused twice is edited by hand: that unit alone renders again
    const file = 'dist/bases/svc-1-3/service.yaml';
    const original = readFileSync(join(dir, file), 'utf8');
    writeFileSync(join(dir, file), `${original}# edited\n`);
    const repaired = synthesize(changed, dir, { generator });
    expect(repaired.result.units.filter((u) => !u.reused).map((u) => u.key)).toEqual(['base/svc-1-3']);
    expect(readFileSync(join(dir, file), 'utf8')).toBe(original);
  });

  it('moves a service into an applyGroup incrementally: new directory written, old one pruned, same as a full render', () => {
    const dir = tempDir();
    synthesize(fleet, dir, { generator });
    const moved: FleetSpec = { ...fleet, systems: fleet.systems.map((system) => ({ ...system, services: system.services.map((s) => (s.name === 'svc-1-2' ? { ...s, applyGroup: 'batch' } : s)) })) };
    const report = synthesize(moved, dir, { generator });
    expect(report.result.units.filter((u) => !u.reused).map((u) => u.key)).toEqual(['overlay/cluster-0/svc-1-2', 'overlay/cluster-1/svc-1-2']);
    expect(report.write.deleted).toContain('clusters/cluster-0/apps/team-1/svc-1-2/kustomization.yaml');
    const full = tempDir();
    synthesize(moved, full, { generator, full: true });
    expect(tree(dir)).toEqual(tree(full));
  });

  it('renders everything when the generator changes or the cache is gone', () => {
    const dir = tempDir();
    synthesize(fleet, dir, { generator });
    expect(synthesize(fleet, dir, { generator: 'other' }).reusedUnits).toBe(0);
    rmSync(join(dir, UNIT_CACHE_FILE));
    expect(synthesize(fleet, dir, { generator }).reusedUnits).toBe(0);
    expect(synthesize(fleet, dir, { generator }).reusedUnits).toBeGreaterThan(0);
  });
});
