import type { PolicyDocument } from '../../policies/policy-document';
import { loadProgram, ofType, parseJson, type Recorded } from './pulumi-mocks';

const variables = (rs: Recorded[], fn: string) =>
  (
    ofType(rs, 'aws:lambda/function:Function').find((f) => f.inputs.name === fn)?.inputs.environment as
      | { variables: Record<string, string> }
      | undefined
  )?.variables ?? {};
const actionsOf = (rs: Recorded[], policyName: string) =>
  (
    parseJson(
      ofType(rs, 'aws:iam/rolePolicy:RolePolicy').find((p) => p.name === policyName)?.inputs.policy,
    ) as PolicyDocument
  ).Statement.filter((s) => s.Effect === 'Allow').flatMap((s) =>
    typeof s.Action === 'string' ? [s.Action] : [...(s.Action ?? [])],
  );

/** The program with the snapshot options set: lock days and a longer snapshot timeout. */
describe('Program: responder stack with snapshotLockDays and snapshotTimeoutHours set', () => {
  let rs: Recorded[];
  beforeAll(async () => {
    rs = await loadProgram({ snapshotLockDays: '30', snapshotTimeoutHours: '48' });
  });

  it('passes SNAPSHOT_LOCK_DAYS to the snapshot Lambda only', () => {
    expect(variables(rs, 'sequester-snapshot').SNAPSHOT_LOCK_DAYS).toBe('30');
    const others = ofType(rs, 'aws:lambda/function:Function').filter(
      (f) => f.inputs.name !== 'sequester-snapshot',
    );
    expect(others.length).toBeGreaterThan(5);
    for (const f of others) expect(variables(rs, String(f.inputs.name)).SNAPSHOT_LOCK_DAYS).toBeUndefined();
  });

  it('lets the snapshot Lambda lock evidence-tagged snapshots', () => {
    const policy = parseJson(
      ofType(rs, 'aws:iam/rolePolicy:RolePolicy').find(
        (p) => p.name === 'sequester-responder-snapshot-policy',
      )?.inputs.policy,
    ) as PolicyDocument;
    expect(policy.Statement).toContainEqual(
      expect.objectContaining({
        Action: 'ec2:LockSnapshot',
        Condition: { Null: { 'aws:ResourceTag/sequester:quarantine-id': 'false' } },
      }),
    );
    expect(actionsOf(rs, 'sequester-responder-poll-snapshots-policy')).not.toContain('ec2:LockSnapshot');
  });

  it('gives the workflow the configured snapshot timeout', () => {
    const sm = ofType(rs, 'aws:sfn/stateMachine:StateMachine')[0];
    const def = parseJson(sm?.inputs.definition) as {
      States: Record<
        string,
        { Branches?: Array<{ States: Record<string, { Result?: { Cause?: string } }> }> }
      >;
    };
    const evidence = def.States.EvidenceAndInvestigation?.Branches?.[0]?.States ?? {};
    expect(evidence.SnapshotsTimedOut?.Result?.Cause).toMatch(/after 48 h/);
  });
});
