import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { markerComment, parseMarker } from '../../src/delivery/image-policy-marker';
import { parseReleaseLock, setLockedVersion } from '../../src/delivery/release-lock';
import { fleet } from '../../src/environments';
import { RELEASE_LOCK_FILE } from '../../src/model/release-lock-types';

const SAMPLE = readFileSync(join(__dirname, '../..', RELEASE_LOCK_FILE), 'utf8');

/** Lines that differ between two texts of the same length in lines. */
function changedLines(before: string, after: string): { before: string; after: string }[] {
  const a = before.split('\n');
  const b = after.split('\n');
  expect(b).toHaveLength(a.length);
  return a.flatMap((line, i) => (line === b[i] ? [] : [{ before: line, after: b[i] }]));
}

describe('release lock', () => {
  it('holds every version of the sample fleet, each entry with its image policy marker', () => {
    // WHEN the committed lock is parsed
    const parsed = parseReleaseLock(SAMPLE);

    // THEN it has no problems, and the fleet reads the same versions
    expect(parsed.problems).toEqual([]);
    expect(parsed.releases).toEqual(fleet.releases);
    expect(parsed.releases.production).toMatchObject({ 'clients-api': '1.0.af873c03', flightspecials: '2.3.0' });
    for (const entry of parsed.entries) {
      expect(entry.marker).toEqual({ namespace: 'flux-system', name: `${entry.environment}-${entry.service}`, field: 'tag' });
    }
  });

  it('changes only the value of an existing entry: comments, markers and blank lines stay byte for byte', () => {
    // WHEN a MAJOR.MINOR.<git sha> version is released
    const after = setLockedVersion(SAMPLE, 'development', 'clients-api', '1.5.3f9c2e1');

    // THEN exactly one line differs, and only in its value
    expect(changedLines(SAMPLE, after)).toEqual([
      {
        before: '  clients-api: 1.0.b7d41e9c # {"$imagepolicy": "flux-system:development-clients-api:tag"}',
        after: '  clients-api: 1.5.3f9c2e1 # {"$imagepolicy": "flux-system:development-clients-api:tag"}',
      },
    ]);
    expect(parseReleaseLock(after).releases.production['clients-api']).toBe('1.0.af873c03');
  });

  it('keeps the quoting style and alignment of hand-written entries', () => {
    // GIVEN entries quoted and aligned by hand, one of which YAML would read as a number
    const text = 'staging:\n  a: "1.0"     # keep\n  b: \'2\'  # {"$imagepolicy": "flux-system:staging-b:tag"}\n  c: 1.10\n';

    // WHEN values are set
    const quoted = setLockedVersion(setLockedVersion(text, 'staging', 'a', '1.1'), 'staging', 'b', '3');
    const plain = setLockedVersion(text, 'staging', 'c', '1.2');

    // THEN quotes and spacing are kept; `1.10` stays text, and a plain number-like value gets quotes
    expect(quoted).toBe('staging:\n  a: "1.1"     # keep\n  b: \'3\'  # {"$imagepolicy": "flux-system:staging-b:tag"}\n  c: 1.10\n');
    expect(parseReleaseLock(text).releases.staging.c).toBe('1.10');
    expect(plain).toBe('staging:\n  a: "1.0"     # keep\n  b: \'2\'  # {"$imagepolicy": "flux-system:staging-b:tag"}\n  c: "1.2"\n');
  });

  it('appends a new entry, with its marker, to its environment or to a new environment', () => {
    // WHEN a service and then an environment get their first entries
    const withService = setLockedVersion(SAMPLE, 'staging', 'new-service', 'v2.0');
    const withEnvironment = setLockedVersion(SAMPLE, 'qa', 'flights', 'v1.1');

    // THEN the entry carries the generator's marker and the rest is unchanged
    expect(withService).toContain(`  flights: v1.0 # {"$imagepolicy": "flux-system:staging-flights:tag"}\n  new-service: v2.0 #${markerComment('staging', 'new-service')}\n`);
    expect(withEnvironment.endsWith(`\nqa:\n  flights: v1.1 #${markerComment('qa', 'flights')}\n`)).toBe(true);
    expect(withService.split('\n').filter((line) => line.includes('#')).length).toBe(SAMPLE.split('\n').filter((line) => line.includes('#')).length + 1);
    expect(parseReleaseLock(withEnvironment).problems).toEqual([]);
  });

  it('reports a lock that is not YAML, or not environments of services, with the line', () => {
    const codes = (text: string) => parseReleaseLock(text).problems.map((p) => `${p.code} ${p.place.definition}`);
    expect(codes('development:\n  flights: [1.0\n')).toEqual([expect.stringMatching(/^release\/invalid-lock src\/environments\/releases.yaml:\d+$/)]);
    expect(codes('- development\n')).toEqual(['release/invalid-lock src/environments/releases.yaml:1']);
    expect(codes('development: 1.0\n')).toEqual(['release/invalid-lock src/environments/releases.yaml:1']);
    expect(codes('development:\n  flights:\n    tag: 1.0\n')).toEqual(['release/invalid-lock src/environments/releases.yaml:2']);
    expect(parseReleaseLock('').releases).toEqual({});
  });

  it('warns about entries Flux cannot update: no marker, another policy, or a marker writing the whole image', () => {
    const text = [
      'staging:',
      '  flights: v1.0',
      '  reservations: v1.0 # {"$imagepolicy": "flux-system:reservations:tag"}',
      '  other: v1.0 # {"$imagepolicy": "flux-system:staging-other"}',
      '',
    ].join('\n');
    const problems = parseReleaseLock(text).problems;
    expect(problems.map((p) => [p.severity, p.code, p.place.service])).toEqual([
      ['warning', 'release/missing-marker', 'flights'],
      ['warning', 'release/marker-mismatch', 'reservations'],
      ['warning', 'release/marker-mismatch', 'other'],
    ]);
    expect(problems[0].fix).toBe(`end the line with #${markerComment('staging', 'flights')}`);
  });

  it('reads markers in all of Flux forms', () => {
    expect(parseMarker(' {"$imagepolicy": "flux-system:app:tag"}')).toEqual({ namespace: 'flux-system', name: 'app', field: 'tag' });
    expect(parseMarker('{"$imagepolicy":"ns:app"}')).toEqual({ namespace: 'ns', name: 'app', field: 'image' });
    expect(parseMarker(' {"$imagepolicy": "ns:app:digest"}')?.field).toBe('digest');
    expect(parseMarker(' pinned for CVE-2024-1234')).toBeUndefined();
    expect(parseMarker(' {"$imagepolicy": "ns:app:size"}')).toBeUndefined();
  });
});

describe('release lock: new entries', () => {
  it('inserts as text so hand alignment elsewhere is untouched', () => {
    const text = '# top\nstaging:\n  a: v1    # note\n  b: v2 # {"$imagepolicy": "flux-system:staging-b:tag"}\n\n# tail\n';
    const after = setLockedVersion(text, 'staging', 'c', '1.0.0');
    expect(after).toBe(`# top\nstaging:\n  a: v1    # note\n  b: v2 # {"$imagepolicy": "flux-system:staging-b:tag"}\n  c: 1.0.0 #${markerComment('staging', 'c')}\n\n# tail\n`);
  });

  it('rewrites through the Document API only for layouts text insertion cannot handle', () => {
    const after = setLockedVersion('# top\nstaging: {}\n', 'staging', 'c', '1.0.0');
    expect(parseReleaseLock(after).releases).toEqual({ staging: { c: '1.0.0' } });
    expect(after).toContain('# top');
    expect(parseReleaseLock(after).entries[0].marker?.name).toBe('staging-c');
  });
});
