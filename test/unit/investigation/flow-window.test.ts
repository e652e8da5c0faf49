import type { ActivityResult } from '../../../lambdas/core/investigation/activity/collect';
import { egressCheck } from '../../../lambdas/core/investigation/flow-logs/egress-check';
import { flowWindow } from '../../../lambdas/core/investigation/flow-logs/flow-step';
import { unknownVolume } from '../../../lambdas/core/investigation/flow-logs/flow-volume';
import type { QuarantineRecord } from '../../../lambdas/core/ledger/record';
import { fullInputs } from '../../support/sealed-quarantine';

const CUT = '2026-11-29T22:41:40.000Z';
const START = '2026-11-22T22:40:00.000Z';
const NOW = new Date('2026-11-30T09:00:00.000Z');
const record = (cut: string | null = CUT): QuarantineRecord => {
  const r = structuredClone(fullInputs().record);
  if (cut === null) delete r.networkCutAt;
  else r.networkCutAt = cut;
  return r;
};
/** An activity result with calls at these times, those from another network marked. */
const activity = (calls: Array<{ at: string; other?: boolean }>): ActivityResult =>
  ({
    report: {
      other: calls.filter((c) => c.other).map((c) => ({ eventTime: c.at, eventName: 'GetObject' })),
      touched: [],
      coverage: { dataEvents: { enabled: true } },
    },
    records: calls.map((c) => ({ eventTime: c.at })),
  }) as unknown as ActivityResult;

describe('Function: flowWindow', () => {
  it('starts at the first call from another network and ends at the network cut', () => {
    const a = activity([
      { at: '2026-11-29T20:00:00Z' },
      { at: '2026-11-29T21:30:00Z', other: true },
      { at: '2026-11-29T21:00:00Z', other: true },
    ]);
    expect(flowWindow(record(), a, START, NOW)).toEqual({
      since: '2026-11-29T21:00:00Z',
      until: CUT,
      sinceBasis: 'first call of the session from another network',
      untilBasis: 'network cut',
    });
  });

  it('starts at the first call of the session when calls from elsewhere came only after the cut', () => {
    const a = activity([{ at: '2026-11-29T23:00:00Z', other: true }, { at: '2026-11-29T20:00:00Z' }]);
    expect(flowWindow(record(), a, START, NOW)).toMatchObject({
      since: '2026-11-29T20:00:00Z',
      sinceBasis: 'first call of the session',
    });
  });

  it("starts at the activity window's start without any call before the cut, or without an activity", () => {
    expect(flowWindow(record(), activity([{ at: '2026-11-30T01:00:00Z' }]), START, NOW).since).toBe(START);
    expect(flowWindow(record(), undefined, START, NOW)).toMatchObject({
      since: START,
      sinceBasis: expect.stringMatching(/^start of the activity window/),
    });
  });

  it('ends now, and says so, when no network cut is recorded', () => {
    expect(flowWindow(record(null), undefined, START, NOW)).toMatchObject({
      until: NOW.toISOString(),
      untilBasis: 'now (no network cut recorded)',
    });
  });
});

describe('Function: egressCheck', () => {
  it('is unknown, never a mismatch, when the flow volume is unknown', () => {
    const a = activity([]);
    a.report.touched.push({
      eventSource: 's3.amazonaws.com',
      eventName: 'GetObject',
      resource: 'arn:aws:s3:::customer-data/1.csv',
      count: 1,
      bytesTransferredOut: 4096,
    });
    expect(egressCheck(a.report, unknownVolume('no flow log covers the instance'))).toEqual({
      s3BytesRead: 4096,
      bytesOutsideVpc: 'unknown',
      bytesToInternet: 'unknown',
      bytesToAwsServices: 'unknown',
      comparison: 'unknown',
      mismatch: false,
    });
  });
});
