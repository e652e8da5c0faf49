import * as z from 'zod/mini';
import { AccountId, InstanceId, Region } from '../schemas/ids';
import { invalidInputFrom } from './zod-field';

/**
 * GuardDuty puts `launchTime` (and other times) as epoch milliseconds in some findings and as ISO
 * strings in others; both are accepted and normalised to ISO 8601.
 */
const Timestamp = z.pipe(
  z.union([
    // The largest time a Date can hold: beyond it toISOString() throws instead of failing validation.
    z.int().check(z.gte(0), z.lte(8.64e15, 'must be a time in epoch milliseconds')),
    z.string().check(z.maxLength(64)),
  ]),
  z.transform((v: number | string) => (typeof v === 'number' ? new Date(v).toISOString() : v)),
);

/** Finding types look like `Backdoor:EC2/C&CActivity.B!DNS` or `Execution:Runtime/NewBinaryExecuted`. */
export const FindingType = z
  .string()
  .check(z.regex(/^[A-Za-z0-9][A-Za-z0-9:/._!&+-]{0,255}$/, 'must be a GuardDuty finding type'));

/** GuardDuty finding ids are 32 hex characters; the Trigger schema of a request accepts 1-128 alphanumerics. */
export const FindingId = z.string().check(z.regex(/^[A-Za-z0-9]{1,128}$/, 'must be a GuardDuty finding id'));

const InstanceDetails = z.looseObject({
  instanceId: z.nullish(z.string().check(z.maxLength(64))),
  launchTime: z.nullish(Timestamp),
  tags: z.nullish(
    z
      .array(
        z.looseObject({
          key: z.string().check(z.maxLength(256)),
          value: z.nullish(z.string().check(z.maxLength(512))),
        }),
      )
      .check(z.maxLength(100)),
  ),
});

/**
 * The `detail` of a GuardDuty finding event. Loose objects everywhere, because GuardDuty adds fields
 * over time; strict about the fields the decision uses (id, type, severity, accountId, region,
 * resource.resourceType, resource.instanceDetails.instanceId, service.archived, service.count).
 * https://docs.aws.amazon.com/eventbridge/latest/ref/events-ref-guardduty.html
 */
export const GuardDutyFinding = z
  .looseObject({
    id: FindingId,
    type: FindingType,
    severity: z.number().check(z.gte(0), z.lte(10)),
    accountId: AccountId,
    region: Region,
    resource: z.looseObject({
      resourceType: z.string().check(z.regex(/^[A-Za-z0-9]{1,64}$/, 'must be a GuardDuty resource type')),
      instanceDetails: z.nullish(InstanceDetails),
      /** AccessKey findings: the key and the principal that used it (`<role id>:<session name>`). */
      accessKeyDetails: z.nullish(
        z.looseObject({
          accessKeyId: z.nullish(z.string().check(z.maxLength(128))),
          principalId: z.nullish(z.string().check(z.maxLength(256))),
          userType: z.nullish(z.string().check(z.maxLength(64))),
        }),
      ),
    }),
    service: z.looseObject({
      archived: z.boolean(),
      count: z.int().check(z.gte(1)),
      /** `{ "sample": true }` in older findings, `{ "value": "{\"sample\":true}", "type": "default" }` in newer. */
      additionalInfo: z.optional(z.unknown()),
      /** Runtime Monitoring: process and file details. Attacker-controlled, never trusted. */
      runtimeDetails: z.optional(z.unknown()),
    }),
  })
  .check(
    z.superRefine((d, ctx) => {
      // Decide on the resource type, not on `:EC2/` in the type: Runtime Monitoring and attack
      // sequence findings name instances too. An Instance finding must name a valid instance.
      if (d.resource.resourceType !== 'Instance') return;
      const id = InstanceId.safeParse(d.resource.instanceDetails?.instanceId);
      if (!id.success) {
        ctx.addIssue({
          code: 'custom',
          path: ['resource', 'instanceDetails', 'instanceId'],
          message: 'must be an EC2 instance id (i-...) when resourceType is Instance',
        });
      }
    }),
  );
export type GuardDutyFinding = z.infer<typeof GuardDutyFinding>;

/**
 * A GuardDuty finding as EventBridge delivers it.
 *
 * @example
 * {
 *   "version": "0", "id": "7bf73129-1428-4cd3-a780-95db273d1602", "detail-type": "GuardDuty Finding",
 *   "source": "aws.guardduty", "account": "123456789012", "time": "2026-11-25T10:15:01Z",
 *   "region": "eu-west-1", "resources": [],
 *   "detail": {
 *     "schemaVersion": "2.0", "accountId": "123456789012", "region": "eu-west-1",
 *     "id": "a2c1f1e0b6d84b1b9f3f5c7e2d4a6b8c", "type": "Backdoor:EC2/C&CActivity.B!DNS", "severity": 8,
 *     "resource": { "resourceType": "Instance", "instanceDetails": { "instanceId": "i-0abc1234def567890" } },
 *     "service": { "serviceName": "guardduty", "archived": false, "count": 1 }
 *   }
 * }
 */
export const GuardDutyFindingEvent = z.looseObject({
  'detail-type': z.literal('GuardDuty Finding'),
  source: z.literal('aws.guardduty'),
  detail: GuardDutyFinding,
});
export type GuardDutyFindingEvent = z.infer<typeof GuardDutyFindingEvent>;

/** Parses an EventBridge event; throws InvalidInputError naming the first bad field (`detail.severity`). */
export function parseFindingEvent(input: unknown): GuardDutyFindingEvent {
  const r = GuardDutyFindingEvent.safeParse(input);
  if (!r.success) throw invalidInputFrom(r.error.issues);
  return r.data;
}

/** Sample findings (CreateSampleFindings, the console's "Generate sample findings") carry a sample flag. */
export function isSampleFinding(f: GuardDutyFinding): boolean {
  const info = f.service.additionalInfo;
  if (typeof info !== 'object' || info === null) return false;
  if ('sample' in info && info.sample === true) return true;
  if (!('value' in info) || typeof info.value !== 'string') return false;
  try {
    const inner: unknown = JSON.parse(info.value);
    return typeof inner === 'object' && inner !== null && 'sample' in inner && inner.sample === true;
  } catch {
    return false;
  }
}
