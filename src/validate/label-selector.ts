import { isRecord, list, record, str, stringMap } from './json';

/**
 * Label selector matching as the API server does it, for the rules that ask "does this selector
 * pick any pods?" (Services, PDBs, NetworkPolicies).
 * @see https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors
 */

type Labels = Readonly<Record<string, string>>;

/** A `metav1.LabelSelector` (`matchLabels` + `matchExpressions`). An empty selector matches everything. */
export function labelSelectorMatches(selector: unknown, labels: Labels): boolean {
  const matchLabels = stringMap(record(selector).matchLabels);
  if (!Object.entries(matchLabels).every(([key, value]) => labels[key] === value)) return false;
  return list(record(selector).matchExpressions).every((expression) => expressionMatches(expression, labels));
}

/** Whether a LabelSelector selects every object (`{}`), which some rules treat as "no constraint". */
export function isEmptySelector(selector: unknown): boolean {
  const s = record(selector);
  return Object.keys(record(s.matchLabels)).length === 0 && list(s.matchExpressions).length === 0;
}

function expressionMatches(expression: unknown, labels: Labels): boolean {
  if (!isRecord(expression)) return false;
  const key = str(expression.key) ?? '';
  const values = list(expression.values).filter((v): v is string => typeof v === 'string');
  const has = Object.prototype.hasOwnProperty.call(labels, key);
  switch (expression.operator) {
    case 'In':
      return has && values.includes(labels[key]);
    case 'NotIn':
      return !has || !values.includes(labels[key]);
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return !has;
    default:
      return false;
  }
}
