import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { KubeObject } from '../../model/kube-object';
import type { Place, Problem } from '../../model/problem';
import { scanForPlaintextSecrets } from '../../secrets';
import { CLUSTERS_DIR, DIST_DIR } from '../layout';
import { toYaml } from '../yaml';

/**
 * Leak gates: a `kind: Secret` holding `data`/`stringData` that sops did not encrypt must never
 * be rendered (synth refuses it) nor committed (`npm run check` scans the output). Findings
 * name the object and field, never the value.
 */
export function plaintextSecretProblems(objects: readonly KubeObject[], place: Place): Problem[] {
  const secrets = objects.filter((obj) => obj.kind === 'Secret' || obj.kind === 'List');
  if (secrets.length === 0) return [];
  const files = Object.fromEntries(secrets.map((obj, i) => [`${i}.yaml`, toYaml(obj)]));
  return scanForPlaintextSecrets(files).map((problem) => {
    const object = secrets[Number.parseInt(problem.place.definition ?? '', 10)];
    return {
      ...problem,
      place: { ...place, namespace: object?.metadata.namespace, object: problem.place.object, field: problem.place.field },
      message: `synth refuses to render a Secret with ${problem.place.field} in clear`,
    };
  });
}

/** Committed files under clusters/ and dist/ that hold an unencrypted Secret. */
export function leakProblems(root: string): Problem[] {
  const files: Record<string, string> = {};
  for (const dir of [CLUSTERS_DIR, DIST_DIR]) {
    for (const path of yamlFilesUnder(root, dir)) {
      const text = readFileSync(join(root, path), 'utf8');
      // Parsing every file is the slow part; only documents that can be a Secret are parsed.
      if (/^\s*kind:\s*["']?(Secret|List)["']?\s*$/m.test(text)) files[path] = text;
    }
  }
  return scanForPlaintextSecrets(files);
}

function yamlFilesUnder(root: string, dir: string): string[] {
  let entries;
  try {
    entries = readdirSync(join(root, dir), { recursive: true, withFileTypes: true });
  } catch {
    return [];
  }
  return entries
    .filter((entry) => entry.isFile() && /\.(ya?ml|json)$/.test(entry.name))
    .map((entry) => relative(root, join(entry.parentPath, entry.name)))
    .sort();
}
