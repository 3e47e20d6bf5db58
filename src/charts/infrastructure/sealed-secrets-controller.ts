import { Construct } from 'constructs';
import { CHARTS } from '../../model/controller-versions';
import { ControllerNamespace } from './controller-namespace';
import { ControllerRelease } from './helm-release';

/**
 * Where the controller runs and what it is called. The name is kubeseal's default; the
 * namespace is its own (not kube-system, which the generator does not own), so kubeseal needs
 * `--controller-namespace sealed-secrets`, e.g.
 * `kubeseal --controller-namespace sealed-secrets --fetch-cert > secrets/clusters/<cluster>/sealed-secrets-cert.pem`.
 */
export const SEALED_SECRETS_CONTROLLER = { namespace: 'sealed-secrets', name: 'sealed-secrets-controller' } as const;

export interface SealedSecretsValues {
  /** Names the Deployment and Service `sealed-secrets-controller`, as kubeseal expects. */
  readonly fullnameOverride: string;
}

export interface SealedSecretsControllerProps {
  /** @default false */
  readonly argocd?: boolean;
}

/**
 * The Bitnami Sealed Secrets controller, on clusters whose secrets backend is `sealed-secrets`:
 * it decrypts the SealedSecrets synth seals with the certificate committed for the cluster.
 *
 * Its sealing keys are Secrets it creates at run time in its namespace (not Helm-owned, so an
 * uninstall keeps them); the namespace is prune-protected, because deleting it would make every
 * committed SealedSecret undecryptable. Back the keys up out of band as well
 * (`kubectl -n sealed-secrets get secret -l sealedsecrets.bitnami.com/sealed-secrets-key -o yaml`).
 *
 * @see https://github.com/bitnami-labs/sealed-secrets#helm-chart
 */
export class SealedSecretsController extends Construct {
  readonly release: ControllerRelease<SealedSecretsValues>;

  constructor(scope: Construct, id: string, props: SealedSecretsControllerProps = {}) {
    super(scope, id);
    const { name } = SEALED_SECRETS_CONTROLLER;
    const namespace = new ControllerNamespace(this, 'Namespace', {
      name: SEALED_SECRETS_CONTROLLER.namespace,
      podSecurity: { level: 'restricted', reason: 'the chart runs the controller non-root, read-only, with every capability dropped and the RuntimeDefault seccomp profile' },
      pruneProtection: { reason: "holds the controller's sealing keys: without them no committed SealedSecret can be decrypted" },
      argocd: props.argocd,
    }).name;
    const pin = CHARTS['sealed-secrets'];
    this.release = new ControllerRelease(this, 'Release', {
      name,
      namespace,
      pin,
      argocd: props.argocd,
      values: { fullnameOverride: name },
    });
  }
}
