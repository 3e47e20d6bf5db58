import type { KubeObject } from '../../model/kube-object';
import { error, type Problem } from '../../model/problem';
import { childPath } from '../field-path';
import { isRecord, list, record, str } from '../json';
import type { ValidationContext } from '../validation-context';

/**
 * `policy/ingress-tls-in-production`: on a production cluster, every Ingress host is covered by a
 * `spec.tls` entry and every Traefik IngressRoute has `spec.tls`. Plain HTTP in production leaks
 * credentials and cookies; staging clusters may skip it.
 */
export function checkIngressTls(ctx: ValidationContext): Problem[] {
  if (!ctx.production) return [];
  return [...ctx.index.ofKind('Ingress').flatMap((ing) => checkIngress(ing, ctx)), ...ctx.index.ofKind('IngressRoute').flatMap((route) => checkRoute(route, ctx))];
}

function checkIngress(ing: KubeObject, ctx: ValidationContext): Problem[] {
  const spec = record(ing.spec);
  const tls = list(spec.tls).filter(isRecord);
  const covered = new Set(tls.flatMap((t) => list(t.hosts).filter((h): h is string => typeof h === 'string')));
  const rules = list(spec.rules).map((rule, i) => ({ host: str(record(rule).host), index: i }));
  if (tls.length === 0) {
    return [
      error(
        'policy/ingress-tls-in-production',
        ctx.placeOf(ing, 'spec.tls'),
        `Ingress ${ing.metadata.name} on production cluster ${ctx.cluster} serves ${rules.map((r) => r.host ?? '*').join(', ') || 'its backend'} over plain HTTP (no spec.tls).`,
        'Add spec.tls with the hosts and a certificate Secret (or the controller’s default certificate).',
      ),
    ];
  }
  return rules
    .filter((r) => r.host !== undefined && !covered.has(r.host) && !coveredByWildcard(r.host, covered))
    .map((r) =>
      error(
        'policy/ingress-tls-in-production',
        ctx.placeOf(ing, childPath('spec.rules', r.index, 'host')),
        `Ingress ${ing.metadata.name} on production cluster ${ctx.cluster} serves host ${r.host} without TLS: no spec.tls entry lists it.`,
        `Add ${r.host} to spec.tls[].hosts.`,
      ),
    );
}

function coveredByWildcard(host: string, covered: ReadonlySet<string>): boolean {
  const dot = host.indexOf('.');
  return dot > 0 && covered.has(`*${host.slice(dot)}`);
}

function checkRoute(route: KubeObject, ctx: ValidationContext): Problem[] {
  if (isRecord(record(route.spec).tls)) return [];
  return [
    error(
      'policy/ingress-tls-in-production',
      ctx.placeOf(route, 'spec.tls'),
      `IngressRoute ${route.metadata.name} on production cluster ${ctx.cluster} has no spec.tls, so it serves plain HTTP.`,
      'Add spec.tls (a secretName or a certResolver) and route it on the websecure entry point.',
    ),
  ];
}
