import { MultiBar, Presets } from 'cli-progress';
import type { QuarantineState } from '../lambdas/core/ledger/record';
import type { CliContext } from './context';
import { CheckFailedError } from './errors';
import type { QuarantineView } from './quarantine-view';

export type WaitTarget = 'isolated' | 'sealed';

/** The lifecycle a quarantine walks through, in order; the bar shows how far along it is. */
const STAGES: ReadonlyArray<QuarantineState> = [
  'requested',
  'isolating',
  'isolated',
  'evidence_pending',
  'evidence_sealed',
];

export interface FollowOptions {
  readonly until: WaitTarget;
  readonly intervalMs: number;
  readonly timeoutMs: number;
}

function reached(state: QuarantineState, until: WaitTarget): boolean {
  const target = until === 'isolated' ? 'isolated' : 'evidence_sealed';
  return STAGES.indexOf(state) >= STAGES.indexOf(target);
}

/**
 * Polls a quarantine until it reaches the target (isolated, or evidence sealed), fails, or times out.
 * On a TTY: a progress bar over the lifecycle with each new ledger action logged above it. Otherwise:
 * one plain line per new action, so logs and CI output stay readable.
 */
export async function followQuarantine(
  ctx: CliContext,
  fetchOnce: () => Promise<QuarantineView>,
  o: FollowOptions,
): Promise<QuarantineView> {
  const tty = process.stderr.isTTY === true && !ctx.opts.json;
  const multi = tty
    ? new MultiBar(
        {
          format: ' {bar} {state} | {step}',
          hideCursor: true,
          clearOnComplete: false,
          stream: process.stderr,
        },
        Presets.shades_classic,
      )
    : undefined;
  const bar = multi?.create(STAGES.length - 1, 0, { state: 'requested', step: '' });
  const deadline = Date.now() + o.timeoutMs;
  let seen = 0;
  try {
    for (;;) {
      const q = await fetchOnce();
      const actions = q.timeline ?? [];
      for (const a of actions.slice(seen)) {
        const line = `${a.at}  ${a.step.padEnd(22)} ${a.outcome}`;
        if (multi !== undefined) multi.log(`${line}\n`);
        else ctx.note(line);
      }
      seen = Math.max(seen, actions.length);
      bar?.update(Math.max(0, STAGES.indexOf(q.state)), {
        state: q.state,
        step: actions[actions.length - 1]?.step ?? '',
      });
      if (q.state === 'failed' || q.state === 'refused' || q.state === 'released') return q;
      if (reached(q.state, o.until)) return q;
      if (Date.now() > deadline)
        throw new CheckFailedError(
          `timed out after ${Math.round(o.timeoutMs / 1000)} s waiting for ${q.quarantineId} (state ${q.state})`,
        );
      await new Promise((r) => setTimeout(r, o.intervalMs));
    }
  } finally {
    // Render once more so lines logged in the last poll are written before the bar stops.
    multi?.update();
    multi?.stop();
  }
}
