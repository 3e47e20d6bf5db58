import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as yaml from 'js-yaml';

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}
interface Job {
  'runs-on': string;
  needs?: string | string[];
  permissions?: Record<string, string>;
  steps: Step[];
  env?: Record<string, string>;
}
interface Workflow {
  name: string;
  on: Record<string, unknown>;
  permissions?: Record<string, string>;
  concurrency?: { group: string; 'cancel-in-progress': boolean };
  defaults?: { run?: { shell?: string } };
  jobs: Record<string, Job>;
}

const DIR = join(__dirname, '../../.github/workflows');

function workflow(file: string): Workflow {
  return yaml.load(readFileSync(join(DIR, file), 'utf8')) as Workflow;
}

function runs(job: Job): string {
  return job.steps.map((step) => step.run ?? '').join('\n');
}

/** The content-addressed kustomize builds are restored after `npm ci` (which empties node_modules) and before check. */
function expectKustomizeCacheBeforeCheck(job: Job): void {
  const index = (match: (step: Step) => boolean) => job.steps.findIndex(match);
  const cache = index((s) => s.uses === 'actions/cache@v4');
  expect(job.steps[cache]?.with).toEqual({ path: 'node_modules/.cache/fleet-synth/kustomize', key: 'kustomize-builds-${{ github.sha }}', 'restore-keys': 'kustomize-builds-' });
  expect(cache).toBeGreaterThan(index((s) => s.run === 'npm ci'));
  expect(cache).toBeLessThan(index((s) => s.run === 'npm run check'));
}

describe('CI workflows', () => {
  it('are valid YAML with jobs made of steps on ubuntu, run with bash -eo pipefail', () => {
    const files = readdirSync(DIR).filter((file) => /\.ya?ml$/.test(file)).sort();
    expect(files).toEqual(['pull-request.yml', 'release.yml', 'render.yml']);
    for (const file of files) {
      const wf = workflow(file);
      expect(wf.defaults?.run?.shell).toBe('bash');
      for (const job of Object.values(wf.jobs)) {
        expect(job['runs-on']).toBe('ubuntu-latest');
        expect(job.steps.length).toBeGreaterThan(0);
        for (const step of job.steps) expect(Boolean(step.uses) !== Boolean(step.run)).toBe(true);
      }
    }
  });

  it('pull requests: install, test, render, check drift, and comment the Markdown diff', () => {
    const wf = workflow('pull-request.yml');
    expect(Object.keys(wf.on)).toEqual(['pull_request']);
    expect(wf.permissions).toEqual({ contents: 'read' });
    expect(wf.concurrency).toEqual({ group: 'pull-request-${{ github.event.pull_request.number }}', 'cancel-in-progress': true });
    expect(Object.keys(wf.jobs)).toEqual(['test', 'render', 'diff']);
    for (const job of Object.values(wf.jobs)) expect(runs(job)).toContain('npm ci');
    expect(runs(wf.jobs.test)).toMatch(/npm run typecheck[\s\S]*npx jest --ci/);
    expect(wf.jobs.render.steps.find((s) => s.run === 'npm run check')?.if).toBe("env.CONFIG_REPO == ''");
    expect(wf.jobs.render.steps.find((s) => s.run === 'npm run synth -- --out .config-base')?.if).toBe("env.CONFIG_REPO != ''");
    expectKustomizeCacheBeforeCheck(wf.jobs.render);

    const diff = wf.jobs.diff;
    expect(diff.permissions).toEqual({ contents: 'read', 'pull-requests': 'write' });
    expect(diff.steps[0]).toMatchObject({ uses: 'actions/checkout@v4', with: { 'fetch-depth': 0 } });
    expect(runs(diff)).toContain('npm run -s diff -- "${base[@]}" --format markdown --output fleet-diff.md');
    const comment = diff.steps.find((s) => s.uses === 'actions/github-script@v7');
    expect(String(comment?.with?.script)).toContain('<!-- fleet-diff -->');
    expect(String(comment?.with?.script)).toContain("readFileSync('fleet-diff.md'");
  });

  it('main: renders and publishes one run at a time, to this repository or the config repository', () => {
    const wf = workflow('render.yml');
    expect(wf.on).toEqual({ push: { branches: ['main'] }, workflow_dispatch: null });
    expect(wf.concurrency).toEqual({ group: 'render-main', 'cancel-in-progress': false });
    expect(wf.permissions).toEqual({ contents: 'write' });
    const job = wf.jobs.publish;
    expect(job.steps[0]).toMatchObject({ uses: 'actions/checkout@v4', with: { ref: 'main' } });
    expectKustomizeCacheBeforeCheck(job);
    expect(job.steps.filter((s) => s.if === "env.CONFIG_REPO == ''").map((s) => s.run?.split('\n')[0])).toEqual(['npm run synth', 'npm run check', "git config user.name 'github-actions[bot]'"]);
    const commitHere = job.steps.find((s) => s.name === 'Commit the output to this repository');
    expect(commitHere?.run).toContain('git add --all clusters dist');
    expect(commitHere?.run).toContain('git push origin HEAD:main');
    const pushConfig = job.steps.filter((s) => s.if === "env.CONFIG_REPO != ''");
    expect(pushConfig.map((s) => s.uses ?? 'run')).toEqual(['actions/checkout@v4', 'run']);
    expect(pushConfig[0].with).toMatchObject({ repository: '${{ vars.CONFIG_REPO }}', token: '${{ secrets.CONFIG_REPO_TOKEN }}', path: '.config-repo' });
    expect(pushConfig[1].run).toContain('npm run -s synth -- --out .config-repo');
  });

  it('release: edits the lock through the npm scripts and opens a pull request, inputs passed as variables', () => {
    const wf = workflow('release.yml');
    const dispatch = (wf.on.workflow_dispatch as { inputs: Record<string, unknown> }).inputs;
    expect(Object.keys(dispatch)).toEqual(['command', 'environment', 'service', 'version', 'to']);
    expect(wf.concurrency).toEqual({ group: 'release-lock', 'cancel-in-progress': false });
    const job = wf.jobs.release;
    expect(runs(job)).toContain('npm run -s release -- "$ENVIRONMENT" "$SERVICE" "$VERSION"');
    expect(runs(job)).toContain('npm run -s promote -- "$ENVIRONMENT" "$TO"');
    expect(runs(job)).toContain('gh pr create');
    expect(runs(job)).not.toContain('${{ inputs.');
  });
});
