import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { diffTrees, extractRef, treeClusters } from '../../../src/delivery/diff/output-trees';
import type { ObjectDiff } from '../../../src/delivery/diff/semantic-diff';
import { formatMarkdown } from '../../../src/delivery/diff/format-markdown';
import { FleetError } from '../../../src/model/problem';
import { toYaml } from '../../../src/render/yaml';
import { writeCraftedTree } from './crafted-tree';
import { deployment, riskyCluster, SECRET_VALUES } from './objects';

// Runs kubectl kustomize: on a busy 2-core machine one test can take far longer than jest's 5 s default.
jest.setTimeout(120_000);

function git(dir: string, ...args: string[]): string {
  return execFileSync('git', ['-C', dir, '-c', 'user.name=test', '-c', 'user.email=test@example.test', ...args], { encoding: 'utf8' });
}

describe('diff of output trees on disk (kubectl kustomize, one build per cluster and tree)', () => {
  // GIVEN a repository whose committed output has a production and a staging cluster, and a
  // working tree where every risk class occurs in production and staging drops out entirely
  const repo = mkdtempSync(join(tmpdir(), 'fleet-diff-repo-'));
  const head = mkdtempSync(join(tmpdir(), 'fleet-diff-head-'));
  const { before, after } = riskyCluster();
  writeCraftedTree(repo, { production: before, staging: [deployment('example/web:1.0.0')] });
  git(repo, 'init', '--quiet', '--initial-branch=main');
  git(repo, 'add', '.');
  git(repo, 'commit', '--quiet', '-m', 'output');
  writeCraftedTree(head, { production: after, staging: [deployment('example/web:2.0.0')] });
  // …and the production cluster gains an extra entry file (as deliveryEntries adds them)
  const provider = { apiVersion: 'notification.toolkit.fluxcd.io/v1beta3', kind: 'Provider', metadata: { name: 'fleet', namespace: 'flux-system' }, spec: { type: 'slack', secretRef: { name: 'slack' } } };
  writeFileSync(join(head, 'clusters/production/notifications.yaml'), toYaml(provider));
  writeFileSync(join(head, 'clusters/production/kustomization.yaml'), toYaml({ resources: ['flux-system', 'sources.yaml', 'infrastructure.yaml', 'apps.yaml', 'notifications.yaml'] }));

  let base = '';
  let diffs: ObjectDiff[] = [];
  beforeAll(() => {
    // WHEN HEAD's output is extracted and both trees are built and compared
    base = extractRef(repo, 'HEAD');
    diffs = diffTrees(base, head, { production: (cluster) => cluster === 'production' });
  });
  afterAll(() => {
    for (const dir of [repo, head, base]) if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('finds the clusters of both trees', () => {
    expect(treeClusters(base)).toEqual(['production', 'staging']);
  });

  it('compares built objects per cluster and flags every risk class', () => {
    const classes = new Set(diffs.filter((d) => d.cluster === 'production').flatMap((d) => d.risks.map((r) => r.class)));
    expect([...classes].sort()).toEqual(['immutable', 'production-image', 'prune', 'replicas', 'resources', 'secret']);
    expect(diffs.filter((d) => d.cluster === 'production').map((d) => `${d.change} ${d.object.kind}/${d.object.name}`)).toContain('deleted ConfigMap/legacy');
  });

  it('includes entry files the cluster kustomization lists besides the standard ones', () => {
    expect(diffs.find((d) => d.object.kind === 'Provider')).toMatchObject({ cluster: 'production', change: 'added', object: { namespace: 'flux-system', name: 'fleet' } });
  });

  it('does not flag the image change of a non-production cluster', () => {
    const staging = diffs.filter((d) => d.cluster === 'staging');
    expect(staging.map((d) => [d.object.kind, d.risks.map((r) => r.class)])).toEqual([['Deployment', []]]);
  });

  it('never prints secret values', () => {
    const markdown = formatMarkdown(diffs);
    for (const value of SECRET_VALUES) expect(markdown).not.toContain(value);
  });

  it('treats a ref without output as an empty tree and refuses an unknown ref', () => {
    const empty = mkdtempSync(join(tmpdir(), 'fleet-diff-empty-'));
    try {
      git(empty, 'init', '--quiet');
      git(empty, 'commit', '--quiet', '--allow-empty', '-m', 'nothing');
      const extracted = extractRef(empty, 'HEAD');
      expect(treeClusters(extracted)).toEqual([]);
      rmSync(extracted, { recursive: true, force: true });
      expect(() => extractRef(empty, 'no-such-branch')).toThrow(FleetError);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
