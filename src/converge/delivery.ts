import type { KubeObject } from '../model/kube-object';
import { error, type Problem } from '../model/problem';
import { namespaceOf } from '../validate/cluster-index';
import { isRecord, list, record, str } from '../validate/json';
import { podTemplateOf } from '../validate/workloads';
import { placeOf } from './place';
import { assessesApplicationHealth, unitName, type AppliedUnit } from './applied-units';
import { deliveredInTime, type Order, type Placed } from './apply-order';

/**
 * `converge/undelivered`: every Secret or ConfigMap a pod, route or gateway references is
 * delivered in that namespace by the Flux Kustomization that applies the reference or by one it
 * depends on (transitively) — or, for Argo CD, by the same Application in the same or an earlier
 * sync wave, or an Application its parent syncs in an earlier wave (src/converge/apply-order.ts) —
 * or is declared as provided by the platform. Otherwise the pod never
 * starts (CreateContainerConfigError), the image never pulls, or the listener has no certificate.
 *
 * What delivers a Secret: a Secret object (plain or SOPS-encrypted, decrypted by
 * kustomize-controller), a SealedSecret (sealed-secrets controller writes a Secret of the same
 * name), a cert-manager Certificate (`spec.secretName`), an External Secrets ExternalSecret
 * (`spec.target.name`, default its own name).
 */
export const UNDELIVERED = 'converge/undelivered';

interface Reference {
  readonly kind: 'Secret' | 'ConfigMap';
  readonly namespace: string;
  readonly name: string;
  readonly field: string;
}

/** What each object references (pods: volumes, env, envFrom, imagePullSecrets; routes and gateways: TLS secrets). */
export function referencesOf(obj: KubeObject): Reference[] {
  const ns = namespaceOf(obj);
  const template = podTemplateOf(obj);
  if (template) return podReferences(template.spec, template.namespace, template.specPath);
  const spec = record(obj.spec);
  switch (obj.kind) {
    case 'Ingress':
      return list(spec.tls).flatMap((t, i) => (str(record(t).secretName) ? [{ kind: 'Secret' as const, namespace: ns, name: str(record(t).secretName) as string, field: `spec.tls[${i}].secretName` }] : []));
    case 'IngressRoute':
      return str(record(spec.tls).secretName) ? [{ kind: 'Secret', namespace: ns, name: str(record(spec.tls).secretName) as string, field: 'spec.tls.secretName' }] : [];
    case 'Gateway':
      // Istio reads credentialName from the gateway's namespace; Gateway API certificateRefs default to the Gateway's.
      return [
        ...list(spec.servers).flatMap((s, i) => {
          const name = str(record(record(s).tls).credentialName);
          return name ? [{ kind: 'Secret' as const, namespace: ns, name, field: `spec.servers[${i}].tls.credentialName` }] : [];
        }),
        ...list(spec.listeners).flatMap((l, i) =>
          list(record(record(l).tls).certificateRefs)
            .filter(isRecord)
            .map((ref, j) => ({ kind: 'Secret' as const, namespace: str(ref.namespace) ?? ns, name: str(ref.name) ?? '', field: `spec.listeners[${i}].tls.certificateRefs[${j}]` })),
        ),
      ];
    default:
      return [];
  }
}

function podReferences(spec: Readonly<Record<string, unknown>>, ns: string, path: string): Reference[] {
  const refs: Reference[] = [];
  const add = (kind: Reference['kind'], name: unknown, field: string, optional: unknown) => {
    if (typeof name === 'string' && optional !== true) refs.push({ kind, namespace: ns, name, field: `${path}.${field}` });
  };
  list(spec.imagePullSecrets).forEach((s, i) => add('Secret', record(s).name, `imagePullSecrets[${i}]`, false));
  list(spec.volumes).forEach((v, i) => {
    const volume = record(v);
    add('Secret', record(volume.secret).secretName, `volumes[${i}].secret`, record(volume.secret).optional);
    add('ConfigMap', record(volume.configMap).name, `volumes[${i}].configMap`, record(volume.configMap).optional);
    list(record(volume.projected).sources).forEach((s, j) => {
      add('Secret', record(record(s).secret).name, `volumes[${i}].projected.sources[${j}].secret`, record(record(s).secret).optional);
      add('ConfigMap', record(record(s).configMap).name, `volumes[${i}].projected.sources[${j}].configMap`, record(record(s).configMap).optional);
    });
  });
  for (const key of ['containers', 'initContainers']) {
    list(spec[key]).forEach((c, i) => {
      const container = record(c);
      list(container.env).forEach((e, j) => {
        const from = record(record(e).valueFrom);
        add('Secret', record(from.secretKeyRef).name, `${key}[${i}].env[${j}].valueFrom.secretKeyRef`, record(from.secretKeyRef).optional);
        add('ConfigMap', record(from.configMapKeyRef).name, `${key}[${i}].env[${j}].valueFrom.configMapKeyRef`, record(from.configMapKeyRef).optional);
      });
      list(container.envFrom).forEach((e, j) => {
        add('Secret', record(record(e).secretRef).name, `${key}[${i}].envFrom[${j}].secretRef`, record(record(e).secretRef).optional);
        add('ConfigMap', record(record(e).configMapRef).name, `${key}[${i}].envFrom[${j}].configMapRef`, record(record(e).configMapRef).optional);
      });
    });
  }
  return refs;
}

/** `Secret/ns/name` or `ConfigMap/ns/name` for everything an object delivers. */
export function deliveredBy(obj: KubeObject): string[] {
  const ns = namespaceOf(obj);
  const spec = record(obj.spec);
  switch (obj.kind) {
    case 'Secret':
    case 'ConfigMap':
      return [`${obj.kind}/${ns}/${obj.metadata.name}`];
    case 'SealedSecret':
      return [`Secret/${ns}/${str(record(record(spec.template).metadata).name) ?? obj.metadata.name}`];
    case 'Certificate':
      return str(spec.secretName) ? [`Secret/${ns}/${spec.secretName as string}`] : [];
    case 'ExternalSecret':
      return [`Secret/${ns}/${str(record(spec.target).name) ?? obj.metadata.name}`];
    default:
      return [];
  }
}

/** `namespace/name`, where `*` stands for any run of characters within one of the two parts. */
export function secretPattern(glob: string): RegExp {
  const escaped = glob.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*');
  return new RegExp(`^${escaped}$`);
}

export function checkDelivery(cluster: string, units: readonly AppliedUnit[], entry: readonly KubeObject[], platformSecrets: readonly string[]): Problem[] {
  const deliveries = new Map<string, Placed[]>();
  for (const unit of units) for (const obj of unit.objects) for (const key of deliveredBy(obj)) deliveries.set(key, [...(deliveries.get(key) ?? []), { unit, obj }]);
  const fromEntry = new Set(entry.flatMap(deliveredBy));
  const platform = platformSecrets.map(secretPattern);
  const appHealth = assessesApplicationHealth([...entry, ...units.flatMap((u) => u.objects)]);
  return units.flatMap((unit) =>
    unit.objects.flatMap((obj) =>
      referencesOf(obj).flatMap((ref) => {
        const key = `${ref.kind}/${ref.namespace}/${ref.name}`;
        if ((ref.kind === 'Secret' && platform.some((pattern) => pattern.test(`${ref.namespace}/${ref.name}`))) || fromEntry.has(key)) return [];
        const orders = (deliveries.get(key) ?? []).map((producer) => deliveredInTime({ unit, obj }, producer, units, appHealth));
        if (orders.some((o) => o.inTime)) return [];
        const late = orders.find((o): o is Extract<Order, { inTime: false }> => !o.inTime);
        const why = late
          ? late.why
          : 'nothing delivers it (no Secret, SealedSecret, Certificate or ExternalSecret of that name) and the cluster does not declare it as provided by the platform';
        return [
          error(
            UNDELIVERED,
            placeOf(cluster, obj, ref.field),
            `${obj.kind} ${namespaceOf(obj)}/${obj.metadata.name} (applied by ${unitName(unit)}) references ${ref.kind} ${ref.namespace}/${ref.name}, but ${why}.`,
            ref.kind === 'Secret'
              ? `Deliver ${ref.namespace}/${ref.name} no later than the reference: add it as a secret of the service (SOPS or SealedSecret) in the same unit or an earlier one (Flux dependsOn, an earlier Argo CD sync wave), issue it with a cert-manager Certificate, or list "${ref.namespace}/${ref.name}" in the cluster's platformSecrets if the platform creates it.`
              : `Render ConfigMap ${ref.namespace}/${ref.name} in the same unit or an earlier one (Flux dependsOn, an earlier Argo CD sync wave).`,
          ),
        ];
      }),
    ),
  );
}
