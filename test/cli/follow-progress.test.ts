import type { CliContext } from '../../cli/context';
import { CheckFailedError } from '../../cli/errors';
import { followQuarantine } from '../../cli/follow-progress';
import type { QuarantineView } from '../../cli/quarantine-view';
import type { QuarantineState } from '../../lambdas/core/ledger/record';

/** A context that records notes instead of writing them (not a TTY: one plain line per ledger action). */
function quietContext(notes: string[]): CliContext {
  return {
    opts: { json: false, debug: false },
    credentials: async () => ({ accessKeyId: 'x', secretAccessKey: 'y' }),
    region: async () => 'eu-west-1',
    clientOptions: async () => ({ region: 'eu-west-1' }),
    print: () => undefined,
    note: (line) => notes.push(line),
  };
}

/** The states the API returns on successive polls, each with one more ledger action. */
function polls(states: QuarantineState[]) {
  let n = 0;
  const fetchOnce = async (): Promise<QuarantineView> => {
    const i = Math.min(n, states.length - 1);
    n += 1;
    return {
      quarantineId: 'q-0b7e9c4e-2f7a-4a61-9d0e-6a3c1f2b8d11',
      state: states[i] as QuarantineState,
      instance: { instanceId: 'i-0abc1234def567890', region: 'eu-west-1' },
      timeline: states.slice(0, i + 1).map((s, k) => ({
        at: `2026-11-25T03:00:0${k}.000Z`,
        actor: 'sequester',
        step: s,
        outcome: 'ok' as const,
      })),
      ...(states[i] === 'failed' ? { failure: { step: 'export-segment', message: 'SlowDown' } } : {}),
    };
  };
  return { fetchOnce, count: () => n };
}

describe('Function: followQuarantine (sequester quarantine --wait)', () => {
  it('waits past "isolated" until the evidence is sealed when asked for sealed', async () => {
    // Arrange
    const notes: string[] = [];
    const p = polls(['requested', 'isolated', 'evidence_pending', 'evidence_pending', 'evidence_sealed']);
    // Act
    const q = await followQuarantine(quietContext(notes), p.fetchOnce, {
      until: 'sealed',
      intervalMs: 1,
      timeoutMs: 5_000,
    });
    // Assert: five polls, and each new ledger action printed once, in order.
    expect(q.state).toBe('evidence_sealed');
    expect(p.count()).toBe(5);
    expect(notes.map((l) => l.split(/\s+/)[1])).toEqual([
      'requested',
      'isolated',
      'evidence_pending',
      'evidence_pending',
      'evidence_sealed',
    ]);
  });

  it('stops at "isolated" when asked for isolated', async () => {
    const p = polls(['requested', 'isolating', 'isolated', 'evidence_pending']);
    const q = await followQuarantine(quietContext([]), p.fetchOnce, {
      until: 'isolated',
      intervalMs: 1,
      timeoutMs: 5_000,
    });
    expect(q.state).toBe('isolated');
    expect(p.count()).toBe(3);
  });

  it('returns a failed quarantine at once instead of waiting for a seal that will not come', async () => {
    const p = polls(['isolated', 'evidence_pending', 'failed']);
    const q = await followQuarantine(quietContext([]), p.fetchOnce, {
      until: 'sealed',
      intervalMs: 1,
      timeoutMs: 5_000,
    });
    expect(q).toMatchObject({ state: 'failed', failure: { step: 'export-segment' } });
    expect(p.count()).toBe(3);
  });

  it('gives up with a check failure naming the state when the timeout passes', async () => {
    const p = polls(['isolated', 'evidence_pending']);
    const waiting = followQuarantine(quietContext([]), p.fetchOnce, {
      until: 'sealed',
      intervalMs: 5,
      timeoutMs: 30,
    });
    await expect(waiting).rejects.toThrow(CheckFailedError);
    await expect(waiting).rejects.toThrow(
      /timed out after 0 s waiting for q-0b7e9c4e-.* \(state evidence_pending\)/,
    );
  });
});
