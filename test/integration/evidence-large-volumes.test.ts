import { DEFAULT_EVIDENCE_CONFIG, GIB } from '../../lambdas/core/evidence/config';
import { segmentOf } from '../../lambdas/core/evidence/evidence-record';
import { MAX_SEGMENTS } from '../../lambdas/core/evidence/plan-export';
import { getQuarantine } from '../../lambdas/core/ledger/ledger';
import { launchDiskInstance } from '../../local-aws/disk-instance';
import { freshEvidenceEnv, isolateForEvidence, setEvidenceHandlerEnv } from '../support/evidence-env';
import { asRole } from '../support/moto';

/** Step Functions' limit on a state's input and output. https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html */
const STATE_PAYLOAD_LIMIT = 256 * 1024;

describe('plan-export for a database server with four 4 TiB volumes, against moto', () => {
  it('returns segment references that fit the workflow state and cover every part once, in bounded parts', async () => {
    // Arrange: an isolated instance, and snapshots of four 4 TiB volumes (plan-export reads only sizes).
    const e = await freshEvidenceEnv('large-volumes-vault');
    const { env } = e;
    setEvidenceHandlerEnv(e);
    const target = await launchDiskInstance(e.ev.ec2, { cidr: '10.60.0.0/16' });
    const quarantineId = await isolateForEvidence(env, target.instanceId, 'INC-DB');
    const snapshots = ['a', 'b', 'c', 'd'].map((x) => ({
      volumeId: `vol-0${x}${x}${x}${x}${x}${x}${x}${x}`,
      snapshotId: `snap-0${x}${x}${x}${x}${x}${x}${x}${x}`,
      sizeGiB: 4096,
      deviceName: `/dev/sd${x}`,
    }));
    const plan = asRole('plan-export', (await import('../../lambdas/handlers/plan-export')).handler);

    // Act
    const state = await plan({ quarantineId, snapshots });

    // Assert: the Map's input fits the state limit, with a bounded number of items.
    expect(JSON.stringify(state).length).toBeLessThan(STATE_PAYLOAD_LIMIT / 4);
    const record = await getQuarantine(env.ledger, quarantineId);
    if (record === undefined) throw new Error('no record');
    const uploads = (record.evidence?.exports as unknown[] | undefined)?.length ?? 0;
    expect(uploads).toBe(4 * 14); // 4 TiB at 10,000 parts of 32 MiB per object: 14 pieces per volume
    expect(state.segments.length).toBeLessThanOrEqual(MAX_SEGMENTS + uploads);
    // Every part of every upload is in exactly one segment, and no part is bigger than a worker's budget.
    const covered = new Map<number, number>();
    for (const ref of state.segments) {
      const seg = segmentOf(record, ref);
      expect(seg.partSize).toBeLessThanOrEqual(DEFAULT_EVIDENCE_CONFIG.memoryBudgetBytes);
      expect(seg.firstPart).toBe((covered.get(ref.image) ?? 0) + 1);
      covered.set(ref.image, seg.lastPart);
    }
    const exports = record.evidence?.exports as { partCount: number; length: number }[];
    expect(exports.map((_e, i) => covered.get(i))).toEqual(exports.map((e) => e.partCount));
    expect(exports.reduce((n, e) => n + e.length, 0)).toBe(4 * 4096 * GIB);
  }, 120_000);
});
