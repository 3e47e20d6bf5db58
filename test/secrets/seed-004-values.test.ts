// Seed 004's Hydra and Reaction secrets were made with shell one-liners that went wrong: a
// missing `>` left MONGO_URL empty, and how-to placeholders (`<random_string`) were encrypted as
// values. Both are found at synth (the empty one even without a key).
import { readSecretSource } from '../../src/secrets/secret-source';
import { sourceContentProblems } from '../../src/secrets/source-content';
import { encryptSops } from '../../src/secrets/sops';
import { sampleIdentities, sampleRecipient } from './fixtures';

async function source(stringData: Record<string, string>, withKey: boolean) {
  const text = await encryptSops({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'reaction' }, stringData }, { recipients: [sampleRecipient('staging')], encryptedRegex: '^(data|stringData)$' });
  if (!text.ok) throw new Error('encrypt failed');
  const read = await readSecretSource(text.value, { identities: withKey ? sampleIdentities('staging') : [], file: 'secrets/staging/reaction.sops.yaml' });
  if (!read.ok) throw new Error('read failed');
  return read.value;
}

describe('seed 004 secret values', () => {
  test.each([[true], [false]])('an empty MONGO_URL is an error, with a key: %s', async (withKey) => {
    // GIVEN: `echo -n "<atlas url>" .sops/MONGO_URL.enc` wrote nothing
    const reaction = await source({ MONGO_URL: '', MONGO_OPLOG_URL: 'mongodb://sample-user:sample-not-a-password@mongo.example.invalid:27017/local' }, withKey);

    // WHEN
    const problems = sourceContentProblems(reaction);

    // THEN
    expect(problems.map((p) => [p.code, p.severity, p.place.field, p.message])).toEqual([
      ['secrets/empty-value', 'error', 'stringData.MONGO_URL', 'the value of MONGO_URL is empty: the pod would start with an empty MONGO_URL'],
    ]);
  });

  test.each([
    ['OIDC_SUBJECT_TYPE_PAIRWISE_SALT', '<random_string', '"<random_string"'],
    ['DATABASE_URL', 'postgres://hydradbadmin:< hydra_passport>@<hydra_db_endpoint', '"< hydra_passport>"'],
    ['MONGO_URL', '<atlas url>', '"<atlas url>"'],
  ])('%s holding the seed\'s placeholder is a warning that names the placeholder, never the value', async (key, value, shown) => {
    // GIVEN
    const hydra = await source({ [key]: value }, true);

    // WHEN
    const problems = sourceContentProblems(hydra);

    // THEN
    expect(problems.map((p) => [p.code, p.severity, p.message])).toEqual([['secrets/placeholder-value', 'warning', `the value of ${key} still holds the template placeholder ${shown}`]]);
  });

  test.each([
    ['an XML tag', '<config><debug>true</debug></config>'],
    ['a PEM key', '-----BEGIN PRIVATE KEY-----\nMIIsample\n-----END PRIVATE KEY-----\n'],
    ['a comparison', 'replicas<3'],
    ['a real-looking URL', 'postgres://hydra:sample-not-a-password@hydra-db.example.invalid:5432/hydra?sslmode=require'],
  ])('%s is not a placeholder', async (_what, value) => {
    expect(sourceContentProblems(await source({ VALUE: value }, true))).toEqual([]);
  });
});
