import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadCrdCatalog } from '../../../src/validate/schema/crd-catalog';
import { tempDir } from '../../support/render-to-dir';

function crd(version: string): string {
  return [
    'apiVersion: apiextensions.k8s.io/v1',
    'kind: CustomResourceDefinition',
    'metadata: {name: widgets.example.com}',
    'spec:',
    '  group: example.com',
    '  names: {kind: Widget, plural: widgets}',
    '  scope: Namespaced',
    '  versions:',
    `  - {name: ${version}, served: true, storage: true, schema: {openAPIV3Schema: {type: object}}}`,
    '',
  ].join('\n');
}

describe('loadCrdCatalog', () => {
  it('reads a CRD directory once, and again when a file in it changes, is added or removed', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'example'));
    writeFileSync(join(dir, 'example', 'widgets.yaml'), crd('v1'));
    const versions = () => loadCrdCatalog(dir, []).versionsOf('example.com', 'Widget').map((v) => v.version);
    expect(versions()).toEqual(['v1']);
    const first = loadCrdCatalog(dir, []).versionsOf('example.com', 'Widget')[0];
    expect(loadCrdCatalog(dir, []).versionsOf('example.com', 'Widget')[0]).toBe(first); // cached, not re-parsed

    writeFileSync(join(dir, 'example', 'widgets.yaml'), crd('v2beta1'));
    expect(versions()).toEqual(['v2beta1']);

    writeFileSync(join(dir, 'gadgets.yml'), crd('v3').replace(/Widget/g, 'Gadget').replace('widgets', 'gadgets'));
    expect(loadCrdCatalog(dir, []).versionsOf('example.com', 'Gadget').map((v) => v.version)).toEqual(['v3']);
  });
});
