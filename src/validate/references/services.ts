import type { KubeObject } from '../../model/kube-object';
import { error, type Problem } from '../../model/problem';
import { namespaceOf } from '../cluster-index';
import { childPath } from '../field-path';
import { isRecord, list, record, str, stringMap } from '../json';
import type { ValidationContext } from '../validation-context';
import { containerPortsOf, type PodTemplate } from '../workloads';

/**
 * `ref/dangling-service`: a Service's selector matches the pods of some workload in its namespace
 * (kube-linter's dangling-service, kube-score's service-targets-pod).
 * `ref/service-target-port`: each `targetPort` (number, name, or the port itself when omitted) is
 * a port that a selected workload's containers declare.
 */
export function checkServices(ctx: ValidationContext): Problem[] {
  return ctx.index.ofKind('Service').flatMap((svc) => checkService(svc, ctx));
}

function checkService(svc: KubeObject, ctx: ValidationContext): Problem[] {
  const spec = record(svc.spec);
  const selector = stringMap(spec.selector);
  // No selector: endpoints are managed by hand or by a controller; ExternalName has no pods.
  if (Object.keys(selector).length === 0 || spec.type === 'ExternalName') return [];
  const selected = ctx.index.podTemplatesLabelled(namespaceOf(svc), selector).filter((t) => t.serving);
  if (selected.length === 0) {
    const wanted = Object.entries(selector).map(([k, v]) => `${k}=${v}`).join(',');
    return [
      error(
        'ref/dangling-service',
        ctx.placeOf(svc, 'spec.selector'),
        `Service ${svc.metadata.name} selects pods with ${wanted}, but no Deployment, StatefulSet, DaemonSet or Rollout in namespace ${namespaceOf(svc)} has pods with those labels.`,
        'Make the selector match the workload’s pod template labels (spec.template.metadata.labels), or remove the Service.',
      ),
    ];
  }
  return list(spec.ports).flatMap((port, index) => (isRecord(port) ? checkTargetPort(svc, port, index, selected, ctx) : []));
}

function checkTargetPort(svc: KubeObject, port: Readonly<Record<string, unknown>>, index: number, selected: readonly PodTemplate[], ctx: ValidationContext): Problem[] {
  const target = port.targetPort ?? port.port;
  const declared = selected.flatMap(containerPortsOf);
  const found = typeof target === 'number' ? declared.some((p) => p.containerPort === target) : declared.some((p) => p.name === target);
  if (found || (typeof target !== 'number' && typeof target !== 'string')) return [];
  const owners = selected.map((t) => `${t.owner.kind}/${t.owner.metadata.name}`).join(', ');
  const offered = declared.map((p) => (p.name ? `${p.name} (${p.containerPort})` : String(p.containerPort))).join(', ') || 'none';
  return [
    error(
      'ref/service-target-port',
      ctx.placeOf(svc, childPath('spec.ports', index, port.targetPort === undefined ? 'port' : 'targetPort')),
      `Service ${svc.metadata.name} port ${str(port.name) ?? String(port.port)} targets ${typeof target === 'number' ? 'container port' : 'named port'} ${JSON.stringify(target)}, which no container of ${owners} declares (declared: ${offered}).`,
      'Set targetPort to a containerPort (or its name) of the selected pods, or declare that port on the container.',
    ),
  ];
}
