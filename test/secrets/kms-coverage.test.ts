import { isMap, parseDocument } from 'yaml';
import { KMS_NOT_WRAPPED, kmsCoverageProblems } from '../../src/secrets/kms-coverage';
import { encryptSops } from '../../src/secrets/sops';
import { DATABASE_SECRET, NOW, sampleRecipient } from './fixtures';

// A SAMPLE KMS entry as sops writes it (no AWS key can unwrap it; fleet never unwraps KMS).
const ARN = 'arn:aws:kms:us-east-2:773713188930:alias/fleet-sops-staging';
const KMS_ENTRY = { arn: ARN, created_at: '2030-06-01T12:00:00Z', enc: Buffer.from('SAMPLE-KMS-CIPHERTEXT-BLOB').toString('base64'), aws_profile: '' };

const CONFIG = [
  'creation_rules:',
  '  - path_regex: secrets/staging/(hydra|reaction)\\.sops\\.yaml$',
  '    encrypted_regex: ^(data|stringData)$',
  `    kms: ${ARN}`,
  `    age: ${sampleRecipient('staging')}`,
  '  - path_regex: secrets/staging/.*\\.sops\\.yaml$',
  '    encrypted_regex: ^(data|stringData)$',
  `    age: ${sampleRecipient('staging')}`,
].join('\n');

async function ageOnly(): Promise<string> {
  const encrypted = await encryptSops(DATABASE_SECRET, { recipients: [sampleRecipient('staging')], encryptedRegex: '^(data|stringData)$', now: () => NOW });
  if (!encrypted.ok) throw new Error('fixture did not encrypt');
  return encrypted.value;
}

/** What `sops updatekeys` leaves: the same file with the KMS entry added. */
function withKms(text: string): string {
  const doc = parseDocument(text);
  const sops = doc.get('sops', true);
  if (!isMap(sops)) throw new Error('no sops block');
  sops.items.unshift(doc.createPair('kms', [KMS_ENTRY]));
  return doc.toString({ indent: 2, indentSeq: true, lineWidth: 0 });
}

describe('secrets/kms-not-wrapped: files .sops.yaml wants wrapped for AWS KMS', () => {
  it('warns once per environment and key, naming the files and the sops updatekeys command', async () => {
    // GIVEN two files under the KMS rule made with age alone (seed 004's, in this repository), one file outside it
    const text = await ageOnly();
    const files = ['hydra', 'reaction', 'mysql'].map((name) => ({ path: `secrets/staging/${name}.sops.yaml`, text }));
    // WHEN
    const problems = kmsCoverageProblems(CONFIG, 'staging', files);
    // THEN
    expect(problems.map((p) => [p.code, p.severity, p.place.environment, p.place.definition])).toEqual([[KMS_NOT_WRAPPED, 'warning', 'staging', '.sops.yaml']]);
    expect(problems[0].message).toContain('secrets/staging/hydra.sops.yaml, secrets/staging/reaction.sops.yaml are not wrapped for AWS KMS key ' + ARN);
    expect(problems[0].message).not.toContain('mysql');
    expect(problems[0].fix).toContain('account 773713188930');
    expect(problems[0].fix).toContain('sops updatekeys -y secrets/staging/hydra.sops.yaml secrets/staging/reaction.sops.yaml');
  });

  it('is quiet once sops updatekeys has added the KMS entry', async () => {
    const text = withKms(await ageOnly());
    expect(kmsCoverageProblems(CONFIG, 'staging', [{ path: 'secrets/staging/hydra.sops.yaml', text }])).toEqual([]);
  });

  it('is quiet without .sops.yaml, with a rule naming no KMS key, and leaves malformed files to the source reader', async () => {
    const text = await ageOnly();
    expect(kmsCoverageProblems(undefined, 'staging', [{ path: 'secrets/staging/hydra.sops.yaml', text }])).toEqual([]);
    expect(kmsCoverageProblems(CONFIG, 'staging', [{ path: 'secrets/staging/mysql.sops.yaml', text }])).toEqual([]);
    expect(kmsCoverageProblems(CONFIG, 'staging', [{ path: 'secrets/staging/hydra.sops.yaml', text: 'not: sops' }])).toEqual([]);
  });
});
