import { release } from '../../src/commands/release';
import { fleet } from '../../src/environments';
import { captureOutput, fleetErrorText } from '../support/command-output';
import { changedLines, filesContaining, lockRoot, lockText, removeLockRoots, treeSnapshot } from './lock-root';

// Renders the sample fleet (secrets reused from the committed output): seconds on a busy 2-core machine.
jest.setTimeout(120_000);

describe('release command', () => {
  afterAll(removeLockRoots);
  const { printed, clearPrinted } = captureOutput();

  it('pins the version in the lock, keeping comments and markers, and re-renders', async () => {
    // GIVEN the sample lock
    const root = lockRoot();
    const before = lockText(root);

    // WHEN a MAJOR.MINOR.<git sha> build is released to development
    expect(await release(['development', 'clients-api', '1.5.3f9c2e1'], root)).toBe(0);

    // THEN one line of the lock changed, marker included, and the output carries the version
    expect(changedLines(before, lockText(root))).toEqual(['  clients-api: 1.5.3f9c2e1 # {"$imagepolicy": "flux-system:development-clients-api:tag"}']);
    expect(filesContaining(root, 'clusters/development', 'newTag: 1.5.3f9c2e1')).toHaveLength(1);
    expect(filesContaining(root, 'clusters/production', 'newTag: 1.5.3f9c2e1')).toEqual([]);
    expect(filesContaining(root, 'clusters/production', 'name: 555566667777.dkr.ecr.eu-west-1.amazonaws.com/bookstore.clients-api\n    newTag: 1.0.af873c03')).toHaveLength(1);
    expect(printed()).toContain('release: src/environments/releases.yaml\n  development/clients-api  1.0.b7d41e9c → 1.5.3f9c2e1\nrendered ');

    // AND releasing the same version again changes nothing
    clearPrinted();
    await release(['development', 'clients-api', '1.5.3f9c2e1'], root);
    expect(printed()).toContain('1.5.3f9c2e1 (unchanged)\nnothing to change\n');
  }, 120_000);

  it.each([
    [['prod', 'flights', 'v1.1'], 'error [release/unknown-environment] environment=prod service=flights field=environment: no environment named "prod"'],
    [['staging', 'flight', 'v1.1'], 'error [release/unknown-service] environment=staging service=flight field=service: no service named "flight"'],
    [['staging', 'flights', 'v1.1:latest'], 'error [release/invalid-version] environment=staging service=flights field=version: "v1.1:latest" is not an image tag or sha256 digest'],
    [['production', 'flights', 'v1.1'], 'error [release/unknown-environment] environment=production service=flights field=environment: flights (system flyreserve) has no production environment'],
    [['staging', 'flights'], 'error [release/usage] : expected <environment> <service> <tag>, got 2 argument(s)'],
  ])('rejects %j with a clear message and writes nothing', async (argv, message) => {
    const root = lockRoot();
    const before = treeSnapshot(root);
    expect(await fleetErrorText(() => release(argv, root))).toContain(message);
    expect(treeSnapshot(root)).toEqual(before);
  });

  it('writes nothing when the new lock would not render', async () => {
    // GIVEN a fleet whose model has an unrelated error
    const root = lockRoot();
    const before = treeSnapshot(root);
    const broken = { ...fleet, clusters: fleet.clusters.map((c) => (c.name === 'staging' ? { ...c, kubernetesVersion: '31' } : c)) };

    // THEN the release is refused with that problem, and nothing is written
    expect(await fleetErrorText(() => release(['staging', 'flights', 'v1.1'], root, broken))).toContain('model/invalid-kubernetes-version');
    expect(treeSnapshot(root)).toEqual(before);
  }, 120_000);

  it('prints without writing on --dry-run, and edits only the lock on --no-render', async () => {
    const root = lockRoot();
    const before = lockText(root);
    const tree = treeSnapshot(root);
    await release(['staging', 'flights', 'v1.1', '--dry-run'], root);
    expect(treeSnapshot(root)).toEqual(tree);
    expect(printed()).toContain('release (dry run, nothing written)');

    await release(['staging', 'flights', 'v1.1', '--no-render'], root);
    expect(changedLines(before, lockText(root))).toEqual(['  flights: v1.1 # {"$imagepolicy": "flux-system:staging-flights:tag"}']);
    expect(filesContaining(root, 'clusters', 'v1.1')).toEqual([]);
  }, 120_000);
});
