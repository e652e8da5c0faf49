import { DescribeInstancesCommand } from '@aws-sdk/client-ec2';
import { fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import { createIsolationClients } from '../../lambdas/core/clients';
import { InProcessStarter } from '../../lambdas/core/intake/in-process-starter';
import { defaultIntakeConfig } from '../../lambdas/core/intake/intake-config';
import { intakeFinding } from '../../lambdas/core/intake/intake-finding';
import { getQuarantine } from '../../lambdas/core/ledger/ledger';
import { Runtime } from '../../lambdas/handlers/runtime';
import { LOCAL_CREDENTIALS } from '../../local-aws/moto-server';
import { buildScenario } from '../../local-aws/scenario';
import { freshMoto, type MotoEnv, REGION } from '../support/moto';
import { finding, setPath } from '../unit/intake/fixtures';

const MEMBER = '210987654321';
const ROLE = 'sequester-member-access';

/**
 * A finding from a member account is acted on in that account: the intake carries the finding's
 * accountId into the request, and the runtime reaches the instance through the member's MemberAccess
 * role. moto keeps one backend per account and maps AssumeRole credentials to the role's account.
 */
describe('GuardDuty intake for a member account, against moto', () => {
  let env: MotoEnv;
  const saved = { ...process.env };

  beforeEach(async () => {
    env = await freshMoto();
    Object.assign(process.env, {
      AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
      // As in a local Lambda run: the runtime's AssumeRole client finds the emulator through this.
      AWS_ENDPOINT_URL: env.endpoint,
    });
  });
  afterEach(() => {
    process.env = saved;
  });

  it('isolates the instance in the member account named by the finding', async () => {
    // Prepare: the compromised instance lives in the member account.
    const member = createIsolationClients({
      region: REGION,
      endpoint: env.endpoint,
      credentials: fromTemporaryCredentials({
        params: { RoleArn: `arn:aws:iam::${MEMBER}:role/${ROLE}`, RoleSessionName: 'test-setup' },
        clientConfig: { region: REGION, endpoint: env.endpoint, credentials: LOCAL_CREDENTIALS },
      }),
    });
    const s = await buildScenario(member);
    const rt = new Runtime({
      AWS_REGION: REGION,
      LEDGER_TABLE: env.ledger.tableName,
      EXEMPTION_TAG_KEY: 'sequester:exempt',
      MEMBER_ROLE_NAME: ROLE,
      AWS_ENDPOINT_URL: env.endpoint,
    });
    const starter = new InProcessStarter((i) => rt.isolationClientsFor(i), rt.ledger, rt.engine);
    const event = finding('ec2-member-account-backdoor-c2.json');
    setPath(event, 'detail.resource.instanceDetails.instanceId', s.instanceId);
    setPath(event, 'detail.region', REGION);
    // Act
    const out = await intakeFinding({ ledger: rt.ledger, starter, config: defaultIntakeConfig() }, event);
    // Assess
    if (out.status !== 'started') throw new Error(out.status);
    const rec = await getQuarantine(rt.ledger, out.quarantineId);
    expect(rec?.instance).toEqual({ instanceId: s.instanceId, region: REGION, accountId: MEMBER });
    expect(rec?.state).toBe('isolated');
    // Proof of revocation in the member account: the role's grant is denied to this instance only.
    expect(rec?.verification).toMatchObject({
      verified: true,
      credentials: { status: 'proven', allowedBefore: 1, remaining: [], twinAllowed: 1 },
    });
    const seen = await member.ec2.send(new DescribeInstancesCommand({ InstanceIds: [s.instanceId] }));
    const groups = (seen.Reservations?.[0]?.Instances?.[0]?.NetworkInterfaces ?? []).flatMap((n) =>
      (n.Groups ?? []).map((g) => g.GroupName),
    );
    expect(groups).toEqual([`sequester-quarantine-${s.vpcId}`]);
    // The responder's own account has no such instance: the work happened in the member account.
    await expect(
      env.clients.ec2.send(new DescribeInstancesCommand({ InstanceIds: [s.instanceId] })),
    ).rejects.toThrow();
  });
});
