import fc from 'fast-check';
import { applyPatch, diffJson, pointerSegment, type JsonValue } from '../../src/render/json-patch';

describe('diffJson', () => {
  it('turns any JSON document into any other (property)', () => {
    // GIVEN arbitrary pairs of JSON documents, WHEN the diff is applied to the first, THEN it yields the second
    fc.assert(
      fc.property(fc.jsonValue(), fc.jsonValue(), (a, b) => {
        const before = JSON.parse(JSON.stringify(a)) as JsonValue;
        const after = JSON.parse(JSON.stringify(b)) as JsonValue;
        expect(applyPatch(before, diffJson(before, after))).toEqual(after);
      }),
      { numRuns: 300 },
    );
  });

  it('is empty for equal documents and minimal for one changed leaf', () => {
    const doc = { spec: { template: { spec: { containers: [{ name: 'a', env: [{ name: 'X', value: '1' }] }] } } } };
    expect(diffJson(doc, structuredClone(doc))).toEqual([]);
    const changed = structuredClone(doc);
    changed.spec.template.spec.containers[0].env[0].value = '2';
    expect(diffJson(doc, changed)).toEqual([{ op: 'replace', path: '/spec/template/spec/containers/0/env/0/value', value: '2' }]);
  });

  it('escapes "/" and "~" in keys as RFC 6901 requires', () => {
    expect(pointerSegment('eks.amazonaws.com/role-arn')).toBe('eks.amazonaws.com~1role-arn');
    expect(diffJson({ a: {} }, { a: { 'x/y~z': '1' } })).toEqual([{ op: 'add', path: '/a/x~1y~0z', value: '1' }]);
  });

  it('replaces arrays whose length changed instead of patching by index', () => {
    expect(diffJson({ l: [1, 2] }, { l: [1, 2, 3] })).toEqual([{ op: 'replace', path: '/l', value: [1, 2, 3] }]);
  });
});
