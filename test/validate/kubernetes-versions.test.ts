import * as fs from 'node:fs';
import * as path from 'node:path';
import type { KubeObject } from '../../src/model/kube-object';
import { findSchemaSet, schemaFileName } from '../../src/validate/schema/kubernetes-schema-location';
import { validateCluster } from '../../src/validate/validate-cluster';
import { tempDir } from '../support/render-to-dir';

/**
 * A schema directory in kubeconform's layout with two patches of one old Kubernetes version, as
 * yannh/kubernetes-json-schema publishes them: standalone (refs inlined), strict (no unknown
 * fields). Kubernetes 1.17 had no ConfigMap `immutable` (1.18+) and no networking.k8s.io/v1
 * Ingress (1.19+), so the sets differ from kubernetes-models' 1.33 exactly where a cluster's own
 * version matters.
 */
function schemaDirectory(): string {
  const root = tempDir('k8s-schemas-');
  const string = { type: 'string' };
  const stringMap = { type: 'object', additionalProperties: string };
  const metadata = { type: 'object', additionalProperties: false, properties: { name: string, namespace: string, labels: stringMap, annotations: stringMap } };
  const configMap = {
    $schema: 'http://json-schema.org/schema#',
    description: 'ConfigMap holds configuration data for pods to consume.',
    type: 'object',
    additionalProperties: false,
    properties: { apiVersion: { type: 'string', enum: ['v1'] }, kind: { type: 'string', enum: ['ConfigMap'] }, metadata, data: stringMap, binaryData: { type: 'object', additionalProperties: { type: 'string', format: 'byte' } } },
    'x-kubernetes-group-version-kind': [{ group: '', kind: 'ConfigMap', version: 'v1' }],
  };
  for (const set of ['v1.17.0-standalone-strict', 'v1.17.17-standalone-strict']) {
    fs.mkdirSync(path.join(root, set));
    fs.writeFileSync(path.join(root, set, 'configmap-v1.json'), JSON.stringify(configMap));
  }
  fs.writeFileSync(path.join(root, 'README.md'), 'not a schema set\n');
  return root;
}

const configMap = (extra: Record<string, unknown> = {}): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'shop' }, data: { MODE: 'fast' }, ...extra }) as KubeObject;
const ingress: KubeObject = {
  apiVersion: 'networking.k8s.io/v1',
  kind: 'Ingress',
  metadata: { name: 'web', namespace: 'shop' },
  spec: { rules: [{ host: 'web.shop.test', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } }] } }] },
} as KubeObject;

function schemaFindings(kubernetesVersion: string, objects: readonly KubeObject[], kubernetesSchemaDirectory: string) {
  return validateCluster({ cluster: 'legacy', production: false, kubernetesVersion, objects }, { references: false, kubernetesSchemaDirectory })
    .filter((p) => p.code.startsWith('schema/'))
    .map((p) => ({ code: p.code, object: p.place.object, field: p.place.field, message: p.message }));
}

describe("validation against the cluster's own Kubernetes version", () => {
  const root = schemaDirectory();

  it('picks the newest patch of the cluster minor version, and nothing for a version without a set', () => {
    expect(findSchemaSet(root, '1.17')).toEqual({ version: '1.17.17', directory: path.join(root, 'v1.17.17-standalone-strict') });
    expect(findSchemaSet(root, '1.31')).toBeUndefined();
    expect(findSchemaSet(undefined, '1.17')).toBeUndefined();
    expect(findSchemaSet(path.join(root, 'missing'), '1.17')).toBeUndefined();
  });

  it("names schema files as kubeconform does", () => {
    expect(schemaFileName('v1', 'ConfigMap')).toBe('configmap-v1.json');
    expect(schemaFileName('apps/v1', 'Deployment')).toBe('deployment-apps-v1.json');
    expect(schemaFileName('networking.k8s.io/v1', 'Ingress')).toBe('ingress-networking-v1.json');
    expect(schemaFileName('autoscaling/v2', 'HorizontalPodAutoscaler')).toBe('horizontalpodautoscaler-autoscaling-v2.json');
  });

  it('accepts what that version serves', () => {
    expect(schemaFindings('1.17', [configMap()], root)).toEqual([]);
  });

  it('rejects a field newer than the cluster, naming the version it was checked against', () => {
    const [finding, ...rest] = schemaFindings('1.17', [configMap({ immutable: true })], root);
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({ code: 'schema/invalid', object: 'ConfigMap/settings', field: 'immutable' });
    expect(finding.message).toContain('Kubernetes 1.17.17');
  });

  it('rejects a built-in API the version does not serve yet', () => {
    const [finding, ...rest] = schemaFindings('1.17', [ingress], root);
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({ code: 'schema/unknown-kind', object: 'Ingress/web', field: 'apiVersion' });
    expect(finding.message).toContain('not served by Kubernetes 1.17.17');
    expect(finding.message).toContain('ingress-networking-v1.json');
  });

  it('falls back to kubernetes-models for a cluster whose version has no set', () => {
    expect(schemaFindings('1.31', [configMap({ immutable: true }), ingress], root)).toEqual([]);
    expect(schemaFindings('1.31', [configMap({ immutabel: true })], root).map((f) => `${f.code} ${f.field}`)).toEqual(['schema/invalid immutabel']);
  });

  it('still checks custom resources against their CRDs', () => {
    const canary = { apiVersion: 'flagger.app/v1beta1', kind: 'Canary', metadata: { name: 'web', namespace: 'shop' }, spec: { targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, service: { port: 80 }, analysis: { interval: '1m', threshold: 5, stepWeight: 10, maxWeight: 50 }, bogus: 1 } } as KubeObject;
    const findings = schemaFindings('1.17', [canary], root);
    expect(findings.map((f) => `${f.code} ${f.field}`)).toEqual(['schema/invalid spec.bogus']);
  });
});
