// A synth of a mutated fleet in its own process, for test/render/synth-kill.test.ts to kill:
// `node synth-child.js <output root> <FleetMutation as JSON>`. Bundled by that test with esbuild
// into build/test/ (next to build/commands/, so it finds the same schemas). It runs the
// pipeline `npm run synth` runs; not the synth command module, whose `require.main` guard
// would run a second synth inside a bundle.
import { runCommand } from '../../src/commands/lib/cli';
import { runSynthPipeline } from '../../src/render/synth-pipeline';
import { mutatedFleet } from './mutated-fleet';

const [root, mutation] = process.argv.slice(2);
runCommand(async () => {
  // Loaded: the parent times its kill from here, so kills land in the pipeline, not in Node's start-up.
  process.stdout.write('ready\n');
  await runSynthPipeline(mutatedFleet(JSON.parse(mutation)), root, { env: process.env, generator: 'synth-child', out: root });
  return 0;
});
