// Secrets: SOPS files with age recipients, Bitnami SealedSecrets, and the checks that keep
// plaintext out of git. Commands (synth, secrets) use only what this barrel exports.
export * from './result';
export * from './age-identity';
export { wrapDataKey, unwrapDataKey, DATA_KEY_BYTES } from './age-data-key';
export { decryptSops, encryptSops } from './sops';
export type { DecryptSopsOptions, DecryptedSops, EncryptSopsOptions, SopsValue } from './sops';
export * from './sops-edit';
export * from './sops-config';
export type { SopsScalar, SopsValueType, PlainScalar, RandomBytes } from './sops-cipher';
export { SOPS_VERSION } from './sops-metadata';
export type { SopsMetadata, SopsAgeRecipient, SopsKmsKey } from './sops-metadata';
export { KMS_ARN } from './sops-metadata';
export type { SopsEncryptionRuleOptions } from './sops-rule';
export * from './secret-source';
export * from './hybrid-encryption';
export * from './sealing-certificate';
export * from './sealed-secrets';
export * from './sops-secret-emitter';
export * from './leak-scan';
export * from './secret-rules';
export * from './source-content';
export * from './sealed-integrity';
export * from './test-only-keys';
export * from './kms-coverage';
export * from './age-stanza';
