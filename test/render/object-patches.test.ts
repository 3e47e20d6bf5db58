import type { KubeObject } from '../../src/model/kube-object';
import { applyJsonPatch, applyObjectPatches, strategicMerge } from '../../src/render/object-patches';

const deployment: KubeObject = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', labels: { a: '1' } },
  spec: { template: { spec: { containers: [{ name: 'web', image: 'x', env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }] }, { name: 'sidecar', image: 'y' }] } } },
};
const place = { cluster: 'stage', service: 'web' };

describe('strategic merge', () => {
  it('merges maps, deletes with null, merges named lists by name and replaces other lists', () => {
    const patched = strategicMerge(deployment, {
      metadata: { labels: { a: null, b: '2' } },
      spec: {
        template: {
          spec: {
            containers: [{ name: 'web', env: [{ name: 'B', value: 'two' }, { name: 'A', $patch: 'delete' }, { name: 'C', value: '3' }] }],
            tolerations: [{ key: 'k', operator: 'Exists' }],
          },
        },
      },
    }) as any;
    expect(patched.metadata.labels).toEqual({ b: '2' });
    expect(patched.spec.template.spec.containers.map((c: { name: string }) => c.name)).toEqual(['web', 'sidecar']);
    expect(patched.spec.template.spec.containers[0].env).toEqual([{ name: 'B', value: 'two' }, { name: 'C', value: '3' }]);
    expect(patched.spec.template.spec.tolerations).toEqual([{ key: 'k', operator: 'Exists' }]);
    // The input is never modified.
    expect((deployment.metadata.labels as Record<string, string>).a).toBe('1');
  });
});

describe('JSON 6902', () => {
  it('adds, replaces and removes, with "-" appending to a list and ~1 escaping "/"', () => {
    const patched = applyJsonPatch(deployment, [
      { op: 'add', path: '/metadata/annotations', value: { 'example.com/x': 'y' } },
      { op: 'replace', path: '/metadata/annotations/example.com~1x', value: 'z' },
      { op: 'add', path: '/spec/template/spec/containers/-', value: { name: 'third', image: 'z' } },
      { op: 'remove', path: '/spec/template/spec/containers/1' },
    ]) as any;
    expect(patched.metadata.annotations).toEqual({ 'example.com/x': 'z' });
    expect(patched.spec.template.spec.containers.map((c: { name: string }) => c.name)).toEqual(['web', 'third']);
  });
});

describe('applyObjectPatches', () => {
  it('patches the service\'s object of the target kind (its name by default)', () => {
    const { objects, problems } = applyObjectPatches([deployment], [{ target: { kind: 'Deployment' }, jsonPatch: [{ op: 'add', path: '/spec/minReadySeconds', value: 10 }] }], 'web', place);
    expect(problems).toEqual([]);
    expect((objects[0] as any).spec.minReadySeconds).toBe(10);
  });

  it('names the missing target and lists what is rendered', () => {
    const { problems } = applyObjectPatches([deployment], [{ target: { kind: 'StatefulSet' }, merge: { spec: {} } }], 'web', place);
    expect(problems).toEqual([
      expect.objectContaining({ code: 'model/patch-target-missing', place: expect.objectContaining({ field: 'patches[0].target', service: 'web' }), message: 'no rendered object is StatefulSet/web', fix: expect.stringContaining('Deployment/web') }),
    ]);
  });

  it('reports a JSON pointer into nothing, and a patch that renames its target, as model errors', () => {
    const { problems } = applyObjectPatches(
      [deployment],
      [
        { target: { kind: 'Deployment' }, jsonPatch: [{ op: 'replace', path: '/spec/strategy/type', value: 'Recreate' }] },
        { target: { kind: 'Deployment' }, merge: { metadata: { name: 'other' } } },
      ],
      'web',
      place,
    );
    expect(problems.map((p) => [p.code, p.place.field])).toEqual([
      ['model/patch-failed', 'patches[0]'],
      ['model/patch-failed', 'patches[1]'],
    ]);
    expect(problems[0].message).toMatch(/"strategy" does not exist/);
  });
});
