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

describe('Investigation numbers in the quarantine view and the notification', () => {
  const sha256 = 'n4bQgYhMfWWaL+qgxVrQFaO/TxsrC4Is0V1sFbDwCgg=';
  const investigated: QuarantineRecord = {
    ...structuredClone(releasedSealed),
    reach: {
      status: 'written',
      at: '2026-11-30T08:00:00.000Z',
      objects: [{ name: 'reach.json', key: 'evidence/INC-7/q/investigation/reach.json', sha256 }],
      summary: {
        storesReachableBeforeIsolation: 3,
        storesReachableAfterIsolation: 0,
        classifiedReachable: 2,
      },
    },
    activity: {
      initial: {
        status: 'unavailable',
        at: '2026-11-30T08:00:00.000Z',
        objects: [],
        detail: 'AccessDenied: \u001b[31mtrail\u001b[0m',
      },
    },
  };

  it('says how many stores were reachable before and after isolation, and how many are classified', () => {
    const view = quarantineView(investigated);
    expect(view.reach).toMatchObject({
      status: 'written',
      storesReachableBeforeIsolation: 3,
      classifiedReachable: 2,
    });
    const text = renderQuarantine({ ...view, timeline: [] });
    expect(text).toContain('reach       3 stores reachable before isolation (2 classified), 0 after');
    expect(text).not.toContain('ALARM');
  });

  it('prints why the activity is unavailable, with terminal escapes neutralised', () => {
    const text = renderQuarantine({ ...quarantineView(investigated), timeline: [] });
    expect(text).toMatch(/activity {4}unavailable: AccessDenied: /);
    expect(text).not.toContain('\u001b');
  });

  it('carries the same numbers in the on-call notification', async () => {
    const { buildNotification } = await import('../../../lambdas/core/workflow/notification');
    const body = JSON.parse(buildNotification(investigated, 'sealed').message) as Record<string, unknown>;
    expect(body.reach).toMatchObject({ storesReachableBeforeIsolation: 3, storesReachableAfterIsolation: 0 });
    expect(body.activity).toMatchObject({ status: 'unavailable' });
  });
});
