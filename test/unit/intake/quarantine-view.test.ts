import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderQuarantine, renderQuarantineList } from '../../../cli/quarantine-view';
import { quarantineSummary, quarantineView } from '../../../lambdas/core/intake/quarantine-view';
import type { QuarantineRecord } from '../../../lambdas/core/ledger/record';

const pending = JSON.parse(
  readFileSync(join(__dirname, '../../fixtures/evidence/record.json'), 'utf8'),
) as QuarantineRecord;
const manifest = { key: 'evidence/INC-7/q/manifest.json', versionId: 'm1', sha256: 'abc=' };
/** Sealed, then released: release moves the state on and leaves the evidence record as it was. */
const releasedSealed: QuarantineRecord = {
  ...structuredClone(pending),
  state: 'released',
  evidence: { ...structuredClone(pending.evidence), manifest },
};

describe('Function: quarantineView', () => {
  it('shows the evidence of a released quarantine as sealed when its manifest was sealed', () => {
    expect(quarantineView(releasedSealed).evidence).toMatchObject({ status: 'sealed', manifest });
    expect(quarantineSummary(releasedSealed).evidence).toEqual({ status: 'sealed' });
  });

  it('shows the evidence of a quarantine released before sealing as partial', () => {
    const released: QuarantineRecord = { ...structuredClone(pending), state: 'released' };
    expect(quarantineSummary(released).evidence).toEqual({ status: 'partial' });
  });

  it('shows evidence in progress as pending', () => {
    expect(quarantineSummary(pending).evidence).toEqual({ status: 'pending' });
  });

  it('shows a quarantine with no evidence record as not started', () => {
    const { evidence: _none, ...isolated } = { ...structuredClone(pending), state: 'isolated' as const };
    expect(quarantineSummary(isolated).evidence).toEqual({ status: 'not-started' });
  });
});

describe('Function: renderQuarantine', () => {
  it('prints sealed evidence and its manifest location for a released quarantine', () => {
    const out = renderQuarantine(quarantineView(releasedSealed));
    expect(out).toContain(`evidence    sealed s3://vault/${manifest.key}`);
    expect(renderQuarantineList([quarantineSummary(releasedSealed)])).toMatch(/released\s.*\ssealed\s/);
  });
});
