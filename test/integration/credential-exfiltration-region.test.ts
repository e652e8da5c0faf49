import {
  DescribeInstancesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSnapshotsCommand,
  RunInstancesCommand,
} from '@aws-sdk/client-ec2';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { createIsolationClients, type IsolationClients } from '../../lambdas/core/clients';
import { defaultIntakeConfig } from '../../lambdas/core/intake/intake-config';
import { type IntakeOutcome, intakeFinding } from '../../lambdas/core/intake/intake-finding';
import { listQuarantines } from '../../lambdas/core/intake/ledger-queries';
import type { WorkflowStarter } from '../../lambdas/core/intake/workflow-starter';
import { action } from '../../lambdas/core/isolation/engine-config';
import { getQuarantine } from '../../lambdas/core/ledger/ledger';
import { relocateQuarantine } from '../../lambdas/core/ledger/relocate';
import { handler as isolateLambda } from '../../lambdas/handlers/isolate';
import { handler as snapshotLambda } from '../../lambdas/handlers/snapshot';
import { LOCAL_CREDENTIALS } from '../../local-aws/moto-server';
import { buildScenario, MOTO_AMI, type Scenario } from '../../local-aws/scenario';
import type { PolicyStatement } from '../../policies/policy-document';
import { freshEvidenceEnv, setEvidenceHandlerEnv } from '../support/evidence-env';
import { asRole, type MotoEnv, REGION, setHandlerEnv } from '../support/moto';
import { finding, setPath } from '../unit/intake/fixtures';

/** moto's default account: the owner of every instance it runs. */
const MOTO_ACCOUNT = '123456789012';
/** Where the instances live, where the stolen credentials were used, and the home Region (the ledger). */
const INSTANCE_REGION = 'us-east-1';
const FINDING_REGION = 'us-west-2';
const COVERED = [REGION, FINDING_REGION, INSTANCE_REGION].join(',');
const NOWHERE = 'i-0fedcba9876500001';

/** A real-format InstanceCredentialExfiltration.OutsideAWS finding naming the instance by its role session. */
function exfiltrationFinding(instanceId: string, region = FINDING_REGION) {
  const e = finding('iam-access-key-instance-credential-exfiltration.json');
  setPath(e, 'detail.resource.accessKeyDetails.principalId', `AROAEXAMPLE:${instanceId}`);
  setPath(e, 'detail.accountId', MOTO_ACCOUNT);
  return setPath(e, 'detail.region', region);
}

/** A real-format finding with resource type Instance, in the instance's own Region. */
function instanceFinding(instanceId: string) {
  const e = finding('ec2-backdoor-c2-activity-dns.json');
  setPath(e, 'detail.resource.instanceDetails.instanceId', instanceId);
  setPath(e, 'detail.accountId', MOTO_ACCOUNT);
  return setPath(e, 'detail.region', INSTANCE_REGION);
}

/**
 * A credential-exfiltration finding reported in another Region than its instance's: intake claims it in
 * the finding's Region, and the real isolate handler, signing with the isolate role behind the
 * IAM-enforcing local AWS, finds the instance in the covered Regions and moves the quarantine there. The
 * workflow start is recorded, not run: the isolate task is invoked as Step Functions would.
 */
const isolate = asRole('isolate', isolateLambda);
const snapshot = asRole('snapshot', snapshotLambda);
describe('Credential-exfiltration finding for an instance in another Region', () => {
  let env: MotoEnv;
  let east: IsolationClients;
  let s: Scenario;
  let first: IntakeOutcome;
  let firstIsolation: unknown;
  const started: string[] = [];
  const starter: WorkflowStarter = {
    start: async (q) => {
      started.push(q.quarantineId);
      return { executionId: q.quarantineId, alreadyStarted: false };
    },
  };
  const intake = (event: unknown) =>
    intakeFinding({ ledger: env.ledger, starter, config: defaultIntakeConfig() }, event);
  const saved = { ...process.env };

  const groupsOf = async (instanceId: string) => {
    const res = await east.ec2.send(new DescribeInstancesCommand({ InstanceIds: [instanceId] }));
    return (res.Reservations?.[0]?.Instances?.[0]?.NetworkInterfaces ?? []).flatMap((n) =>
      (n.Groups ?? []).map((g) => g.GroupId ?? ''),
    );
  };
  const lockHolder = async (region: string, instanceId: string) =>
    (
      await env.ledger.ddb.send(
        new GetCommand({ TableName: env.ledger.tableName, Key: { pk: `I#${region}#${instanceId}` } }),
      )
    ).Item?.quarantineId;
  const startedId = (o: IntakeOutcome) => {
    if (o.status !== 'started') throw new Error(`expected started, got ${o.status}`);
    return o.quarantineId;
  };

  beforeAll(async () => {
    // The vault (home Region) is there for the snapshot task's context captures.
    const e = await freshEvidenceEnv();
    env = e.env;
    setEvidenceHandlerEnv(e, { COVERED_REGIONS: COVERED, POWERTOOLS_LOG_LEVEL: 'ERROR' });
    east = createIsolationClients({
      region: INSTANCE_REGION,
      endpoint: env.endpoint,
      credentials: LOCAL_CREDENTIALS,
      maxAttempts: 3,
    });
    s = await buildScenario(east);
    // The quarantine every test of the first group looks at.
    first = await intake(exfiltrationFinding(s.instanceId));
    firstIsolation = (await isolate({ quarantineId: startedId(first) })).isolation;
  });
  afterAll(() => {
    process.env = saved;
  });

  it('isolates the instance in its own Region under one quarantine moved there', async () => {
    // Assess
    const id = startedId(first);
    expect(firstIsolation).toMatchObject({ status: 'isolated', quarantineId: id });
    expect(env.enforcer.denials).toEqual([]);
    const rec = await getQuarantine(env.ledger, id);
    expect(rec?.state).toBe('isolated');
    expect(rec?.instance).toEqual({
      instanceId: s.instanceId,
      region: INSTANCE_REGION,
      accountId: MOTO_ACCOUNT,
      findingRegion: FINDING_REGION,
    });
    expect(rec?.actions.find((a) => a.step === 'relocate')?.detail).toMatchObject({
      note: `found in ${INSTANCE_REGION}; the finding was reported in ${FINDING_REGION}`,
      searched: [
        { region: FINDING_REGION, result: 'not-found' },
        { region: REGION, result: 'not-found' },
      ],
    });
    const sgs = await east.ec2.send(
      new DescribeSecurityGroupsCommand({
        Filters: [{ Name: 'group-name', Values: [`sequester-quarantine-${s.vpcId}`] }],
      }),
    );
    const quarantineGroup = sgs.SecurityGroups?.[0]?.GroupId;
    expect(quarantineGroup).toBeDefined();
    expect(await groupsOf(s.instanceId)).toEqual([quarantineGroup]);
    expect(await lockHolder(INSTANCE_REGION, s.instanceId)).toBe(id);
  });

  it('has the next task, which reads the moved record, snapshot the volumes in the instance Region', async () => {
    // Act
    const out = await snapshot({ quarantineId: startedId(first) });
    // Assess
    expect(env.enforcer.denials).toEqual([]);
    expect(out.snapshots).toHaveLength(1);
    const snaps = await east.ec2.send(
      new DescribeSnapshotsCommand({ SnapshotIds: out.snapshots.map((x) => x.snapshotId) }),
    );
    expect(snaps.Snapshots?.map((x) => x.VolumeId)).toEqual(out.snapshots.map((x) => x.volumeId));
  });

  it("joins a direct finding in the instance's Region, and the republished finding, to that quarantine", async () => {
    // Act
    const direct = await intake(instanceFinding(s.instanceId));
    const republished = await intake(exfiltrationFinding(s.instanceId));
    // Assess
    const id = startedId(first);
    expect(direct).toMatchObject({ status: 'joined', quarantineId: id });
    expect(republished).toMatchObject({ status: 'joined', quarantineId: id });
    const all = await listQuarantines(env.ledger, { instanceId: s.instanceId, limit: 10 });
    expect(all.items.map((r) => r.quarantineId)).toEqual([id]);
    expect(started.filter((q) => q === id)).toHaveLength(1);
  });

  it('refuses as a duplicate a quarantine whose instance another already holds in its Region', async () => {
    // Prepare: a direct finding on the twin claimed it in its Region first (its workflow not yet run).
    const holder = startedId(await intake(instanceFinding(s.twinId)));
    const before = await groupsOf(s.twinId);
    const dup = startedId(await intake(exfiltrationFinding(s.twinId)));
    // Act
    const out = await isolate({ quarantineId: dup });
    // Assess
    expect(out.isolation).toMatchObject({ status: 'refused', code: 'DUPLICATE' });
    expect(out.isolation).toMatchObject({ message: expect.stringContaining(holder) });
    const rec = await getQuarantine(env.ledger, dup);
    expect(rec?.state).toBe('refused');
    expect(rec?.instance.region).toBe(FINDING_REGION);
    expect(rec?.actions.at(-1)?.detail).toMatchObject({ code: 'DUPLICATE', existingQuarantineId: holder });
    // Its own lock is released; the holder's stays; the twin is untouched by it.
    expect(await lockHolder(FINDING_REGION, s.twinId)).toBeUndefined();
    expect(await lockHolder(INSTANCE_REGION, s.twinId)).toBe(holder);
    expect(await groupsOf(s.twinId)).toEqual(before);
  });

  it('resumes a quarantine an earlier attempt moved before it died, without moving it again', async () => {
    // Prepare: a third instance; the first attempt moved its quarantine, then its Lambda timed out.
    const run = await east.ec2.send(
      new RunInstancesCommand({ ImageId: MOTO_AMI, MinCount: 1, MaxCount: 1, SubnetId: s.subnetIds[0] }),
    );
    const instanceId = run.Instances?.[0]?.InstanceId ?? '';
    const id = startedId(await intake(exfiltrationFinding(instanceId)));
    const claimed = await getQuarantine(env.ledger, id);
    if (claimed === undefined) throw new Error('no record');
    await relocateQuarantine(env.ledger, claimed, INSTANCE_REGION, action('first-attempt', 'relocate', 'ok'));
    // Act: Step Functions retries the task.
    const out = await isolate({ quarantineId: id });
    // Assess
    expect(out.isolation).toMatchObject({ status: 'isolated' });
    const rec = await getQuarantine(env.ledger, id);
    expect(rec?.actions.filter((a) => a.step === 'relocate').map((a) => a.actor)).toEqual(['first-attempt']);
    expect(rec?.instance).toMatchObject({ region: INSTANCE_REGION, findingRegion: FINDING_REGION });
  });

  it('refuses an instance found in no covered Region, naming each, and leaves nothing held', async () => {
    const id = startedId(await intake(exfiltrationFinding(NOWHERE)));
    const out = await isolate({ quarantineId: id });
    expect(out.isolation).toMatchObject({
      status: 'refused',
      code: 'NOT_FOUND',
      message: `instance ${NOWHERE} not found in ${FINDING_REGION}, ${REGION}, ${INSTANCE_REGION}`,
    });
    const rec = await getQuarantine(env.ledger, id);
    expect(rec?.state).toBe('refused');
    expect(rec?.instance.region).toBe(FINDING_REGION);
    expect(rec?.actions.map((a) => a.step)).toEqual(['request', 'refuse']);
    for (const r of [FINDING_REGION, REGION, INSTANCE_REGION])
      expect(await lockHolder(r, NOWHERE)).toBeUndefined();
  });

  it('records a Region the isolate role may not look in, and does not conclude the instance is absent', async () => {
    // Prepare: the isolate role as declared, plus a deny of DescribeInstances in the home Region.
    const setup = { COVERED_REGIONS: COVERED, POWERTOOLS_LOG_LEVEL: 'ERROR' };
    const edit = (name: string, statements: PolicyStatement[]): PolicyStatement[] =>
      name !== 'isolate'
        ? statements
        : [
            ...statements,
            {
              Sid: 'TestDenyHomeRegion',
              Effect: 'Deny',
              Action: 'ec2:DescribeInstances',
              Resource: '*',
              Condition: { StringEquals: { 'aws:RequestedRegion': REGION } },
            },
          ];
    setHandlerEnv(env, setup, { edit });
    try {
      const id = startedId(await intake(exfiltrationFinding('i-0fedcba9876500002')));
      // Act
      const out = await isolate({ quarantineId: id });
      // Assess
      expect(out.isolation).toMatchObject({
        status: 'refused',
        code: 'NOT_FOUND',
        message:
          `instance i-0fedcba9876500002 not found in ${FINDING_REGION}, ${INSTANCE_REGION}; ` +
          `could not look in ${REGION} (UnauthorizedOperation), so it may be there`,
      });
    } finally {
      setHandlerEnv(env, setup);
    }
  });
});
