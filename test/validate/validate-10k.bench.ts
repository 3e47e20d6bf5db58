// Benchmark, not part of the suite: `npx jest --testMatch '**/validate-10k.bench.ts'`.
// Validates ~10,000 generated objects of one cluster (built-in kinds and custom resources) and
// prints cold (schemas learnt and compiled) and warm timings.
import { validateCluster } from '../../src/validate/validate-cluster';
import { errorsOf, OPTIONS } from './fixtures';
import { namespaceObject, serviceObjects, type ServiceShape } from './generated-cluster';
import type { Obj } from './fixtures';

function cluster(count: number): Obj[] {
  const objects: Obj[] = Array.from({ length: 20 }, (_, i) => namespaceObject(`ns${i}`));
  for (let i = 0; objects.length < count; i++) {
    const shape: ServiceShape = { name: `svc${i}`, namespace: `ns${i % 20}`, replicas: 1 + (i % 3), port: 8080, portName: 'http', targetByName: i % 2 === 0, image: `registry.example.com/svc${i}:1.0.${i}`, cpu: '100m', memoryMi: 256, extraLabels: {} };
    objects.push(...serviceObjects(shape));
    if (i % 4 === 0) {
      const meta = { name: `svc${i}-config`, namespace: shape.namespace, labels: { 'app.kubernetes.io/name': shape.name } };
      objects.push({ apiVersion: 'v1', kind: 'ConfigMap', metadata: meta, data: { LOG_LEVEL: 'info' } });
      objects.push({
        apiVersion: 'flagger.app/v1beta1',
        kind: 'Canary',
        metadata: { ...meta, name: `svc${i}` },
        spec: { targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: shape.name }, service: { port: 9898 }, analysis: { interval: '1m', threshold: 5, maxWeight: 50, stepWeight: 10 } },
      });
    }
  }
  return objects;
}

test('validates ~10,000 objects', () => {
  const objects = cluster(10_000);
  const run = () => {
    const started = performance.now();
    const problems = validateCluster({ cluster: 'bench', production: true, kubernetesVersion: '1.31', objects }, OPTIONS);
    return { ms: Math.round(performance.now() - started), problems };
  };
  const cold = run();
  const warm = run();
  console.log(`${objects.length} objects: cold ${cold.ms} ms, warm ${warm.ms} ms, ${errorsOf(warm.problems).length} errors`);
  expect(errorsOf(warm.problems)).toEqual([]);
});
