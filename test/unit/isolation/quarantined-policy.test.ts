import { DisassociateIamInstanceProfileCommand, EC2Client } from '@aws-sdk/client-ec2';
import {
  CreatePolicyVersionCommand,
  GetInstanceProfileCommand,
  IAMClient,
  PutRolePolicyCommand,
} from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import {
  changeQuarantinedInstances,
  QuarantinePolicyFullError,
  quarantineDenyMismatches,
} from '../../../lambdas/core/isolation/quarantined-policy';
import { revokeCredentials } from '../../../lambdas/core/isolation/revoke-credentials';
import type { TargetInstance } from '../../../lambdas/core/isolation/target-instance';
import { arnsThatFit, listedInstances, quarantinePolicyArn } from '../../../policies/quarantined-instances';
import { awsError, ManagedPolicyIam } from './managed-policy-iam';

const ACCOUNT = '123456789012';
const POLICY = quarantinePolicyArn('aws', ACCOUNT);
const arnOf = (i: number) =>
  `arn:aws:ec2:eu-west-1:${ACCOUNT}:instance/i-${i.toString(16).padStart(17, '0')}`;
const noSleep = { sleep: async () => undefined };
/** The production backoff (with its jitter), twenty times faster. */
const fastBackoff = { sleep: (ms: number) => new Promise<void>((r) => setTimeout(r, ms / 20)) };

const ec2 = mockClient(EC2Client);
const iamStub = mockClient(IAMClient);
let fake: ManagedPolicyIam;
const iam = () => new IAMClient({ region: 'eu-west-1' });
beforeEach(() => {
  fake = new ManagedPolicyIam(ACCOUNT);
  fake.install(iamStub);
});
afterEach(() => {
  ec2.reset();
  iamStub.reset();
});

const target = (i: number) =>
  ({
    instanceId: `i-${i.toString(16).padStart(17, '0')}`,
    accountId: ACCOUNT,
    instanceArn: arnOf(i),
  }) as TargetInstance;
const attachments = (i: number) => ({
  profileAssociation: {
    associationId: `iip-assoc-${i}`,
    instanceProfileArn: `arn:aws:iam::${ACCOUNT}:instance-profile/fleet`,
  },
  targets: [],
  disableApiTermination: false,
  disableApiStop: false,
  shutdownBehavior: 'stop',
});
const clients = () => ({ ec2: new EC2Client({ region: 'eu-west-1' }), iam: iam() });
const fleetRole = () => {
  iamStub
    .on(GetInstanceProfileCommand)
    .resolves({ InstanceProfile: { Roles: [{ RoleName: 'fleet' }] } as never });
  ec2.on(DisassociateIamInstanceProfileCommand).resolves({});
};

describe('Function: revokeCredentials', () => {
  it('denies sixty instances of one fleet role without an inline policy: one managed policy lists them all', async () => {
    // Inline policies of a role share 10,240 characters: one inline deny per instance fails after ~40.
    fleetRole();
    for (let i = 1; i <= 60; i += 1) await revokeCredentials(clients(), target(i), attachments(i), noSleep);
    expect(iamStub).not.toHaveReceivedCommand(PutRolePolicyCommand);
    expect(listedInstances(fake.defaultDocument(POLICY))).toHaveLength(60);
    expect(fake.attached.get('fleet')).toEqual(new Set([POLICY]));
    expect(fake.policies.get(POLICY)?.versions.length).toBeLessThanOrEqual(5);
  });

  it('treats an association that is already gone as done, and still denies the issued credentials', async () => {
    iamStub
      .on(GetInstanceProfileCommand)
      .resolves({ InstanceProfile: { Roles: [{ RoleName: 'web-role' }] } as never });
    ec2.on(DisassociateIamInstanceProfileCommand).rejects(awsError('InvalidAssociationID.NotFound'));
    const res = await revokeCredentials(clients(), target(1), attachments(1), noSleep);
    expect(res).toMatchObject({
      roleName: 'web-role',
      policyArn: POLICY,
      instanceArn: arnOf(1),
      disassociated: true,
    });
    expect(listedInstances(fake.defaultDocument(POLICY))).toEqual([arnOf(1)]);
  });

  it('records the chained-session gap: sessions assumed from the instance credentials before the deny', async () => {
    fleetRole();
    const res = await revokeCredentials(clients(), target(1), attachments(1), noSleep);
    expect(res.knownGap).toMatch(/sts:AssumeRole/);
  });

  it('fails with a message naming the quota when the role already has ten managed policies', async () => {
    fleetRole();
    fake.attached.set(
      'fleet',
      new Set(Array.from({ length: 10 }, (_, i) => `arn:aws:iam::aws:policy/P${i}`)),
    );
    await expect(revokeCredentials(clients(), target(1), attachments(1), noSleep)).rejects.toThrow(
      /fleet .*10 managed policies/,
    );
  });
});

describe('Function: changeQuarantinedInstances', () => {
  it('creates the policy on first use under /sequester/, and a second first use joins it', async () => {
    const [a, b] = await Promise.all([
      changeQuarantinedInstances(iam(), POLICY, { add: arnOf(1) }, fastBackoff),
      changeQuarantinedInstances(iam(), POLICY, { add: arnOf(2) }, fastBackoff),
    ]);
    expect(listedInstances(fake.defaultDocument(POLICY))).toEqual([arnOf(1), arnOf(2)]);
    expect([a.listed, b.listed].sort()).toEqual([1, 2]);
  });

  it('keeps every instance when many quarantines of one account write at once', async () => {
    await changeQuarantinedInstances(iam(), POLICY, { add: arnOf(0) }, noSleep);
    await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        changeQuarantinedInstances(iam(), POLICY, { add: arnOf(i + 1) }, fastBackoff),
      ),
    );
    expect(listedInstances(fake.defaultDocument(POLICY))).toEqual(
      Array.from({ length: 13 }, (_, i) => arnOf(i)),
    );
  });

  it('keeps a new quarantine listed when a release in the same account writes at the same time', async () => {
    for (const i of [1, 2, 3, 4]) await changeQuarantinedInstances(iam(), POLICY, { add: arnOf(i) }, noSleep);
    await Promise.all([
      changeQuarantinedInstances(iam(), POLICY, { remove: arnOf(2) }, fastBackoff),
      changeQuarantinedInstances(iam(), POLICY, { add: arnOf(5) }, fastBackoff),
      changeQuarantinedInstances(iam(), POLICY, { add: arnOf(6) }, fastBackoff),
    ]);
    expect(listedInstances(fake.defaultDocument(POLICY))).toEqual(
      expect.arrayContaining([arnOf(1), arnOf(3), arnOf(4), arnOf(5), arnOf(6)]),
    );
  });

  it('deletes the oldest non-default version when five exist, never the default', async () => {
    for (let i = 1; i <= 7; i += 1)
      await changeQuarantinedInstances(iam(), POLICY, { add: arnOf(i) }, noSleep);
    const p = fake.policies.get(POLICY);
    expect(p?.versions.map((v) => v.id)).toEqual([3, 4, 5, 6, 7]);
    expect(p?.defaultId).toBe(7);
  });

  it('writes nothing when the instance is already listed (a retried isolation)', async () => {
    await changeQuarantinedInstances(iam(), POLICY, { add: arnOf(1) }, noSleep);
    iamStub.resetHistory();
    await changeQuarantinedInstances(iam(), POLICY, { add: arnOf(1) }, noSleep);
    expect(iamStub).not.toHaveReceivedCommand(CreatePolicyVersionCommand);
  });

  it('removes only the released instance and leaves the others listed', async () => {
    for (const i of [1, 2, 3]) await changeQuarantinedInstances(iam(), POLICY, { add: arnOf(i) }, noSleep);
    await changeQuarantinedInstances(iam(), POLICY, { remove: arnOf(2) }, noSleep);
    expect(listedInstances(fake.defaultDocument(POLICY))).toEqual([arnOf(1), arnOf(3)]);
  });

  it('refuses to grow the policy past 6,144 characters, naming how many instances fit', async () => {
    const fit = arnsThatFit(arnOf(0));
    const full = Array.from({ length: fit }, (_, i) => arnOf(i));
    await changeQuarantinedInstances(iam(), POLICY, { add: full[0] ?? '' }, noSleep);
    fake.policies.set(POLICY, {
      versions: [
        {
          id: 1,
          document: JSON.stringify({
            Version: '2012-10-17',
            Statement: [
              {
                Sid: 'SequesterQuarantinedInstances',
                Effect: 'Deny',
                Action: '*',
                Resource: '*',
                Condition: { StringEquals: { 'ec2:SourceInstanceARN': full } },
              },
            ],
          }),
          created: new Date(),
        },
      ],
      defaultId: 1,
      next: 2,
    });
    const err = await changeQuarantinedInstances(iam(), POLICY, { add: arnOf(fit) }, noSleep).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(QuarantinePolicyFullError);
    expect((err as Error).message).toContain(`${fit} of ${fit}`);
  });

  it('reports, on verification, a role without the policy or a policy that does not list the instance', async () => {
    await changeQuarantinedInstances(iam(), POLICY, { add: arnOf(1) }, noSleep);
    const f = { roleName: 'fleet', policyArn: POLICY, instanceArn: arnOf(2) };
    expect(await quarantineDenyMismatches(iam(), f)).toEqual([
      `role fleet does not have ${POLICY} attached`,
      `${POLICY} does not list ${arnOf(2)}`,
    ]);
  });
});
