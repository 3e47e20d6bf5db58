/**
 * The wrapped data key of a sops `age:` entry, checked without any private key: an ASCII-armored
 * age file (C2SP age v1, https://github.com/C2SP/C2SP/blob/main/age.md) whose header holds a
 * well-formed stanza for the entry's recipient type and whose payload is exactly one 32-byte sops
 * data key. A corrupted stanza would otherwise go unnoticed until the next key holder tries to
 * open the file (and then only for that recipient).
 */
import { armor, Encrypter } from 'age-encryption';

const VERSION_LINE = 'age-encryption.org/v1';
const COLUMNS = 64;
/** STREAM nonce (16) + one chunk holding the 32-byte data key and its 16-byte tag. */
const SOPS_PAYLOAD_BYTES = 16 + 32 + 16;

interface Stanza {
  readonly args: readonly string[];
  readonly body: Buffer;
}

/** Canonical unpadded base64 (what age writes); undefined otherwise. */
function decodeBase64(text: string): Buffer | undefined {
  if (!/^[A-Za-z0-9+/]*$/.test(text)) return undefined;
  const bytes = Buffer.from(text, 'base64');
  return bytes.toString('base64').replace(/=+$/, '') === text ? bytes : undefined;
}

/** Parses the binary age file: header stanzas, then the payload; a string says what is wrong. */
function parseAgeFile(file: Buffer): { stanzas: Stanza[]; payload: Buffer } | string {
  let offset = 0;
  const line = (): string | undefined => {
    const end = file.indexOf(0x0a, offset);
    if (end < 0) return undefined;
    const text = file.subarray(offset, end).toString('latin1');
    offset = end + 1;
    return text;
  };
  if (line() !== VERSION_LINE) return `does not start with "${VERSION_LINE}"`;
  const stanzas: Stanza[] = [];
  for (;;) {
    const next = line();
    if (next === undefined) return 'its header ends without the "---" MAC line';
    if (next.startsWith('--- ')) {
      const mac = decodeBase64(next.slice(4));
      if (!mac || mac.length !== 32) return 'its header MAC is malformed';
      break;
    }
    if (!next.startsWith('-> ')) return 'its header has a line that is neither a stanza nor the MAC';
    const args = next.slice(3).split(' ');
    if (args.some((arg) => arg === '' || !/^[\x21-\x7e]+$/.test(arg))) return 'a stanza has an empty or non-printable argument';
    const chunks: Buffer[] = [];
    for (;;) {
      const bodyLine = line();
      if (bodyLine === undefined) return 'a stanza body is cut off';
      const bytes = decodeBase64(bodyLine);
      if (!bytes || bodyLine.length > COLUMNS) return 'a stanza body is not canonical base64';
      chunks.push(bytes);
      if (bodyLine.length < COLUMNS) break;
    }
    stanzas.push({ args, body: Buffer.concat(chunks) });
  }
  return { stanzas, payload: file.subarray(offset) };
}

/** Why an X25519 stanza is malformed (age's X25519 recipient: share of 32 bytes, wrapped file key of 32). */
function x25519Errors(stanza: Stanza): string | undefined {
  if (stanza.args.length !== 2) return 'the X25519 stanza does not have exactly one share argument';
  const share = decodeBase64(stanza.args[1]);
  if (!share || share.length !== 32) return 'the X25519 ephemeral share is not 32 bytes of canonical base64';
  if (stanza.body.length !== 32) return 'the X25519 stanza body (wrapped file key) is not 32 bytes';
  return undefined;
}

/**
 * Why a sops age entry (`recipient`, `enc`) is broken; undefined when it is well formed. Echoes
 * only what is public.
 */
export function ageEntryError(recipient: string, enc: string): string | undefined {
  try {
    new Encrypter().addRecipient(recipient.trim());
  } catch {
    return 'its recipient is not a valid age recipient';
  }
  let file: Uint8Array;
  try {
    file = armor.decode(enc);
  } catch {
    return 'its enc is not an ASCII-armored age file';
  }
  const parsed = parseAgeFile(Buffer.from(file));
  if (typeof parsed === 'string') return `its enc ${parsed}`;
  if (parsed.stanzas.length === 0) return 'its enc has no recipient stanza';
  const x25519 = parsed.stanzas.filter((s) => s.args[0] === 'X25519');
  if (/^age1[02-9ac-hj-np-z]{58}$/.test(recipient.trim())) {
    if (x25519.length !== 1) return `its enc has ${x25519.length} X25519 stanzas for an X25519 recipient`;
    const problem = x25519Errors(x25519[0]);
    if (problem) return `its enc: ${problem}`;
  }
  if (parsed.payload.length !== SOPS_PAYLOAD_BYTES) return `its enc does not wrap a 32-byte data key (payload of ${parsed.payload.length} bytes)`;
  return undefined;
}
