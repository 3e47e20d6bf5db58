import type { KubeObject } from '../../model/kube-object';
import { error, type Problem } from '../../model/problem';
import { namespaceOf, type KnownService } from '../cluster-index';
import { childPath } from '../field-path';
import { isRecord, list, num, record, str, type JsonRecord } from '../json';
import type { ValidationContext } from '../validation-context';

/**
 * `ref/dangling-ingress`: every Ingress backend, Traefik IngressRoute service and Gateway API
 * HTTPRoute backendRef names a Service (or TraefikService) that will exist — rendered, or
 * created by Flagger for a Canary.
 * `ref/ingress-backend-port`: the port it names (number or name) is one that Service exposes.
 */
export function checkIngressBackends(ctx: ValidationContext): Problem[] {
  return [
    ...ctx.index.ofKind('Ingress').flatMap((ing) => checkIngress(ing, ctx)),
    ...ctx.index.ofKind('IngressRoute').flatMap((route) => checkIngressRoute(route, ctx)),
    ...ctx.index.ofKind('HTTPRoute').flatMap((route) => checkHttpRoute(route, ctx)),
  ];
}

interface BackendRef {
  readonly name: string;
  /** Port number, port name, or undefined when the kind of reference needs none. */
  readonly port?: number | string;
  readonly field: string;
  readonly portField: string;
}

function checkIngress(ing: KubeObject, ctx: ValidationContext): Problem[] {
  const spec = record(ing.spec);
  const refs: BackendRef[] = [];
  const add = (backend: unknown, field: string) => {
    const service = record(record(backend).service);
    const name = str(service.name);
    if (!name) return; // `resource` backends point at other kinds; not ours to check.
    const port = record(service.port);
    const portKey = port.number !== undefined ? 'number' : 'name';
    refs.push({ name, port: num(port.number) ?? str(port.name), field: `${field}.service.name`, portField: `${field}.service.port.${portKey}` });
  };
  if (isRecord(spec.defaultBackend)) add(spec.defaultBackend, 'spec.defaultBackend');
  list(spec.rules).forEach((rule, r) =>
    list(record(record(rule).http).paths).forEach((p, i) => add(record(p).backend, childPath('spec.rules', r, 'http', 'paths', i, 'backend'))),
  );
  return refs.flatMap((ref) => checkBackend(ing, ref, ctx.index.service(namespaceOf(ing), ref.name), 'Service', ctx));
}

function checkIngressRoute(route: KubeObject, ctx: ValidationContext): Problem[] {
  return list(record(route.spec).routes).flatMap((r, ri) =>
    list(record(r).services).flatMap((s, si) => {
      const service: JsonRecord = record(s);
      const name = str(service.name);
      if (!name) return [];
      const field = childPath('spec.routes', ri, 'services', si);
      const namespace = str(service.namespace) ?? namespaceOf(route);
      const kind = str(service.kind) ?? 'Service';
      if (kind === 'TraefikService') {
        // TraefikServices route to weighted backends; they have no port of their own.
        return checkBackend(route, { name, field: `${field}.name`, portField: `${field}.port` }, ctx.index.traefikService(namespace, name), 'TraefikService', ctx, namespace);
      }
      const port = num(service.port) ?? str(service.port);
      return checkBackend(route, { name, port, field: `${field}.name`, portField: `${field}.port` }, ctx.index.service(namespace, name), 'Service', ctx, namespace);
    }),
  );
}

function checkHttpRoute(route: KubeObject, ctx: ValidationContext): Problem[] {
  return list(record(route.spec).rules).flatMap((rule, ri) =>
    list(record(rule).backendRefs).flatMap((b, bi) => {
      const backend: JsonRecord = record(b);
      const name = str(backend.name);
      // backendRefs to other kinds (e.g. an implementation's own backends) are not ours to check.
      if (!name || (str(backend.kind) ?? 'Service') !== 'Service' || (str(backend.group) ?? '') !== '') return [];
      const field = childPath('spec.rules', ri, 'backendRefs', bi);
      const namespace = str(backend.namespace) ?? namespaceOf(route);
      return checkBackend(route, { name, port: num(backend.port), field: `${field}.name`, portField: `${field}.port` }, ctx.index.service(namespace, name), 'Service', ctx, namespace);
    }),
  );
}

function checkBackend(owner: KubeObject, ref: BackendRef, target: KnownService | undefined, kind: string, ctx: ValidationContext, namespace = namespaceOf(owner)): Problem[] {
  if (!target) {
    return [
      error(
        'ref/dangling-ingress',
        ctx.placeOf(owner, ref.field),
        `${owner.kind} ${owner.metadata.name} routes to ${kind} ${namespace}/${ref.name}, which is not rendered and no Flagger Canary creates it.`,
        `Point it at an existing ${kind}, or render ${kind} ${ref.name} in namespace ${namespace}.`,
      ),
    ];
  }
  if (ref.port === undefined || target.ports.length === 0) return [];
  const matches = typeof ref.port === 'number' ? target.ports.some((p) => p.port === ref.port) : target.ports.some((p) => p.name === ref.port);
  if (matches) return [];
  const offered = target.ports.map((p) => (p.name ? `${p.name} (${p.port})` : String(p.port))).join(', ');
  const origin = target.createdBy ? ` (created by Flagger for Canary ${target.createdBy.metadata.name})` : '';
  return [
    error(
      'ref/ingress-backend-port',
      ctx.placeOf(owner, ref.portField),
      `${owner.kind} ${owner.metadata.name} routes to port ${JSON.stringify(ref.port)} of Service ${ref.name}${origin}, which exposes ${offered}.`,
      `Use one of the Service's ports: ${offered}.`,
    ),
  ];
}
