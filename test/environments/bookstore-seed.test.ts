import { bookstore } from '../../src/environments/bookstore';
import { fleet } from '../../src/environments';
import { checkFleet } from '../../src/model/check-model';
import type { FleetSpec, SystemSpec } from '../../src/model/fleet';

/**
 * Seed 001 (bookstore): its system as written, and the bugs the seed hit, stopped at synth.
 * Each mutation starts from the sample fleet and changes only the bookstore system or its lock.
 */
function withBookstore(change: (system: SystemSpec) => SystemSpec, releases = fleet.releases): FleetSpec {
  return { ...fleet, releases, systems: fleet.systems.map((s) => (s.name === 'bookstore' ? change(s) : s)) };
}

function problemsOf(variant: FleetSpec, code: string) {
  return checkFleet(variant).filter((p) => p.code === code);
}

describe('bookstore (seed 001)', () => {
  it("declares the seed's five services with ECR images and eksctl service accounts", () => {
    expect(bookstore.services.map((s) => s.name)).toEqual(['clients-api', 'inventory-api', 'renting-api', 'resource-api', 'front-end']);
    for (const service of bookstore.services) {
      expect(service.image).toBe(`555566667777.dkr.ecr.eu-west-1.amazonaws.com/bookstore.${service.name}`);
      expect(service.serviceAccount).toMatchObject({ name: `${service.name}-iam-service-account` });
      expect(service.env?.OTEL_EXPORTER_OTLP_ENDPOINT).toMatch(/^http:\/\/adot-collector\./);
    }
    for (const environment of bookstore.environments) {
      for (const service of bookstore.services) {
        expect(environment.services?.[service.name]?.serviceAccount?.awsRoleArn).toMatch(/^arn:aws:iam::\d{12}:role\//);
        // MAJOR.MINOR.GIT_SHA, e.g. the seed's 1.0.af873c03
        expect(fleet.releases?.[environment.name]?.[service.name]).toMatch(/^\d+\.\d+\.[0-9a-f]{7,40}$/);
      }
    }
  });

  it("passes the model checks with the seed's -development host pattern", () => {
    expect(checkFleet(fleet).filter((p) => p.severity === 'error')).toEqual([]);
  });

  it('fails synth when development and production resolve to the same hosts in the shared zone', () => {
    // The seed before helm-v5: both namespaces routed `<service>.<domain>`.
    const colliding = withBookstore((system) => ({
      ...system,
      environments: system.environments.map((e) => (e.name === 'development' ? { ...e, ingressHost: undefined, services: { ...e.services, 'front-end': { ...e.services?.['front-end'], ingress: undefined } } } : e)),
    }));
    const problems = problemsOf(colliding, 'model/host-collision');
    expect(problems.length).toBeGreaterThanOrEqual(5);
    expect(problems.map((p) => p.message).join('\n')).toContain('bookstore.example.com/');
    expect(problems[0].message).toMatch(/development|production/);
    expect(problems[0].fix).toContain('{service}-{environment}.{domain}');
  });

  it("fails synth when an IRSA role is in another account than the environment's cluster", () => {
    // eksctl creates the role in the account it runs in; a production role copied into development is the classic slip.
    const production = bookstore.environments.find((e) => e.name === 'production')!;
    const wrong = production.services!['inventory-api'].serviceAccount!.awsRoleArn!;
    const variant = withBookstore((system) => ({
      ...system,
      environments: system.environments.map((e) => (e.name === 'development' ? { ...e, services: { ...e.services, 'inventory-api': { serviceAccount: { awsRoleArn: wrong } } } } : e)),
    }));
    const [problem, ...rest] = problemsOf(variant, 'model/role-account-mismatch');
    expect(rest).toEqual([]);
    expect(problem.place).toMatchObject({ cluster: 'development', service: 'inventory-api' });
    expect(problem.message).toContain('444455556666');
  });

  it('fails synth when a version is not pinned ("grab the latest imageTag")', () => {
    const { 'inventory-api': _dropped, ...rest } = fleet.releases!.production;
    const variant = withBookstore((system) => system, { ...fleet.releases, production: rest });
    const problems = problemsOf(variant, 'model/missing-tag');
    expect(problems.map((p) => p.place.service)).toEqual(['inventory-api']);
  });
});
