import { promote } from '../../src/commands/promote';
import { captureOutput, fleetErrorText } from '../support/command-output';
import { changedLines, filesContaining, lockRoot, lockText, removeLockRoots, treeSnapshot } from './lock-root';

// Renders the sample fleet (secrets reused from the committed output): seconds on a busy 2-core machine.
jest.setTimeout(120_000);

describe('promote command', () => {
  afterAll(removeLockRoots);
  const { printed } = captureOutput();

  it('copies what development runs into production, prints the changes and re-renders', async () => {
    // GIVEN the sample lock
    const root = lockRoot();
    const before = lockText(root);

    // WHEN development is promoted to production
    expect(await promote(['development', 'production'], root)).toBe(0);

    // THEN the three versions that differ change, markers intact, and the output follows
    expect(changedLines(before, lockText(root))).toEqual([
      '  clients-api: 1.0.b7d41e9c # {"$imagepolicy": "flux-system:production-clients-api:tag"}',
      '  inventory-api: 1.1.3c9f02ad # {"$imagepolicy": "flux-system:production-inventory-api:tag"}',
      '  front-end: 1.0.d25e8f71 # {"$imagepolicy": "flux-system:production-front-end:tag"}',
    ]);
    expect(printed()).toContain(
      [
        'promote development → production: src/environments/releases.yaml',
        '  production/clients-api    1.0.af873c03 → 1.0.b7d41e9c',
        '  production/inventory-api  1.0.af873c03 → 1.1.3c9f02ad',
        '  production/renting-api    1.0.af873c03 (unchanged)',
        '  production/resource-api   1.0.af873c03 (unchanged)',
        '  production/front-end      1.0.af873c03 → 1.0.d25e8f71',
      ].join('\n'),
    );
    expect(filesContaining(root, 'clusters/production', 'name: 555566667777.dkr.ecr.eu-west-1.amazonaws.com/bookstore.front-end\n    newTag: 1.0.d25e8f71')).toHaveLength(1);
    expect(filesContaining(root, 'clusters/development', 'name: 555566667777.dkr.ecr.eu-west-1.amazonaws.com/bookstore.front-end\n    newTag: 1.0.d25e8f71')).toHaveLength(1);
  }, 120_000);

  it('promotes only the named services', async () => {
    const root = lockRoot();
    const before = lockText(root);
    await promote(['development', 'production', 'front-end@1.0.d25e8f71'], root);
    expect(changedLines(before, lockText(root))).toEqual(['  front-end: 1.0.d25e8f71 # {"$imagepolicy": "flux-system:production-front-end:tag"}']);
  }, 120_000);

  it.each([
    [['development', 'production', 'flights'], 'error [promote/not-running] environment=development service=flights field=development: development does not run flights, so there is no version to promote'],
    [['development', 'production', 'front-end@3.3.0'], 'development runs front-end 1.0.d25e8f71, not 3.3.0'],
    [['production', 'development'], 'error [promote/wrong-direction] environment=development field=pipeline: development does not come after production in the pipeline'],
    [['development', 'qa'], 'error [promote/not-in-pipeline] environment=qa field=pipeline: "qa" is not an environment of the promotion pipeline'],
    [['staging', 'production', 'flights'], 'flights (system flyreserve) has no production environment'],
    [['development'], 'error [promote/usage]'],
  ])('refuses %j with a clear message and writes nothing', async (argv, message) => {
    const root = lockRoot();
    const before = treeSnapshot(root);
    expect(await fleetErrorText(() => promote(argv, root))).toContain(message);
    expect(treeSnapshot(root)).toEqual(before);
  });
});
