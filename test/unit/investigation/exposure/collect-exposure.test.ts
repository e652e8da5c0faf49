import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import {
  DescribeAddressesCommand,
  DescribeInstanceAttributeCommand,
  DescribeInstancesCommand,
  DescribeRouteTablesCommand,
  DescribeSecurityGroupsCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import {
  GetFindingsCommand,
  GuardDutyClient,
  ListDetectorsCommand,
  ListFindingsCommand as ListGuardDutyFindings,
} from '@aws-sdk/client-guardduty';
import { GetInstanceProfileCommand, IAMClient } from '@aws-sdk/client-iam';
import { Inspector2Client, ListFindingsCommand } from '@aws-sdk/client-inspector2';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { collectExposure } from '../../../../lambdas/core/investigation/exposure/collect-exposure';
import { ExposureFacts } from '../../../../lambdas/core/investigation/exposure/exposure-facts';
import { openRules } from '../../../../lambdas/core/investigation/exposure/network-exposure';
import { QuarantineRecord } from '../../../../lambdas/core/ledger/record';

const fixture = (name: string) =>
  JSON.parse(readFileSync(join(__dirname, '../../../fixtures', name), 'utf8'));
const INSTANCE = 'i-0abc1234def567890';
const NOW = new Date('2026-11-30T07:30:00.000Z');

/** The evidence fixture record with the pre-isolation state isolate.ts records (network and instance facts). */
function record(): QuarantineRecord {
  const r = structuredClone(fixture('evidence/record.json'));
  r.preState = {
    network: {
      vpcId: 'vpc-0a1b2c3d',
      enis: [
        {
          eniId: 'eni-0a1b2c3d',
          subnetId: 'subnet-0aaa',
          deviceIndex: 0,
          groupIds: ['sg-0web', 'sg-0admin'],
          privateIpv4: ['10.20.1.10'],
          ipv6: ['2001:db8:1234::10', 'fd00:ec2::10'],
        },
      ],
    },
    instance: {
      ...r.preState.instance,
      launchTime: '2026-11-02T09:00:00.000Z',
      instanceProfileArn: 'arn:aws:iam::123456789012:instance-profile/web-profile',
    },
  };
  return QuarantineRecord.parse(r);
}

const ec2 = mockClient(EC2Client);
const iam = mockClient(IAMClient);
const inspector = mockClient(Inspector2Client);
const guardduty = mockClient(GuardDutyClient);
const cloudtrail = mockClient(CloudTrailClient);
const clients = () => ({
  ec2: new EC2Client({}),
  iam: new IAMClient({}),
  inspector: new Inspector2Client({}),
  guardduty: new GuardDutyClient({}),
  cloudtrail: new CloudTrailClient({}),
});

afterEach(() => {
  for (const m of [ec2, iam, inspector, guardduty, cloudtrail]) m.reset();
});

/** An instance as DescribeInstances returns it after the cut: the quarantine group on its interface. */
function describedInstance() {
  ec2.on(DescribeInstancesCommand).resolves({
    Reservations: [
      {
        OwnerId: '123456789012',
        Instances: [
          {
            InstanceId: INSTANCE,
            State: { Name: 'running', Code: 16 },
            KeyName: 'deploy-2024',
            MetadataOptions: { HttpTokens: 'optional', HttpPutResponseHopLimit: 2, HttpEndpoint: 'enabled' },
            NetworkInterfaces: [
              {
                NetworkInterfaceId: 'eni-0a1b2c3d',
                Groups: [{ GroupId: 'sg-0quarantine' }],
                Association: { PublicIp: '203.0.113.10', IpOwnerId: 'amazon' },
                PrivateIpAddresses: [
                  {
                    PrivateIpAddress: '10.20.1.10',
                    Association: { PublicIp: '203.0.113.10', IpOwnerId: 'amazon' },
                  },
                  {
                    PrivateIpAddress: '10.20.1.11',
                    Association: { PublicIp: '198.51.100.50', IpOwnerId: '123456789012' },
                  },
                ],
              },
            ],
          },
        ],
      },
    ],
  });
}

describe('Function: collectExposure', () => {
  it('reads the original security groups from the pre-isolation state, never the quarantine group on the interface', async () => {
    // Prepare
    describedInstance();
    ec2.on(DescribeSecurityGroupsCommand).resolves({
      SecurityGroups: [
        {
          GroupId: 'sg-0admin',
          IpPermissions: [
            { IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '0.0.0.0/0' }] },
          ],
        },
      ],
    });
    // Act
    const facts = await collectExposure(clients(), record(), NOW);
    // Assess
    expect(ec2).toHaveReceivedCommandWith(DescribeSecurityGroupsCommand, {
      GroupIds: ['sg-0web', 'sg-0admin'],
    });
    expect(facts.openIngress).toEqual([
      { groupId: 'sg-0admin', protocol: 'tcp', fromPort: 22, toPort: 22, cidr: '0.0.0.0/0' },
    ]);
  });

  it('tells Elastic IPs from auto-assigned addresses and keeps only global IPv6 addresses', async () => {
    describedInstance();
    ec2
      .on(DescribeAddressesCommand)
      .resolves({ Addresses: [{ PublicIp: '198.51.100.50', InstanceId: INSTANCE }] });
    const facts = await collectExposure(clients(), record(), NOW);
    expect(facts.publicAddresses).toEqual([
      { address: '203.0.113.10', kind: 'ipv4', eniId: 'eni-0a1b2c3d' },
      { address: '198.51.100.50', kind: 'elastic', eniId: 'eni-0a1b2c3d' },
      { address: '2001:db8:1234::10', kind: 'ipv6', eniId: 'eni-0a1b2c3d' },
    ]);
  });

  it('finds the internet route in the VPC main table for a subnet with no table of its own', async () => {
    describedInstance();
    ec2.on(DescribeRouteTablesCommand).resolves({
      RouteTables: [
        {
          RouteTableId: 'rtb-other',
          Associations: [{ SubnetId: 'subnet-0bbb' }],
          Routes: [{ GatewayId: 'local' }],
        },
        {
          RouteTableId: 'rtb-main',
          Associations: [{ Main: true }],
          Routes: [
            { GatewayId: 'local' },
            { DestinationCidrBlock: '0.0.0.0/0', GatewayId: 'igw-0a1b', State: 'active' },
          ],
        },
      ],
    });
    const facts = await collectExposure(clients(), record(), NOW);
    expect(facts.internetRoute).toBe('yes');
  });

  it('records IMDS options, the key pair and the SHA-256 of the user data, never the user data itself', async () => {
    describedInstance();
    const userData = '#!/bin/bash\nexport DB_PASSWORD=hunter2\n';
    ec2.on(DescribeInstanceAttributeCommand).resolves({
      InstanceId: INSTANCE,
      UserData: { Value: Buffer.from(userData).toString('base64') },
    });
    const facts = await collectExposure(clients(), record(), NOW);
    expect(facts.imds).toEqual({ httpTokens: 'optional', hopLimit: 2, endpoint: 'enabled' });
    expect(facts.keyName).toBe('deploy-2024');
    // printf '#!/bin/bash\nexport DB_PASSWORD=hunter2\n' | openssl dgst -sha256 -binary | base64
    expect(facts.userData.sha256).toBe('Ldv9KcBc6jatLgs3PdBQd5m53JbeQlK3kEaJ4ypTxGo=');
    expect(JSON.stringify(facts)).not.toContain('hunter2');
    expect(JSON.stringify(facts)).not.toContain(Buffer.from(userData).toString('base64'));
  });

  it("asks GuardDuty about the instance and about its role session's principal id", async () => {
    describedInstance();
    iam.on(GetInstanceProfileCommand).resolves({
      InstanceProfile: {
        InstanceProfileName: 'web-profile',
        InstanceProfileId: 'AIPAEXAMPLE',
        Path: '/',
        Arn: 'arn:aws:iam::123456789012:instance-profile/web-profile',
        CreateDate: new Date(),
        Roles: [
          {
            RoleName: 'web-role',
            RoleId: 'AROAEXAMPLEROLEID1234',
            Arn: 'arn:aws:iam::123456789012:role/web-role',
            Path: '/',
            CreateDate: new Date(),
          },
        ],
      },
    });
    const [session, instance] = fixture('exposure/guardduty-get-findings.json').Findings;
    guardduty.on(ListDetectorsCommand).resolves({ DetectorIds: ['12abc34d567e8fa901bc2d34e56789f0'] });
    guardduty
      .on(ListGuardDutyFindings, {
        FindingCriteria: { Criterion: { 'resource.instanceDetails.instanceId': { Equals: [INSTANCE] } } },
      })
      .resolves({ FindingIds: [instance.Id] })
      .on(ListGuardDutyFindings, {
        FindingCriteria: {
          Criterion: {
            'resource.accessKeyDetails.principalId': { Equals: [`AROAEXAMPLEROLEID1234:${INSTANCE}`] },
          },
        },
      })
      .resolves({ FindingIds: [session.Id] });
    guardduty.on(GetFindingsCommand, { FindingIds: [instance.Id] }).resolves({ Findings: [instance] });
    guardduty.on(GetFindingsCommand, { FindingIds: [session.Id] }).resolves({ Findings: [session] });
    const facts = await collectExposure(clients(), record(), NOW);
    expect(facts.findingHistory).toEqual({
      status: 'collected',
      findings: [
        {
          id: instance.Id,
          type: 'Recon:EC2/PortProbeUnprotectedPort',
          severity: 2,
          subject: 'instance',
          firstSeen: '2026-11-29T22:02:11.000Z',
          lastSeen: '2026-11-30T05:12:09.000Z',
          count: 37,
        },
        {
          id: session.Id,
          type: 'UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.OutsideAWS',
          severity: 8,
          subject: 'session',
          firstSeen: '2026-11-30T06:41:03.000Z',
          lastSeen: '2026-11-30T06:55:48.000Z',
          count: 4,
        },
      ],
    });
  });

  it('lists who launched, changed and connected to the instance, and the user-data changes, from CloudTrail', async () => {
    describedInstance();
    const page = fixture('exposure/cloudtrail-lookup-events.json');
    cloudtrail.on(LookupEventsCommand).resolves({
      Events: page.Events.map((e: { EventTime: string }) => ({ ...e, EventTime: new Date(e.EventTime) })),
    });
    const facts = await collectExposure(clients(), record(), NOW);
    expect(cloudtrail).toHaveReceivedCommandWith(LookupEventsCommand, {
      LookupAttributes: [{ AttributeKey: 'ResourceName', AttributeValue: INSTANCE }],
      StartTime: new Date('2026-11-02T08:00:00.000Z'),
      EndTime: NOW,
    });
    expect(facts.instanceAccess.map((a) => [a.eventName, a.actor, a.sourceIPAddress])).toEqual([
      ['RunInstances', 'arn:aws:sts::123456789012:assumed-role/admin/alice', '203.0.113.20'],
      ['SendSSHPublicKey', 'arn:aws:iam::123456789012:user/ci-deploy', '198.51.100.7'],
      ['ModifyInstanceAttribute', 'arn:aws:iam::123456789012:user/ci-deploy', '198.51.100.7'],
      [
        'ModifyInstanceAttribute',
        'arn:aws:sts::123456789012:assumed-role/sequester-isolate/sequester-isolate',
        'lambda.amazonaws.com',
      ],
    ]);
    expect(facts.userData.changes).toEqual([
      {
        eventTime: '2026-11-29T22:04:30.000Z',
        actor: 'arn:aws:iam::123456789012:user/ci-deploy',
        sourceIPAddress: '198.51.100.7',
      },
    ]);
  });

  it("keeps Inspector's CVE, severity, exploit availability and network reachability", async () => {
    describedInstance();
    const findings = fixture('exposure/inspector2-findings.json').map(
      (f: { firstObservedAt: number; lastObservedAt: number }) => ({
        ...f,
        firstObservedAt: new Date(f.firstObservedAt * 1000),
        lastObservedAt: new Date(f.lastObservedAt * 1000),
      }),
    );
    inspector.on(ListFindingsCommand).resolves({ findings });
    const facts = await collectExposure(clients(), record(), NOW);
    expect(inspector).toHaveReceivedCommandWith(ListFindingsCommand, {
      filterCriteria: {
        resourceId: [{ comparison: 'EQUALS', value: INSTANCE }],
        findingStatus: [{ comparison: 'EQUALS', value: 'ACTIVE' }],
      },
    });
    expect(facts.vulnerabilities).toEqual({
      status: 'collected',
      findings: [
        {
          title: 'CVE-2021-44228 - org.apache.logging.log4j:log4j-core',
          cve: 'CVE-2021-44228',
          severity: 'CRITICAL',
          exploitAvailable: true,
          networkReachable: null,
          firstObservedAt: '2026-11-29T08:00:00.000Z',
        },
        {
          title: 'Port 22 is reachable from an Internet Gateway - TCP',
          cve: null,
          severity: 'MEDIUM',
          exploitAvailable: null,
          networkReachable: true,
          firstObservedAt: '2026-11-29T09:00:00.000Z',
        },
      ],
    });
  });

  it('says what it could not read instead of throwing when every source fails', async () => {
    const denied = Object.assign(new Error('not authorized'), { name: 'AccessDeniedException' });
    ec2.onAnyCommand().rejects(denied);
    iam.onAnyCommand().rejects(denied);
    inspector.onAnyCommand().rejects(denied);
    guardduty.onAnyCommand().rejects(denied);
    cloudtrail.onAnyCommand().rejects(denied);
    const facts = await collectExposure(clients(), record(), NOW);
    expect(ExposureFacts.parse(facts)).toEqual(facts);
    expect(facts.internetRoute).toBe('unknown');
    expect(facts.imds).toEqual({ httpTokens: 'unknown', hopLimit: null, endpoint: 'unknown' });
    expect(facts.vulnerabilities).toEqual({
      status: 'unavailable',
      detail: 'AccessDeniedException: not authorized',
      findings: [],
    });
    expect(facts.findingHistory.status).toBe('unavailable');
    expect(facts.unknowns.map((u) => u.slice(0, u.indexOf(':')))).toEqual(
      expect.arrayContaining([
        'instance description',
        'open ingress of the original security groups',
        'route to an internet gateway',
        'user data',
        "role session's principal id",
        'CloudTrail history of the instance',
        'Amazon Inspector findings',
        'GuardDuty finding history',
      ]),
    );
  });

  it('marks open ingress and the internet route unknown when isolation recorded no network state', async () => {
    describedInstance();
    const r = record();
    r.preState = { instance: r.preState.instance };
    const facts = await collectExposure(clients(), r, NOW);
    expect(ec2).not.toHaveReceivedCommand(DescribeSecurityGroupsCommand);
    expect(facts.internetRoute).toBe('unknown');
    expect(facts.unknowns[0]).toMatch(
      /^original security groups and subnets: isolation recorded no network state/,
    );
  });
});

describe('Function: openRules', () => {
  it('reports every protocol for -1 without ports, and IPv6 ::/0 beside 0.0.0.0/0', () => {
    expect(
      openRules('sg-1', [
        { IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }], Ipv6Ranges: [{ CidrIpv6: '::/0' }] },
        { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '10.0.0.0/8' }] },
      ]),
    ).toEqual([
      { groupId: 'sg-1', protocol: 'all', fromPort: null, toPort: null, cidr: '0.0.0.0/0' },
      { groupId: 'sg-1', protocol: 'all', fromPort: null, toPort: null, cidr: '::/0' },
    ]);
  });
});
