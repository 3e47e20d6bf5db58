import { loadAgeIdentities, parseAgeIdentities } from '../../src/secrets/age-identity';

const KEY_A = 'AGE-SECRET-KEY-1QQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQ';
const KEY_B = 'AGE-SECRET-KEY-1PPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPP';
const KEY_C = 'AGE-SECRET-KEY-1ZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZ';

/** A file reader over an in-memory file system. */
function files(contents: Record<string, string>) {
  return (path: string) => contents[path];
}

describe('loadAgeIdentities', () => {
  test('SOPS_AGE_KEY may hold several keys with comments and blank lines', () => {
    // GIVEN
    const env = { SOPS_AGE_KEY: `# created: 2030-01-01\n# public key: age1…\n${KEY_A}\n\n${KEY_B}\n` };

    // WHEN
    const loaded = loadAgeIdentities({ env, readFile: files({}) });

    // THEN
    expect(loaded).toEqual({ identities: [KEY_A, KEY_B], sources: ['SOPS_AGE_KEY'], problems: [] });
  });

  test('combines SOPS_AGE_KEY, SOPS_AGE_KEY_FILE and the user keys file, like sops', () => {
    const loaded = loadAgeIdentities({
      env: { SOPS_AGE_KEY: KEY_A, SOPS_AGE_KEY_FILE: '/keys/fleet.txt', HOME: '/home/dev' },
      readFile: files({ '/keys/fleet.txt': `${KEY_B}\n`, '/home/dev/.config/sops/age/keys.txt': `${KEY_C}\n` }),
    });
    expect(loaded.identities).toEqual([KEY_A, KEY_B, KEY_C]);
    expect(loaded.sources).toEqual(['SOPS_AGE_KEY', '/keys/fleet.txt', '/home/dev/.config/sops/age/keys.txt']);
  });

  test('falls back to $XDG_CONFIG_HOME/sops/age/keys.txt before ~/.config', () => {
    const loaded = loadAgeIdentities({
      env: { XDG_CONFIG_HOME: '/xdg', HOME: '/home/dev' },
      readFile: files({ '/xdg/sops/age/keys.txt': KEY_A, '/home/dev/.config/sops/age/keys.txt': KEY_B }),
    });
    expect(loaded.identities).toEqual([KEY_A]);
    expect(loaded.sources).toEqual(['/xdg/sops/age/keys.txt']);
  });

  test('no key anywhere is a clear problem listing where it looked', () => {
    // GIVEN / WHEN
    const loaded = loadAgeIdentities({ env: { HOME: '/home/ci' }, readFile: files({}) });

    // THEN
    expect(loaded.identities).toEqual([]);
    expect(loaded.problems).toEqual([
      expect.objectContaining({
        code: 'secrets/age-identity-missing',
        message: expect.stringContaining('SOPS_AGE_KEY, SOPS_AGE_KEY_FILE, /home/ci/.config/sops/age/keys.txt'),
        fix: expect.stringContaining('SOPS_AGE_KEY_FILE'),
      }),
    ]);
  });

  test('a SOPS_AGE_KEY_FILE that does not exist is reported, other sources still used', () => {
    const loaded = loadAgeIdentities({ env: { SOPS_AGE_KEY_FILE: '/nope.txt', SOPS_AGE_KEY: KEY_A }, readFile: files({}) });
    expect(loaded.identities).toEqual([KEY_A]);
    expect(loaded.problems.map((p) => [p.code, p.place.definition])).toEqual([['secrets/age-key-file-missing', '/nope.txt']]);
  });
});

describe('parseAgeIdentities', () => {
  test('names the bad line, never its content', () => {
    const parsed = parseAgeIdentities(`${KEY_A}\nhunter2-not-a-key\n`, 'keys.txt');
    expect(parsed.identities).toEqual([KEY_A]);
    expect(parsed.problems).toEqual([expect.objectContaining({ code: 'secrets/age-identity-invalid', message: 'line 2 is not an age identity' })]);
    expect(JSON.stringify(parsed.problems)).not.toContain('hunter2');
  });
});
