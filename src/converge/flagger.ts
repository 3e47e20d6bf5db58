import type { KubeObject } from '../model/kube-object';
import { namespaceOf } from '../validate/cluster-index';
import { num, record, str, stringMap } from '../validate/json';
import { podSet, type Labels, type PodSet, type ServiceState } from './cluster-state';

/**
 * What Flagger creates for a Canary, as fluxcd/flagger v1.44.0 does it.
 *
 * - The primary Deployment `<target>-primary` (pkg/canary/deployment_controller.go
 *   createPrimaryDeployment): a copy of the target whose pod labels go through
 *   `makePrimaryLabels` (pkg/canary/util.go): the selector label is rewritten to
 *   `<value>-primary`, every other label is kept, and labels containing `toolkit.fluxcd.io` are dropped.
 * - The selector label is the first of Flagger's `-selector-labels` (default
 *   `app,name,app.kubernetes.io/name`, cmd/flagger/main.go) present in the target's
 *   `spec.selector.matchLabels` (getSelectorLabel).
 * - The Services (pkg/router/kubernetes_default.go): `<apex>-canary` selects `<label>: <value>`
 *   (the target's pods), `<apex>-primary` and the apex `<apex>` select `<label>: <value>-primary`.
 *   The apex is `spec.service.name`, else the target's name (GetServiceNames).
 */

/** Flagger's default `-selector-labels`. */
export const FLAGGER_SELECTOR_LABELS: readonly string[] = ['app', 'name', 'app.kubernetes.io/name'];
const TOOLKIT_MARKER = 'toolkit.fluxcd.io';

export interface CanaryTarget {
  readonly canary: KubeObject;
  readonly target: KubeObject;
  /** The selector label Flagger rewrites and the target's value of it. */
  readonly label: string;
  readonly value: string;
}

/** Finds a rendered object by kind, namespace and name. */
export type FindObject = (kind: string, namespace: string, name: string) => KubeObject | undefined;

/** The Canary's target Deployment and its selector label, when Flagger can initialise it. */
export function canaryTarget(canary: KubeObject, find: FindObject): CanaryTarget | undefined {
  const ref = record(record(canary.spec).targetRef);
  const kind = str(ref.kind) ?? 'Deployment';
  const name = str(ref.name) ?? '';
  const target = find(kind, namespaceOf(canary), name);
  if (!target || kind !== 'Deployment') return undefined;
  const matchLabels = stringMap(record(record(target.spec).selector).matchLabels);
  const label = FLAGGER_SELECTOR_LABELS.find((l) => matchLabels[l] !== undefined);
  return label ? { canary, target, label, value: matchLabels[label] } : undefined;
}

/** makePrimaryLabels (pkg/canary/util.go). */
export function makePrimaryLabels(labels: Labels, value: string, label: string): Labels {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(labels)) if (!k.includes(TOOLKIT_MARKER) && k !== label) out[k] = v;
  out[label] = value;
  return out;
}

export function apexName(canary: KubeObject): string {
  const spec = record(canary.spec);
  return str(record(spec.service).name) ?? str(record(spec.targetRef).name) ?? canary.metadata.name;
}

/** The pods of the primary Deployment Flagger creates for a Canary. */
export function flaggerPrimaryPods(canary: KubeObject, find: FindObject, namespaceLabels: (ns: string) => Labels): PodSet[] {
  const found = canaryTarget(canary, find);
  if (!found) return [];
  const { target, label, value } = found;
  const template = record(record(target.spec).template);
  const namespace = namespaceOf(target);
  return [
    podSet({
      id: `Deployment/${namespace}/${target.metadata.name}-primary`,
      namespace,
      labels: makePrimaryLabels(stringMap(record(template.metadata).labels), `${value}-primary`, label),
      annotations: stringMap(record(template.metadata).annotations),
      spec: record(template.spec),
      origin: 'flagger-primary',
      source: target,
      namespaceLabels: namespaceLabels(namespace),
    }),
  ];
}

/** `<apex>`, `<apex>-primary`, `<apex>-canary` with the selectors Flagger gives them. */
export function flaggerServices(canary: KubeObject, find: FindObject): ServiceState[] {
  const found = canaryTarget(canary, find);
  if (!found) return [];
  const service = record(record(canary.spec).service);
  const port = num(service.port);
  const ports = [{ port, targetPort: (service.targetPort as number | string | undefined) ?? port, name: str(service.portName) ?? 'http' }];
  const apex = apexName(canary);
  const namespace = namespaceOf(canary);
  const primary = { [found.label]: `${found.value}-primary` };
  return [
    { namespace, name: apex, selector: primary, ports, createdBy: canary },
    { namespace, name: `${apex}-primary`, selector: primary, ports, createdBy: canary },
    { namespace, name: `${apex}-canary`, selector: { [found.label]: found.value }, ports, createdBy: canary },
  ];
}
