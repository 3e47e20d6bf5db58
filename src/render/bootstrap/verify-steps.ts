import { FLUX_NAMESPACE } from '../../charts/flux/git-source';
import type { ClusterSpec } from '../../model/cluster';
import { argoCdVerifyLines } from './argocd-steps';
import type { ClusterFacts } from './cluster-facts';
import { bootstrapPath } from './flux-bootstrap';
import type { GuideStep } from './guide-step';

/** `flux-system`: the Kustomization `flux bootstrap` creates; it applies the entry files. */
const BOOTSTRAP_KUSTOMIZATION = FLUX_NAMESPACE;

/**
 * The Flux Kustomizations in the order they become Ready: bootstrap's own first, then the
 * rendered ones in dependsOn order, each with what it waits for (every Kustomization the
 * generator renders has `wait: true`; `healthCheckExprs` add the kinds kstatus cannot judge).
 */
export function kustomizationTable(cluster: ClusterSpec, facts: ClusterFacts): string[] {
  const rows = facts.kustomizations.map((k, index) => {
    const after = k.dependsOn.length > 0 ? k.dependsOn.map((d) => `\`${d}\``).join(', ') : `\`${BOOTSTRAP_KUSTOMIZATION}\``;
    const waits = [k.wait ? 'every object it applies is healthy' : 'its objects are applied', ...k.healthChecks.map((kind) => `${kind} health`)].join(', ');
    return `| ${index + 1} | \`${k.name}\` | \`${k.path}\` | ${after} | ${waits}${k.timeout ? `, timeout ${k.timeout}` : ''} |`;
  });
  return [
    '| # | Kustomization | path | after | Ready when |',
    '|---|---|---|---|---|',
    `| 0 | \`${BOOTSTRAP_KUSTOMIZATION}\` | \`${bootstrapPath(cluster)}\` | (flux bootstrap) | the entry files are applied |`,
    ...rows,
  ];
}

/** Commands that show the cluster converged, each with what it must show. */
export function verifyStep(cluster: ClusterSpec, facts: ClusterFacts): GuideStep {
  const list = (items: readonly string[]) => items.join(', ');
  const commands = [
    `flux get kustomizations --watch   # Ready True: ${list([BOOTSTRAP_KUSTOMIZATION, ...facts.kustomizations.map((k) => k.name)])}`,
    ...(facts.helmReleases.length > 0 ? [`flux get helmreleases -A   # Ready True: ${list(facts.helmReleases)}`] : []),
    ...(facts.sealedSecrets.length > 0 ? [`kubectl get sealedsecrets -A   # Synced True: ${list(facts.sealedSecrets)}`] : []),
    ...(facts.eniConfigs.length > 0 ? [`kubectl get eniconfigs   # ${list(facts.eniConfigs)}`] : []),
    ...(facts.canaries.length > 0 ? [`kubectl get canaries -A   # Initialized (Succeeded after a release): ${list(facts.canaries)}`] : []),
    ...(facts.rollouts.length > 0 ? [`kubectl get rollouts.argoproj.io -A   # Healthy: ${list(facts.rollouts)}`] : []),
    ...argoCdVerifyLines(facts),
  ];
  return {
      title: 'Verify it converged',
      text: [
        'Flux applies the entry files through bootstrap\'s Kustomization, then each rendered Kustomization once those it depends on are Ready:',
        '',
        ...kustomizationTable(cluster, facts),
        '',
        'A stage that stays not Ready names its failing object in `flux get kustomizations`; `flux events --for Kustomization/<name>` says why.',
      ],
      commands,
  };
}
