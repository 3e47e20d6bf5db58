import { fieldChanges, formatPath } from '../../../src/delivery/diff/field-changes';
import { formatMarkdown, MARKDOWN_MARKER } from '../../../src/delivery/diff/format-markdown';
import { formatTerminal } from '../../../src/delivery/diff/format-terminal';
import { diffClusters, groupDiffs, summarize, type ObjectDiff } from '../../../src/delivery/diff/semantic-diff';
import { configMap, deployment, job, riskyCluster, SECRET_VALUES } from './objects';

function diffOf(production: boolean): ObjectDiff[] {
  const { before, after } = riskyCluster();
  return diffClusters(new Map([['c', before]]), new Map([['c', after]]), { production: () => production });
}

function find(diffs: readonly ObjectDiff[], kind: string, name: string): ObjectDiff {
  const found = diffs.find((d) => d.object.kind === kind && d.object.name === name);
  if (!found) throw new Error(`no diff for ${kind}/${name}`);
  return found;
}

function risks(diff: ObjectDiff): string[] {
  return diff.risks.map((r) => `${r.level} ${r.class}`);
}

describe('semantic diff', () => {
  it('matches named list items, so one new env variable is one change', () => {
    const before = deployment('example/web:1.0.0') as never;
    const after = JSON.parse(JSON.stringify(before));
    after.spec.template.spec.containers[0].env.push({ name: 'DEBUG', value: '1' });
    expect(fieldChanges(before, after).map((c) => [formatPath(c.path), c.before, c.after])).toEqual([['spec.template.spec.containers[web].env[DEBUG]', undefined, { name: 'DEBUG', value: '1' }]]);
  });

  it('leaves unchanged objects out and sorts cluster → namespace → kind/name', () => {
    const diffs = diffOf(false);
    expect(diffs.map((d) => d.object.kind)).not.toContain('Namespace');
    expect(groupDiffs(diffs).map((c) => [c.cluster, c.namespaces.map((n) => n.namespace)])).toEqual([['c', ['shop']]]);
    expect(diffs.map((d) => `${d.object.kind}/${d.object.name}`)).toEqual([
      'ConfigMap/added',
      'ConfigMap/frozen',
      'ConfigMap/legacy',
      'Deployment/web',
      'HorizontalPodAutoscaler/web',
      'Job/migrate',
      'PersistentVolumeClaim/data',
      'RoleBinding/developers',
      'SealedSecret/api-keys',
      'Secret/db',
      'Secret/sops-db',
      'Service/web',
    ]);
  });

  it('flags objects Flux will prune', () => {
    const legacy = find(diffOf(false), 'ConfigMap', 'legacy');
    expect(legacy.change).toBe('deleted');
    expect(risks(legacy)).toEqual(['danger prune']);
    expect(find(diffOf(false), 'ConfigMap', 'added').risks).toEqual([]);
  });

  it('flags immutable-field changes an apply will reject', () => {
    const diffs = diffOf(false);
    expect(risks(find(diffs, 'Deployment', 'web'))).toContain('danger immutable');
    expect(find(diffs, 'Deployment', 'web').risks.find((r) => r.class === 'immutable')?.message).toMatch(/^spec.selector is immutable/);
    expect(find(diffs, 'Service', 'web').risks.map((r) => r.message.split(' ').slice(0, 3).join(' '))).toEqual(['Service spec.clusterIP is', 'changing a Service']);
    expect(risks(find(diffs, 'Job', 'migrate'))).toEqual(['danger immutable']);
    expect(risks(find(diffs, 'RoleBinding', 'developers'))).toEqual(['danger immutable']);
    expect(risks(find(diffs, 'PersistentVolumeClaim', 'data'))).toEqual(['danger immutable']);
    expect(risks(find(diffs, 'ConfigMap', 'frozen'))).toEqual(['danger immutable']);
  });

  it('warns instead when Flux force-applies the object: a force-annotated Job is re-created and runs again', () => {
    const forced = (command: string) => {
      const obj = job(command);
      return { ...obj, metadata: { ...obj.metadata, annotations: { 'kustomize.toolkit.fluxcd.io/force': 'enabled' } } };
    };
    const [diff] = diffClusters(new Map([['c', [forced('migrate')]]]), new Map([['c', [forced('migrate --v2')]]]));
    expect(risks(diff)).toEqual(['warning immutable']);
    expect(diff.risks[0].message).toMatch(/re-creates the Job .*runs again/);
  });

  it('lets a PersistentVolumeClaim grow and a mutable ConfigMap change without an immutable flag', () => {
    const grow = diffClusters(new Map([['c', [riskyCluster().before[5]]]]), new Map([['c', [{ ...riskyCluster().before[5], spec: { accessModes: ['ReadWriteOnce'], storageClassName: 'gp2', resources: { requests: { storage: '5Gi' } } } }]]]));
    expect(grow[0].risks).toEqual([]);
    const mutable = diffClusters(new Map([['c', [configMap('x', { A: '1' })]]]), new Map([['c', [configMap('x', { A: '2' })]]]));
    expect(mutable[0].risks).toEqual([]);
  });

  it('flags image changes in production only, replica and resource changes everywhere (stronger in production)', () => {
    const staging = find(diffOf(false), 'Deployment', 'web');
    const production = find(diffOf(true), 'Deployment', 'web');
    expect(risks(staging)).toEqual(['danger immutable', 'notice replicas', 'notice resources']);
    expect(risks(production)).toEqual(['danger immutable', 'warning production-image', 'warning replicas', 'warning resources']);
    expect(production.risks.map((r) => r.message).slice(1)).toEqual([
      'image changes in production: example/web:1.0.0 → example/web:1.1.0',
      'spec.replicas 2 → 3',
      'web resources.limits.memory 256Mi → 512Mi',
    ]);
    expect(risks(find(diffOf(false), 'HorizontalPodAutoscaler', 'web'))).toEqual(['notice replicas']);
  });

  it('shows which secret keys changed and never a value, in the diff or any output', () => {
    const diffs = diffOf(true);
    expect(find(diffs, 'Secret', 'db').secret).toEqual({ added: ['admin'], removed: ['user'], changed: ['password'] });
    expect(find(diffs, 'SealedSecret', 'api-keys').secret).toEqual({ added: [], removed: [], changed: ['token'] });
    expect(find(diffs, 'Secret', 'sops-db').secret).toEqual({ added: [], removed: [], changed: ['password'] });
    expect(find(diffs, 'Secret', 'sops-db').fields).toEqual([{ path: ['sops'], hidden: true }]);
    expect(risks(find(diffs, 'Secret', 'db'))).toEqual(['notice secret']);

    const everything = JSON.stringify(diffs) + formatTerminal(diffs) + formatMarkdown(diffs);
    for (const value of [...SECRET_VALUES, '2024-02-01T00:00:00Z']) expect(everything).not.toContain(value);
  });

  it('summarises counts and risks', () => {
    const summary = summarize(diffOf(true));
    expect([summary.changed, summary.added, summary.deleted, summary.clusters]).toEqual([10, 1, 1, 1]);
    expect([...summary.risks]).toEqual([
      ['immutable', 7],
      ['prune', 1],
      ['production-image', 1],
      ['replicas', 2],
      ['resources', 1],
      ['secret', 3],
    ]);
  });
});

describe('diff formatters', () => {
  const diffs = (): ObjectDiff[] => {
    const { before, after } = riskyCluster();
    const pick = (objects: typeof before) => objects.filter((o) => ['web', 'legacy', 'added', 'db'].includes(o.metadata.name) && o.kind !== 'Service' && o.kind !== 'HorizontalPodAutoscaler');
    return diffClusters(new Map([['production', pick(before)]]), new Map([['production', pick(after)]]), { production: () => true });
  };

  it('writes terminal text grouped cluster → namespace → object, colours only when asked', () => {
    const text = formatTerminal(diffs(), { title: 'HEAD → fresh render' });
    expect(text).toMatchSnapshot();
    expect(text).not.toContain('\u001b[');
    expect(formatTerminal(diffs(), { color: true })).toContain('\u001b[31m- ConfigMap/legacy\u001b[0m');
    expect(formatTerminal([])).toBe('no changes: both trees build the same objects\n');
  });

  it('writes a Markdown comment with a marker, a risk table and diff blocks', () => {
    const text = formatMarkdown(diffs(), { title: '`origin/main` → this change' });
    expect(text.startsWith(`${MARKDOWN_MARKER}\n### Manifest diff: \`origin/main\` → this change\n`)).toBe(true);
    expect(text).toMatchSnapshot();
    expect(formatMarkdown([])).toContain('No changes');
  });

  it('keeps a Markdown comment under the size GitHub accepts', () => {
    const many: ObjectDiff[] = Array.from({ length: 40 }, (_, i) => ({ ...diffs()[0], cluster: `cluster-${String(i).padStart(2, '0')}` }));
    const text = formatMarkdown(many, { maxLength: 5000 });
    expect(text.length).toBeLessThanOrEqual(5000);
    expect(text).toMatch(/_\d+ cluster sections left out to fit a comment/);
  });
});
