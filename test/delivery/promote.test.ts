import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatChanges } from '../../src/delivery/lock-plan';
import { nextEnvironment, parsePromotedService, planPromotion } from '../../src/delivery/promote';
import { parseReleaseLock, setLockedVersion } from '../../src/delivery/release-lock';
import { fleet } from '../../src/environments';
import type { FleetSpec } from '../../src/model/fleet';
import { RELEASE_LOCK_FILE } from '../../src/model/release-lock-types';

const LOCK = readFileSync(join(__dirname, '../..', RELEASE_LOCK_FILE), 'utf8');

function problemsOf(result: ReturnType<typeof planPromotion>): string[] {
  return result.ok ? [] : result.problems.map((p) => p.code);
}

/** The sample fleet with a staging environment and cluster for bookstore too. */
function withBookstoreStaging(): FleetSpec {
  const bookstore = fleet.systems.find((s) => s.name === 'bookstore');
  if (!bookstore) throw new Error('sample fleet changed');
  // staging's cluster is in another account and has no mesh: no IRSA role of development's
  // account (model/role-account-mismatch), no retries nothing would apply (traffic/unsupported).
  const development = bookstore.environments[0];
  const staging = { ...development, name: 'staging', services: { ...development.services, 'clients-api': { canary: false as const, traffic: false as const } } };
  return {
    ...fleet,
    systems: fleet.systems.map((s) => (s === bookstore ? { ...s, environments: [bookstore.environments[0], staging, bookstore.environments[1]] } : s)),
    clusters: fleet.clusters.map((c) => (c.name === 'staging' ? { ...c, services: [...c.services, 'clients-api'] } : c)),
  };
}

describe('planPromotion on the sample fleet', () => {
  it('follows each system through the pipeline: bookstore goes from development straight to production', () => {
    const bookstore = fleet.systems.find((s) => s.name === 'bookstore');
    const flyreserve = fleet.systems.find((s) => s.name === 'flyreserve');
    expect(bookstore && nextEnvironment(fleet, bookstore, 'development')).toBe('production');
    expect(flyreserve && nextEnvironment(fleet, flyreserve, 'staging')).toBeUndefined();
  });

  it('copies every version development runs into production and lists what changes', () => {
    // WHEN development is promoted without naming services
    const result = planPromotion(fleet, LOCK, { from: 'development', to: 'production' });

    // THEN every bookstore service is copied; unchanged ones are listed as such
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    expect(formatChanges(result.plan.changes)).toEqual([
      '  production/clients-api    1.0.af873c03 → 1.0.b7d41e9c',
      '  production/inventory-api  1.0.af873c03 → 1.1.3c9f02ad',
      '  production/renting-api    1.0.af873c03 (unchanged)',
      '  production/resource-api   1.0.af873c03 (unchanged)',
      '  production/front-end      1.0.af873c03 → 1.0.d25e8f71',
    ]);
    expect(parseReleaseLock(result.plan.text).releases.production).toMatchObject({ 'clients-api': '1.0.b7d41e9c', flightspecials: '2.3.0' });
    expect(result.plan.text.split('\n').filter((line, i) => line !== LOCK.split('\n')[i])).toHaveLength(3);
  });

  it('promotes only the services named, and only the version the caller pinned', () => {
    const one = planPromotion(fleet, LOCK, { from: 'development', to: 'production', services: [parsePromotedService('front-end@1.0.d25e8f71')] });
    expect(one.ok && one.plan.changes).toEqual([{ environment: 'production', service: 'front-end', from: '1.0.af873c03', to: '1.0.d25e8f71' }]);

    const stale = planPromotion(fleet, LOCK, { from: 'development', to: 'production', services: [parsePromotedService('front-end@3.3.0')] });
    expect(problemsOf(stale)).toEqual(['promote/version-not-running']);
    expect(stale.ok ? '' : stale.problems[0].message).toBe('development runs front-end 1.0.d25e8f71, not 3.3.0');
  });

  it('refuses a service the source environment does not run', () => {
    // flights runs only in staging; flightspecials only in production
    expect(problemsOf(planPromotion(fleet, LOCK, { from: 'development', to: 'production', services: [{ name: 'flights' }] }))).toEqual(['promote/not-running']);
    const noCluster: FleetSpec = { ...fleet, clusters: fleet.clusters.filter((c) => c.environment !== 'development') };
    expect(problemsOf(planPromotion(noCluster, LOCK, { from: 'development', to: 'production', services: [{ name: 'clients-api' }] }))).toEqual(['promote/not-running']);
  });

  it('refuses to leave the pipeline, to go backwards, or to a system without the target environment', () => {
    expect(problemsOf(planPromotion(fleet, LOCK, { from: 'development', to: 'qa' }))).toEqual(['promote/not-in-pipeline']);
    expect(problemsOf(planPromotion(fleet, LOCK, { from: 'production', to: 'development' }))).toEqual(['promote/wrong-direction']);
    expect(problemsOf(planPromotion(fleet, LOCK, { from: 'staging', to: 'production', services: [{ name: 'flights' }] }))).toEqual(['promote/unknown-environment']);
    expect(problemsOf(planPromotion(fleet, LOCK, { from: 'staging', to: 'production' }))).toEqual(['promote/nothing-to-promote']);
    expect(problemsOf(planPromotion(fleet, LOCK, { from: 'development', to: 'production', services: [{ name: 'ghost' }] }))).toEqual(['release/unknown-service']);
  });

  it('refuses to skip an environment the system has', () => {
    // GIVEN bookstore with a staging environment that runs clients-api
    const extended = withBookstoreStaging();
    const lock = setLockedVersion(LOCK, 'staging', 'clients-api', '1.0.b7d41e9c');

    // WHEN development is promoted straight to production
    const skipped = planPromotion(extended, lock, { from: 'development', to: 'production', services: [{ name: 'clients-api' }] });

    // THEN it must go through staging
    expect(problemsOf(skipped)).toEqual(['promote/skips-environment']);
    expect(skipped.ok ? '' : skipped.problems[0].fix).toBe('promote development → staging first, then staging → production');
    const step = planPromotion(extended, lock, { from: 'development', to: 'staging', services: [{ name: 'clients-api' }] });
    expect(step.ok && step.plan.changes).toEqual([{ environment: 'staging', service: 'clients-api', from: '1.0.b7d41e9c', to: '1.0.b7d41e9c' }]);
  });
});
