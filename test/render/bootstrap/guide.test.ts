import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ClusterSpec, ControllerName } from '../../../src/model/cluster';
import type { FleetSpec } from '../../../src/model/fleet';
import type { KubeObject } from '../../../src/model/kube-object';
import type { ClusterSecrets, RenderedCluster } from '../../../src/render/cluster';
import { clusterFacts } from '../../../src/render/bootstrap/cluster-facts';
import { bootstrapGuides } from '../../../src/render/bootstrap/guide';
import { registryHost } from '../../../src/render/bootstrap/platform-steps';
import { prerequisiteSteps } from '../../../src/render/bootstrap/prerequisites';
import { miniFleet } from '../../support/fleet-fixtures';
import { renderOk } from '../../support/render-to-dir';

/** The committed sample certificate: a real PEM whose fingerprint the staging SealedSecrets record. */
const ROOT = join(__dirname, '../../..');
const CERT_PATH = 'secrets/clusters/staging/sealed-secrets-cert.pem';
const CERT = readFileSync(join(ROOT, CERT_PATH), 'utf8');

const SOPS = { backend: 'sops', ageRecipient: 'age1wvxn7h0l0zqt3h2y3gtawlcr9tn05t28fqzu5djwfgwas2nq9arq57nggm' } as const;
const SEALED = { backend: 'sealed-secrets', certificate: 'certs/stage.pem' } as const;

function sealedSecret(namespace: string, name: string): KubeObject {
  return { apiVersion: 'bitnami.com/v1alpha1', kind: 'SealedSecret', metadata: { name, namespace }, spec: { encryptedData: { password: 'AgBy3i4OJSWK+PiTySYZZA==' }, template: { metadata: { name, namespace } } } };
}

/** The page of cluster `stage` (or the one named) for a fleet rendered with the given secrets. */
function guide(fleet: FleetSpec, secrets?: ClusterSecrets, files: Record<string, string> = {}, edit?: (cluster: RenderedCluster) => RenderedCluster): string {
  const rendered = renderOk(fleet, secrets ? { secrets: new Map([[fleet.clusters[0].name, secrets]]) } : {}).clusters.map((c) => edit?.(c) ?? c);
  const pages = bootstrapGuides({ fleet, clusters: rendered, readFile: (path) => files[path] });
  return pages.get(`docs/bootstrap/${fleet.clusters[0].name}.md`) as string;
}

const withCluster = (cluster: Partial<ClusterSpec>) => miniFleet({ cluster });

describe('bootstrap guide: secrets', () => {
  it('SOPS: creates the Secret the apps Kustomization decrypts with, from a key checked against the recipient', () => {
    // GIVEN a SOPS cluster whose apps are decrypted by kustomize-controller
    const page = guide(withCluster({ secrets: SOPS }), { objects: [], sopsDecryption: true });

    // THEN the key is checked against the model's recipient, then stored under a *.agekey key in flux-system
    expect(page).toContain(`test "$(age-keygen -y "$AGE_KEY_FILE")" = ${SOPS.ageRecipient} && echo key matches`);
    expect(page).toContain('kubectl -n flux-system create secret generic sops-age --from-file=stage.agekey="$AGE_KEY_FILE"');
    expect(page).toContain('Kustomization `apps-shop` decrypts its Secrets');
    expect(page).not.toContain('kubeseal');
  });

  it('SOPS without a secret yet: the key is still created, and the page says nothing decrypts yet', () => {
    const page = guide(withCluster({ secrets: SOPS }));
    expect(page).toContain('No rendered Kustomization decrypts anything yet');
    expect(page).toContain('create secret generic sops-age');
  });

  it('sealed-secrets: restores the key of the committed certificate before bootstrap, or reseals for a new one', () => {
    // GIVEN a Sealed Secrets cluster with one committed SealedSecret and its certificate
    const page = guide(withCluster({ secrets: SEALED }), { objects: [sealedSecret('shop', 'db')] }, { [SEALED.certificate]: CERT });

    // THEN the restore goes into the controller's namespace and is checked against the certificate's fingerprint
    const annotated = readFileSync(join(ROOT, 'clusters/staging/apps/microservices/secrets/sealed-secret-mysql.yaml'), 'utf8');
    const fingerprint = /fleet\.gitops\.dev\/sealed-with: (sha256:[0-9a-f]{64})/.exec(annotated)?.[1] as string;
    expect(page).toContain(`(\`${fingerprint}\`)`);
    expect(page).toContain(`# one line is ${fingerprint.slice('sha256:'.length)}`);
    expect(page).toContain('kubectl create namespace sealed-secrets');
    expect(page).toContain('kubectl -n sealed-secrets apply -f <backup of the key');
    // AND without a backup: fetch the new controller's certificate into the model's path, re-render
    expect(page).toContain('kubeseal --controller-namespace sealed-secrets --controller-name sealed-secrets-controller --fetch-cert > certs/stage.pem');
    expect(page).toContain('let bootstrap install the controller (HelmRelease `sealed-secrets/sealed-secrets-controller`)');
    expect(page).toContain('Until then `apps-shop` fails the SealedSecret health check');
    expect(page).toContain('kubectl get sealedsecrets -A   # Synced True: shop/db');
    expect(page).not.toContain('sops-age');
  });

  it('sealed-secrets with the platform\'s controller: it is a prerequisite, not a HelmRelease to wait for', () => {
    const page = guide(withCluster({ secrets: SEALED, preinstalled: ['sealed-secrets'] }), { objects: [sealedSecret('shop', 'db')] }, { [SEALED.certificate]: CERT });
    expect(page).toContain('### Preinstalled: sealed-secrets');
    expect(page).toContain("start the platform's controller (preinstalled)");
    expect(page).not.toContain('sealed-secrets/sealed-secrets-controller,');
  });
});

describe('bootstrap guide: flux bootstrap, Argo CD and verification', () => {
  it('bootstraps the model\'s repository, branch and path, and lists the Kustomizations in dependsOn order', () => {
    const page = guide(withCluster({ flux: { url: 'git@gitlab.com:platform/fleet-config.git', branch: 'release', path: 'fleet' } }));
    expect(page).toContain(['flux bootstrap gitlab \\', '  --owner=platform \\', '  --repository=fleet-config \\', '  --branch=release \\', '  --path=fleet/clusters/stage'].join('\n'));
    expect(page).toContain('flux get kustomizations --watch   # Ready True: flux-system, infra-controllers, infra-configs, apps-shop');
    expect(page).toContain('| 3 | `apps-shop` | `fleet/clusters/stage/apps/shop` | `infra-configs` |');
    expect(page).not.toContain('## 4. Argo CD');
    expect(page).toContain('## 4. Verify it converged');
  });

  it('Argo CD: applies the parent once the namespaces exist, under the flux path, and lists every Application', () => {
    const page = guide(withCluster({ argocd: {}, secrets: SEALED, flux: { url: 'https://github.com/acme/fleet', path: 'fleet' } }), { objects: [] }, { [SEALED.certificate]: CERT });
    expect(page).toContain('## 4. Argo CD');
    expect(page).toContain('kubectl -n flux-system wait kustomization/infra-configs --for=condition=Ready --timeout=20m\nkubectl apply --server-side -k fleet/clusters/stage/argocd');
    expect(page).toContain('`stage-apps-shop` → `shop` (wave 0)');
    expect(page).toContain('kubectl -n argocd get applications.argoproj.io   # Synced, Healthy: stage-apps, stage-apps-shop');
    // Argo CD is not rendered here: the platform runs it and must read the repository
    expect(page).toContain('### Argo CD in namespace `argocd`');
    expect(page).not.toContain('argocd app sync');
    expect(page).toContain('## 5. Verify it converged');
  });

  it('Argo CD: an Application without an automated sync policy gets its sync step', () => {
    // GIVEN the rendered child Application made manual
    const manual = (cluster: RenderedCluster): RenderedCluster => ({
      ...cluster,
      files: new Map(
        [...cluster.files].map(([path, file]) => [
          path,
          path.includes('/argocd/applications/') && !path.endsWith('kustomization.yaml')
            ? { ...file, documents: file.documents.map((doc) => ({ ...(doc as KubeObject), spec: { ...((doc as KubeObject).spec as object), syncPolicy: {} } })) }
            : file,
        ]),
      ),
    });
    const page = guide(withCluster({ argocd: {}, secrets: SEALED }), { objects: [] }, { [SEALED.certificate]: CERT }, manual);
    expect(page).toContain('argocd app sync stage-apps-shop   # syncPolicy has no automated: it waits for this');
    expect(page).not.toContain('argocd app sync stage-apps ');
  });

  it('image automation through the bootstrap source needs a read-write key and the image controllers', () => {
    const page = guide(withCluster({ flux: { url: 'https://github.com/acme/fleet' }, imageAutomation: {} }));
    expect(page).toContain('  --read-write-key \\\n  --components-extra=image-reflector-controller,image-automation-controller');
  });
});

describe('bootstrap guide: prerequisites', () => {
  it('EKS: the IRSA roles with their trusted subjects, the VPC, and the readiness-gate namespaces of an ALB cluster', () => {
    const page = guide(withCluster({ ingress: { controller: 'alb' }, aws: { region: 'eu-west-1', accountId: '123456789012', vpcId: 'vpc-0123456789abcdef0', dnsZone: 'shop.test' } }));
    expect(page).toContain('| `arn:aws:iam::123456789012:role/stage-aws-load-balancer-controller` | `system:serviceaccount:aws-load-balancer-controller:aws-load-balancer-controller` |');
    expect(page).toContain('| `arn:aws:iam::123456789012:role/stage-external-dns` | `system:serviceaccount:external-dns:external-dns` |');
    expect(page).toContain('aws iam get-role --role-name stage-external-dns --query Role.AssumeRolePolicyDocument');
    expect(page).toContain('aws eks describe-cluster --name stage --region eu-west-1 --query cluster.resourcesVpcConfig.vpcId --output text   # vpc-0123456789abcdef0');
    expect(page).toContain("kubectl get namespace shop -o jsonpath='{.metadata.labels.elbv2\\.k8s\\.aws/pod-readiness-gate-inject}'   # enabled");
    expect(page).toContain('aws route53 list-hosted-zones-by-name --dns-name shop.test');
  });

  it('preinstalled: ExternalDNS and a Gateway API implementation on the experimental channel, with their checks', () => {
    const page = guide(
      withCluster({
        ingress: { controller: 'gateway-api', gateway: { name: 'edge', namespace: 'gateways' } },
        gatewayApi: { channel: 'experimental', implementation: 'istio' },
        preinstalled: ['gateway-api'],
      }),
    );
    expect(page).toContain('Gateway API CRDs of the **experimental** channel');
    expect(page).toContain("kubectl get crd httproutes.gateway.networking.k8s.io -o jsonpath='{.metadata.annotations.gateway\\.networking\\.k8s\\.io/channel}'   # experimental");
    expect(page).toContain('kubectl -n gateways get gateway edge   # PROGRAMMED True');
    // istio runs the data plane next to the Gateway
    expect(page).toContain('kubectl -n gateways get pods');
  });

  it('platformSecrets: the namespace Flux will adopt is created first; a pattern is looked up', () => {
    const page = guide(withCluster({ platformSecrets: ['shop/web-tls', 'shop/*-cert'] }));
    expect(page).toContain('kubectl create namespace shop   # Flux adopts it later\nkubectl -n shop get secret web-tls');
    expect(page).toContain("kubectl get secrets -A | grep -E '^shop +[^ ]*-cert '");
  });

  it('an ingress controller on fixed node ports: the outside load balancer forwards to them', () => {
    const page = guide(withCluster({ ingress: { controller: 'traefik', nodePorts: { http: 30080, https: 30443 } } }));
    expect(page).toContain('forwards HTTP on node port 30080 and HTTPS on node port 30443 of every worker node');
    expect(guide(withCluster({}))).not.toContain('node port');
  });

  it('a volume needs its StorageClass, or the default class when the model names none', () => {
    const prometheus = { progressiveDelivery: { engine: 'flagger', metrics: { install: 'prometheus' } } } as const;
    expect(guide(withCluster({ ...prometheus, storageClassName: 'gp3' }))).toContain('HelmRelease `monitoring/prometheus` claims a volume of class `gp3`');
    const generic = guide(withCluster({ ...prometheus, provider: 'generic', aws: undefined }));
    expect(generic).toContain('kubectl get storageclass   # one is (default)');
    expect(generic).not.toContain('aws eks');
  });

  it('GKE: binds each Workload Identity service account to its Kubernetes ServiceAccount', () => {
    const fleet = miniFleet({ cluster: { provider: 'gke', aws: undefined }, service: { serviceAccount: { gcpServiceAccount: 'web@shop-prod.iam.gserviceaccount.com' } } });
    const page = guide(fleet);
    expect(page).toContain("gcloud iam service-accounts add-iam-policy-binding web@shop-prod.iam.gserviceaccount.com --role=roles/iam.workloadIdentityUser --member='serviceAccount:shop-prod.svc.id.goog[shop/web]'");
    expect(page).toContain("gcloud container clusters describe stage --format='value(currentMasterVersion)'   # 1.31.x");
  });

  it('Linkerd and an existing Prometheus are the platform\'s: each gets its check', () => {
    const page = guide(withCluster({ mesh: 'linkerd', progressiveDelivery: { engine: 'flagger', provider: 'linkerd', metrics: { prometheus: 'http://prometheus.monitoring:9090/' } } }));
    expect(page).toContain('linkerd check');
    expect(page).toContain('curl -sf http://prometheus.monitoring:9090/-/ready');
  });
});

describe('bootstrap guide: credentials of the delivery workflow', () => {
  it('the push source, the registry and the notification provider each get their Secret, in the shape Flux reads', () => {
    // GIVEN image automation pushing to another repository, from a private registry, and Slack alerts
    const page = guide(
      withCluster({
        imageAutomation: { source: { url: 'ssh://git@github.com/acme/model', secretName: 'model-push' }, registrySecretName: 'regcred' },
        notifications: { provider: 'slack', secretName: 'slack-webhook' },
      }),
    );
    expect(page).toContain('flux create secret git model-push --url=ssh://git@github.com/acme/model --private-key-file=<a key with write access to the repository>');
    expect(page).toContain('kubectl -n flux-system create secret docker-registry regcred --docker-server=docker.io --docker-username=<user> --docker-password=<token>');
    expect(page).toContain('kubectl -n flux-system create secret generic slack-webhook --from-literal=address=<the webhook URL>');
    // bootstrap's own source needs nothing: its deploy key is bootstrap's
    expect(page).not.toMatch(/create secret \S+ flux-system /);
  });

  it('no credentials step when the cluster has no delivery workflow', () => {
    expect(guide(withCluster({}))).not.toContain('Credentials Flux reads');
  });
});

describe('bootstrap guide: small readers', () => {
  it.each([
    ['example/web', 'docker.io'],
    ['nginx', 'docker.io'],
    ['ghcr.io/acme/web', 'ghcr.io'],
    ['localhost:5000/web', 'localhost:5000'],
    ['123456789012.dkr.ecr.eu-west-1.amazonaws.com/web', '123456789012.dkr.ecr.eu-west-1.amazonaws.com'],
  ])('the registry of %s is %s', (image, host) => {
    expect(registryHost(image)).toBe(host);
  });

  it('a controller the guide has no words for still gets a step with a check', () => {
    const fleet = miniFleet();
    const cluster = renderOk(fleet).clusters[0];
    const steps = prerequisiteSteps(cluster.spec, clusterFacts(cluster), { required: ['argo-cd' as ControllerName], rendered: [], preinstalled: ['argo-cd' as ControllerName] });
    expect(steps.find((step) => step.title === 'Preinstalled: argo-cd')?.commands).toEqual(['kubectl get pods -A -l app.kubernetes.io/name=argo-cd']);
  });
});

describe('bootstrap guide: pages', () => {
  it('one page per cluster and an index linking each, every page starting with its title and task', () => {
    const fleet = miniFleet();
    const pages = bootstrapGuides({ fleet, clusters: renderOk(fleet).clusters, readFile: () => undefined });
    expect([...pages.keys()]).toEqual(['docs/bootstrap/README.md', 'docs/bootstrap/stage.md']);
    expect(pages.get('docs/bootstrap/README.md')).toContain('| [`stage`](stage.md) | Environment `staging` · EKS 1.31');
    for (const text of pages.values()) expect(text.split('\n').slice(1, 4).filter(Boolean)).toEqual([expect.stringMatching(/^# /), expect.stringMatching(/^\*\*Task: /)]);
  });
});
