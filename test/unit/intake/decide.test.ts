import { InvalidInputError } from '../../../lambdas/core/errors';
import { decideFinding, decideIntake, requestFromDecision } from '../../../lambdas/core/intake/decide';
import { parseFindingEvent } from '../../../lambdas/core/intake/guardduty-event';
import { defaultIntakeConfig, parseIntakeConfig } from '../../../lambdas/core/intake/intake-config';
import { parseQuarantineRequest } from '../../../lambdas/core/schemas/quarantine-request';
import { EXPECTED, finding, fixtureFiles, setPath } from './fixtures';

const decisions = Object.entries(EXPECTED).filter(
  (e): e is [string, Exclude<(typeof e)[1], { error: string }>] => !('error' in e[1]),
);
const malformed = Object.entries(EXPECTED).filter((e): e is [string, { error: string }] => 'error' in e[1]);

describe('Function: decideIntake', () => {
  it('has an expected outcome for every fixture file', () => {
    expect(fixtureFiles().sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  it.each(decisions)('decides %s with the default config', (file, want) => {
    // Act
    const d = decideIntake(finding(file));
    // Assess
    expect({ action: d.action, reason: d.reason }).toEqual({ action: want.action, reason: want.reason });
    if (want.instance !== undefined) expect(d.instance).toEqual(want.instance);
  });

  it.each(malformed)('rejects %s naming the bad field', (file, want) => {
    expect(() => decideIntake(finding(file))).toThrow(
      expect.objectContaining({ name: 'InvalidInputError', field: want.error }),
    );
  });

  it('returns the shape the CLI prints', () => {
    const d = decideIntake(finding('ec2-backdoor-c2-activity-dns.json'));
    expect(d).toMatchObject({
      action: 'quarantine',
      reason: 'qualifies',
      instance: { accountId: '123456789012', region: 'eu-west-1', instanceId: 'i-0abc1234def567890' },
      findingId: expect.stringMatching(/^[0-9a-f]{32}$/),
      type: 'Backdoor:EC2/C&CActivity.B!DNS',
      severity: 8,
    });
  });

  it('gives no instance id for a finding whose resource is not an instance', () => {
    expect(decideIntake(finding('s3-exfiltration-anomalous-behavior.json')).instance.instanceId).toBeNull();
  });

  it('names a bad config key with a config. prefix', () => {
    const run = () => decideIntake(finding('ec2-backdoor-c2-activity-dns.json'), { severityFloor: 'high' });
    expect(run).toThrow(expect.objectContaining({ field: 'config.severityFloor' }));
  });

  it('refuses an unknown config key by name rather than ignoring a typo', () => {
    const run = () => decideIntake(finding('ec2-backdoor-c2-activity-dns.json'), { severityfloor: 2 });
    expect(run).toThrow(expect.objectContaining({ field: 'config.severityfloor' }));
  });
});

describe('Function: decideFinding with configuration', () => {
  const c2 = () => parseFindingEvent(finding('ec2-backdoor-c2-activity-dns.json')).detail;

  it('acts on a medium finding when the floor is lowered', () => {
    const f = parseFindingEvent(finding('ec2-trojan-blackhole-traffic.json')).detail;
    expect(decideFinding(f, parseIntakeConfig({ severityFloor: 4 })).action).toBe('quarantine');
  });

  it('acts on a finding exactly at the floor', () => {
    const f = c2();
    f.severity = 7;
    expect(decideFinding(f, defaultIntakeConfig()).action).toBe('quarantine');
  });

  it('ignores a type outside the allow list', () => {
    const cfg = parseIntakeConfig({ allowTypePrefixes: ['CryptoCurrency:EC2/', 'Trojan:EC2/'] });
    expect(decideFinding(c2(), cfg).reason).toBe('type-not-allowed');
  });

  it('acts on a type inside the allow list', () => {
    const cfg = parseIntakeConfig({ allowTypePrefixes: ['Backdoor:EC2/'] });
    expect(decideFinding(c2(), cfg).action).toBe('quarantine');
  });

  it('lets the deny list win over the allow list', () => {
    const cfg = parseIntakeConfig({
      allowTypePrefixes: ['Backdoor:'],
      denyTypePrefixes: ['Backdoor:EC2/C&C'],
    });
    expect(decideFinding(c2(), cfg).reason).toBe('type-denied');
  });

  it('ignores an account that is not configured', () => {
    const cfg = parseIntakeConfig({ accounts: ['210987654321'] });
    expect(decideFinding(c2(), cfg).reason).toBe('account-not-configured');
  });

  it('acts on a configured member account', () => {
    const f = parseFindingEvent(finding('ec2-member-account-backdoor-c2.json')).detail;
    expect(decideFinding(f, parseIntakeConfig({ accounts: ['210987654321'] })).action).toBe('quarantine');
  });

  it('ignores a region that is not configured', () => {
    const cfg = parseIntakeConfig({ regions: ['us-east-1'] });
    expect(decideFinding(c2(), cfg).reason).toBe('region-not-configured');
  });

  it('acts on sample findings when drills are on', () => {
    const f = parseFindingEvent(finding('ec2-sample-finding.json')).detail;
    expect(decideFinding(f, parseIntakeConfig({ drills: true })).action).toBe('quarantine');
  });

  it('honours a custom exemption tag key', () => {
    const f = c2();
    f.resource.instanceDetails?.tags?.push({ key: 'ir:skip', value: 'yes' });
    expect(decideFinding(f, parseIntakeConfig({ exemptionTagKey: 'ir:skip' })).reason).toBe('exempt');
  });

  it('treats an exemption tag set to "false" as not exempt', () => {
    const f = c2();
    f.resource.instanceDetails?.tags?.push({ key: 'sequester:exempt', value: 'False' });
    expect(decideFinding(f, defaultIntakeConfig()).action).toBe('quarantine');
  });

  it('ignores an archived finding even above the floor', () => {
    const f = c2();
    f.service.archived = true;
    expect(decideFinding(f, defaultIntakeConfig()).reason).toBe('archived');
  });
});

describe('Function: requestFromDecision', () => {
  it('carries the member account and region of the finding into the quarantine request', () => {
    // Prepare
    const d = decideIntake(finding('ec2-member-account-backdoor-c2.json'));
    // Act
    const req = parseQuarantineRequest(requestFromDecision(d, defaultIntakeConfig()));
    // Assess
    expect(req.instance).toEqual({
      instanceId: 'i-0123456789abcdef0',
      region: 'us-east-2',
      accountId: '210987654321',
    });
    expect(req.trigger).toEqual({ kind: 'guardduty', findingId: d.findingId, findingType: d.type });
    expect(req.incidentId).toBe(`GD-${d.findingId}`);
  });

  it('quarantines the instance a credential-exfiltration finding names by its role session, in the finding region', () => {
    // Prepare
    const d = decideIntake(finding('iam-access-key-instance-credential-exfiltration-inside-aws.json'));
    // Act
    const req = parseQuarantineRequest(requestFromDecision(d, defaultIntakeConfig()));
    // Assess
    expect(req.instance).toEqual({
      instanceId: 'i-0123456789abcdef0',
      region: 'us-east-1',
      accountId: '123456789012',
    });
    expect(req.trigger).toMatchObject({
      findingType: 'UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.InsideAWS',
    });
  });

  it('ignores other AccessKey findings even when the session is named after an instance', () => {
    // Prepare
    const f = setPath(
      finding('iam-access-key-instance-credential-exfiltration.json'),
      'detail.type',
      'Discovery:IAMUser/AnomalousBehavior',
    );
    // Act
    const d = decideIntake(f);
    // Assess
    expect({ action: d.action, reason: d.reason }).toEqual({ action: 'ignore', reason: 'not-an-instance' });
  });

  it('applies the configured quarantine options', () => {
    const cfg = parseIntakeConfig({ stopInstance: true, forensicCidrs: ['10.9.0.0/24'] });
    const d = decideIntake(finding('ec2-backdoor-c2-activity-dns.json'));
    const req = parseQuarantineRequest(requestFromDecision(d, cfg));
    expect(req.options).toMatchObject({ stopInstance: true, forensicCidrs: ['10.9.0.0/24'] });
  });

  it('refuses to build a request for an ignored finding', () => {
    const d = decideIntake(finding('ec2-archived-finding.json'));
    expect(() => requestFromDecision(d, defaultIntakeConfig())).toThrow(/not decided for quarantine/);
  });
});

describe('Hostile Runtime Monitoring fields', () => {
  const d = () => decideIntake(finding('ec2-runtime-reverse-shell-hostile-process.json'));

  it('reports process details as printable ASCII only', () => {
    for (const v of Object.values(d().runtime ?? {})) expect(v).toMatch(/^[\x20-\x7e]*$/);
    expect(d().runtime?.name).toContain('\\u{a}');
    expect(d().runtime?.name).toContain('\\u{1b}');
    expect(d().runtime?.executablePath).toContain('\\u{202e}');
  });

  it('keeps them out of the explanation and the quarantine reason', () => {
    const req = parseQuarantineRequest(requestFromDecision(d(), defaultIntakeConfig()));
    for (const text of [d().explanation, req.reason]) {
      expect(text).not.toMatch(/bash|shm|quarantine released/);
      expect(text).toMatch(/^[\x20-\x7e]*$/);
    }
  });
});

describe('Schema: GuardDutyFindingEvent', () => {
  it('normalises launchTime given as epoch milliseconds to ISO 8601', () => {
    const e = parseFindingEvent(finding('ec2-cryptocurrency-bitcointool-b.json'));
    expect(e.detail.resource.instanceDetails?.launchTime).toBe('2025-11-20T08:01:17.000Z');
  });

  it('keeps launchTime given as an ISO string', () => {
    const e = parseFindingEvent(finding('ec2-backdoor-c2-activity-dns.json'));
    expect(e.detail.resource.instanceDetails?.launchTime).toBe('2026-11-20T08:01:17.000Z');
  });

  it('rejects a launchTime beyond what a date can hold instead of crashing', () => {
    // Found by the fast-check property: new Date(8.64e15 + 1).toISOString() throws a RangeError.
    const e = setPath(
      finding('ec2-backdoor-c2-activity-dns.json'),
      'detail.resource.instanceDetails.launchTime',
      8.64e15 + 1,
    );
    expect(() => parseFindingEvent(e)).toThrow(
      expect.objectContaining({
        name: 'InvalidInputError',
        field: 'detail.resource.instanceDetails.launchTime',
      }),
    );
  });

  it('tolerates fields GuardDuty adds later', () => {
    const e = finding('ec2-backdoor-c2-activity-dns.json');
    setPath(e, 'detail.newTopLevelThing', { nested: [1, 2] });
    setPath(e, 'detail.service.someNewFeature', 'x');
    expect(decideIntake(e).action).toBe('quarantine');
  });

  it('requires an instance id when the resource is an instance', () => {
    const e = setPath(
      finding('ec2-backdoor-c2-activity-dns.json'),
      'detail.resource.instanceDetails',
      undefined,
    );
    expect(() => parseFindingEvent(e)).toThrow(InvalidInputError);
  });
});
