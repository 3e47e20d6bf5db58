// The secrets stage of the render: which secrets each cluster namespace needs (from the model),
// sealed or SOPS-encrypted per cluster backend with no churn, and the plaintext gates.
export * from './source-layout';
export * from './secret-references';
export * from './secret-sources';
export * from './previous-output';
export * from './sops-cluster-secret';
export * from './prepare-secrets';
export * from './plaintext-gate';
export * from './render-with-secrets';
export * from './sealed-since-base';
