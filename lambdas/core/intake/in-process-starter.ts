import type { IsolationClients, LedgerClients } from '../clients';
import type { EngineConfig } from '../isolation/engine-config';
import { isolate, type QuarantineOutcome } from '../isolation/isolate';
import type { InstanceRef } from '../ledger/record';
import type { StartResult, WorkflowStart, WorkflowStarter } from './workflow-starter';

/** Clients acting on one instance: the responder's own, or a member account's (see handlers/runtime.ts). */
export type IsolationClientsFor = (instance: InstanceRef) => IsolationClients | Promise<IsolationClients>;

/**
 * Runs the isolation step of the workflow in this process and waits for it: for tests and the local
 * demo, where no Step Functions exists. Like Step Functions, it runs each quarantineId at most once;
 * a repeated start waits for the first run instead of starting another.
 */
export class InProcessStarter implements WorkflowStarter {
  private readonly runs = new Map<string, Promise<QuarantineOutcome>>();

  public constructor(
    private readonly clientsFor: IsolationClientsFor,
    private readonly ledger: LedgerClients,
    private readonly engine: EngineConfig,
  ) {}

  public async start(q: WorkflowStart): Promise<StartResult> {
    const executionId = `in-process:${q.quarantineId}`;
    const running = this.runs.get(q.quarantineId);
    if (running !== undefined) {
      await running;
      return { executionId, alreadyStarted: true };
    }
    const run = Promise.resolve(this.clientsFor(q.instance)).then((c) =>
      isolate(c, this.ledger, q.quarantineId, this.engine),
    );
    this.runs.set(q.quarantineId, run);
    await run;
    return { executionId, alreadyStarted: false };
  }

  /** The outcome of a quarantine's run, once started (tests assert on it). */
  public outcome(quarantineId: string): Promise<QuarantineOutcome> | undefined {
    return this.runs.get(quarantineId);
  }

  /** How many workflows this starter has run. */
  public get started(): number {
    return this.runs.size;
  }
}
