import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { planRelease } from '../../src/delivery/release';
import { fleet } from '../../src/environments';
import type { FleetSpec } from '../../src/model/fleet';
import { RELEASE_LOCK_FILE } from '../../src/model/release-lock-types';

const LOCK = readFileSync(join(__dirname, '../..', RELEASE_LOCK_FILE), 'utf8');

describe('planRelease on the sample fleet', () => {
  it('pins a MAJOR.MINOR.<git sha> version and reports the change', () => {
    // WHEN development gets a build of clients-api
    const result = planRelease(fleet, LOCK, { environment: 'development', service: 'clients-api', version: '1.5.3f9c2e1' });

    // THEN the plan changes that entry only
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    expect(result.plan.changes).toEqual([{ environment: 'development', service: 'clients-api', from: '1.0.b7d41e9c', to: '1.5.3f9c2e1' }]);
    expect(result.plan.releases.development['clients-api']).toBe('1.5.3f9c2e1');
    expect(result.plan.releases.production['clients-api']).toBe('1.0.af873c03');
    expect(result.plan.warnings).toEqual([]);
  });

  it('accepts a sha256 digest', () => {
    const digest = `sha256:${'ab'.repeat(32)}`;
    const result = planRelease(fleet, LOCK, { environment: 'staging', service: 'flights', version: digest });
    expect(result.ok && result.plan.releases.staging.flights).toBe(digest);
  });

  it.each([
    [{ environment: 'prod', service: 'flights', version: 'v1.1' }, 'release/unknown-environment', 'use one of: development, production, staging'],
    [{ environment: 'staging', service: 'flight', version: 'v1.1' }, 'release/unknown-service', 'use one of: '],
    [{ environment: 'production', service: 'flights', version: 'v1.1' }, 'release/unknown-environment', 'release it to one of: staging'],
    [{ environment: 'staging', service: 'flights', version: 'v1 beta' }, 'release/invalid-version', 'MAJOR.MINOR.<git sha>'],
    [{ environment: 'staging', service: 'flights', version: 'flights:v1.1' }, 'release/invalid-version', 'sha256:<64 hex>'],
    [{ environment: 'staging', service: 'flights', version: 'sha256:abc' }, 'release/invalid-version', 'sha256:<64 hex>'],
  ])('rejects %j with %s and says what to write', (request, code, fix) => {
    const result = planRelease(fleet, LOCK, request);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map((p) => p.code)).toEqual([code]);
    expect(result.problems[0].fix).toContain(fix);
    expect(result.problems[0].place).toMatchObject({ environment: request.environment, service: request.service });
  });

  it('reports every mistake of one request at once', () => {
    const result = planRelease(fleet, LOCK, { environment: 'qa', service: 'nope', version: '' });
    expect(result.ok ? [] : result.problems.map((p) => p.code)).toEqual(['release/unknown-environment', 'release/unknown-service', 'release/invalid-version']);
  });

  it('refuses when the lock itself does not parse', () => {
    const result = planRelease(fleet, `${LOCK}\n  broken: [\n`, { environment: 'staging', service: 'flights', version: 'v1.1' });
    expect(result.ok ? [] : result.problems.map((p) => p.code)).toEqual(['release/invalid-lock']);
  });

  it('warns when no cluster of the environment runs the service', () => {
    const withoutStaging: FleetSpec = { ...fleet, clusters: fleet.clusters.filter((c) => c.environment !== 'staging') };
    const result = planRelease(withoutStaging, LOCK, { environment: 'staging', service: 'flights', version: 'v1.1' });
    expect(result.ok && result.plan.warnings.map((p) => p.code)).toEqual(['release/not-deployed']);
  });
});
