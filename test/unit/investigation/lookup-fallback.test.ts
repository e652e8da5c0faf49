import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { mockClient } from 'aws-sdk-client-mock';
import { LocalTrailSource } from '../../../lambdas/core/investigation/activity/local-source';
import { LOOKUP_SOURCE, lookupActivity } from '../../../lambdas/core/investigation/activity/lookup-fallback';
import { ActivityQuery } from '../../../lambdas/core/investigation/activity/query';
import { trailOptions } from '../../../lambdas/core/investigation/activity/trail-options';
import {
  assumedIdentity,
  assumeRole,
  getObject,
  INSTANCE,
  INSTANCE_IP,
  instanceIdentity,
  logKey,
  PRINCIPAL,
  record,
  writeTrail,
} from './trail-fixtures';

const ct = mockClient(CloudTrailClient);
afterEach(() => ct.reset());

/** An event of CloudTrail's event history: the record itself travels as a JSON string. */
const event = (r: Record<string, unknown>) => ({
  EventId: String(r.eventID),
  EventName: String(r.eventName),
  CloudTrailEvent: JSON.stringify(r),
});
const query = ActivityQuery.parse({
  principalId: PRINCIPAL,
  instanceAddresses: [INSTANCE_IP],
  since: '2026-11-29T00:00:00Z',
  until: '2026-11-30T00:00:00Z',
});

describe('Function: lookupActivity (no trail bucket configured)', () => {
  it("follows the session's events and its derived key's, and labels the source as a fallback", async () => {
    // Prepare
    const derived = assumedIdentity('admin', 'AROAADMINROLEID00001', 'ASIADERIVEDKEY000001');
    const grant = assumeRole(
      instanceIdentity(),
      'admin',
      'AROAADMINROLEID00001',
      'ASIADERIVEDKEY000001',
      '2026-11-29T22:01:00Z',
    );
    ct.on(LookupEventsCommand, {
      LookupAttributes: [{ AttributeKey: 'Username', AttributeValue: INSTANCE }],
    }).resolves({
      Events: [event(record({ eventTime: '2026-11-29T22:00:00Z' })), event(grant)],
    });
    ct.on(LookupEventsCommand, {
      LookupAttributes: [{ AttributeKey: 'AccessKeyId', AttributeValue: 'ASIADERIVEDKEY000001' }],
    }).resolves({
      Events: [
        event(
          record({
            userIdentity: derived,
            eventTime: '2026-11-29T22:05:00Z',
            eventName: 'ListUsers',
            sourceIPAddress: '198.51.100.7',
          }),
        ),
      ],
    });
    const lookups = [{ region: 'eu-west-1', client: new CloudTrailClient({ region: 'eu-west-1' }) }];
    // Act
    const { report, records } = await lookupActivity(lookups, query, INSTANCE);
    // Assess
    expect(report.coverage.source).toBe(LOOKUP_SOURCE);
    expect(report.coverage.dataEvents).toMatchObject({ enabled: 'unknown', basis: 'none' });
    expect(report.events).toBe(3);
    expect(report.derivedSessions.map((d) => [d.accessKeyId, d.events])).toEqual([
      ['ASIADERIVEDKEY000001', 1],
    ]);
    expect(report.origins).toEqual({ instance: 2, 'aws-service': 0, other: 1 });
    expect(records).toHaveLength(3);
  });

  it('says in the coverage which region could not be asked, and fails only when none could', async () => {
    ct.on(LookupEventsCommand)
      .rejectsOnce(Object.assign(new Error('denied'), { name: 'AccessDeniedException' }))
      .resolves({ Events: [] });
    const lookups = ['eu-west-1', 'us-east-1'].map((region) => ({
      region,
      client: new CloudTrailClient({ region }),
    }));
    const { report } = await lookupActivity(lookups, query, INSTANCE);
    expect(report.coverage.source).toMatch(/lookup failed in (eu-west-1|us-east-1): AccessDeniedException/);
    ct.reset();
    ct.on(LookupEventsCommand).rejects(Object.assign(new Error('denied'), { name: 'AccessDeniedException' }));
    await expect(lookupActivity(lookups, query, INSTANCE)).rejects.toThrow('denied');
  });
});

describe('Function: trailOptions', () => {
  it('asks for no public key when the trail delivers no digest files', async () => {
    // Prepare
    const at = '2026-11-29T22:00:00Z';
    const root = writeTrail({ [logKey('eu-west-1', at)]: [getObject(instanceIdentity(), 'b', 'k', 1)] });
    const source = new LocalTrailSource(root);
    const client = new CloudTrailClient({ region: 'eu-west-1' });
    // Act
    const options = await trailOptions(() => client, source)();
    const digests = await options.validateDigests?.([logKey('eu-west-1', at)], {
      since: Date.parse('2026-11-29T00:00:00Z'),
      until: Date.parse('2026-11-30T00:00:00Z'),
    });
    // Assess
    expect(ct.calls()).toHaveLength(0);
    expect(options.settings).toBeUndefined();
    expect(digests).toEqual({
      digests: 0,
      valid: 0,
      coveredFiles: [],
      uncoveredFiles: [logKey('eu-west-1', at)],
      breaks: [],
    });
  });
});
