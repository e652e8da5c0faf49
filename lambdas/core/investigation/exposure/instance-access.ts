import { type CloudTrailClient, type Event, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import type { ExposureFacts } from './exposure-facts';

type Access = ExposureFacts['instanceAccess'][number];
type UserDataChange = ExposureFacts['userData']['changes'][number];

/**
 * Calls that reach into or change an instance: launch and start, attribute and metadata-option changes
 * (user data, instance profile), pushed SSH keys (EC2 Instance Connect, serial console), Session Manager
 * sessions, and tunnels through an EC2 Instance Connect Endpoint.
 * https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/log-ec2-instance-connect-endpoint-using-cloudtrail.html
 */
export const ACCESS_EVENTS: ReadonlySet<string> = new Set([
  'RunInstances',
  'StartInstances',
  'ModifyInstanceAttribute',
  'ModifyInstanceMetadataOptions',
  'AssociateIamInstanceProfile',
  'ReplaceIamInstanceProfileAssociation',
  'SendSSHPublicKey',
  'SendSerialConsoleSSHPublicKey',
  'StartSession',
  'OpenTunnel',
]);

/** LookupEvents reaches 90 days back; 50 events a page. */
const MAX_DAYS = 90;
const MAX_PAGES = 20;

interface Parsed {
  readonly userIdentity?: { readonly arn?: string; readonly principalId?: string; readonly type?: string };
  readonly sourceIPAddress?: string;
  readonly requestParameters?: Record<string, unknown> | null;
}

const parse = (e: Event): Parsed => {
  try {
    const v: unknown = JSON.parse(e.CloudTrailEvent ?? '{}');
    return typeof v === 'object' && v !== null ? (v as Parsed) : {};
  } catch {
    return {};
  }
};

/**
 * A ModifyInstanceAttribute call changes user data when its request names the attribute (`attribute`
 * userData, or a `userData` block). The value itself is not logged.
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ModifyInstanceAttribute.html
 */
const changesUserData = (p: Parsed) => {
  const r = p.requestParameters ?? {};
  return r.attribute === 'userData' || 'userData' in r;
};

/**
 * Who launched, changed or connected to the instance, from CloudTrail's event history (management events
 * of the instance's Region whose record names the instance among its resources: LookupEvents by
 * ResourceName). An access that CloudTrail records without naming the instance as a resource is not
 * found this way. https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_LookupEvents.html
 */
export async function instanceHistory(
  cloudtrail: CloudTrailClient,
  instanceId: string,
  launchTime: string | undefined,
  now: Date,
): Promise<{ access: Access[]; userDataChanges: UserDataChange[]; truncated: boolean }> {
  const floor = now.getTime() - MAX_DAYS * 86_400_000;
  const launched = launchTime === undefined ? Number.NaN : Date.parse(launchTime) - 3_600_000;
  const StartTime = new Date(Number.isNaN(launched) ? floor : Math.max(floor, launched));
  const access: Access[] = [];
  const userDataChanges: UserDataChange[] = [];
  let NextToken: string | undefined;
  for (let page = 0; page < MAX_PAGES; page += 1) {
    const res = await cloudtrail.send(
      new LookupEventsCommand({
        LookupAttributes: [{ AttributeKey: 'ResourceName', AttributeValue: instanceId }],
        StartTime,
        EndTime: now,
        ...(NextToken === undefined ? {} : { NextToken }),
      }),
    );
    for (const e of res.Events ?? []) {
      const name = e.EventName ?? '';
      if (!ACCESS_EVENTS.has(name)) continue;
      const p = parse(e);
      const entry = {
        eventTime: e.EventTime?.toISOString() ?? '',
        actor: p.userIdentity?.arn ?? p.userIdentity?.principalId ?? e.Username ?? 'unknown',
        sourceIPAddress: p.sourceIPAddress ?? '',
      };
      access.push({ ...entry, eventName: name });
      if (name === 'ModifyInstanceAttribute' && changesUserData(p)) userDataChanges.push(entry);
    }
    NextToken = res.NextToken;
    if (NextToken === undefined) break;
  }
  const byTime = (a: { eventTime: string }, b: { eventTime: string }) =>
    a.eventTime.localeCompare(b.eventTime);
  return {
    access: access.sort(byTime),
    userDataChanges: userDataChanges.sort(byTime),
    truncated: NextToken !== undefined,
  };
}
