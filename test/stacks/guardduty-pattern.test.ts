import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import {
  EventBridgeClient,
  PutEventsCommand,
  PutRuleCommand,
  PutTargetsCommand,
} from '@aws-sdk/client-eventbridge';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { LOCAL_CREDENTIALS } from '../../local-aws/moto-server';
import {
  denyLeftToIntake,
  effectiveAllow,
  type FindingFilter,
  guardDutyFindingPattern,
} from '../../stacks/guardduty-pattern';
import { freshMoto, REGION } from '../support/moto';

/**
 * The rule's pattern is evaluated by moto's EventBridge (a rule with an SQS target; moto 5.2.1 has no
 * TestEventPattern) against the intake session's real-format GuardDuty events. Malformed fixtures are
 * intake's concern and are not sent.
 */
const DIR = path.resolve(__dirname, '../fixtures/guardduty');
const expected = JSON.parse(readFileSync(path.join(DIR, 'expected.json'), 'utf8')) as Record<
  string,
  { reason?: string }
>;
const events = readdirSync(DIR)
  .filter((f) => f.endsWith('.json') && f !== 'expected.json' && !f.startsWith('malformed-'))
  .map((file) => ({
    file,
    event: JSON.parse(readFileSync(path.join(DIR, file), 'utf8')) as Record<string, unknown>,
  }));

const DEFAULTS: FindingFilter = { severityFloor: 7, findingTypeAllow: [], findingTypeDeny: [] };

let eb: EventBridgeClient;
let sqs: SQSClient;
let routed: Record<string, string[]>;

const FILTERS: Readonly<Record<string, FindingFilter>> = {
  defaults: DEFAULTS,
  allow: { ...DEFAULTS, findingTypeAllow: ['Backdoor:EC2/'] },
  deny: { ...DEFAULTS, findingTypeDeny: ['CryptoCurrency:'] },
  // One deny prefix covers an allow prefix (expressible), one is narrower than one (left to intake).
  allowDeny: {
    ...DEFAULTS,
    findingTypeAllow: ['Backdoor:EC2/', 'CryptoCurrency:', 'Trojan:EC2/'],
    findingTypeDeny: ['CryptoCurrency:', 'Backdoor:EC2/DenialOfService'],
  },
};

/**
 * One rule (with its own queue) per filter on the default bus, every fixture sent once; returns, per
 * filter, the fixture files its rule let through.
 */
async function routeAll(): Promise<Record<string, string[]>> {
  const queues: Record<string, string> = {};
  for (const [name, filter] of Object.entries(FILTERS)) {
    const queue = await sqs.send(new CreateQueueCommand({ QueueName: name }));
    const attrs = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: queue.QueueUrl, AttributeNames: ['QueueArn'] }),
    );
    await eb.send(
      new PutRuleCommand({ Name: name, EventPattern: JSON.stringify(guardDutyFindingPattern(filter)) }),
    );
    await eb.send(
      new PutTargetsCommand({ Rule: name, Targets: [{ Id: 'q', Arn: attrs.Attributes?.QueueArn }] }),
    );
    queues[name] = String(queue.QueueUrl);
  }
  for (let i = 0; i < events.length; i += 10) {
    await eb.send(
      new PutEventsCommand({
        Entries: events.slice(i, i + 10).map(({ file, event }) => ({
          Source: String(event.source),
          DetailType: String(event['detail-type']),
          // Fixtures of one finding (archived, republished) share its id: the marker tells them apart.
          Resources: [...(event.resources as string[]), `urn:fixture:${file}`],
          Detail: JSON.stringify(event.detail),
        })),
      }),
    );
  }
  const out: Record<string, string[]> = {};
  for (const [name, url] of Object.entries(queues)) {
    const files: string[] = [];
    for (;;) {
      const r = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: url,
          MaxNumberOfMessages: 10,
          WaitTimeSeconds: 0,
          VisibilityTimeout: 300,
        }),
      );
      if ((r.Messages ?? []).length === 0) break;
      for (const m of r.Messages ?? []) {
        const body = JSON.parse(m.Body ?? '{}') as { resources: string[] };
        files.push(
          String(body.resources.find((x) => x.startsWith('urn:fixture:'))).slice('urn:fixture:'.length),
        );
      }
    }
    out[name] = files.sort();
  }
  return out;
}

const filesWhere = (pred: (file: string, reason: string | undefined) => boolean) =>
  events
    .map(({ file }) => file)
    .filter((f) => pred(f, expected[f]?.reason))
    .sort();

describe('Function: guardDutyFindingPattern (evaluated by EventBridge in moto)', () => {
  beforeAll(async () => {
    const { endpoint } = await freshMoto();
    const opts = { region: REGION, endpoint, credentials: LOCAL_CREDENTIALS };
    eb = new EventBridgeClient(opts);
    sqs = new SQSClient(opts);
    routed = await routeAll();
  });

  it('routes EC2 instance findings at or above the floor and drops archived, non-instance and low ones', async () => {
    const through = routed.defaults ?? [];
    // Exempt tags and sample markers are decided by intake, which sees the instance; the rule cannot.
    expect(through).toEqual(
      filesWhere((_, reason) => ['qualifies', 'exempt', 'sample'].includes(reason ?? '')),
    );
    expect(through).not.toContain('ec2-archived-finding.json');
    expect(through).not.toContain('s3-exfiltration-anomalous-behavior.json');
    expect(through).not.toContain('ec2-recon-portprobe-unprotected-port.json');
  });

  it('routes only allowed finding types when an allow list is configured', async () => {
    const through = routed.allow ?? [];
    const types = through.map(
      (f) => (events.find((e) => e.file === f)?.event.detail as { type: string } | undefined)?.type ?? '',
    );
    expect(types.length).toBeGreaterThan(0);
    for (const t of types) expect(t.startsWith('Backdoor:EC2/')).toBe(true);
  });

  it('drops the allow prefixes a deny prefix covers when both lists are configured', async () => {
    const through = routed.allowDeny ?? [];
    const f = FILTERS.allowDeny as FindingFilter;
    const typeOf = (file: string) =>
      (events.find((e) => e.file === file)?.event.detail as { type: string } | undefined)?.type ?? '';
    const types = through.map(typeOf);
    expect(types.filter((t) => t.startsWith('CryptoCurrency:'))).toEqual([]);
    expect(types.some((t) => t.startsWith('Backdoor:EC2/C&CActivity'))).toBe(true);
    // Intake's decision on type (lambdas/core/intake/decide.ts): the rule never drops what it would take.
    const intakeTakes = (routed.defaults ?? []).filter((file) => {
      const t = typeOf(file);
      return (
        f.findingTypeAllow.some((p) => t.startsWith(p)) && !f.findingTypeDeny.some((p) => t.startsWith(p))
      );
    });
    expect(intakeTakes.length).toBeGreaterThan(0);
    expect(through).toEqual(expect.arrayContaining(intakeTakes));
    // The narrower deny cannot be ANDed with its allow prefix on one field: intake drops those findings.
    expect(types).toContain('Backdoor:EC2/DenialOfService.Tcp');
    expect(through.filter((file) => !intakeTakes.includes(file)).map(typeOf)).toEqual([
      'Backdoor:EC2/DenialOfService.Tcp',
    ]);
  });

  it('drops denied finding types when only a deny list is configured', async () => {
    const through = routed.deny ?? [];
    const all = routed.defaults ?? [];
    const denied = all.filter((f) =>
      (
        (events.find((e) => e.file === f)?.event.detail as { type: string } | undefined)?.type ?? ''
      ).startsWith('CryptoCurrency:'),
    );
    expect(denied.length).toBeGreaterThan(0);
    expect(through).toEqual(all.filter((f) => !denied.includes(f)));
  });
});

describe('Function: effectiveAllow / denyLeftToIntake', () => {
  const f = (findingTypeAllow: string[], findingTypeDeny: string[]): FindingFilter => ({
    severityFloor: 7,
    findingTypeAllow,
    findingTypeDeny,
  });

  it('keeps allow prefixes no deny prefix covers and names the denies only intake can apply', () => {
    const filter = f(
      ['Backdoor:EC2/', 'CryptoCurrency:EC2/', 'Trojan:'],
      ['CryptoCurrency:', 'Backdoor:EC2/DenialOfService', 'Recon:'],
    );
    expect(effectiveAllow(filter)).toEqual(['Backdoor:EC2/', 'Trojan:']);
    expect(denyLeftToIntake(filter)).toEqual(['Backdoor:EC2/DenialOfService']);
    expect(guardDutyFindingPattern(filter)).toMatchObject({
      detail: { type: [{ prefix: 'Backdoor:EC2/' }, { prefix: 'Trojan:' }] },
    });
  });

  it('leaves nothing to intake with only a deny list', () => {
    expect(denyLeftToIntake(f([], ['CryptoCurrency:']))).toEqual([]);
  });

  it('refuses a filter whose deny list covers its whole allow list (the rule would match nothing)', () => {
    expect(() => guardDutyFindingPattern(f(['CryptoCurrency:EC2/'], ['CryptoCurrency:']))).toThrow(
      /denies every finding type/,
    );
  });
});
