// Constructs of a cluster's infrastructure: one file per controller, plus the generic pieces
// (pinned HelmRelease, chart source, controller namespace, IRSA ServiceAccount).
export * from './argo-rollouts';
export * from './aws-load-balancer-controller';
export * from './aws-node-termination-handler';
export * from './chart-source';
export * from './controller-namespace';
export * from './eni-config';
export * from './external-dns';
export * from './flagger';
export * from './flagger-loadtester';
export * from './helm-release';
export * from './ingress-nginx';
export * from './irsa-service-account';
export * from './istio';
export * from './prometheus';
export * from './prune-protection';
export * from './sealed-secrets-controller';
export * from './traefik';
