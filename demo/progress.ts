import { MultiBar, Presets, type SingleBar } from 'cli-progress';
import type { LedgerClients } from '../lambdas/core/clients';
import { getQuarantine } from '../lambdas/core/ledger/ledger';

export const PHASES = [
  'start the local AWS emulator (moto)',
  'build the account: VPC, web tier, disks with a planted implant',
  'deliver the GuardDuty finding to the intake',
  'isolate the instance',
  'snapshot and export the disks into the Object Lock vault; investigate activity, reach and exposure',
  'verify the evidence against its manifest',
  'read the planted file back from the locked image',
  'fetch the sealed breach report and write its HTML page',
] as const;

/**
 * Live progress. On a terminal: a bar over the demo's phases with every step logged above it. Otherwise
 * plain lines. With --json everything goes to stderr, so stdout carries only the summary.
 */
export class DemoProgress {
  private readonly multi?: MultiBar;
  private readonly bar?: SingleBar;
  private readonly out: NodeJS.WriteStream;
  private readonly started = Date.now();

  public constructor(json: boolean) {
    this.out = json ? process.stderr : process.stdout;
    if (this.out.isTTY === true) {
      this.multi = new MultiBar(
        {
          format: ' {bar} {value}/{total} {phase}',
          hideCursor: true,
          stream: this.out,
          clearOnComplete: true,
        },
        Presets.shades_classic,
      );
      this.bar = this.multi.create(PHASES.length, 0, { phase: '' });
    }
  }

  public phase(index: number): void {
    const name = PHASES[index] ?? '';
    this.bar?.update(index, { phase: name });
    this.line(`[${index + 1}/${PHASES.length}] ${name}`);
  }

  public line(text: string): void {
    const stamped = `${((Date.now() - this.started) / 1000).toFixed(1).padStart(6)}s  ${text}\n`;
    if (this.multi !== undefined) this.multi.log(stamped);
    else this.out.write(stamped);
  }

  private stopped = false;

  public stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.bar?.update(PHASES.length);
    // Render once more so lines logged since the last frame are written before the bar goes away.
    this.multi?.update();
    this.multi?.stop();
  }

  /**
   * Prints each new ledger action of a quarantine (the same timeline `sequester status` shows) until
   * `done` settles, switching the phase from isolation to evidence as the state moves on.
   */
  public async follow(ledger: LedgerClients, quarantineId: string, done: Promise<unknown>): Promise<void> {
    let seen = 0;
    let settled = false;
    void done.then(
      () => {
        settled = true;
      },
      () => {
        settled = true;
      },
    );
    let evidencePhase = false;
    for (;;) {
      const last = settled;
      const rec = await getQuarantine(ledger, quarantineId);
      for (const a of rec?.actions.slice(seen) ?? []) {
        if (!evidencePhase && a.step === 'snapshot') {
          evidencePhase = true;
          this.phase(4);
        }
        this.line(`      ${a.step.padEnd(24)} ${a.outcome}${summarize(a.detail)}`);
      }
      seen = Math.max(seen, rec?.actions.length ?? 0);
      if (last) return;
      await new Promise((r) => setTimeout(r, 150));
    }
  }
}

/** A few scalar details of an action, for one readable line. */
function summarize(detail: Record<string, unknown> | undefined): string {
  if (detail === undefined) return '';
  const parts = Object.entries(detail)
    .filter(
      ([k, v]) => k !== 'note' && (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean'),
    )
    .slice(0, 3)
    .map(([k, v]) => `${k}=${String(v).slice(0, 60)}`);
  return parts.length === 0 ? '' : `  (${parts.join(', ')})`;
}
