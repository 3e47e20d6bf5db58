/**
 * What the Kubernetes API server (and the kubelet, and Pod Security admission) accept, as pure
 * predicates: each returns the reasons a value is rejected, empty when it is accepted, like
 * apimachinery's `validation.Is…` functions do. The model checks (src/model/check-kubernetes.ts)
 * run them on what users declare, the validation rules (src/validate/api) on rendered objects.
 *
 * Sources (kubernetes/kubernetes v1.31):
 * - staging/src/k8s.io/apimachinery/pkg/util/validation/validation.go — IsDNS1123Subdomain,
 *   IsWildcardDNS1123Subdomain, IsQualifiedName, IsValidLabelValue, IsConfigMapKey.
 * - pkg/apis/core/validation/validation.go — ValidateSecret / ValidateConfigMap (total size
 *   core.MaxSecretSize = 1 MiB), volume mounts (mountPath unique per container).
 * - pkg/apis/networking/validation/validation.go — Ingress rule hosts and paths.
 * - github.com/distribution/reference regexp.go — the image reference grammar the kubelet
 *   parses (an image it cannot parse is `InvalidImageName`).
 * - kubernetes/pod-security-admission policy/check_capabilities_{baseline,restricted}.go,
 *   policy/check_runAsNonRoot.go — capabilities and non-root per level.
 */

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN_MAX = 253;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_MAX = 63;
const CONFIG_MAP_KEY = /^[-._a-zA-Z0-9]+$/;

/** core.MaxSecretSize: the most data one Secret or ConfigMap may hold (values only, decoded). */
export const MAX_SECRET_SIZE = 1024 * 1024;

/** IsDNS1123Subdomain: lower-case labels joined by dots, at most 253 characters. */
export function dns1123SubdomainErrors(value: string): string[] {
  const errors: string[] = [];
  if (value.length > DNS1123_SUBDOMAIN_MAX) errors.push(`must be no more than ${DNS1123_SUBDOMAIN_MAX} characters`);
  if (value === '' || !value.split('.').every((label) => DNS1123_LABEL.test(label))) {
    errors.push("must be lower-case letters, digits, '-' and '.', each dot-separated part starting and ending with a letter or digit (RFC 1123 subdomain)");
  }
  return errors;
}

/**
 * An Ingress (or HTTPRoute, VirtualService) host: a DNS-1123 subdomain, or a wildcard `*.` in
 * front of one (IsWildcardDNS1123Subdomain). A bare `*`, a wildcard elsewhere, a URL or an IP
 * address are rejected.
 */
export function hostErrors(host: string): string[] {
  const placeholder = /\{[^}]*\}/.exec(host);
  if (placeholder) return [`contains ${placeholder[0]}, which is not a placeholder (known: {service}, {environment}, {domain})`];
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(host)) return ['is a URL: write the host name alone, without scheme, port or path'];
  if (/^\d+(\.\d+){3}$/.test(host)) return ['is an IP address: an Ingress host must be a DNS name'];
  const name = host.startsWith('*.') ? host.slice(2) : host;
  return dns1123SubdomainErrors(name);
}

/**
 * An Ingress path of pathType Prefix: absolute, and free of the sequences the API server rejects
 * (`//`, `/./`, `/../`, `%2f`, a trailing `/.` or `/..`).
 */
export function ingressPathErrors(path: string): string[] {
  if (!path.startsWith('/')) return ["must be an absolute path (start with '/')"];
  const invalid = ['//', '/./', '/../', '%2f', '%2F'].find((sequence) => path.includes(sequence));
  if (invalid) return [`must not contain '${invalid}'`];
  if (path.endsWith('/..') || path.endsWith('/.')) return ["must not end with '/.' or '/..'"];
  if (/\s/.test(path)) return ['must not contain white space'];
  return [];
}

/** IsValidLabelValue: empty, or at most 63 letters, digits, '-', '_', '.', alphanumeric at both ends. */
export function labelValueErrors(value: string): string[] {
  const errors: string[] = [];
  if (value.length > LABEL_MAX) errors.push(`must be no more than ${LABEL_MAX} characters`);
  if (!LABEL_VALUE.test(value)) errors.push("must be empty or letters, digits, '-', '_' and '.', starting and ending with a letter or digit");
  return errors;
}

/** IsQualifiedName: label and annotation keys, `[prefix/]name` with a DNS-1123 subdomain prefix. */
export function qualifiedNameErrors(key: string): string[] {
  const parts = key.split('/');
  if (parts.length > 2) return ["must be a name with at most one '/' (an optional DNS subdomain prefix, then the name)"];
  const [prefix, name] = parts.length === 2 ? parts : [undefined, parts[0]];
  const errors: string[] = [];
  if (prefix !== undefined) errors.push(...dns1123SubdomainErrors(prefix).map((e) => `prefix ${e}`));
  if (name.length === 0) errors.push('name part must not be empty');
  else if (name.length > LABEL_MAX) errors.push(`name part must be no more than ${LABEL_MAX} characters`);
  if (name.length > 0 && !QUALIFIED_NAME.test(name)) errors.push("name part must be letters, digits, '-', '_' and '.', starting and ending with a letter or digit");
  return errors;
}

/** IsConfigMapKey: the keys of ConfigMap and Secret data (and of the files they mount as). */
export function configMapKeyErrors(key: string): string[] {
  const errors: string[] = [];
  if (key.length > DNS1123_SUBDOMAIN_MAX) errors.push(`must be no more than ${DNS1123_SUBDOMAIN_MAX} characters`);
  if (!CONFIG_MAP_KEY.test(key)) errors.push("must consist of letters, digits, '-', '_' and '.'");
  if (key === '.' || key === '..') errors.push(`must not be '${key}'`);
  else if (key.startsWith('..')) errors.push("must not start with '..'");
  return errors;
}

// distribution/reference's grammar (regexp.go), anchored.
const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN = `(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?`;
const PATH_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*';
const NAME = `(?:${DOMAIN}/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*`;
const TAG = '[\\w][\\w.-]{0,127}';
const DIGEST = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}';
const IMAGE_NAME = new RegExp(`^${NAME}$`);
const IMAGE_REFERENCE = new RegExp(`^(${NAME})(?::${TAG})?(?:@${DIGEST})?$`);
const NAME_MAX = 255;

/** An image repository without tag or digest, e.g. `ghcr.io/team/app`. */
export function imageNameErrors(name: string): string[] {
  if (name === '') return ['must not be empty'];
  if (name.trim() !== name || /\s/.test(name)) return ['must not contain white space'];
  const errors: string[] = [];
  if (name.length > NAME_MAX) errors.push(`must be no more than ${NAME_MAX} characters`);
  if (!IMAGE_NAME.test(name)) errors.push(imageGrammarHint(name));
  return errors;
}

/** A full image reference `name[:tag][@digest]`, as a container's `image`. */
export function imageReferenceErrors(reference: string): string[] {
  if (reference === '') return ['must not be empty'];
  if (/\s/.test(reference)) return ['must not contain white space'];
  const match = IMAGE_REFERENCE.exec(reference);
  if (!match) return [imageGrammarHint(reference)];
  return match[1].length > NAME_MAX ? [`repository name must be no more than ${NAME_MAX} characters`] : [];
}

function imageGrammarHint(value: string): string {
  const path = value.includes('/') && /[.:]|^localhost\//.test(value.split('/')[0]) ? value.slice(value.indexOf('/') + 1) : value;
  if (/[A-Z]/.test(path)) return 'repository path must be lower case (only the registry host may have upper case)';
  return "is not a docker image reference: [registry[:port]/]path with lower-case letters, digits and the separators '.', '_', '__', '-' between them";
}

/**
 * A volume mount's `mountPath`: absolute, not the root (which would hide the image's own
 * filesystem; runtimes refuse it), without `..` segments, unique within the container.
 */
export function mountPathErrors(path: string): string[] {
  if (path === '') return ['must not be empty'];
  if (!path.startsWith('/')) return ["must be an absolute path (start with '/')"];
  if (/^\/+$/.test(path)) return ["must not be '/' (it would replace the container's root filesystem)"];
  if (path.split('/').includes('..')) return ["must not contain a '..' segment"];
  if (path.includes(':')) return ["must not contain ':'"];
  return [];
}

/** `/a/b/` and `/a//b` are the same mount point as `/a/b`. */
export function normalizeMountPath(path: string): string {
  return path.replace(/\/+/g, '/').replace(/(.)\/$/, '$1');
}

export type PodSecurityLevel = 'restricted' | 'baseline' | 'privileged';

/** Capabilities baseline lets a container add (check_capabilities_baseline.go). */
export const BASELINE_CAPABILITIES: readonly string[] = [
  'AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE', 'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT',
];
/** The only capability restricted lets a container add (check_capabilities_restricted.go). */
export const RESTRICTED_CAPABILITIES: readonly string[] = ['NET_BIND_SERVICE'];

/** Added capabilities a namespace of this Pod Security level's `enforce` rejects. */
export function disallowedCapabilities(level: PodSecurityLevel, added: readonly string[]): string[] {
  if (level === 'privileged') return [];
  const allowed = level === 'restricted' ? RESTRICTED_CAPABILITIES : BASELINE_CAPABILITIES;
  return added.filter((capability) => !allowed.includes(capability));
}
