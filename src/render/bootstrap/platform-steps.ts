import { clusterContext, type ClusterContext } from '../../charts/microservice/cluster-context';
import type { ClusterSpec, ControllerName } from '../../model/cluster';
import type { InfrastructurePlan } from '../infrastructure';
import type { ClusterFacts } from './cluster-facts';
import type { GuideStep } from './guide-step';

/**
 * What the platform team provides on a cluster and the generator never renders: the controllers
 * it lists in `preinstalled`, Linkerd, an existing Prometheus, Argo CD, the Secrets of
 * `platformSecrets` and the credentials the delivery workflow's Flux objects read.
 */

/** What each controller the platform installs must be, and a command that shows it is there. */
function preinstalledStep(name: ControllerName, cluster: ClusterSpec, context: ClusterContext): GuideStep {
  const gateway = context.ingress.gateway;
  const progressive = context.progressive;
  // Partial: a controller added to the model later still gets a generic step below.
  const byName: Partial<Record<ControllerName, Omit<GuideStep, 'title'>>> = {
    'gateway-api': {
      text: [
        `Gateway API CRDs of the **${context.gatewayApiChannel}** channel (\`gatewayApi.channel\`; routes are validated against it), an implementation running Gateway \`${gateway.namespace}/${gateway.name}\`${gateway.sectionName ? ` with listener \`${gateway.sectionName}\`` : ''}, and its data-plane pods in namespace \`${context.gatewayDataPlaneNamespace}\` (the NetworkPolicies admit that namespace).`,
      ],
      commands: [
        `kubectl get crd httproutes.gateway.networking.k8s.io -o jsonpath='{.metadata.annotations.gateway\\.networking\\.k8s\\.io/channel}'   # ${context.gatewayApiChannel}`,
        `kubectl -n ${gateway.namespace} get gateway ${gateway.name}   # PROGRAMMED True`,
        `kubectl -n ${context.gatewayDataPlaneNamespace} get pods`,
      ],
    },
    'aws-load-balancer-controller': {
      text: [`The AWS Load Balancer Controller, serving IngressClass \`${context.ingress.className}\`${cluster.aws?.vpcId ? ` in VPC \`${cluster.aws.vpcId}\`` : ''}.`],
      commands: ['kubectl get deployments -A -l app.kubernetes.io/name=aws-load-balancer-controller', `kubectl get ingressclass ${context.ingress.className}`],
    },
    'external-dns': {
      text: [`ExternalDNS on Route 53, managing records of the Ingresses' \`external-dns.alpha.kubernetes.io/hostname\`${cluster.aws?.dnsZone ? ` in hosted zone \`${cluster.aws.dnsZone}\`` : ''}.`],
      commands: ['kubectl get deployments -A -l app.kubernetes.io/name=external-dns'],
    },
    'aws-node-termination-handler': { text: ['aws-node-termination-handler draining nodes on Spot interruptions.'], commands: ['kubectl get daemonsets -A -l app.kubernetes.io/name=aws-node-termination-handler'] },
    istio: { text: ['Istio (CRDs, istiod and the ingress gateway).'], commands: ['kubectl get crd virtualservices.networking.istio.io', 'kubectl -n istio-system get deployments'] },
    traefik: { text: [`Traefik serving IngressClass \`${context.ingress.className}\`, with its CRDs.`], commands: ['kubectl get crd ingressroutes.traefik.io', `kubectl get ingressclass ${context.ingress.className}`] },
    'ingress-nginx': { text: [`ingress-nginx serving IngressClass \`${context.ingress.className}\`.`], commands: [`kubectl get ingressclass ${context.ingress.className}`] },
    'sealed-secrets': {
      text: ['The Sealed Secrets controller as `sealed-secrets-controller` in namespace `sealed-secrets`, holding the key of the committed certificate (see Secrets).'],
      commands: ['kubectl get crd sealedsecrets.bitnami.com', 'kubectl -n sealed-secrets get deployment sealed-secrets-controller'],
    },
    prometheus: { text: [`Prometheus at \`${progressive?.metricsServer ?? 'the metrics server'}\`, scraping the pods the canary analyses query.`], commands: [] },
    flagger: {
      text: [`Flagger with its CRDs, started with \`-mesh-provider=${progressive?.provider ?? ''}\`${progressive?.metricsServer ? ` and \`-metrics-server=${progressive.metricsServer}\`` : ''}.`],
      commands: ['kubectl get crd canaries.flagger.app', 'kubectl get deployments -A -l app.kubernetes.io/name=flagger'],
    },
    'flagger-loadtester': { text: ['Flagger\'s load tester at `http://flagger-loadtester.flagger-system/`.'], commands: ['kubectl -n flagger-system get service flagger-loadtester'] },
    'argo-rollouts': { text: ['Argo Rollouts with its CRDs.'], commands: ['kubectl get crd rollouts.argoproj.io', 'kubectl get deployments -A -l app.kubernetes.io/name=argo-rollouts'] },
  };
  const known = byName[name] ?? { text: [`${name}, installed by the platform team (\`preinstalled\`).`], commands: [`kubectl get pods -A -l app.kubernetes.io/name=${name}`] };
  return { title: `Preinstalled: ${name}`, ...known };
}

/** Controllers and services the platform runs that the generator never renders. */
export function platformComponents(cluster: ClusterSpec, facts: ClusterFacts, plan: InfrastructurePlan): GuideStep[] {
  const context = clusterContext(cluster);
  const steps = plan.preinstalled.map((name) => preinstalledStep(name, cluster, context));
  if (context.mesh === 'linkerd') {
    steps.push({ title: 'Linkerd (the platform\'s)', text: ['The generator does not render Linkerd (its trust anchor is created outside Git): install it before bootstrap; the app namespaces are rendered with `linkerd.io/inject: enabled`.'], commands: ['linkerd check'] });
  }
  const metrics = context.progressive?.metricsServer;
  if (metrics && !plan.rendered.includes('prometheus')) {
    steps.push({
      title: 'Metrics for canary analysis',
      text: [`Canary analysis queries \`${metrics}\` (\`progressiveDelivery.metrics\`), which the platform runs: it answers from inside the cluster.`],
      commands: [`kubectl run prometheus-check --rm -i --restart=Never --image=curlimages/curl -- curl -sf ${metrics.replace(/\/+$/, '')}/-/ready`],
    });
  }
  if (cluster.argocd) {
    const namespace = cluster.argocd.namespace ?? 'argocd';
    const renderedHere = facts.helmReleases.some((release) => release.startsWith(`${namespace}/`));
    if (!renderedHere) {
      steps.push({
        title: `Argo CD in namespace \`${namespace}\``,
        text: [`The fleet does not install Argo CD: the platform runs it in \`${namespace}\`${cluster.argocd.project ? ` with AppProject \`${cluster.argocd.project}\`` : ''}, able to read \`${cluster.flux.url}\` (for a private repository: \`argocd repo add ${cluster.flux.url} …\` with read-only credentials).`],
        commands: [`kubectl -n ${namespace} get statefulset argocd-application-controller`, `kubectl -n ${namespace} get appproject ${cluster.argocd.project ?? 'default'}`],
      });
    }
  }
  return steps;
}

/** `platformSecrets`: what the platform creates before Flux applies anything. */
export function platformSecretSteps(cluster: ClusterSpec, facts: ClusterFacts): GuideStep[] {
  const secrets = cluster.platformSecrets ?? [];
  if (secrets.length === 0) return [];
  const commands = secrets.flatMap((entry) => {
    const [namespace, name] = entry.split('/');
    const create = facts.namespaces.has(namespace) && !namespace.includes('*') ? [`kubectl create namespace ${namespace}   # Flux adopts it later`] : [];
    return name.includes('*') || namespace.includes('*')
      ? [`kubectl get secrets -A | grep -E '^${namespace.replace(/\*/g, '[^ ]*')} +${name.replace(/\*/g, '[^ ]*')} '`]
      : [...create, `kubectl -n ${namespace} get secret ${name}`];
  });
  return [
    {
      title: 'Secrets the platform provides',
      text: [
        `The platform team creates these Secrets (\`platformSecrets\`) outside the fleet, e.g. TLS certificates it issues; \`npm run check\` counts them as delivered, so nothing in Git creates them. A namespace the fleet also renders may be created first: Flux adopts it.`,
        '',
        ...secrets.map((entry) => `- \`${entry}\``),
      ],
      commands,
    },
  ];
}

/**
 * The registry of an image reference: its first component when that names a host (a dot, a
 * port or `localhost`), else Docker Hub (distribution/reference, `splitDockerDomain`).
 */
export function registryHost(image: string | undefined): string {
  if (image === undefined) return '<registry>';
  const first = image.split('/')[0];
  return image.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost') ? first : 'docker.io';
}

/**
 * The credentials Flux's delivery objects read, created with the Flux CLI or kubectl in the
 * shape each controller expects (source-controller: `identity`/`known_hosts` for ssh,
 * `username`/`password` for https; image-reflector-controller: a docker-registry Secret;
 * notification-controller: `address`).
 * @see https://fluxcd.io/flux/components/source/gitrepositories/#secret-reference
 * @see https://fluxcd.io/flux/components/image/imagerepositories/#secret-reference
 * @see https://fluxcd.io/flux/components/notification/providers/#address
 */
export function fluxSecretSteps(facts: ClusterFacts): GuideStep[] {
  if (facts.fluxSecretRefs.length === 0) return [];
  const create = ({ kind, secret, target }: (typeof facts.fluxSecretRefs)[number]): string => {
    if (kind === 'GitRepository' && target?.startsWith('ssh://')) return `flux create secret git ${secret} --url=${target} --private-key-file=<a key with write access to the repository>`;
    if (kind === 'GitRepository') return `flux create secret git ${secret} --url=${target ?? '<url>'} --username=<user> --password=<a token that may push>`;
    if (kind === 'ImageRepository') return `kubectl -n flux-system create secret docker-registry ${secret} --docker-server=${registryHost(target)} --docker-username=<user> --docker-password=<token>`;
    if (kind === 'Provider') return `kubectl -n flux-system create secret generic ${secret} --from-literal=address=<the webhook URL>`;
    return `kubectl -n flux-system get secret ${secret}`;
  };
  return [
    {
      title: 'Credentials Flux reads in `flux-system`',
      text: ['Nothing rendered delivers these Secrets, which the delivery workflow\'s Flux objects read; create them after `flux-system` exists (bootstrap creates it, or `kubectl create namespace flux-system`):', '', ...facts.fluxSecretRefs.map((r) => `- \`${r.secret}\`, for ${r.kind} \`${r.object}\``)],
      commands: facts.fluxSecretRefs.map(create),
    },
  ];
}
