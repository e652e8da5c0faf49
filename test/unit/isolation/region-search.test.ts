import {
  DescribeInstancesCommand,
  type DescribeInstancesCommandOutput,
  type EC2Client,
} from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { createIsolationClients, type IsolationClients } from '../../../lambdas/core/clients';
import { RefusedError } from '../../../lambdas/core/errors';
import { notFoundMessage, shouldSearchElsewhere } from '../../../lambdas/core/isolation/follow-instance';
import { classifyLookupError, searchRegions } from '../../../lambdas/core/isolation/region-search';
import {
  parseQuarantineRequest,
  type QuarantineRequestInput,
} from '../../../lambdas/core/schemas/quarantine-request';

const INSTANCE = 'i-0abc1234def567890';
const EXFILTRATION = 'UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.OutsideAWS';
const REGIONS = ['eu-west-1', 'us-west-2', 'us-east-1', 'ap-east-1'] as const;

/** One client set per Region, each EC2 client mocked on its own (the search must ask each Region's). */
const clients = new Map<string, IsolationClients>(
  REGIONS.map((region) => [
    region,
    createIsolationClients({
      region,
      credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
      maxAttempts: 1,
    }),
  ]),
);
const ec2 = new Map(REGIONS.map((r) => [r, mockClient(clients.get(r)?.ec2 as EC2Client)]));
const mocked = (region: (typeof REGIONS)[number]) => {
  const m = ec2.get(region);
  if (m === undefined) throw new Error(region);
  return m;
};
const search = {
  regions: [...REGIONS],
  clientsFor: (i: { region: string }) => {
    const c = clients.get(i.region);
    if (c === undefined) throw new Error(`no clients for ${i.region}`);
    return c;
  },
};
const awsError = (name: string) => Object.assign(new Error(name), { name, $metadata: {} });

/** DescribeInstances' answer for a running instance (the SDK's output shape). */
const running: DescribeInstancesCommandOutput = {
  $metadata: { requestId: 'req-found' },
  Reservations: [
    {
      OwnerId: '123456789012',
      Instances: [
        {
          InstanceId: INSTANCE,
          State: { Name: 'running', Code: 16 },
          VpcId: 'vpc-0a1b2c3d',
          NetworkInterfaces: [
            {
              NetworkInterfaceId: 'eni-0a1b2c3d4e5f',
              SubnetId: 'subnet-0a1b2c3d',
              Attachment: { DeviceIndex: 0 },
              Groups: [{ GroupId: 'sg-0a1b2c3d', GroupName: 'web' }],
              PrivateIpAddresses: [{ PrivateIpAddress: '10.0.1.15', Primary: true }],
            },
          ],
        },
      ],
    },
  ],
};

function request(findingType = EXFILTRATION, region = 'us-west-2') {
  const input: QuarantineRequestInput = {
    instance: { instanceId: INSTANCE, region, accountId: '123456789012' },
    reason: `GuardDuty ${findingType} (severity 8) on ${INSTANCE}`,
    incidentId: 'GD-eb1f51f739141beb19ef5243a1f8eb9f',
    trigger: { kind: 'guardduty', findingId: 'eb1f51f739141beb19ef5243a1f8eb9f', findingType },
  };
  return parseQuarantineRequest(input);
}

beforeEach(() => {
  for (const m of ec2.values()) m.reset();
});

describe('Function: searchRegions', () => {
  it('finds the instance in the one Region whose DescribeInstances knows it, recording the others', async () => {
    // Prepare
    mocked('eu-west-1').on(DescribeInstancesCommand).rejects(awsError('InvalidInstanceID.NotFound'));
    mocked('us-east-1').on(DescribeInstancesCommand).resolves(running);
    mocked('ap-east-1').on(DescribeInstancesCommand).rejects(awsError('AuthFailure'));
    // Act
    const out = await searchRegions(search, request());
    // Assess
    if (out.status !== 'found' || !out.described.ok) throw new Error(`expected found, got ${out.status}`);
    expect(out.region).toBe('us-east-1');
    expect(out.clients).toBe(clients.get('us-east-1'));
    expect(out.described.t).toMatchObject({
      region: 'us-east-1',
      instanceArn: `arn:aws:ec2:us-east-1:123456789012:instance/${INSTANCE}`,
    });
    expect(out.searched).toEqual([
      { region: 'eu-west-1', result: 'not-found' },
      { region: 'ap-east-1', result: 'unavailable', code: 'AuthFailure' },
    ]);
  });

  it("never asks the request's own Region again", async () => {
    for (const r of REGIONS)
      mocked(r).on(DescribeInstancesCommand).rejects(awsError('InvalidInstanceID.NotFound'));
    await searchRegions(search, request());
    expect(mocked('us-west-2').commandCalls(DescribeInstancesCommand)).toHaveLength(0);
    expect(mocked('us-east-1').commandCalls(DescribeInstancesCommand)).toHaveLength(1);
  });

  it('reports not-found with every Region, denied and unavailable ones recorded rather than fatal', async () => {
    mocked('eu-west-1').on(DescribeInstancesCommand).rejects(awsError('UnauthorizedOperation'));
    mocked('us-east-1').on(DescribeInstancesCommand).rejects(awsError('InvalidInstanceID.NotFound'));
    mocked('ap-east-1').on(DescribeInstancesCommand).rejects(awsError('OptInRequired'));
    await expect(searchRegions(search, request())).resolves.toEqual({
      status: 'not-found',
      searched: [
        { region: 'eu-west-1', result: 'denied', code: 'UnauthorizedOperation' },
        { region: 'us-east-1', result: 'not-found' },
        { region: 'ap-east-1', result: 'unavailable', code: 'OptInRequired' },
      ],
    });
  });

  it('throws an unexpected error rather than conclude "not found" from a Region that could not answer', async () => {
    mocked('eu-west-1').on(DescribeInstancesCommand).rejects(awsError('InvalidInstanceID.NotFound'));
    mocked('us-east-1').on(DescribeInstancesCommand).rejects(awsError('RequestLimitExceeded'));
    mocked('ap-east-1').on(DescribeInstancesCommand).rejects(awsError('InvalidInstanceID.NotFound'));
    await expect(searchRegions(search, request())).rejects.toThrow('RequestLimitExceeded');
  });

  it('records an unexpected error of another Region when the instance was found', async () => {
    mocked('eu-west-1').on(DescribeInstancesCommand).rejects(awsError('RequestLimitExceeded'));
    mocked('us-east-1').on(DescribeInstancesCommand).resolves(running);
    mocked('ap-east-1').on(DescribeInstancesCommand).rejects(awsError('InvalidInstanceID.NotFound'));
    const out = await searchRegions(search, request());
    expect(out).toMatchObject({
      status: 'found',
      searched: [
        { region: 'eu-west-1', result: 'failed', code: 'RequestLimitExceeded' },
        { region: 'ap-east-1', result: 'not-found' },
      ],
    });
  });

  it('treats a terminated instance as found there, carrying its refusal', async () => {
    const terminated = structuredClone(running);
    const inst = terminated.Reservations?.[0]?.Instances?.[0];
    if (inst === undefined) throw new Error('fixture');
    inst.State = { Name: 'terminated', Code: 48 };
    for (const r of REGIONS)
      mocked(r).on(DescribeInstancesCommand).rejects(awsError('InvalidInstanceID.NotFound'));
    mocked('us-east-1').on(DescribeInstancesCommand).resolves(terminated);
    const out = await searchRegions(search, request());
    if (out.status !== 'found' || out.described.ok) throw new Error('expected a found refusal');
    expect(out.described.e).toMatchObject({ code: 'TERMINATED' });
  });

  it('records a Region whose member role cannot be assumed (STS RegionDisabledException)', async () => {
    for (const r of REGIONS)
      mocked(r).on(DescribeInstancesCommand).rejects(awsError('InvalidInstanceID.NotFound'));
    const out = await searchRegions(
      {
        ...search,
        clientsFor: async (i) => {
          if (i.region === 'ap-east-1') throw awsError('RegionDisabledException');
          return search.clientsFor(i);
        },
      },
      request(),
    );
    expect(out.searched).toContainEqual({
      region: 'ap-east-1',
      result: 'unavailable',
      code: 'RegionDisabledException',
    });
  });
});

describe('Function: classifyLookupError', () => {
  it.each([
    ['UnauthorizedOperation', 'denied'],
    ['AccessDenied', 'denied'],
    ['AuthFailure', 'unavailable'],
    ['OptInRequired', 'unavailable'],
    ['RegionDisabledException', 'unavailable'],
    ['RequestLimitExceeded', undefined],
    ['InternalError', undefined],
  ])('classifies %s as %s', (code, expected) => {
    expect(classifyLookupError(awsError(code))).toBe(expected);
  });
});

describe('Function: shouldSearchElsewhere', () => {
  const notFound = { ok: false as const, e: new RefusedError('not found', 'NOT_FOUND') };
  const record = (findingRegion?: string) => ({
    instance: { instanceId: INSTANCE, region: 'us-west-2', ...(findingRegion ? { findingRegion } : {}) },
  });

  it('searches for a credential-exfiltration finding whose Region lacks the instance', () => {
    expect(shouldSearchElsewhere({ record: record(), req: request(), described: notFound })).toBe(true);
    const inside = request('UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.InsideAWS');
    expect(shouldSearchElsewhere({ record: record(), req: inside, described: notFound })).toBe(true);
  });

  it('does not search for a finding that names the instance itself', () => {
    const req = request('Backdoor:EC2/C&CActivity.B!DNS');
    expect(shouldSearchElsewhere({ record: record(), req, described: notFound })).toBe(false);
  });

  it('does not search for a refusal other than not-found, nor once the quarantine has moved', () => {
    const terminated = { ok: false as const, e: new RefusedError('terminated', 'TERMINATED') };
    expect(shouldSearchElsewhere({ record: record(), req: request(), described: terminated })).toBe(false);
    expect(shouldSearchElsewhere({ record: record('eu-west-1'), req: request(), described: notFound })).toBe(
      false,
    );
  });
});

describe('Function: notFoundMessage', () => {
  it('names every Region looked in, and those it could not look in as possible places', () => {
    expect(
      notFoundMessage(INSTANCE, [
        { region: 'us-west-2', result: 'not-found' },
        { region: 'us-east-1', result: 'not-found' },
        { region: 'ap-east-1', result: 'denied', code: 'UnauthorizedOperation' },
      ]),
    ).toBe(
      `instance ${INSTANCE} not found in us-west-2, us-east-1; could not look in ap-east-1 ` +
        '(UnauthorizedOperation), so it may be there',
    );
  });
});
