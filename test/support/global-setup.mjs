// Jest global setup: the model's runtime schema (build/model-schema.json), which checkFleet reads,
// derived from the model's types as `npm run synth` does (cached; nothing runs when unchanged).
import { resolve } from 'node:path';
import { ensureModelCheck } from '../../scripts/model-check.mjs';

export default async function globalSetup() {
  const errors = await ensureModelCheck(resolve(import.meta.dirname, '../..'));
  if (errors.length > 0) throw new Error(`the fleet definition does not type-check:\n${errors.join('\n')}`);
}
