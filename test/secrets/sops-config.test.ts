import { creationRuleFor, parseSopsConfig } from '../../src/secrets/sops-config';
import { repoFile, sampleRecipient } from './fixtures';

describe('.sops.yaml creation rules', () => {
  const config = `creation_rules:
  - path_regex: secrets/production/db/.*\\.sops\\.yaml$
    age: age1first, age1second
  - path_regex: secrets/production/.*\\.sops\\.yaml$
    encrypted_regex: ^(data|stringData)$
    age:
      - age1third
  - age: age1fallback
`;

  test('the first matching rule wins, like sops', () => {
    // GIVEN
    const rules = parseSopsConfig(config);
    if (!rules.ok) throw new Error('config did not parse');

    // WHEN
    const db = creationRuleFor(rules.value, 'secrets/production/db/password.sops.yaml');
    const other = creationRuleFor(rules.value, 'secrets/production/api.sops.yaml');
    const anything = creationRuleFor(rules.value, 'README.md');

    // THEN comma-separated and list recipients both work; a rule without path_regex matches all
    expect(db.ok && db.value).toMatchObject({ ageRecipients: ['age1first', 'age1second'], encryptedRegex: undefined });
    expect(other.ok && other.value).toMatchObject({ ageRecipients: ['age1third'], encryptedRegex: '^(data|stringData)$' });
    expect(anything.ok && anything.value.ageRecipients).toEqual(['age1fallback']);
  });

  test('absolute paths are made relative to the config directory', () => {
    const rules = parseSopsConfig(config);
    const rule = rules.ok ? creationRuleFor(rules.value, '/repo/secrets/production/api.sops.yaml', { configDir: '/repo' }) : undefined;
    expect(rule?.ok && rule.value.ageRecipients).toEqual(['age1third']);
  });

  test('no matching rule is a problem naming the file', () => {
    const rules = parseSopsConfig('creation_rules:\n  - path_regex: ^only/this$\n    age: age1x\n');
    const rule = rules.ok ? creationRuleFor(rules.value, 'secrets/staging/x.sops.yaml') : undefined;
    expect(rule && !rule.ok && rule.problems[0]).toMatchObject({ code: 'secrets/sops-no-creation-rule', place: { definition: 'secrets/staging/x.sops.yaml' } });
  });

  test('malformed configs are problems', () => {
    expect(parseSopsConfig('nope: 1\n').ok).toBe(false);
    expect(parseSopsConfig('creation_rules:\n  - path_regex: "("\n').ok).toBe(false);
    expect(parseSopsConfig('creation_rules:\n  - key_groups: []\n').ok).toBe(false);
  });

  test("the repository's .sops.yaml sends each environment's secrets to that environment's key", () => {
    // GIVEN the committed .sops.yaml
    const rules = parseSopsConfig(repoFile('.sops.yaml'));
    if (!rules.ok) throw new Error('.sops.yaml did not parse');

    // THEN
    for (const env of ['development', 'staging', 'production']) {
      const rule = creationRuleFor(rules.value, `secrets/${env}/database.sops.yaml`);
      expect(rule.ok && rule.value).toMatchObject({ ageRecipients: [sampleRecipient(env)], encryptedRegex: '^(data|stringData)$' });
    }
    expect(creationRuleFor(rules.value, 'secrets/staging/database.yaml').ok).toBe(false);
    expect(creationRuleFor(rules.value, 'secrets/qa/database.sops.yaml').ok).toBe(false);
  });
});
