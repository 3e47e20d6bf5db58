import { checkFleet } from '../../src/model/check-model';
import { envReferences, orderEnvByReferences, shellStyleReferences } from '../../src/model/env-references';
import type { FleetSpec } from '../../src/model/fleet';
import type { ServiceSpec } from '../../src/model/service';
import { renderOk } from '../support/render-to-dir';
import { miniFleet } from '../support/fleet-fixtures';

const fleetWith = (service: Partial<ServiceSpec>, override: Record<string, unknown> = {}): FleetSpec =>
  miniFleet({
    service,
    system: { environments: [{ name: 'staging', domain: 'shop.test', namespace: 'shop', services: { web: { tag: '1.0.0', ...override } } }] },
  });
const envFindings = (fleet: FleetSpec) =>
  checkFleet(fleet)
    .filter((p) => /env-reference/.test(p.code))
    .map((p) => `${p.severity} ${p.code} ${p.place.environment ?? '-'} ${p.place.field}`);

describe('variable references as the kubelet reads them', () => {
  it('finds $(VAR) references, skipping the $$ escape and unterminated ones', () => {
    expect(envReferences('-Dprofile=$(PROFILE) -Dx=$(X_1)')).toEqual(['PROFILE', 'X_1']);
    expect(envReferences('$$(LITERAL) and $(REAL)')).toEqual(['REAL']);
    expect(envReferences('$$$(AFTER_ESCAPED_DOLLAR)')).toEqual(['AFTER_ESCAPED_DOLLAR']);
    expect(envReferences('price: $5, $(UNCLOSED')).toEqual([]);
    expect(shellStyleReferences('-Da=${A} -Db=${B_2} $(C)')).toEqual(['A', 'B_2']);
  });

  it('orders each variable after the ones it references, keeping the written order otherwise', () => {
    // GIVEN the seed's order: JAVA_OPTIONS refers to SPRING_PROFILES_ACTIVE, which is defined after it
    const entries = [
      ['PROFILE', 'prod'],
      ['JAVA_OPTIONS', '-Dspring.profiles.active=$(SPRING_PROFILES_ACTIVE) -Dlog=$(LOG)'],
      ['SPRING_PROFILES_ACTIVE', '$(PROFILE)'],
      ['LOG', 'info'],
      ['DB_SCHEMA', 'travelbuddy'],
    ] as const;
    // THEN every reference is defined before its use, and unrelated variables keep their place
    expect(orderEnvByReferences(entries).map(([name]) => name)).toEqual(['PROFILE', 'SPRING_PROFILES_ACTIVE', 'LOG', 'JAVA_OPTIONS', 'DB_SCHEMA']);
  });

  it('keeps variables of a cycle, and those behind it, at the end in written order', () => {
    const entries = [
      ['A', '$(B)'],
      ['C', 'plain'],
      ['B', '$(A)'],
      ['D', '$(B)'],
    ] as const;
    expect(orderEnvByReferences(entries).map(([name]) => name)).toEqual(['C', 'A', 'B', 'D']);
  });
});

describe('synth checks environment references', () => {
  it('warns on ${VAR}, which reaches the process literally, with the Kubernetes form as the fix', () => {
    const fleet = fleetWith({ env: { JAVA_OPTS: '-Dspring.profiles.active=${SPRING_PROFILES_ACTIVE}' }, config: { SPRING_PROFILES_ACTIVE: 'staging' } });
    const [problem, ...rest] = checkFleet(fleet).filter((p) => p.code === 'model/shell-env-reference');
    expect(rest).toEqual([]);
    expect(problem).toMatchObject({ severity: 'warning', place: { service: 'web', field: 'env.JAVA_OPTS', definition: 'test/shop.ts' } });
    expect(problem.message).toContain('does not expand');
    expect(problem.fix).toContain('"$(SPRING_PROFILES_ACTIVE)"');
  });

  it('accepts references to env and config (envFrom) variables, and the $$ escape', () => {
    expect(envFindings(fleetWith({ env: { A: '$(B)-$(FROM_CONFIG)', B: 'b', C: '$$(NOT_A_VAR)' }, config: { FROM_CONFIG: 'x' }, args: ['--a=$(A)'] }))).toEqual([]);
  });

  it('warns on a reference to a variable the container does not have, in env, command and args', () => {
    expect(envFindings(fleetWith({ env: { A: '$(MISSING)' }, command: ['run', '$(NOPE)'], args: ['$(A)', '$(GONE)'] }))).toEqual([
      'warning model/undefined-env-reference - env.A',
      'warning model/undefined-env-reference - command[1]',
      'warning model/undefined-env-reference - args[1]',
    ]);
  });

  it('names the environment when only its override breaks a reference', () => {
    expect(envFindings(fleetWith({ env: { A: '$(B)', B: 'b' } }, { env: { A: '$(C)' } }))).toEqual(['warning model/undefined-env-reference staging env.A']);
  });

  it('refuses a reference cycle', () => {
    expect(envFindings(fleetWith({ env: { A: '$(B)', B: '$(A)' } }))).toEqual(['error model/env-reference-cycle - env.A']);
  });

  it('renders the container environment in an order the kubelet expands', () => {
    const fleet = fleetWith({ env: { JAVA_OPTIONS: '-Dspring.profiles.active=$(SPRING_PROFILES_ACTIVE)', SPRING_PROFILES_ACTIVE: 'staging' } });
    const deployment = renderOk(fleet).clusters[0].objects.find((o) => o.kind === 'Deployment') as any;
    expect(deployment.spec.template.spec.containers[0].env.map((e: { name: string }) => e.name)).toEqual(['SPRING_PROFILES_ACTIVE', 'JAVA_OPTIONS']);
  });
});
