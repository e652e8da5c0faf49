import { StepFailedError } from '../lambdas/core/errors';
import { DEFAULT_EVIDENCE_CONFIG, type EvidenceConfig } from '../lambdas/core/evidence/config';
import { collectEvidence } from '../lambdas/core/evidence/pipeline';
import type { StartResult, WorkflowStart, WorkflowStarter } from '../lambdas/core/intake/workflow-starter';
import { DEFAULT_ENGINE_CONFIG } from '../lambdas/core/isolation/engine-config';
import { isolate } from '../lambdas/core/isolation/isolate';
import type { DemoAccount } from './demo-account';

/**
 * The response workflow for the demo, started by the real intake the way Step Functions is: start()
 * returns at once and the work runs on. It runs the workflow's tasks in the state machine's order
 * (isolate, then snapshot, poll, plan, export segments, complete, seal) through the same core
 * functions the task handlers call.
 */
export class DemoWorkflow implements WorkflowStarter {
  private readonly runs = new Map<string, Promise<void>>();
  public readonly evidenceConfig: EvidenceConfig;

  public constructor(private readonly account: DemoAccount) {
    // A short retention: the demo's vault is thrown away with the emulator.
    this.evidenceConfig = { ...DEFAULT_EVIDENCE_CONFIG, vaultBucket: account.vaultBucket, retentionDays: 1 };
  }

  public async start(q: WorkflowStart): Promise<StartResult> {
    const executionId = `demo:${q.quarantineId}`;
    if (this.runs.has(q.quarantineId)) return { executionId, alreadyStarted: true };
    this.runs.set(q.quarantineId, this.run(q.quarantineId));
    return { executionId, alreadyStarted: false };
  }

  /** Settles when the quarantine's workflow has finished (rejects with the failing step's error). */
  public finished(quarantineId: string): Promise<void> {
    return this.runs.get(quarantineId) ?? Promise.reject(new Error(`no workflow for ${quarantineId}`));
  }

  private async run(quarantineId: string): Promise<void> {
    const a = this.account;
    const out = await isolate(a.clients, a.ledger, quarantineId, DEFAULT_ENGINE_CONFIG);
    if (out.status !== 'isolated') throw new StepFailedError(`isolation ended ${out.status}`, 'isolate');
    await collectEvidence(a.evidence, a.ledger, quarantineId, this.evidenceConfig, {
      pollIntervalMs: 200,
      segmentConcurrency: 4,
    });
  }
}
