import Ajv, { type ValidateFunction } from 'ajv';
import * as yaml from 'js-yaml';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fleet } from '../../../src/environments';
import type { KubeObject } from '../../../src/model/kube-object';
import { renderInfrastructure } from '../../../src/render/infrastructure';
import { infrastructureOf, VARIANTS } from './variants';

/** Vendored upstream CRDs, as src/validate finds them. */
const CRD_DIR = process.env.FLEET_CRD_DIR ?? resolve(__dirname, '../../../../shared/crds');

const FLUX_CRDS = ['helm.toolkit.fluxcd.io_helmreleases.yaml', 'source.toolkit.fluxcd.io_helmrepositories.yaml', 'source.toolkit.fluxcd.io_ocirepositories.yaml'];

type Schema = Record<string, unknown>;

/**
 * The API server prunes unknown fields silently; a test must not. Close every object schema
 * that lists its properties, unless it preserves unknown fields (HelmRelease `values`), and drop
 * the `x-kubernetes-*` keywords Ajv does not know.
 */
function closeSchema(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(closeSchema);
  if (schema === null || typeof schema !== 'object') return schema;
  const source = schema as Schema;
  const closed: Schema = {};
  for (const [key, value] of Object.entries(source)) {
    if (key.startsWith('x-kubernetes-')) continue;
    closed[key] = key === 'properties' ? Object.fromEntries(Object.entries(value as Schema).map(([name, sub]) => [name, closeSchema(sub)])) : closeSchema(value);
  }
  if (source.properties && source.additionalProperties === undefined && source['x-kubernetes-preserve-unknown-fields'] !== true) closed.additionalProperties = false;
  return closed;
}

interface CrdDocument {
  spec: { group: string; names: { kind: string }; versions: { name: string; served: boolean; schema: { openAPIV3Schema: Schema } }[] };
}

/** `apiVersion|kind` → validator, for every served version of the Flux CRDs the generator emits. */
function loadValidators(): Map<string, ValidateFunction> {
  const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false });
  const validators = new Map<string, ValidateFunction>();
  for (const file of FLUX_CRDS) {
    const crd = yaml.load(readFileSync(join(CRD_DIR, 'flux', file), 'utf8')) as CrdDocument;
    for (const version of crd.spec.versions.filter((v) => v.served)) {
      validators.set(`${crd.spec.group}/${version.name}|${crd.spec.names.kind}`, ajv.compile(closeSchema(version.schema.openAPIV3Schema) as Schema));
    }
  }
  return validators;
}

const FLUX_KINDS = new Set(['HelmRelease', 'HelmRepository', 'OCIRepository']);

describe('Flux objects of the infrastructure against the upstream CRD schemas', () => {
  const validators = loadValidators();
  const check = (objects: readonly KubeObject[]) => {
    const flux = objects.filter((obj) => FLUX_KINDS.has(obj.kind));
    for (const obj of flux) {
      const validate = validators.get(`${obj.apiVersion}|${obj.kind}`);
      // THEN the API version is one Flux 2.9 still serves, and the object fits its schema exactly
      expect({ object: `${obj.kind}/${obj.metadata.name}`, served: validate !== undefined }).toEqual({ object: `${obj.kind}/${obj.metadata.name}`, served: true });
      const valid = validate?.(obj);
      expect({ object: `${obj.kind}/${obj.metadata.namespace}/${obj.metadata.name}`, errors: valid ? [] : validate?.errors }).toEqual({
        object: `${obj.kind}/${obj.metadata.namespace}/${obj.metadata.name}`,
        errors: [],
      });
    }
    return flux.length;
  };

  it('closing schemas rejects unknown fields but keeps preserve-unknown-fields open', () => {
    // GIVEN a HelmRelease validator
    const validate = validators.get('helm.toolkit.fluxcd.io/v2|HelmRelease') as ValidateFunction;
    const release = { apiVersion: 'helm.toolkit.fluxcd.io/v2', kind: 'HelmRelease', metadata: { name: 'x' }, spec: { interval: '1h', chartRef: { kind: 'OCIRepository', name: 'x' } } };

    // THEN free-form values pass, a misspelt field does not
    expect(validate({ ...release, spec: { ...release.spec, values: { anything: { goes: [1] } } } })).toBe(true);
    expect(validate({ ...release, spec: { ...release.spec, intervall: '1h' } })).toBe(false);
    expect(validate({ ...release, spec: { ...release.spec, install: { crds: 'Always' } } })).toBe(false);
  });

  it.each(fleet.clusters.map((c) => c.name))('sample cluster %s', (name) => {
    // GIVEN a sample cluster WHEN its infrastructure renders
    const cluster = fleet.clusters.find((c) => c.name === name);
    if (!cluster) throw new Error(name);
    const infrastructure = renderInfrastructure(fleet, cluster);

    // THEN every HelmRelease, HelmRepository and OCIRepository is valid
    expect(check([...infrastructure.controllers, ...infrastructure.configs])).toBeGreaterThan(0);
  });

  it.each(Object.keys(VARIANTS))('capability variant: %s', (variant) => {
    const { cluster, options } = VARIANTS[variant];
    expect(check(infrastructureOf(cluster, options).controllers)).toBeGreaterThan(0);
  });
});
