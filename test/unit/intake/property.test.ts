import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import fc from 'fast-check';
import { createLedgerClients } from '../../../lambdas/core/clients';
import { InvalidInputError } from '../../../lambdas/core/errors';
import { routeApiRequest } from '../../../lambdas/core/intake/api-router';
import type { ApiDeps } from '../../../lambdas/core/intake/api-routes';
import { QuarantineBody, ReleaseBody } from '../../../lambdas/core/intake/api-schemas';
import { decideIntake } from '../../../lambdas/core/intake/decide';
import { GuardDutyFindingEvent } from '../../../lambdas/core/intake/guardduty-event';
import { defaultIntakeConfig } from '../../../lambdas/core/intake/intake-config';
import { intakeFinding } from '../../../lambdas/core/intake/intake-finding';
import type { WorkflowStarter } from '../../../lambdas/core/intake/workflow-starter';
import { DEFAULT_ENGINE_CONFIG } from '../../../lambdas/core/isolation/engine-config';
import { finding, setPath } from './fixtures';

/** Runs per property; printed so the report can quote them. */
const RUNS = 500;

const ledger = createLedgerClients(
  { region: 'eu-west-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' }, maxAttempts: 1 },
  'ledger',
);
const ddb = mockClient(ledger.ddb as DynamoDBDocumentClient);
const starts: unknown[] = [];
const starter: WorkflowStarter = {
  start: async (q) => {
    starts.push(q);
    return { executionId: 'x', alreadyStarted: false };
  },
};
const deps: ApiDeps = {
  ledger,
  starter,
  clientsFor: () => {
    throw new Error('no AWS call may be made for invalid input');
  },
  engine: DEFAULT_ENGINE_CONFIG,
  defaultRegion: 'eu-west-1',
};

beforeEach(() => {
  ddb.reset();
  ddb.onAnyCommand().rejects(new Error('the ledger must not be touched'));
  starts.length = 0;
});

/** The fields the intake relies on, plus the envelope: where a mutation does damage. */
const PATHS = [
  'source',
  'detail-type',
  'detail',
  'detail.id',
  'detail.type',
  'detail.severity',
  'detail.accountId',
  'detail.region',
  'detail.resource',
  'detail.resource.resourceType',
  'detail.resource.instanceDetails',
  'detail.resource.instanceDetails.instanceId',
  'detail.resource.instanceDetails.tags',
  'detail.resource.instanceDetails.launchTime',
  'detail.service',
  'detail.service.archived',
  'detail.service.count',
];

const mutatedEvent = fc
  .record({
    path: fc.constantFrom(...PATHS),
    value: fc.oneof(fc.constant(undefined), fc.anything(), fc.string(), fc.double(), fc.json()),
  })
  .map(({ path, value }) => setPath(finding('ec2-backdoor-c2-activity-dns.json'), path, value));

const hostileEvent = fc.oneof(mutatedEvent, fc.anything(), fc.jsonValue());

describe('Property: malformed GuardDuty events', () => {
  it('are rejected without a claim or a start, and never throw', async () => {
    await fc.assert(
      fc.asyncProperty(hostileEvent, async (event) => {
        fc.pre(!GuardDutyFindingEvent.safeParse(event).success);
        ddb.resetHistory();
        starts.length = 0;
        const out = await intakeFinding({ ledger, starter, config: defaultIntakeConfig() }, event);
        expect(out.status).toBe('rejected');
        expect(ddb.calls()).toHaveLength(0);
        expect(starts).toHaveLength(0);
      }),
      // More runs here: a rare out-of-range launchTime crashed the parser once (see decide.test.ts).
      { numRuns: 4 * RUNS },
    );
  });
});

describe('Property: the CLI decision', () => {
  const config = fc.oneof(
    fc.constant(undefined),
    fc.anything(),
    fc.record(
      {
        severityFloor: fc.oneof(fc.double(), fc.string()),
        allowTypePrefixes: fc.array(fc.string()),
        denyTypePrefixes: fc.anything(),
        accounts: fc.array(fc.stringMatching(/^\d{10,13}$/)),
        drills: fc.anything(),
      },
      { requiredKeys: [] },
    ),
  );

  it('returns a decision or throws InvalidInputError naming a field, for any event and config', () => {
    fc.assert(
      fc.property(
        fc.oneof(hostileEvent, fc.constant(finding('ec2-backdoor-c2-activity-dns.json'))),
        config,
        (e, c) => {
          try {
            const d = decideIntake(e, c);
            expect(['quarantine', 'ignore']).toContain(d.action);
          } catch (err) {
            expect(err).toBeInstanceOf(InvalidInputError);
            expect((err as InvalidInputError).field).not.toBe('');
          }
        },
      ),
      { numRuns: RUNS },
    );
  });
});

const validBody = { instanceId: 'i-0abc1234def567890', reason: 'C2 beaconing' };
const bodyKeys = [
  'instanceId',
  'region',
  'accountId',
  'reason',
  'incidentId',
  'dryRun',
  'stopInstance',
  'dryrun',
];
const mutatedBody = fc
  .record({ key: fc.constantFrom(...bodyKeys), value: fc.oneof(fc.constant(undefined), fc.anything()) })
  .map(({ key, value }) => setPath(structuredClone(validBody), key, value));
const anyBody = fc.oneof(
  mutatedBody.map((b) => JSON.stringify(b)),
  fc.json(),
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.string({ minLength: 16 * 1024 + 1, maxLength: 17 * 1024 }),
);

function httpEvent(method: string, rawPath: string, body: string | undefined) {
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath,
    rawQueryString: '',
    headers: { 'content-type': 'application/json' },
    requestContext: {
      http: { method, path: rawPath },
      stage: '$default',
      requestId: 'req-1',
      authorizer: { iam: { userArn: 'arn:aws:sts::123456789012:assumed-role/on-call/alice' } },
    },
    ...(body === undefined ? {} : { body }),
    isBase64Encoded: false,
  };
}

function invalidFor(schema: { safeParse(v: unknown): { success: boolean } }, body: string): boolean {
  try {
    return !schema.safeParse(JSON.parse(body)).success;
  } catch {
    return true;
  }
}

describe('Property: malformed API requests', () => {
  it('POST /quarantines with an invalid body answers 4xx and claims nothing', async () => {
    await fc.assert(
      fc.asyncProperty(anyBody, async (body) => {
        fc.pre(invalidFor(QuarantineBody, body));
        ddb.resetHistory();
        const res = await routeApiRequest(deps, httpEvent('POST', '/quarantines', body));
        expect([400, 413]).toContain(res.statusCode);
        expect(res.headers['content-type']).toBe('application/problem+json');
        expect(JSON.parse(res.body).field).toEqual(expect.any(String));
        expect(ddb.calls()).toHaveLength(0);
        expect(starts).toHaveLength(0);
      }),
      { numRuns: RUNS },
    );
  });

  it('POST /quarantines/{id}/release with an invalid body or id answers 4xx and touches nothing', async () => {
    const id = fc.oneof(fc.constant('q-0b7e9c4e-2f7a-4a61-9d0e-6a3c1f2b8d11'), fc.webSegment());
    await fc.assert(
      fc.asyncProperty(id, anyBody, async (qid, body) => {
        fc.pre(invalidFor(ReleaseBody, body) || !/^q-[0-9a-f-]{36}$/.test(qid));
        ddb.resetHistory();
        const res = await routeApiRequest(deps, httpEvent('POST', `/quarantines/${qid}/release`, body));
        expect(res.statusCode).toBeGreaterThanOrEqual(400);
        expect(res.statusCode).toBeLessThan(500);
        expect(ddb.calls()).toHaveLength(0);
      }),
      { numRuns: RUNS },
    );
  });

  it('any request shape at all gets a response, never an exception', async () => {
    const shape = fc.oneof(
      fc.anything(),
      fc.record({
        rawPath: fc.oneof(fc.webPath(), fc.string()),
        requestContext: fc.record({
          http: fc.record({ method: fc.constantFrom('PUT', 'DELETE', 'PATCH', 'x') }),
        }),
        body: fc.option(fc.string()),
      }),
    );
    await fc.assert(
      fc.asyncProperty(shape, async (event) => {
        const res = await routeApiRequest(deps, event);
        expect(res.statusCode).toBeGreaterThanOrEqual(400);
        expect(res.statusCode).toBeLessThan(500);
        expect(starts).toHaveLength(0);
      }),
      { numRuns: RUNS },
    );
  });
});
