import { segmentOf } from '../../../lambdas/core/evidence/evidence-record';
import type { QuarantineRecord } from '../../../lambdas/core/ledger/record';

const upload = {
  volumeId: 'vol-0aaaaaaa',
  snapshotId: 'snap-0aaaaaaa',
  key: 'evidence/INC-1/q-1/disks/vol-0aaaaaaa.raw',
  uploadId: 'up-1',
  partSize: 8 * 1024 ** 2,
  partCount: 128,
  offset: 0,
  length: 1024 ** 3,
  zeroKey: 'evidence/.zero/8388608',
};
const record = { quarantineId: 'q-1', evidence: { exports: [upload] } } as unknown as QuarantineRecord;

describe('Function: segmentOf', () => {
  it('resolves a segment reference to its upload from the ledger record', () => {
    expect(segmentOf(record, { image: 0, firstPart: 65, lastPart: 128 })).toEqual({
      ...upload,
      firstPart: 65,
      lastPart: 128,
    });
  });

  it('refuses an upload index the plan never recorded', () => {
    expect(() => segmentOf(record, { image: 1, firstPart: 1, lastPart: 1 })).toThrow(/no export upload #1/);
  });

  it('refuses a part range outside the upload', () => {
    expect(() => segmentOf(record, { image: 0, firstPart: 120, lastPart: 129 })).toThrow(/outside upload #0/);
    expect(() => segmentOf(record, { image: 0, firstPart: 9, lastPart: 8 })).toThrow(/outside upload #0/);
  });
});
