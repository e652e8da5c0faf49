import { getQuarantine } from '../../lambdas/core/ledger/ledger';
import { DEFAULT_WORKFLOW_CONFIG } from '../../lambdas/core/workflow/definition';
import { snapshotPollingBudget } from '../../lambdas/core/workflow/snapshot-polling';
import { runLocalWorkflow } from '../../local-aws/local-workflow';
import { buildScenario } from '../../local-aws/scenario';
import type { MotoEnv } from '../support/moto';
import { HISTORY_LIMIT, historyEventsOf } from './history-events';
import { claim, workflowEnv } from './workflow-env';

type Handler = (event: unknown) => Promise<unknown>;

/**
 * The deployed state machine run locally with every task on its real handler against moto, except that
 * the snapshots never complete: the real poll-snapshots handler runs each time, and its answer is forced
 * to "still pending". With the default 24 h timeout the workflow must stop polling, and the real
 * record-failure handler must leave the ledger saying why.
 */
describe('Local workflow: snapshots that never complete', () => {
  let env: MotoEnv;
  beforeAll(async () => {
    ({ env } = await workflowEnv({ lockedVault: true }));
  });

  it('stops at the snapshot timeout and marks the quarantine failed with the reason', async () => {
    // Prepare
    const s = await buildScenario(env.clients);
    const quarantineId = await claim(env, s.instanceId);
    const realPoll = (require('../../lambdas/handlers/poll-snapshots') as { handler: Handler }).handler;
    const budget = snapshotPollingBudget({
      pollIntervalSeconds: DEFAULT_WORKFLOW_CONFIG.pollIntervalSeconds,
      maxPollIntervalSeconds: 900,
      snapshotTimeoutHours: 24,
    });
    // Act
    const run = await runLocalWorkflow(
      { quarantineId },
      {
        replace: {
          'poll-snapshots': async (e) => ({ ...((await realPoll(e)) as object), allCompleted: false }),
        },
      },
    );
    // Assess
    expect(run.status).toBe('FAILED');
    expect(run.tasks.filter((t) => t === 'poll-snapshots')).toHaveLength(budget.polls);
    expect(run.tasks.at(-1)).toBe('record-failure');
    expect(run.tasks).not.toContain('plan-export');
    const rec = await getQuarantine(env.ledger, quarantineId);
    expect(rec?.state).toBe('failed');
    expect(rec?.failure?.step).toBe('poll-snapshots');
    expect(rec?.failure?.message).toMatch(/^SnapshotTimeout: EBS snapshots still not completed after 24 h/);
    expect(rec?.actions.map((a) => a.step)).toEqual(
      expect.arrayContaining(['snapshot', 'workflow:poll-snapshots']),
    );
    expect(historyEventsOf(run)).toBeLessThan(HISTORY_LIMIT / 10);
  }, 120_000);
});
