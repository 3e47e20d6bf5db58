import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { dump, load } from 'js-yaml';
import type { GatewayApiChannel } from '../../src/model/cluster';
import type { KubeObject } from '../../src/model/kube-object';
import { validateCluster } from '../../src/validate/validate-cluster';
import { SHARED_CRDS } from './fixtures';

const STANDARD_HTTPROUTE = path.join(SHARED_CRDS, 'gateway-api', 'gateway.networking.k8s.io_httproutes.yaml');

/**
 * An experimental-channel HTTPRoute CRD made from the standard one: the channel annotation says
 * experimental and rules carry `retry` (GEP-1731), as config/crd/experimental does upstream.
 */
function experimentalHttpRouteCrd(): unknown {
  const crd = load(fs.readFileSync(STANDARD_HTTPROUTE, 'utf8')) as any;
  crd.metadata.annotations['gateway.networking.k8s.io/channel'] = 'experimental';
  for (const version of crd.spec.versions) {
    const rule = version.schema.openAPIV3Schema.properties.spec.properties.rules.items;
    rule.properties.retry = { type: 'object', properties: { attempts: { type: 'integer' }, backoff: { type: 'string' }, codes: { type: 'array', items: { type: 'integer' } } } };
  }
  return crd;
}

function crdDirectory(files: Record<string, unknown>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gateway-channel-'));
  for (const [name, crd] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), dump(crd));
  return dir;
}

const route = (retry: boolean): KubeObject =>
  ({
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    metadata: { name: 'web', namespace: 'shop' },
    spec: {
      parentRefs: [{ name: 'public', namespace: 'gateway-system' }],
      rules: [{ backendRefs: [{ name: 'web', port: 8080 }], timeouts: { request: '10s' }, ...(retry ? { retry: { attempts: 2, codes: [503] } } : {}) }],
    },
  }) as unknown as KubeObject;

function schemaFindings(channel: GatewayApiChannel | undefined, crdDir: string, retry = true): string[] {
  return validateCluster({ cluster: 'edge', production: false, gatewayApiChannel: channel, objects: [route(retry)] }, { crdDirectory: crdDir, references: false })
    .filter((p) => p.code.startsWith('schema/'))
    .map((p) => `${p.code} ${p.place.field}`);
}

describe('Gateway API objects are validated against the CRDs of the channel the cluster runs', () => {
  const standardOnly = crdDirectory({ 'httproutes.yaml': load(fs.readFileSync(STANDARD_HTTPROUTE, 'utf8')) });
  const both = crdDirectory({ 'httproutes.yaml': load(fs.readFileSync(STANDARD_HTTPROUTE, 'utf8')), 'httproutes-experimental.yaml': experimentalHttpRouteCrd() });

  it('rejects an experimental field on a standard-channel cluster (the default), as the vendored standard CRD does', () => {
    expect(schemaFindings(undefined, SHARED_CRDS)).toEqual(['schema/invalid spec.rules[0].retry']);
    expect(schemaFindings('standard', both)).toEqual(['schema/invalid spec.rules[0].retry']);
    // Standard fields are fine on either channel.
    expect(schemaFindings(undefined, SHARED_CRDS, false)).toEqual([]);
  });

  it('accepts the field on an experimental-channel cluster when the directory has experimental CRDs', () => {
    expect(schemaFindings('experimental', both)).toEqual([]);
  });

  it('refuses to check an experimental cluster against standard CRDs, naming what to add', () => {
    const [problem, ...rest] = validateCluster({ cluster: 'edge', production: false, gatewayApiChannel: 'experimental', objects: [route(true)] }, { crdDirectory: standardOnly, references: false });
    expect(rest).toEqual([]);
    expect(problem.code).toBe('schema/gateway-api-channel');
    expect(problem.message).toContain('experimental channel');
    expect(problem.message).toContain('only from the standard channel');
    expect(problem.fix).toContain('config/crd/experimental/');
  });
});
