import type * as z from 'zod/mini';
import type { ReachSnapshotSet } from '../../../../lambdas/core/investigation/reach/snapshot-set';
import type { PolicyStatementSchema } from '../../../../policies/evaluation/snapshot';
import { quarantinedInstancesPolicy } from '../../../../policies/quarantined-instances';

export type StatementLike = z.infer<typeof PolicyStatementSchema>;

/** A web server's session in account 111122223333 (AWS's documentation account ids) and its data stores. */
export const ACCOUNT = '111122223333';
export const OTHER = '444455556666';
export const REGION = 'eu-west-1';
export const INSTANCE_ID = 'i-0aaa1111aaaa1111a';
export const INSTANCE_ARN = `arn:aws:ec2:${REGION}:${ACCOUNT}:instance/${INSTANCE_ID}`;
export const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/web-role`;
export const SESSION_ARN = `arn:aws:sts::${ACCOUNT}:assumed-role/web-role/${INSTANCE_ID}`;
export const BUCKET = 'arn:aws:s3:::customer-data';
export const SECRET = `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:db-AbCdEf`;
export const TABLE = `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/orders`;
export const KEY = `arn:aws:kms:${REGION}:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;

export const doc = (...Statement: StatementLike[]) => ({ Version: '2012-10-17', Statement });
export const allow = (
  Action: string | string[],
  Resource: string | string[] = '*',
  extra: Partial<StatementLike> = {},
) => ({ Effect: 'Allow', Action, Resource, ...extra }) as StatementLike;
export const deny = (
  Action: string | string[],
  Resource: string | string[] = '*',
  extra: Partial<StatementLike> = {},
) => ({ Effect: 'Deny', Action, Resource, ...extra }) as StatementLike;

/** The key policy AWS creates by default: the account root may use the key, so IAM policies count. */
export const delegatingKeyPolicy = doc(
  allow('kms:*', '*', { Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` } }),
);

type Parts = Partial<Omit<ReachSnapshotSet, 'instance'>> & {
  identity?: StatementLike[];
  instance?: Partial<ReachSnapshotSet['instance']>;
};

/** A snapshot set of the web role's session with the given policies and stores. */
export function snapshotSet(parts: Parts): ReachSnapshotSet {
  const { identity = [], instance = {}, ...rest } = parts;
  return {
    version: 1,
    target: {
      instanceArn: INSTANCE_ARN,
      region: REGION,
      vpcId: 'vpc-0abc',
      privateIp: '10.0.1.17',
      vpcEndpoints: [],
      vpcEndpointsKnown: true,
    },
    instance: {
      version: 1,
      principal: { arn: SESSION_ARN, accountId: ACCOUNT, roleArn: ROLE_ARN, tags: {} },
      identityPolicies: [{ name: 'inline:app', document: doc(...identity) }],
      permissionsBoundary: null,
      sessionPolicies: [],
      scps: [],
      rcps: {},
      resources: [],
      vpcEndpoints: [],
      requests: [],
      ...instance,
    },
    roles: [],
    isolationDeny: [
      {
        name: `inline:sequester-deny-${INSTANCE_ID}`,
        document: quarantinedInstancesPolicy([INSTANCE_ARN]) as never,
      },
    ],
    stores: [],
    unknown: [],
    ...rest,
  };
}

export const s3Store = (arn = BUCKET, extra: Partial<ReachSnapshotSet['stores'][number]> = {}) => ({
  arn,
  type: 's3' as const,
  region: REGION,
  accountId: ACCOUNT,
  kmsKeyArn: null,
  tags: {},
  ...extra,
});
