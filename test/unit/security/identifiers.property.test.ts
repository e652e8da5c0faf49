import { posix } from 'node:path';
import fc from 'fast-check';
import { evidencePrefix } from '../../../lambdas/core/evidence/vault';
import { incidentTags } from '../../../lambdas/core/isolation/protect-instance';
import { IncidentId, InstanceId, Reason } from '../../../lambdas/core/schemas/ids';
import { parseQuarantineRequest } from '../../../lambdas/core/schemas/quarantine-request';

const RUNS = 2000;
/** Strings an attacker would try: path tricks, control characters, unicode look-alikes, long runs. */
const hostile = fc.oneof(
  fc.string({ maxLength: 80 }),
  fc.string({ unit: 'binary', maxLength: 80 }),
  fc.constantFrom(
    '../other-incident',
    '..',
    '.',
    'a/../../b',
    'INC-1/../../x',
    'INC\n2',
    'INC\u202e1',
    '%2e%2e%2f',
    'INC-1\u0000',
  ),
  fc.tuple(fc.constantFrom('INC-', 'i-', ''), fc.string({ maxLength: 40 })).map(([a, b]) => a + b),
);
/** EC2 tag values: letters, digits, spaces and _ . : / = + - @, at most 256. */
const TAG_VALUE = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{0,256}$/u;

describe('identifiers that flow into S3 keys, tags and log lines', () => {
  it('never let an incident id write outside its own prefix of the vault', () => {
    fc.assert(
      fc.property(hostile, (raw) => {
        const parsed = IncidentId.safeParse(raw);
        if (!parsed.success) return;
        const prefix = evidencePrefix('evidence/', {
          incidentId: parsed.data,
          quarantineId: 'q-00000000-0000-4000-8000-000000000000',
        });
        expect(posix.normalize(prefix)).toBe(prefix);
        expect(prefix.startsWith(`evidence/${parsed.data}/`)).toBe(true);
        expect(prefix.split('/').filter((s) => s === '..' || s === '.')).toEqual([]);
      }),
      { numRuns: RUNS },
    );
  });

  it('accept only instance ids that are safe in a key, a tag and an ARN', () => {
    fc.assert(
      fc.property(hostile, (raw) => {
        if (InstanceId.safeParse(raw).success) expect(raw).toMatch(/^i-[0-9a-f]{8,17}$/);
      }),
      { numRuns: RUNS },
    );
  });

  it('keep every tag the isolation writes within what EC2 accepts', () => {
    fc.assert(
      fc.property(hostile, (raw) => {
        const parsed = IncidentId.safeParse(raw);
        if (!parsed.success) return;
        for (const t of incidentTags('q-00000000-0000-4000-8000-000000000000', parsed.data))
          expect(t.Value).toMatch(TAG_VALUE);
      }),
      { numRuns: RUNS },
    );
  });

  it('keep reasons on one log line: no control, bidi or line-separator characters get through', () => {
    fc.assert(
      fc.property(hostile, (raw) => {
        const parsed = Reason.safeParse(raw);
        if (parsed.success) expect(parsed.data).not.toMatch(/[\p{Cc}\p{Cf}\u2028\u2029]/u);
      }),
      { numRuns: RUNS },
    );
  });

  it('reject a bad request as a whole, naming the field, whatever the input', () => {
    fc.assert(
      fc.property(fc.anything(), (input) => {
        try {
          parseQuarantineRequest(input);
        } catch (err) {
          expect(err).toMatchObject({ name: 'InvalidInputError', field: expect.any(String) });
        }
      }),
      { numRuns: RUNS },
    );
  });
});
