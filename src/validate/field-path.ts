/**
 * Field paths as users read them: `spec.template.spec.containers[0].resources.limits.memory`.
 * Segments are kept as a list while walking and joined once for the message.
 */

export type PathSegment = string | number;

const PLAIN_KEY = /^[A-Za-z_$][A-Za-z0-9_$-]*$/;

export function formatFieldPath(segments: readonly PathSegment[]): string {
  let out = '';
  for (const segment of segments) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (PLAIN_KEY.test(segment)) out += out ? `.${segment}` : segment;
    // Keys such as `app.kubernetes.io/name` would be ambiguous after a dot.
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

/** Splits an ajv `instancePath` (`/spec/ports/0/port`, RFC 6901 escaped) into segments. */
export function segmentsFromPointer(pointer: string): PathSegment[] {
  if (!pointer) return [];
  return pointer
    .slice(1)
    .split('/')
    .map((raw) => raw.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((segment) => (/^(0|[1-9][0-9]*)$/.test(segment) ? Number(segment) : segment));
}

/** `base` + `.child`, for rules that build paths by hand. */
export function childPath(base: string, ...rest: readonly PathSegment[]): string {
  let out = base;
  for (const segment of rest) {
    const part = formatFieldPath([segment]);
    out = typeof segment === 'number' || part.startsWith('[') || !out ? `${out}${part}` : `${out}.${part}`;
  }
  return out;
}
