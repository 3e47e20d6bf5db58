import { labelValueErrors, qualifiedNameErrors } from '../../model/kubernetes-rules';
import { error, type Problem } from '../../model/problem';
import { childPath } from '../field-path';
import { record } from '../json';
import type { ValidationContext } from '../validation-context';

/**
 * `api/invalid-label`, `api/invalid-annotation-key`: every object's labels (and its pod
 * template's) are qualified names with valid values, and its annotation keys qualified names —
 * ValidateObjectMeta rejects the object otherwise (apimachinery validation.go).
 */
export function checkObjectMetadata(ctx: ValidationContext): Problem[] {
  const problems: Problem[] = [];
  for (const obj of ctx.index.objects) {
    const metadatas: [string, unknown][] = [['metadata', obj.metadata]];
    const template = record(record(obj.spec).template);
    if (template.metadata !== undefined) metadatas.push(['spec.template.metadata', template.metadata]);
    for (const [path, metadata] of metadatas) {
      for (const [key, value] of Object.entries(record(record(metadata).labels))) {
        const errors = [...qualifiedNameErrors(key).map((e) => `key ${e}`), ...(typeof value === 'string' ? labelValueErrors(value) : ['must be a string']).map((e) => `value ${e}`)];
        if (errors.length === 0) continue;
        problems.push(
          error('api/invalid-label', ctx.placeOf(obj, childPath(path, 'labels', key)), `${obj.kind} ${obj.metadata.name} has label ${JSON.stringify(key)}: ${JSON.stringify(value)}, whose ${errors.join('; ')}; the API server rejects it.`, 'Use at most 63 letters, digits, "-", "_" and "." for a label value; put free text in an annotation.'),
        );
      }
      for (const key of Object.keys(record(record(metadata).annotations))) {
        const errors = qualifiedNameErrors(key);
        if (errors.length === 0) continue;
        problems.push(error('api/invalid-annotation-key', ctx.placeOf(obj, childPath(path, 'annotations', key)), `${obj.kind} ${obj.metadata.name} has annotation key ${JSON.stringify(key)}, which ${errors.join('; ')}.`, 'Use a key like "example.com/owner".'));
      }
    }
  }
  return problems;
}
