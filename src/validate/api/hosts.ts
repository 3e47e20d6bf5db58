import { hostErrors } from '../../model/kubernetes-rules';
import { error, type Problem } from '../../model/problem';
import type { KubeObject } from '../../model/kube-object';
import { childPath } from '../field-path';
import { list, record, str } from '../json';
import type { ValidationContext } from '../validation-context';

/**
 * `api/invalid-host`: Ingress rule and TLS hosts and HTTPRoute hostnames are DNS-1123 subdomains,
 * a wildcard only as a leading `*.` (pkg/apis/networking/validation; Gateway API's Hostname type).
 * `api/host-collision`: no two Ingresses of a cluster route the same host and path — the
 * API server accepts both and the controller serves only one.
 */
export function checkHosts(ctx: ValidationContext): Problem[] {
  const problems: Problem[] = [];
  const routes = new Map<string, KubeObject>();
  for (const obj of ctx.index.objects) {
    const spec = record(obj.spec);
    const hosts: [string, unknown][] = [];
    if (obj.kind === 'Ingress' && obj.apiVersion.startsWith('networking.k8s.io/')) {
      list(spec.rules).forEach((rule, i) => {
        const host = record(rule).host;
        if (host !== undefined) hosts.push([childPath('spec', 'rules', i, 'host'), host]);
        for (const path of list(record(record(rule).http).paths)) {
          const key = `${str(host) ?? '*'} ${(str(record(path).path) ?? '/').replace(/(.)\/+$/, '$1')}`;
          const other = routes.get(key);
          if (other && other !== obj) {
            problems.push(error('api/host-collision', ctx.placeOf(obj, childPath('spec', 'rules', i)), `Ingress ${obj.metadata.name} and Ingress ${other.metadata.namespace}/${other.metadata.name} both route ${key.replace(' ', '')}; the controller serves only one of them.`, 'Give one of them another host or path.'));
          }
          routes.set(key, obj);
        }
      });
      list(spec.tls).forEach((tls, i) => list(record(tls).hosts).forEach((host, j) => hosts.push([childPath('spec', 'tls', i, 'hosts', j), host])));
    } else if (obj.kind === 'HTTPRoute') {
      list(spec.hostnames).forEach((host, i) => hosts.push([childPath('spec', 'hostnames', i), host]));
    }
    for (const [field, host] of hosts) {
      const errors = typeof host === 'string' ? hostErrors(host) : ['must be a string'];
      if (errors.length > 0) {
        problems.push(error('api/invalid-host', ctx.placeOf(obj, field), `${obj.kind} ${obj.metadata.name} has host ${JSON.stringify(host)}, which ${errors.join('; ')}; the API server rejects it.`, 'Write a lower-case DNS name such as "shop.example.com", or "*.example.com".'));
      }
    }
  }
  return problems;
}
