import type { Call } from '../wire';

/** A condition-key value as the evaluator takes it (a list is a multivalued key). */
export type ContextValue = string | string[] | boolean | number;

/** One authorization AWS makes for a request: an action on a resource, with the request's context keys. */
export interface Check {
  readonly action: string;
  readonly resource: string;
  readonly context?: Readonly<Record<string, ContextValue>>;
}

/**
 * What the enforcer can find out about resources a request names, asked of the emulator with the
 * administrator's credentials (AWS knows these facts itself when it authorizes).
 */
export interface Facts {
  readonly partition: string;
  /** The caller's account: resources a request names by id live there. */
  readonly account: string;
  /** Tags of an EC2 resource by id (instance, security group, snapshot, volume, ENI...). */
  ec2Tags(id: string): Promise<Readonly<Record<string, string>>>;
  /** An EBS snapshot's tags and, when it is encrypted, the ARN of its KMS key. */
  snapshot(id: string): Promise<{ tags: Readonly<Record<string, string>>; kmsKeyArn?: string } | undefined>;
  /** The KMS key ARN of a bucket's default SSE-KMS encryption (undefined: none or SSE-S3). */
  bucketKey(bucket: string): Promise<string | undefined>;
  /** Role ARNs of an instance profile (by ARN or name). */
  profileRoles(profile: string): Promise<ReadonlyArray<string>>;
}

/** The authorization of one SDK operation: data for the table in operations/. */
export interface OperationAuth {
  /** IAM actions every call of the operation needs (the static least-privilege test reads these). */
  readonly actions: ReadonlyArray<string>;
  /**
   * Actions only some calls need (a VersionId, Object Lock headers, SSE-KMS, a missing key's 404): a
   * role may be granted them although the static walk cannot prove the call.
   */
  readonly conditional?: ReadonlyArray<string>;
  /** The Service Authorization Reference page, and the API's "Permissions" section where it has one. */
  readonly doc: string;
  /** The checks of one request. Empty: the operation needs no permission. */
  readonly checks: (call: Call, f: Facts) => Promise<ReadonlyArray<Check>>;
}

/** `service:Operation` (IAM service prefix and API operation name) -> its authorization. */
export type OperationTable = Readonly<Record<string, OperationAuth>>;

/** `Name.1`, `Name.2`... of a query-protocol request (EC2 lists, ELBv2 `Member.N` lists). */
export const listParam = (form: URLSearchParams, prefix: string): string[] => {
  const out: string[] = [];
  for (let i = 1; form.has(`${prefix}.${i}`); i += 1) out.push(form.get(`${prefix}.${i}`) ?? '');
  return out;
};

/** The one resource-less check of an action without resource-level permissions. */
export const anyResource =
  (action: string): OperationAuth['checks'] =>
  async () => [{ action, resource: '*' }];

/** Prefixes an entry map with its IAM service prefix. */
export const forService = (
  service: string,
  entries: Readonly<Record<string, OperationAuth>>,
): OperationTable => Object.fromEntries(Object.entries(entries).map(([op, a]) => [`${service}:${op}`, a]));

/** An `aws:ResourceTag/<key>` context for a resource's tags. */
export const resourceTags = (tags: Readonly<Record<string, string>>): Record<string, string> =>
  Object.fromEntries(Object.entries(tags).map(([k, v]) => [`aws:ResourceTag/${k}`, v]));
