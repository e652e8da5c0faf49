import { DescribeInstancesCommand } from '@aws-sdk/client-ec2';
import { getQuarantine } from '../../lambdas/core/ledger/ledger';
import { runLocalWorkflow } from '../../local-aws/local-workflow';
import { buildScenario } from '../../local-aws/scenario';
import type { MotoEnv } from '../support/moto';
import { claim, workflowEnv } from './workflow-env';

/**
 * The deployed state machine run locally, tasks bound to the real handlers against moto, with an
 * evidence vault created WITHOUT Object Lock: the export must refuse to write there, and the failure
 * path must leave the instance isolated and the ledger saying which step failed and why.
 */
describe('Local workflow: a failing export', () => {
  let env: MotoEnv;
  beforeAll(async () => {
    ({ env } = await workflowEnv({ lockedVault: false }));
  });

  it('reaches record-failure, fails the execution and records the step and reason in the ledger', async () => {
    // Prepare
    const s = await buildScenario(env.clients);
    const quarantineId = await claim(env, s.instanceId);
    // Act
    const run = await runLocalWorkflow({ quarantineId });
    // Assess
    expect(run.status).toBe('FAILED');
    expect(run.error).toMatch(/see the ledger record/);
    expect(run.tasks.slice(0, 2)).toEqual(['isolate', 'notify']);
    expect(run.tasks).toContain('plan-export');
    expect(run.tasks.at(-1)).toBe('record-failure');
    expect(run.tasks).not.toContain('export-segment');
    const rec = await getQuarantine(env.ledger, quarantineId);
    expect(rec?.state).toBe('failed');
    expect(rec?.failure?.step).toBe('plan-export');
    expect(rec?.failure?.message).toMatch(/object lock/i);
    expect(rec?.actions.map((a) => a.step)).toEqual(
      expect.arrayContaining(['notify:isolated', 'workflow:plan-export']),
    );
    // Contain first: the failure later on leaves the instance cut off.
    const d = await env.clients.ec2.send(new DescribeInstancesCommand({ InstanceIds: [s.instanceId] }));
    const enis = d.Reservations?.[0]?.Instances?.[0]?.NetworkInterfaces ?? [];
    expect(enis.length).toBeGreaterThan(0);
    for (const eni of enis) {
      expect((eni.Groups ?? []).map((g) => g.GroupName)).toEqual([
        expect.stringMatching(/^sequester-quarantine-/),
      ]);
    }
  });
});
