import { clusterContext, type ClusterContext } from '../../charts/microservice/cluster-context';
import type { ClusterSpec, ControllerName } from '../../model/cluster';
import type { InfrastructurePlan } from '../infrastructure';
import type { ClusterFacts } from './cluster-facts';

/** One thing to do or check in the walkthrough: a heading, why, and the exact commands. */
export interface GuideStep {
  readonly title: string;
  readonly text: readonly string[];
  /** Shell lines (one block). @default - none */
  readonly commands?: readonly string[];
}

/** `arn:aws:<service>:<region>:<account>:…` → the account, if the ARN names one. */
export function arnAccount(arn: string): string | undefined {
  return /^arn:aws[\w-]*:[\w-]+:[\w-]*:(\d{12}):/.exec(arn)?.[1];
}

function kubernetesVersion(cluster: ClusterSpec): GuideStep {
  const provider =
    cluster.provider === 'eks'
      ? [`aws eks describe-cluster --name ${cluster.name}${cluster.aws ? ` --region ${cluster.aws.region}` : ''} --query cluster.version --output text   # ${cluster.kubernetesVersion}`]
      : cluster.provider === 'gke'
        ? [`gcloud container clusters describe ${cluster.name} --format='value(currentMasterVersion)'   # ${cluster.kubernetesVersion}.x`]
        : [];
  return {
    title: `Kubernetes ${cluster.kubernetesVersion}`,
    text: [`The output is validated against the Kubernetes ${cluster.kubernetesVersion} API (\`kubernetesVersion\`); \`flux check --pre\` also checks Flux supports the server.`],
    commands: [...provider, 'kubectl version   # Server Version: v' + cluster.kubernetesVersion + '.x', 'flux check --pre'],
  };
}

/** EKS: the account, OIDC provider and IAM roles of IRSA, the VPC, the readiness gates. */
function eksSteps(cluster: ClusterSpec, facts: ClusterFacts, plan: InfrastructurePlan): GuideStep[] {
  const aws = cluster.aws;
  if (cluster.provider !== 'eks' || !aws) return [];
  const describe = `aws eks describe-cluster --name ${cluster.name} --region ${aws.region}`;
  const steps: GuideStep[] = [];
  if (facts.irsaRoles.length > 0) {
    steps.push({
      title: 'IAM roles for service accounts (IRSA)',
      text: [
        `The EKS cluster \`${cluster.name}\` in account \`${aws.accountId}\` (${aws.region}) has an IAM OIDC provider, and each role below exists with its controller's or service's policy and a trust policy for \`sts:AssumeRoleWithWebIdentity\` from that provider with the subject shown:`,
        '',
        '| role | trusted subject |',
        '|---|---|',
        ...facts.irsaRoles.map((b) => `| \`${b.identity}\` | \`system:serviceaccount:${b.namespace}:${b.serviceAccount}\` |`),
      ],
      commands: [
        `${describe} --query cluster.identity.oidc.issuer --output text`,
        `aws iam list-open-id-connect-providers   # one ends with the issuer's id`,
        ...facts.irsaRoles.map((b) => `aws iam get-role --role-name ${b.identity.split('/').pop()} --query Role.AssumeRolePolicyDocument`),
      ],
    });
  }
  if (plan.required.includes('aws-load-balancer-controller') && aws.vpcId) {
    steps.push({
      title: `VPC \`${aws.vpcId}\``,
      text: [`The AWS Load Balancer Controller is given the VPC id (\`aws.vpcId\`): pods cannot reach the instance metadata at IMDSv2's hop limit 1. It must be the cluster's VPC.`],
      commands: [`${describe} --query cluster.resourcesVpcConfig.vpcId --output text   # ${aws.vpcId}`],
    });
  }
  if (facts.readinessGateNamespaces.length > 0) {
    steps.push({
      title: 'ALB pod readiness gates',
      text: [
        `Namespaces ${facts.readinessGateNamespaces.map((n) => `\`${n}\``).join(', ')} are rendered with the label \`elbv2.k8s.aws/pod-readiness-gate-inject: enabled\` (ALB target type \`ip\`). The controller's webhook adds the gate only to pods created while it runs, so its ${plan.rendered.includes('aws-load-balancer-controller') ? 'HelmRelease (infra-controllers) is Ready before any app pod starts: the Kustomizations depend on it' : 'preinstalled deployment must be running before bootstrap'}.`,
      ],
      commands: facts.readinessGateNamespaces.map((n) => `kubectl get namespace ${n} -o jsonpath='{.metadata.labels.elbv2\\.k8s\\.aws/pod-readiness-gate-inject}'   # enabled`),
    });
  }
  const certificate = clusterContext(cluster).ingress.certificateArn;
  if (certificate) {
    const account = arnAccount(certificate);
    steps.push({
      title: 'ACM certificate for the ALB listeners',
      text: [
        `\`${certificate}\` is issued and covers the ingress hosts.${account && account !== aws.accountId ? ` It is in account \`${account}\`, not the cluster's \`${aws.accountId}\`: an ALB can only use a certificate of its own account.` : ''}`,
      ],
      commands: [`aws acm describe-certificate --certificate-arn ${certificate} --query Certificate.Status --output text   # ISSUED`],
    });
  }
  const networking = aws.customNetworking;
  if (networking && facts.eniConfigs.length > 0) {
    steps.push({
      title: 'VPC CNI custom networking',
      text: [
        `Pod subnets ${Object.entries(networking.subnets).sort(([a], [b]) => a.localeCompare(b)).map(([zone, subnet]) => `\`${subnet}\` (${zone})`).join(', ')} exist in the VPC, and the vpc-cni add-on reads the ENIConfigs by zone (the add-on owns \`aws-node\`, so this is not in Git). After infra-configs is Ready (it applies ENIConfigs ${facts.eniConfigs.map((n) => `\`${n}\``).join(', ')}), replace the nodes: a node picks its ENIConfig when it starts.`,
      ],
      commands: [
        `aws eks update-addon --cluster-name ${cluster.name} --region ${aws.region} --addon-name vpc-cni --configuration-values '{"env":{"AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG":"true","ENI_CONFIG_LABEL_DEF":"topology.kubernetes.io/zone"}}'`,
        `aws ec2 describe-subnets --region ${aws.region} --subnet-ids ${Object.keys(networking.subnets).sort().map((zone) => networking.subnets[zone]).join(' ')} --query 'Subnets[].[SubnetId,AvailabilityZone,VpcId]' --output text`,
      ],
    });
  }
  return steps;
}

/** GKE: Workload Identity on the cluster and a binding per Kubernetes ServiceAccount. */
function gkeSteps(cluster: ClusterSpec, facts: ClusterFacts): GuideStep[] {
  if (facts.workloadIdentities.length === 0) return [];
  const project = (email: string) => /@([^.]+)\.iam\.gserviceaccount\.com$/.exec(email)?.[1] ?? '<project>';
  return [
    {
      title: 'GKE Workload Identity',
      text: [
        `Workload Identity is enabled on \`${cluster.name}\` and its node pools, and each Google service account lets the Kubernetes ServiceAccount act as it:`,
        '',
        '| Google service account | Kubernetes ServiceAccount |',
        '|---|---|',
        ...facts.workloadIdentities.map((b) => `| \`${b.identity}\` | \`${b.namespace}/${b.serviceAccount}\` |`),
      ],
      commands: [
        `gcloud container clusters describe ${cluster.name} --format='value(workloadIdentityConfig.workloadPool)'   # <project>.svc.id.goog`,
        ...facts.workloadIdentities.map((b) => `gcloud iam service-accounts add-iam-policy-binding ${b.identity} --role=roles/iam.workloadIdentityUser --member='serviceAccount:${project(b.identity)}.svc.id.goog[${b.namespace}/${b.serviceAccount}]'`),
      ],
    },
  ];
}

/** What each controller the platform installs must be, and a command that shows it is there. */
function preinstalledStep(name: ControllerName, cluster: ClusterSpec, context: ClusterContext): GuideStep {
  const gateway = context.ingress.gateway;
  const progressive = context.progressive;
  const byName: Record<ControllerName, Omit<GuideStep, 'title'>> = {
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
  return { title: `Preinstalled: ${name}`, ...byName[name] };
}

/** Controllers and services the platform runs that the generator never renders. */
function platformComponents(cluster: ClusterSpec, facts: ClusterFacts, plan: InfrastructurePlan): GuideStep[] {
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

/** The StorageClass every volume a rendered chart claims needs. */
function storageSteps(facts: ClusterFacts): GuideStep[] {
  return facts.volumeClaims.map(({ release, storageClass }) => ({
    title: storageClass ? `StorageClass \`${storageClass}\`` : 'A default StorageClass',
    text: [
      storageClass
        ? `HelmRelease \`${release}\` claims a volume of class \`${storageClass}\` (\`storageClassName\`): the class exists with a provisioner that can create it (on EKS, the Amazon EBS CSI driver add-on).`
        : `HelmRelease \`${release}\` claims a volume without a class: the cluster marks one StorageClass \`(default)\`.`,
    ],
    commands: [storageClass ? `kubectl get storageclass ${storageClass}` : 'kubectl get storageclass   # one is (default)'],
  }));
}

function dnsStep(cluster: ClusterSpec, plan: InfrastructurePlan): GuideStep[] {
  const zone = cluster.aws?.dnsZone;
  if (!zone || !plan.required.includes('external-dns')) return [];
  return [
    {
      title: `Route 53 zone \`${zone}\``,
      text: [`ExternalDNS writes the ingress hosts' records into the hosted zone \`${zone}\` (\`aws.dnsZone\`)${cluster.aws ? ` of account \`${cluster.aws.accountId}\`` : ''}.`],
      commands: [`aws route53 list-hosted-zones-by-name --dns-name ${zone} --max-items 1 --query 'HostedZones[].Name'`],
    },
  ];
}

/** `platformSecrets`: what the platform creates before Flux applies anything. */
function platformSecretSteps(cluster: ClusterSpec, facts: ClusterFacts): GuideStep[] {
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

/** Everything the cluster must provide before `flux bootstrap`, in the order to set it up. */
export function prerequisiteSteps(cluster: ClusterSpec, facts: ClusterFacts, plan: InfrastructurePlan): GuideStep[] {
  return [
    kubernetesVersion(cluster),
    ...eksSteps(cluster, facts, plan),
    ...gkeSteps(cluster, facts),
    ...storageSteps(facts),
    ...dnsStep(cluster, plan),
    ...platformComponents(cluster, facts, plan),
    ...platformSecretSteps(cluster, facts),
  ];
}
