import type { ClusterSpec } from '../model/cluster';

const CONFIG_REPO = 'https://github.com/example-org/fleet-config';
const DEFINITION = 'src/environments/clusters.ts';
const REGION = 'eu-west-1';

/**
 * Every cluster of the fleet, the seven the five seed systems run on: what runs there and what
 * the cluster provides. The capabilities decide the infrastructure each cluster gets
 * (src/render/infrastructure.ts); docs/bootstrap/<cluster>.md, generated from them, says what
 * each cluster needs before Flux can reconcile it.
 */
export const clusters: ClusterSpec[] = [
  {
    // flyreserve (seed 000): EKS with Traefik and Argo CD; Flagger shifts Traefik traffic,
    // analysed by an in-cluster Prometheus (the canary's reason is in src/environments/flyreserve.ts).
    name: 'staging',
    environment: 'staging',
    provider: 'eks',
    kubernetesVersion: '1.31',
    ingress: { controller: 'traefik' },
    flux: { url: CONFIG_REPO },
    // The seed deploys only the flight information service.
    services: ['flights'],
    progressiveDelivery: { engine: 'flagger', metrics: { install: 'prometheus' } },
    // EKS ≥ 1.30 has no default StorageClass: Prometheus's volume names gp2 (EBS CSI driver add-on).
    storageClassName: 'gp2',
    // Sealed secrets: the seed's `kubectl create secret generic mysql` becomes a SealedSecret in
    // git, which Argo CD can apply (it cannot decrypt SOPS). imagePullSecrets is not in the seed
    // (it pulls anonymously): Docker Hub rate-limits anonymous pulls per source IP, which all nodes
    // behind one NAT gateway share.
    secrets: { backend: 'sealed-secrets', certificate: 'secrets/clusters/staging/sealed-secrets-cert.pem', imagePullSecrets: ['dockerhub'] },
    // vpcId: the AWS Load Balancer Controller cannot read it from IMDS through pods (hop limit 1).
    aws: { region: REGION, accountId: '111122223333', vpcId: 'vpc-0b2c3d4e5f6a70819', dnsZone: 'flightsvc.com' },
    // The seed's Argo CD Application (its Table 10-4): flight-info, project default, sync policy
    // manual, destination in-cluster, namespace microservices; its source is the rendered
    // clusters/staging/apps/microservices instead of the ms-deploy chart directory ms-flights.
    argocd: { applications: { microservices: { name: 'flight-info', sync: 'manual' } } },
    definition: DEFINITION,
  },
  {
    // bookstore development (seed 001, cluster eks-acg): ALB + ExternalDNS for the seed's Route 53
    // root domain; Linkerd (preinstalled by the platform) replaces the retired App Mesh.
    name: 'development',
    environment: 'development',
    provider: 'eks',
    kubernetesVersion: '1.31',
    ingress: { controller: 'alb' },
    mesh: 'linkerd',
    flux: { url: CONFIG_REPO },
    services: ['clients-api', 'inventory-api', 'renting-api', 'resource-api', 'front-end'],
    // No imagePullSecrets: bookstore's images are in ECR, pulled with the node role.
    secrets: { backend: 'sops', ageRecipient: 'age156snms8e56vqe44dvwzk3us4rccegrajg9s0vj4zh6u79sxl95lshprzvd' },
    // vpcId: the AWS Load Balancer Controller cannot read it from IMDS through pods (hop limit 1).
    // nodeTerminationHandler: the seed's Spot node group drains before EC2 reclaims it (eks/aws-node-termination-handler).
    // customNetworking: the seed's secondary-CIDR pod subnets (cni/setup.sh, subnets.json) and the
    // cluster security group, one ENIConfig per zone (cni/helm); the vpc-cni add-on's env and the
    // node replacement stay the platform's (docs/infrastructure.md).
    aws: {
      region: REGION,
      accountId: '555566667777',
      vpcId: 'vpc-0c3d4e5f6a7b8091a',
      dnsZone: 'example.com',
      nodeTerminationHandler: true,
      customNetworking: {
        subnets: { 'eu-west-1a': 'subnet-0c3d64a0000000001', 'eu-west-1b': 'subnet-0c3d64b0000000002', 'eu-west-1c': 'subnet-0c3d64c0000000003' },
        securityGroups: ['sg-0c3d5c0000000000e'],
      },
    },
    definition: DEFINITION,
  },
  {
    // The platform team runs one ExternalDNS and one Prometheus per production account.
    name: 'production',
    environment: 'production',
    provider: 'eks',
    kubernetesVersion: '1.31',
    // The seed's wildcard ACM certificate for the root domain (ssl-certificate/create.sh).
    ingress: { controller: 'alb', certificateArn: 'arn:aws:acm:eu-west-1:444455556666:certificate/4f0c2d1e-bookstore' },
    // Linkerd (preinstalled by the platform) replaces the retired App Mesh, as in development.
    mesh: 'linkerd',
    flux: { url: CONFIG_REPO },
    services: ['clients-api', 'inventory-api', 'renting-api', 'resource-api', 'front-end'],
    // Flagger has no ALB provider: 'kubernetes' runs blue/green by switching the apex Service
    // (named, since the mesh would otherwise derive 'linkerd', which shifts traffic with an SMI TrafficSplit, fluxcd/flagger v1.44 pkg/router/factory.go).
    progressiveDelivery: { engine: 'flagger', provider: 'kubernetes', metrics: { prometheus: 'http://prometheus.monitoring.svc.cluster.local:9090' } },
    // No imagePullSecrets: bookstore's images are in ECR, pulled with the node role.
    secrets: { backend: 'sealed-secrets', certificate: 'secrets/clusters/production/sealed-secrets-cert.pem' },
    preinstalled: ['external-dns'],
    // nodeTerminationHandler: the seed's Spot node group drains before EC2 reclaims it (eks/aws-node-termination-handler).
    // customNetworking: the seed's secondary-CIDR pod subnets (cni/setup.sh, subnets.json) and the
    // cluster security group, one ENIConfig per zone (cni/helm); the vpc-cni add-on's env and the
    // node replacement stay the platform's (docs/infrastructure.md).
    aws: {
      region: REGION,
      accountId: '444455556666',
      vpcId: 'vpc-0a1b2c3d4e5f60718',
      dnsZone: 'example.com',
      nodeTerminationHandler: true,
      customNetworking: {
        subnets: { 'eu-west-1a': 'subnet-0a1b64a0000000001', 'eu-west-1b': 'subnet-0a1b64b0000000002', 'eu-west-1c': 'subnet-0a1b64c0000000003' },
        securityGroups: ['sg-0a1b5c0000000000e'],
      },
    },
    definition: DEFINITION,
  },
  {
    // flightspecials (seed 002) runs Argo Rollouts for its 20/40/60/80 canary steps, with the
    // seed's Rollouts dashboard, made private (progressiveDelivery.dashboard: ClusterIP, reached by
    // kubectl port-forward; the seed's public LoadBalancer on :3100 had no login).
    // External traffic comes through the ALB it shares with the TravelBuddy monolith, as in the
    // seed ("the ALB created in the TravelBuddy lab is shared"): its Ingress joins the ALB
    // IngressGroup `travelbuddy` (assumed name: TravelBuddy's Ingress must carry the same
    // alb.ingress.kubernetes.io/group.name). Changed from our earlier sample: the route through
    // a platform Envoy Gateway (Gateway API) was invented, not the seed's, and is gone.
    name: 'specials',
    environment: 'production',
    provider: 'eks',
    kubernetesVersion: '1.31',
    ingress: { controller: 'alb', albGroup: 'travelbuddy' },
    flux: { url: CONFIG_REPO },
    services: ['flightspecials'],
    progressiveDelivery: { engine: 'argo-rollouts', dashboard: true },
    // Sealed secrets (not SOPS) because Argo CD applies the apps here and cannot decrypt SOPS
    // (argocd/sops-unsupported); the sealed-secrets controller decrypts whoever applies.
    secrets: { backend: 'sealed-secrets', certificate: 'secrets/clusters/specials/sealed-secrets-cert.pem', imagePullSecrets: ['dockerhub'] },
    // vpcId: the AWS Load Balancer Controller cannot read it from IMDS through pods (hop limit 1).
    // The seed's region, ap-northeast-2 (Seoul: its CodeCommit, CloudFormation and RDS). The seed
    // names no account; 777788889999 is an example account of its own (not flyreserve's).
    aws: { region: 'ap-northeast-2', accountId: '777788889999', vpcId: 'vpc-0d4e5f6a7b8c9102b', dnsZone: 'travelbuddy.example.com' },
    // Seed 002's Argo CD Application: flightspecials, project default, sync policy Manual,
    // destination in-cluster, namespace flightspecials (its path `.` is the rendered apps directory).
    argocd: { applications: { flightspecials: { name: 'flightspecials', sync: 'manual' } } },
    definition: DEFINITION,
  },
  {
    // hipstershop (seed 003) on GKE: Istio is mesh and ingress (Gateway + VirtualServices),
    // Flagger routes the frontend's canary through Istio, analysed by an in-cluster Prometheus.
    name: 'shop',
    environment: 'production',
    provider: 'gke',
    kubernetesVersion: '1.31',
    ingress: { controller: 'istio' },
    mesh: 'istio',
    flux: { url: CONFIG_REPO },
    // hipstershop's typed services (same namespace microservices-demo as its Helm apps).
    services: ['frontend', 'checkoutservice', 'emailservice', 'cartservice', 'redis-cart'],
    // hipstershop's remaining services as Helm-chart apps.
    apps: [
      'adservice',
      'currencyservice',
      'paymentservice',
      'productcatalogservice',
      'recommendationservice',
      'shippingservice',
      'loadgenerator',
      'grafana-load-dashboards',
    ],
    // Seed 003: Flagger's `metricsServer=http://prometheus:9090` named a Prometheus nobody ran
    // ("lookup prometheus … no such host", every release rolled back); the fix the seed arrived at
    // ("Istio with Prometheus") is a Prometheus installed on the cluster, which Flagger is wired to.
    progressiveDelivery: { engine: 'flagger', metrics: { install: 'prometheus' } },
    // Seed 003: a new image tag was released automatically, with a commit by Flux (Flux v1's
    // automated image updates). Flux v2's image automation bumps the release lock the same way,
    // for the team's own images on Docker Hub (not redis-cart: the library image's tags are no
    // semver, and the seed never updated it).
    imageAutomation: {
      policies: {
        frontend: { semver: '>=0.0.0' },
        checkoutservice: { semver: '>=0.0.0' },
        emailservice: { semver: '>=0.0.0' },
        cartservice: { semver: '>=0.0.0' },
      },
    },
    secrets: { backend: 'sops', ageRecipient: 'age1jkfdyzpq2397g9mc9edl6arj8a5zh3ssp4ke26qyr2sdw5sk5s5s8lave9', imagePullSecrets: ['dockerhub'] },
    // The public gateway's certificate is issued by the platform team, outside the fleet.
    platformSecrets: ['istio-system/public-gateway-tls'],
    definition: DEFINITION,
  },
  ...platformClusters(),
];

/**
 * Seed 004's two EKS clusters in AWS staging account 773713188930, us-east-2 (src/environments/platform.ts).
 * The seed calls them staging and dev; they are `platform-staging` and `platform-dev` here
 * because cluster names are directories under clusters/ and `staging` is flyreserve's cluster
 * (seed 000), in another account: two clusters of one name would overwrite each other's output.
 */
function platformClusters(): ClusterSpec[] {
  const cluster = (name: string, environment: string, ageRecipient: string): ClusterSpec => ({
    name,
    environment,
    provider: 'eks',
    kubernetesVersion: '1.31',
    // The seed's nginx ingress sat behind an ALB that AWS CDK provisions outside the cluster: a
    // target group forwards HTTP and HTTPS to node port 30080 (HTTPS 30443 on the same Service),
    // so recreating the ingress never makes a new load balancer. The ports stay; the controller
    // is Traefik: ingress-nginx was retired by Kubernetes SIG Network in March 2026 (no more
    // security fixes, kubernetes.io/blog/2025/11/11/ingress-nginx-retirement), and the ALB only
    // needs something on those node ports. Its namespace is Traefik's (`traefik`), not the
    // seed's `kube-ingress`, which held the retired controller of bootstrap/nginx-ingress-alb.
    ingress: { controller: 'traefik', nodePorts: { http: 30080, https: 30443 } },
    flux: { url: CONFIG_REPO },
    services: ['hydra', 'reaction'],
    apps: ['kube-prometheus-stack', 'fluent-bit', 'jaeger'],
    // `docker-hub`: the seed's Docker Hub pull secret, in every application namespace of the
    // cluster (staging/dev, monitoring, logging, observability) and listed by every pod; see
    // platform.ts for why not in `default` and `flux-system`. The per-cluster files are
    // encrypted for the cluster's age key; the sources also name the seed's KMS key (.sops.yaml).
    secrets: { backend: 'sops', ageRecipient, imagePullSecrets: ['docker-hub'] },
    // No vpcId: with node ports no AWS Load Balancer Controller is rendered (the ALB is CDK's).
    aws: { region: 'us-east-2', accountId: '773713188930' },
    definition: DEFINITION,
  });
  return [
    cluster('platform-staging', 'staging', 'age1syanfcj9kezsxdjyfl3lcdqf2qt565we43rcc4lnw8v2day4qa0syzy2u2'),
    cluster('platform-dev', 'development', 'age1k8qng6vfhf872gkmj298apaenwm3vsewx3xklhq9k9yrgflpgelqam7vny'),
  ];
}
