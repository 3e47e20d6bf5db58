import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { load } from 'js-yaml';
import { tempDir } from '../support/render-to-dir';

const ROOT = path.resolve(__dirname, '../..');
const IMPORTS = path.join(ROOT, 'imports');

function importSpecs(): { name: string; url: string }[] {
  const config = load(readFileSync(path.join(ROOT, 'cdk8s.yaml'), 'utf8')) as { imports: string[] };
  return config.imports.map((spec) => {
    const [name, url] = spec.split(':=');
    return { name, url };
  });
}

const generatedFiles = (dir: string) => readdirSync(dir).filter((file) => file.endsWith('.ts')).sort();

describe('cdk8s.yaml and imports/', () => {
  test('cdk8s.yaml lists each import once, with its upstream release URL (no local or temporary paths)', () => {
    const specs = importSpecs();
    expect(specs.length).toBeGreaterThan(0);
    expect(new Set(specs.map((s) => s.name)).size).toBe(specs.length);
    for (const { name, url } of specs) expect(`${name} ${url}`).toMatch(/^[a-z0-9-]+ https:\/\/raw\.githubusercontent\.com\/[^/]+\/[^/]+\/v[0-9][^/]*\/.+\.yaml$/);
  });

  test('every import has its generated file in imports/, and imports/ holds nothing else generated', () => {
    const names = importSpecs().map((s) => s.name);
    const files = generatedFiles(IMPORTS);
    // cdk8s names a file `<import name>-<API group>.ts`
    expect(files.map((file) => names.find((name) => file.startsWith(`${name}-`)) ?? file).sort()).toEqual([...names].sort());
  });

  test(
    '`npm run import` regenerates imports/ byte for byte from the CRD directory',
    () => {
      // GIVEN an empty directory / WHEN the import script writes into it (offline, from $FLEET_CRD_DIR)
      const out = tempDir('fleet-imports-');
      execFileSync(process.execPath, [path.join(ROOT, 'scripts/import-crds.mjs'), '--output', out], { cwd: ROOT, encoding: 'utf8', stdio: 'pipe' });
      // THEN it holds exactly the committed generated files, with identical bytes
      expect(generatedFiles(out)).toEqual(generatedFiles(IMPORTS));
      for (const file of generatedFiles(IMPORTS)) {
        expect({ file, same: readFileSync(path.join(out, file)).equals(readFileSync(path.join(IMPORTS, file))) }).toEqual({ file, same: true });
      }
    },
    // 15 `cdk8s import` processes and 15 kubectl runs: 2 min wall on a loaded 2-core machine.
    600_000,
  );
});
