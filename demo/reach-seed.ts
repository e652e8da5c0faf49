import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateRoleCommand, GetRoleCommand, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { CreateBucketCommand, PutBucketTaggingCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { createVolumeKey } from '../local-aws/volume-key';
import { DEMO_ACCOUNT, DEMO_REGION, type DemoAccount } from './demo-account';
import { seedVpcOnlyBucket } from './reach-scenario';

/** What the web role could reach, for the attacker's trail (demo/attacker-trail.ts) and the summary. */
export interface ReachSeed {
  readonly customerBucket: string;
  /** Readable only through the instance VPC's S3 endpoint. */
  readonly vpcOnlyBucket: string;
  readonly secretArn: string;
  readonly tableArn: string;
  readonly reportsRoleArn: string;
  readonly reportsRoleId: string;
}

const CUSTOMER_BUCKET = 'acme-customer-records';
const TABLE = 'orders';
const REPORTS_ROLE = 'reports-export';

/**
 * The data the compromised web role can read, as the reach step will find it: a customer-data bucket
 * tagged `data-classification=customer`, a database password in Secrets Manager (encrypted with a
 * customer-managed key the role may decrypt with) tagged `pii`, an orders table, and a reporting role
 * the web role may assume (which reads the table). All of it readable before isolation; none after.
 */
export async function seedReach(a: DemoAccount): Promise<ReachSeed> {
  const { iam } = a.clients;
  const s3 = a.evidence.s3;
  const opts = { region: DEMO_REGION, endpoint: a.endpoint, credentials: a.opts.credentials };
  await s3.send(
    new CreateBucketCommand({
      Bucket: CUSTOMER_BUCKET,
      CreateBucketConfiguration: { LocationConstraint: DEMO_REGION },
    }),
  );
  await s3.send(
    new PutBucketTaggingCommand({
      Bucket: CUSTOMER_BUCKET,
      Tagging: { TagSet: [{ Key: 'data-classification', Value: 'customer' }] },
    }),
  );
  await Promise.all(
    [1, 2, 3].map((n) =>
      s3.send(
        new PutObjectCommand({
          Bucket: CUSTOMER_BUCKET,
          Key: `exports/customers-2026-11-0${n}.csv`,
          Body: `id,name,email\n${n},Customer ${n},c${n}@example.com\n`,
        }),
      ),
    ),
  );
  const secretKey = await createVolumeKey(a.opts, 'application secrets');
  const sm = new SecretsManagerClient(opts);
  const secret = await sm.send(
    new CreateSecretCommand({
      Name: 'prod/shop/db-password',
      SecretString: 'not-a-real-password',
      KmsKeyId: secretKey,
      Tags: [{ Key: 'pii', Value: 'credentials' }],
    }),
  );
  sm.destroy();
  const ddb = new DynamoDBClient(opts);
  const table = await ddb.send(
    new CreateTableCommand({
      TableName: TABLE,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'orderId', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'orderId', KeyType: 'HASH' }],
      Tags: [{ Key: 'data-classification', Value: 'customer' }],
    }),
  );
  ddb.destroy();
  const tableArn =
    table.TableDescription?.TableArn ?? `arn:aws:dynamodb:${DEMO_REGION}:${DEMO_ACCOUNT}:table/${TABLE}`;
  const webRoleArn = `arn:aws:iam::${DEMO_ACCOUNT}:role/${a.scenario.roleName}`;
  const reports = await iam.send(
    new CreateRoleCommand({
      RoleName: REPORTS_ROLE,
      AssumeRolePolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { AWS: webRoleArn }, Action: 'sts:AssumeRole' }],
      }),
    }),
  );
  const reportsRoleArn = reports.Role?.Arn ?? '';
  await iam.send(
    new PutRolePolicyCommand({
      RoleName: REPORTS_ROLE,
      PolicyName: 'export-orders',
      PolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: ['dynamodb:Scan', 'dynamodb:Query'], Resource: tableArn }],
      }),
    }),
  );
  // A bucket readable only through the VPC's S3 endpoint: reachable from the instance, never with the
  // stolen credentials from the internet (demo/reach-scenario.ts).
  const vpcOnly = await seedVpcOnlyBucket(opts, a.scenario.vpcId, DEMO_ACCOUNT);
  await iam.send(
    new PutRolePolicyCommand({
      RoleName: a.scenario.roleName,
      PolicyName: 'shop-data',
      PolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Action: ['s3:GetObject', 's3:ListBucket'],
            Resource: [
              `arn:aws:s3:::${CUSTOMER_BUCKET}`,
              `arn:aws:s3:::${CUSTOMER_BUCKET}/*`,
              vpcOnly.bucketArn,
              `${vpcOnly.bucketArn}/*`,
            ],
          },
          { Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: secret.ARN ?? '' },
          { Effect: 'Allow', Action: 'kms:Decrypt', Resource: secretKey },
          { Effect: 'Allow', Action: ['dynamodb:GetItem', 'dynamodb:Query'], Resource: tableArn },
          { Effect: 'Allow', Action: 'sts:AssumeRole', Resource: reportsRoleArn },
        ],
      }),
    }),
  );
  const reportsRole = await iam.send(new GetRoleCommand({ RoleName: REPORTS_ROLE }));
  return {
    customerBucket: CUSTOMER_BUCKET,
    vpcOnlyBucket: vpcOnly.bucket,
    secretArn: secret.ARN ?? '',
    tableArn,
    reportsRoleArn,
    reportsRoleId: reportsRole.Role?.RoleId ?? '',
  };
}
