import { createHash, X509Certificate } from 'node:crypto';
import { FLUX_NAMESPACE } from '../../charts/flux/git-source';
import { SEALED_SECRETS_CONTROLLER } from '../../charts/infrastructure/sealed-secrets-controller';
import type { ClusterSpec } from '../../model/cluster';
import { SOPS_AGE_SECRET } from '../cluster';
import type { ClusterFacts } from './cluster-facts';
import type { GuideStep } from './guide-step';

/**
 * How the cluster gets the key that opens its committed secrets, before Flux applies the first.
 *
 * SOPS: kustomize-controller decrypts with the age identities in the Secret each Kustomization's
 * `decryption.secretRef` names, reading every key that ends in `.agekey`
 * (fluxcd/kustomize-controller internal/decryptor/decryptor.go, `DecryptionAgeExt`;
 * https://fluxcd.io/flux/guides/mozilla-sops/#encrypting-secrets-using-age). Cluster secrets are
 * always age: synth re-encrypts every source for the cluster's `ageRecipient`, so a source's
 * AWS KMS keys never reach the cluster and kustomize-controller needs no KMS role.
 *
 * Sealed Secrets: the controller decrypts with the private keys it keeps as Secrets labelled
 * `sealedsecrets.bitnami.com/sealed-secrets-key` in its namespace, generates one at start-up
 * when it finds none, and renews (adds) a key every 30 days by default, keeping the old ones
 * for decryption (bitnami-labs/sealed-secrets README, "Secret Rotation" → "Key Renewal", and
 * docs/bring-your-own-certificates.md).
 */
const SEALED_KEY_LABEL = 'sealedsecrets.bitnami.com/sealed-secrets-key';

/** `sha256:<hex>` of the DER certificate, as SealedSecrets record `sealed-with`; undefined if unreadable. */
export function certificateFingerprint(pem: string): string | undefined {
  try {
    return `sha256:${createHash('sha256').update(new X509Certificate(pem).raw).digest('hex')}`;
  } catch {
    return undefined;
  }
}

function sopsSteps(cluster: ClusterSpec & { secrets: { backend: 'sops'; ageRecipient: string } }, facts: ClusterFacts): GuideStep[] {
  const decrypting = facts.kustomizations.filter((k) => k.decryptionSecret !== undefined);
  const secretNames = [...new Set(decrypting.map((k) => k.decryptionSecret as string))];
  const names = secretNames.length > 0 ? secretNames : [SOPS_AGE_SECRET];
  const recipient = cluster.secrets.ageRecipient;
  return [
    {
      title: `SOPS age key: Secret \`${names.join('`, `')}\` in \`${FLUX_NAMESPACE}\``,
      text: [
        decrypting.length > 0
          ? `${decrypting.length === 1 ? 'Kustomization' : 'Kustomizations'} ${decrypting.map((k) => `\`${k.name}\``).join(', ')} ${decrypting.length === 1 ? 'decrypts its' : 'decrypt their'} Secrets with the age identity whose recipient is \`${recipient}\` (\`secrets.ageRecipient\`). Create the Secret before bootstrap, from the private key kept outside Git (\`AGE_KEY_FILE\` below), under a key ending in \`.agekey\`:`
          : `No rendered Kustomization decrypts anything yet; the first secret of this cluster makes its apps Kustomization read the age identity of \`${recipient}\` (\`secrets.ageRecipient\`) from this Secret. Create it now, from the private key kept outside Git:`,
      ],
      commands: [
        'export AGE_KEY_FILE=<file holding the cluster\'s age identity (AGE-SECRET-KEY-1…)>',
        `test "$(age-keygen -y "$AGE_KEY_FILE")" = ${recipient} && echo key matches`,
        `kubectl create namespace ${FLUX_NAMESPACE}`,
        ...names.map((name) => `kubectl -n ${FLUX_NAMESPACE} create secret generic ${name} --from-file=${cluster.name}.agekey="$AGE_KEY_FILE"`),
      ],
    },
  ];
}

function sealedSteps(cluster: ClusterSpec & { secrets: { backend: 'sealed-secrets'; certificate: string } }, facts: ClusterFacts, certificatePem: string | undefined): GuideStep[] {
  const { namespace, name } = SEALED_SECRETS_CONTROLLER;
  const checked = facts.kustomizations.filter((k) => k.healthChecks.includes('SealedSecret')).map((k) => `\`${k.name}\``);
  const waiting = checked.length > 0 ? ` Until then ${checked.join(', ')} fail${checked.length === 1 ? 's' : ''} the SealedSecret health check (\`Synced\` False).` : '';
  const installer = facts.helmReleases.includes(`${namespace}/${name}`) ? `let bootstrap install the controller (HelmRelease \`${namespace}/${name}\`)` : 'start the platform\'s controller (preinstalled)';
  const path = cluster.secrets.certificate;
  const fingerprint = certificatePem === undefined ? undefined : certificateFingerprint(certificatePem);
  const hex = fingerprint?.replace(/^sha256:/, '') ?? '<sha256 of the certificate>';
  const sealed = facts.sealedSecrets;
  return [
    {
      title: `Sealed Secrets key matching \`${path}\``,
      text: [
        `${sealed.length > 0 ? `${sealed.length} SealedSecret${sealed.length === 1 ? ' is' : 's are'} committed for this cluster (${sealed.map((s) => `\`${s}\``).join(', ')}), sealed with` : 'Every SealedSecret synth writes for this cluster is sealed with'} the certificate \`${path}\`${fingerprint ? ` (\`${fingerprint}\`)` : ''}. Only the controller holding that certificate's private key can open them, and a controller that starts without a key generates a new one. So restore the key backup **before bootstrap**, into the controller's namespace \`${namespace}\` (Flux adopts the namespace):`,
      ],
      commands: [
        `kubectl create namespace ${namespace}`,
        `kubectl -n ${namespace} apply -f <backup of the key: kubectl get secret -l ${SEALED_KEY_LABEL} -o yaml, from the cluster that issued the certificate>`,
        `kubectl -n ${namespace} get secret -l ${SEALED_KEY_LABEL} -o go-template='{{range .items}}{{index .data "tls.crt"}}{{"\\n"}}{{end}}' | while read crt; do echo "$crt" | base64 -d | openssl x509 -outform der | sha256sum; done   # one line is ${hex}`,
      ],
    },
    {
      title: 'No key backup: seal for the new controller',
      text: [
        `Without the backup, ${installer}, then fetch its certificate and re-render: synth reseals every secret of the cluster for it (that needs the environment keys in \`SOPS_AGE_KEY_FILE\`).${waiting}`,
      ],
      commands: [
        `kubeseal --controller-namespace ${namespace} --controller-name ${name} --fetch-cert > ${path}`,
        `npm run synth && git add ${path} clusters dist && git commit -m "${cluster.name}: seal for the new controller key" && git push`,
      ],
    },
  ];
}

/** The secrets steps of a cluster's walkthrough; none without a secrets backend. */
export function secretsSteps(cluster: ClusterSpec, facts: ClusterFacts, certificatePem: string | undefined): GuideStep[] {
  const secrets = cluster.secrets;
  if (!secrets) return [];
  if (secrets.backend === 'sops') return sopsSteps({ ...cluster, secrets }, facts);
  return sealedSteps({ ...cluster, secrets }, facts, certificatePem);
}
