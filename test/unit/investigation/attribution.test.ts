import { rmSync } from 'node:fs';
import { collectActivity } from '../../../lambdas/core/investigation/activity/collect';
import { LocalTrailSource } from '../../../lambdas/core/investigation/activity/local-source';
import {
  assumedIdentity,
  assumeRole,
  getObject,
  INSTANCE_IP,
  instanceIdentity,
  logKey,
  PRINCIPAL,
  record,
  TWIN,
  writeTrail,
} from './trail-fixtures';

const WINDOW = { since: '2026-11-29T00:00:00Z', until: '2026-11-30T00:00:00Z' };
const roots: string[] = [];
function trail(files: Parameters<typeof writeTrail>[0]) {
  const root = writeTrail(files);
  roots.push(root);
  return new LocalTrailSource(root);
}
afterAll(() => {
  for (const r of roots) rmSync(r, { recursive: true, force: true });
});

describe('Function: collectActivity', () => {
  describe('attribution', () => {
    it('attributes calls made with rotated instance credentials to the same session', async () => {
      // Prepare: EC2 rotates the role credentials; the principal id stays `<role id>:<instance id>`.
      const source = trail({
        [logKey('eu-west-1', '2026-11-29T10:05:00Z')]: [
          record({
            userIdentity: instanceIdentity('ASIAINSTANCEKEY00001'),
            eventTime: '2026-11-29T10:00:00Z',
          }),
          record({
            userIdentity: instanceIdentity('ASIAINSTANCEKEY00002'),
            eventTime: '2026-11-29T16:00:00Z',
          }),
        ],
      });
      // Act
      const report = await collectActivity(source, { principalId: PRINCIPAL, ...WINDOW });
      // Assess
      expect(report.events).toBe(2);
      expect(report.directEvents).toBe(2);
    });

    it('excludes twin sessions of the same role on other instances', async () => {
      // Prepare
      const source = trail({
        [logKey('eu-west-1', '2026-11-29T10:05:00Z')]: [
          record({ eventTime: '2026-11-29T10:00:00Z' }),
          record({
            userIdentity: instanceIdentity('ASIATWINKEY000000001', TWIN),
            eventTime: '2026-11-29T10:01:00Z',
          }),
          getObject(instanceIdentity('ASIATWINKEY000000001', TWIN), 'customer-data', 'a.csv', 100),
        ],
      });
      // Act
      const report = await collectActivity(source, { principalId: PRINCIPAL, ...WINDOW });
      // Assess
      expect(report.events).toBe(1);
      expect(report.touched).toEqual([]);
    });

    it('counts denied calls in events but not in touched data', async () => {
      // Prepare
      const denied = getObject(instanceIdentity(), 'customer-data', 'secret.csv', 0, {
        errorCode: 'AccessDenied',
        errorMessage: 'Access Denied',
      });
      const source = trail({ [logKey('eu-west-1', '2026-11-29T10:05:00Z')]: [denied, record({})] });
      // Act
      const report = await collectActivity(source, { principalId: PRINCIPAL, ...WINDOW });
      // Assess
      expect(report.events).toBe(2);
      expect(report.deniedEvents).toBe(1);
      expect(report.touched).toEqual([]);
    });

    it('counts events at both edges of the window and none outside it', async () => {
      // Prepare
      const source = trail({
        [logKey('eu-west-1', '2026-11-29T00:05:00Z')]: [
          record({ eventTime: '2026-11-28T23:59:59Z' }),
          record({ eventTime: '2026-11-29T00:00:00Z' }),
        ],
        [logKey('eu-west-1', '2026-11-30T00:05:00Z')]: [
          record({ eventTime: '2026-11-30T00:00:00Z' }),
          record({ eventTime: '2026-11-30T00:00:01Z' }),
        ],
      });
      // Act
      const report = await collectActivity(source, { principalId: PRINCIPAL, ...WINDOW });
      // Assess
      expect(report.events).toBe(2);
      expect(report.coverage.files).toBe(2);
    });

    it('prunes date folders outside the window', async () => {
      // Prepare: a file two days before the window is never read (its event would otherwise count).
      const source = trail({
        [logKey('eu-west-1', '2026-11-27T10:05:00Z')]: [record({ eventTime: '2026-11-29T10:00:00Z' })],
        [logKey('eu-west-1', '2026-11-29T10:05:00Z')]: [record({ eventTime: '2026-11-29T10:00:00Z' })],
      });
      // Act
      const report = await collectActivity(source, { principalId: PRINCIPAL, ...WINDOW });
      // Assess
      expect(report.coverage.files).toBe(1);
      expect(report.events).toBe(1);
    });
  });

  describe('lineage', () => {
    it('follows credentials two levels deep, across regions and files', async () => {
      // Prepare: instance -> AssumeRole(admin) -> AssumeRole(data-reader) -> GetObject; each in its own file.
      const admin = assumedIdentity('admin', 'AROAADMINROLEID00001', 'ASIAADMINKEY00000001');
      const reader = assumedIdentity('data-reader', 'AROAREADERROLEID0001', 'ASIAREADERKEY0000001');
      const source = trail({
        [logKey('us-east-1', '2026-11-29T21:05:00Z')]: [
          assumeRole(
            instanceIdentity(),
            'admin',
            'AROAADMINROLEID00001',
            'ASIAADMINKEY00000001',
            '2026-11-29T21:00:00Z',
          ),
        ],
        [logKey('us-east-1', '2026-11-29T21:35:00Z')]: [
          assumeRole(
            admin,
            'data-reader',
            'AROAREADERROLEID0001',
            'ASIAREADERKEY0000001',
            '2026-11-29T21:30:00Z',
          ),
        ],
        // Delivered in an earlier file than the grant that created the key: order of files does not matter.
        [logKey('eu-west-1', '2026-11-29T20:05:00Z', 1)]: [
          getObject(reader, 'customer-data', 'records/1.csv', 5000, { eventTime: '2026-11-29T21:40:00Z' }),
        ],
        [logKey('eu-west-1', '2026-11-29T22:05:00Z', 2)]: [
          record({ userIdentity: assumedIdentity('other', 'AROAOTHERROLEID00001', 'ASIAUNRELATED0000001') }),
        ],
      });
      // Act
      const report = await collectActivity(source, { principalId: PRINCIPAL, ...WINDOW });
      // Assess
      expect(report.derivedSessions.map((s) => [s.accessKeyId, s.depth, s.via])).toEqual([
        ['ASIAADMINKEY00000001', 1, 'AssumeRole'],
        ['ASIAREADERKEY0000001', 2, 'AssumeRole'],
      ]);
      expect(report.derivedSessions[1]?.arn).toBe(
        'arn:aws:sts::123456789012:assumed-role/data-reader/data-reader-session',
      );
      expect(report.events).toBe(3);
      expect(report.touched).toEqual([
        {
          eventSource: 's3.amazonaws.com',
          eventName: 'GetObject',
          resource: 'arn:aws:s3:::customer-data/records/1.csv',
          count: 1,
          bytesTransferredOut: 5000,
        },
      ]);
    });

    it('counts each use of derived credentials once when the grant sits between uses in one file', async () => {
      // Prepare
      const admin = assumedIdentity('admin', 'AROAADMINROLEID00001', 'ASIAADMINKEY00000001');
      const source = trail({
        [logKey('us-east-1', '2026-11-29T21:05:00Z')]: [
          record({ userIdentity: admin, eventTime: '2026-11-29T21:01:00Z' }),
          assumeRole(
            instanceIdentity(),
            'admin',
            'AROAADMINROLEID00001',
            'ASIAADMINKEY00000001',
            '2026-11-29T21:00:00Z',
          ),
          record({ userIdentity: admin, eventTime: '2026-11-29T21:02:00Z' }),
        ],
        [logKey('us-east-1', '2026-11-29T21:10:00Z', 1)]: [
          record({ userIdentity: admin, eventTime: '2026-11-29T21:06:00Z' }),
        ],
      });
      // Act
      const report = await collectActivity(source, { principalId: PRINCIPAL, ...WINDOW });
      // Assess
      expect(report.events).toBe(4);
      expect(report.derivedSessions[0]?.events).toBe(3);
    });

    it('does not follow credentials from a denied AssumeRole', async () => {
      // Prepare
      const denied = assumeRole(
        instanceIdentity(),
        'admin',
        'AROAADMINROLEID00001',
        'ASIAADMINKEY00000001',
        '2026-11-29T21:00:00Z',
      );
      denied.errorCode = 'AccessDenied';
      const source = trail({
        [logKey('us-east-1', '2026-11-29T21:05:00Z')]: [
          denied,
          record({ userIdentity: assumedIdentity('admin', 'AROAADMINROLEID00001', 'ASIAADMINKEY00000001') }),
        ],
      });
      // Act
      const report = await collectActivity(source, { principalId: PRINCIPAL, ...WINDOW });
      // Assess
      expect(report.derivedSessions).toEqual([]);
      expect(report.events).toBe(1);
    });

    it('follows GetFederationToken credentials and flags their use from another network', async () => {
      // Prepare
      const fed = record({
        eventSource: 'sts.amazonaws.com',
        eventName: 'GetFederationToken',
        requestParameters: { name: 'exfil' },
        responseElements: {
          credentials: { accessKeyId: 'ASIAFEDKEY0000000001' },
          federatedUser: {
            federatedUserId: `${'123456789012'}:exfil`,
            arn: 'arn:aws:sts::123456789012:federated-user/exfil',
          },
        },
      });
      const fedIdentity = {
        type: 'FederatedUser',
        principalId: '123456789012:exfil',
        accessKeyId: 'ASIAFEDKEY0000000001',
        arn: 'arn:aws:sts::123456789012:federated-user/exfil',
      };
      const source = trail({
        [logKey('us-east-1', '2026-11-29T22:05:00Z')]: [
          fed,
          record({ userIdentity: fedIdentity, sourceIPAddress: '198.51.100.7' }),
        ],
      });
      // Act
      const report = await collectActivity(source, {
        principalId: PRINCIPAL,
        ...WINDOW,
        instanceAddresses: [INSTANCE_IP],
      });
      // Assess
      expect(report.derivedSessions[0]).toMatchObject({
        via: 'GetFederationToken',
        arn: 'arn:aws:sts::123456789012:federated-user/exfil',
        events: 1,
      });
      expect(report.other).toEqual([
        expect.objectContaining({ sourceIPAddress: '198.51.100.7', accessKeyId: 'ASIAFEDKEY0000000001' }),
      ]);
    });
  });
});
