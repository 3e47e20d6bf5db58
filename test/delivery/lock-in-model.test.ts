import { fleet } from '../../src/environments';
import { checkFleet } from '../../src/model/check-model';
import type { FleetSpec } from '../../src/model/fleet';
import { resolveService } from '../../src/model/resolve';
import { renderFleet } from '../../src/render/render-fleet';
import { miniFleet } from '../support/fleet-fixtures';

describe('release lock in the model', () => {
  it('wins over tags in TypeScript', () => {
    // GIVEN a fleet with a TypeScript tag and a lock entry for the same service
    const base = miniFleet();
    const locked: FleetSpec = { ...base, releases: { staging: { web: '2.0.0' } } };
    const system = locked.systems[0];
    const target = { cluster: locked.clusters[0], environment: system.environments[0] };

    // THEN the lock's version is the one rendered
    expect(resolveService(base, system, system.services[0], target).version).toBe('1.0.0');
    expect(resolveService(locked, system, system.services[0], target).version).toBe('2.0.0');
  });

  it('counts a lock entry as the tag a cluster needs', () => {
    const untagged = miniFleet({ system: { environments: [{ name: 'staging', domain: 'shop.test' }] } });
    expect(checkFleet(untagged).map((p) => p.code)).toContain('model/missing-tag');
    expect(checkFleet({ ...untagged, releases: { staging: { web: '1.0.0' } } }).map((p) => p.code)).not.toContain('model/missing-tag');
    expect(checkFleet(untagged).find((p) => p.code === 'model/missing-tag')?.fix).toContain('npm run release -- staging web <tag>');
  });

  it('rejects lock entries for unknown environments or services, or with malformed versions', () => {
    const releases = { qa: { web: '1.0.0' }, staging: { web: 'not a tag', ghost: '1.0.0' } };
    const problems = checkFleet({ ...miniFleet(), releases }).filter((p) => p.code.startsWith('release/'));
    expect(problems.map((p) => [p.code, p.place.environment, p.place.service ?? null])).toEqual([
      ['release/unknown-environment', 'qa', null],
      ['release/invalid-version', 'staging', 'web'],
      ['release/unknown-service', 'staging', 'ghost'],
    ]);
    expect(problems.every((p) => p.place.definition === 'src/environments/releases.yaml')).toBe(true);
  });

  it('rejects an entry for an environment its system does not have', () => {
    const problems = checkFleet({ ...fleet, releases: { ...fleet.releases, staging: { ...fleet.releases?.staging, 'clients-api': '1.0.0' } } });
    expect(problems.filter((p) => p.code.startsWith('release/')).map((p) => `${p.code} ${p.place.service}`)).toEqual(['release/unknown-environment clients-api']);
  });

  it('the sample fleet takes every version from the lock', () => {
    expect(checkFleet(fleet).filter((p) => p.code.startsWith('release/') || p.code === 'model/missing-tag')).toEqual([]);
    for (const system of fleet.systems) for (const environment of system.environments) for (const override of Object.values(environment.services ?? {})) expect(override.tag).toBeUndefined();
    for (const system of fleet.systems) for (const service of system.services) expect(service.tag).toBeUndefined();
  });

  it('renders byte for byte what the same versions rendered from TypeScript', () => {
    // GIVEN the sample fleet with every lock entry written back as a TypeScript override tag
    const releases = fleet.releases ?? {};
    const fromTypeScript: FleetSpec = {
      ...fleet,
      releases: undefined,
      systems: fleet.systems.map((system) => ({
        ...system,
        environments: system.environments.map((environment) => ({
          ...environment,
          services: {
            ...environment.services,
            ...Object.fromEntries(
              system.services
                .filter((service) => releases[environment.name]?.[service.name] !== undefined)
                .map((service) => [service.name, { ...environment.services?.[service.name], tag: releases[environment.name][service.name] }]),
            ),
          },
        })),
      })),
    };

    // THEN both render the same files
    const fromLock = renderFleet(fleet);
    const fromTags = renderFleet(fromTypeScript);
    expect(fromLock.files.size).toBeGreaterThan(0);
    expect([...fromLock.files]).toEqual([...fromTags.files]);
  });
});
