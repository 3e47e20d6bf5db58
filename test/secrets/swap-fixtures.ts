// A SealedSecret sealed from a fresh SOPS source, and the attack on it: a value sealed by hand
// with the public certificate, every annotation kept. TEST-ONLY keys and certificates.
import type { KubeObject } from '../../src/model/kube-object';
import { hybridEncrypt, sealingLabel } from '../../src/secrets/hybrid-encryption';
import { sealSecret } from '../../src/secrets/sealed-secrets';
import { loadSealingCertificate, type SealingCertificate } from '../../src/secrets/sealing-certificate';
import { readSecretSource } from '../../src/secrets/secret-source';
import { encryptSops } from '../../src/secrets/sops';
import { NOW, readRepoFile, sampleIdentities, sampleRecipient } from './fixtures';

export function productionCertificate(): SealingCertificate {
  const certificate = loadSealingCertificate('secrets/clusters/production/sealed-secrets-cert.pem', { readFile: readRepoFile, now: NOW });
  if (!certificate.ok) throw new Error('certificate');
  return certificate.value;
}

/** SealedSecret `billing/payments` sealed for the production test certificate. */
export async function sealedPayments(values: Record<string, string>): Promise<KubeObject> {
  const text = await encryptSops({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'payments' }, stringData: values }, { recipients: [sampleRecipient('production')], encryptedRegex: '^(data|stringData)$' });
  if (!text.ok) throw new Error('encrypt');
  const source = await readSecretSource(text.value, { identities: sampleIdentities('production') });
  if (!source.ok) throw new Error('source');
  const object = sealSecret({ name: 'payments', namespace: 'billing', source: source.value, certificate: productionCertificate() }).object;
  if (!object) throw new Error('seal');
  return object;
}

export function swapCiphertext(object: KubeObject, key: string, value: string): KubeObject {
  const copy = JSON.parse(JSON.stringify(object)) as KubeObject & { spec: { encryptedData: Record<string, string> } };
  const { name, namespace = '' } = object.metadata;
  copy.spec.encryptedData[key] = hybridEncrypt(productionCertificate().publicKey, Buffer.from(value), sealingLabel(namespace, name, 'strict')).toString('base64');
  return copy;
}
