/**
 * Wraps and unwraps a SOPS data key with age, as getsops/sops `age/keysource.go` does: the age
 * plaintext is the raw 32-byte data key and the file is ASCII-armored, so the `enc` field of a
 * `sops.age` entry is readable by `age -d -i keys.txt`.
 */
import { armor, Decrypter, Encrypter } from 'age-encryption';
import { error, Place } from '../model/problem';
import { fail, ok, Result } from './result';
import { SopsAgeRecipient } from './sops-metadata';

/** Length of a SOPS data key (AES-256). */
export const DATA_KEY_BYTES = 32;

/** Wraps the data key for each recipient, in order. */
export async function wrapDataKey(
  dataKey: Uint8Array,
  recipients: readonly string[],
  place: Place = {},
): Promise<Result<readonly SopsAgeRecipient[]>> {
  if (recipients.length === 0) {
    return fail(error('secrets/age-recipient-missing', place, 'no age recipient to encrypt for', 'list at least one age1… recipient (for example in .sops.yaml creation_rules)'));
  }
  const wrapped: SopsAgeRecipient[] = [];
  for (const raw of recipients) {
    const recipient = raw.trim();
    const encrypter = new Encrypter();
    try {
      encrypter.addRecipient(recipient);
    } catch {
      // Echo only what looks public: a private key pasted here by mistake must not reach a log.
      const shown = /^age1[0-9a-z]*$/.test(recipient) ? JSON.stringify(recipient) : 'a recipient';
      return fail(error('secrets/age-recipient-invalid', place, `${shown} is not a valid age recipient`, 'use the age1… public key printed by `age-keygen -y keyfile`'));
    }
    wrapped.push({ recipient, enc: armor.encode(await encrypter.encrypt(dataKey)) });
  }
  return ok(wrapped);
}

/**
 * Unwraps the data key with the first identity that opens any entry. Entries no identity
 * matches are skipped like sops does; only when none opens is it a problem.
 */
export async function unwrapDataKey(
  entries: readonly SopsAgeRecipient[],
  identities: readonly string[],
  place: Place = {},
): Promise<Result<Uint8Array>> {
  const decrypter = new Decrypter();
  for (const identity of identities) {
    try {
      decrypter.addIdentity(identity);
    } catch {
      return fail(error('secrets/age-identity-invalid', place, 'an age identity is malformed', 'check SOPS_AGE_KEY / SOPS_AGE_KEY_FILE: each key line must start with AGE-SECRET-KEY-1'));
    }
  }
  for (const entry of identities.length > 0 ? entries : []) {
    let dataKey: Uint8Array;
    try {
      dataKey = await decrypter.decrypt(armor.decode(entry.enc));
    } catch {
      continue;
    }
    if (dataKey.length !== DATA_KEY_BYTES) {
      return fail(error('secrets/sops-malformed', place, `the data key wrapped for ${entry.recipient} is ${dataKey.length} bytes, not ${DATA_KEY_BYTES}`, 're-encrypt the file with sops or fleet'));
    }
    return ok(dataKey);
  }
  const recipients = entries.map((e) => e.recipient).join(', ') || '(none)';
  return fail(
    error(
      'secrets/sops-no-identity',
      place,
      `none of the ${identities.length} age identities available can decrypt this file (recipients: ${recipients})`,
      'set SOPS_AGE_KEY_FILE (or SOPS_AGE_KEY) to a key file holding the private key of one of the recipients',
    ),
  );
}
