import * as z from 'zod/mini';

/**
 * The fields of a CloudTrail record the activity investigation reads. Loose objects: CloudTrail adds
 * fields in minor versions ("applications can ignore new fields"), and a record is never rejected for one.
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-user-identity.html
 *
 * @example
 * {
 *   "eventVersion": "1.09", "eventTime": "2026-11-30T01:02:03Z", "eventSource": "s3.amazonaws.com",
 *   "eventName": "GetObject", "awsRegion": "eu-west-1", "sourceIPAddress": "10.0.1.23",
 *   "userAgent": "[aws-cli/2.15.0]", "recipientAccountId": "123456789012",
 *   "userIdentity": { "type": "AssumedRole", "principalId": "AROAEXAMPLEROLEID1234:i-0abc1234def567890",
 *     "arn": "arn:aws:sts::123456789012:assumed-role/web/i-0abc1234def567890",
 *     "accountId": "123456789012", "accessKeyId": "ASIAEXAMPLEKEY000001",
 *     "sessionContext": { "ec2RoleDelivery": "2.0" } },
 *   "requestParameters": { "bucketName": "customer-data", "key": "records/1.csv" },
 *   "additionalEventData": { "bytesTransferredOut": 2048 },
 *   "resources": [{ "type": "AWS::S3::Object", "ARN": "arn:aws:s3:::customer-data/records/1.csv" }]
 * }
 */
export const CloudTrailRecord = z.looseObject({
  eventTime: z.string(),
  eventSource: z.string(),
  eventName: z.string(),
  awsRegion: z.optional(z.string()),
  sourceIPAddress: z.optional(z.string()),
  userAgent: z.optional(z.string()),
  errorCode: z.optional(z.string()),
  errorMessage: z.optional(z.string()),
  eventID: z.optional(z.string()),
  eventCategory: z.optional(z.string()),
  managementEvent: z.optional(z.boolean()),
  readOnly: z.optional(z.boolean()),
  recipientAccountId: z.optional(z.string()),
  userIdentity: z.looseObject({
    type: z.optional(z.string()),
    principalId: z.optional(z.string()),
    arn: z.optional(z.string()),
    accountId: z.optional(z.string()),
    accessKeyId: z.optional(z.string()),
    invokedBy: z.optional(z.string()),
    sessionContext: z.optional(
      z.looseObject({
        // "1.0" when the instance fetched its role credentials with IMDSv1, "2.0" with IMDSv2.
        ec2RoleDelivery: z.optional(z.string()),
        sourceIdentity: z.optional(z.string()),
      }),
    ),
  }),
  requestParameters: z.optional(z.nullable(z.record(z.string(), z.unknown()))),
  responseElements: z.optional(z.nullable(z.record(z.string(), z.unknown()))),
  additionalEventData: z.optional(z.nullable(z.record(z.string(), z.unknown()))),
  resources: z.optional(
    z.array(z.looseObject({ ARN: z.optional(z.string()), type: z.optional(z.string()) })),
  ),
});
export type CloudTrailRecord = z.infer<typeof CloudTrailRecord>;

/** A record as it comes out of JSON.parse, before the schema: only what the fast scan touches. */
export interface RawRecord {
  readonly eventTime?: unknown;
  readonly eventName?: unknown;
  readonly eventCategory?: unknown;
  readonly managementEvent?: unknown;
  readonly errorCode?: unknown;
  readonly userIdentity?: { readonly principalId?: unknown; readonly accessKeyId?: unknown } | null;
  readonly responseElements?: { readonly credentials?: { readonly accessKeyId?: unknown } | null } | null;
}

/** Reads a string field of a request/response element without trusting its type. */
export function str(obj: Record<string, unknown> | null | undefined, key: string): string | undefined {
  const v = obj?.[key];
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** The account an ARN built from request parameters belongs to: the account that received the call. */
export function accountOf(r: CloudTrailRecord): string {
  return r.recipientAccountId ?? r.userIdentity.accountId ?? '';
}
