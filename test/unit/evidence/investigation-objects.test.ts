import { investigationObjects } from '../../../lambdas/core/investigation/record-outcome';
import type { QuarantineRecord } from '../../../lambdas/core/ledger/record';
import { fullInputs } from '../../support/sealed-quarantine';

const sealed = (name: string) => ({
  name,
  key: `evidence/INC-1/i-0abc/q-1/investigation/${name}`,
  versionId: `v-${name}`,
  sha256: 'n4bQgYhMfWWaL+qgxVrQFaO/TxsrC4Is0V1sFbDwCgg=',
});

describe('Function: investigationObjects', () => {
  it('lists the flow volume an activity pass sealed even when the trail left the pass unavailable', () => {
    // Prepare
    const r: QuarantineRecord = {
      ...structuredClone(fullInputs().record),
      activity: {
        initial: {
          status: 'unavailable',
          at: '2026-11-30T08:00:00.000Z',
          objects: [sealed('flows-initial.json')],
          detail: 'NoSuchBucket: the trail bucket does not exist; flows: no flow log covers the instance',
        },
      },
      reach: { status: 'written', at: '2026-11-30T08:00:00.000Z', objects: [sealed('reach.json')] },
      exposure: { status: 'unavailable', at: '2026-11-30T08:00:00.000Z', objects: [], detail: 'denied' },
    };
    // Act
    const names = investigationObjects(r).map((o) => o.name);
    // Assess
    expect(names).toEqual(['flows-initial.json', 'reach.json']);
  });
});
