import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EBSClient } from '@aws-sdk/client-ebs';
import { EC2Client, type EC2ClientConfig } from '@aws-sdk/client-ec2';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { IAMClient } from '@aws-sdk/client-iam';
import { S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';

/** The AWS clients the isolation engine uses. Core functions take these; they never build their own. */
export interface IsolationClients {
  readonly ec2: EC2Client;
  readonly iam: IAMClient;
  readonly autoscaling: AutoScalingClient;
  readonly elbv2: ElasticLoadBalancingV2Client;
}

/** The ledger lives in the responder's own account, so it has its own client. */
export interface LedgerClients {
  readonly ddb: DynamoDBDocumentClient;
  readonly tableName: string;
}

export interface ClientOptions {
  readonly region: string;
  /** A local emulator (moto) or a VPC endpoint; undefined means the real AWS endpoints. */
  readonly endpoint?: string;
  readonly credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  /** SDK retry attempts, including the first. Throttling is retried with the SDK's backoff. */
  readonly maxAttempts?: number;
  /** A replacement HTTP layer (tests and benchmarks inject latency and faults with it). */
  readonly requestHandler?: EC2ClientConfig['requestHandler'];
}

/**
 * Adaptive retry mode backs off on throttling across calls of one client, so a burst of quarantines
 * slows down instead of amplifying EC2's request-rate limits.
 * https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html
 */
function common(o: ClientOptions) {
  return {
    region: o.region,
    ...(o.endpoint === undefined ? {} : { endpoint: o.endpoint }),
    ...(o.credentials === undefined ? {} : { credentials: o.credentials }),
    ...(o.requestHandler === undefined ? {} : { requestHandler: o.requestHandler }),
    maxAttempts: o.maxAttempts ?? 8,
    retryMode: 'adaptive',
  } as const;
}

export function createIsolationClients(o: ClientOptions): IsolationClients {
  const c = common(o);
  return {
    ec2: new EC2Client(c),
    iam: new IAMClient(c),
    autoscaling: new AutoScalingClient(c),
    elbv2: new ElasticLoadBalancingV2Client(c),
  };
}

export function createLedgerClients(o: ClientOptions, tableName: string): LedgerClients {
  const ddb = DynamoDBDocumentClient.from(new DynamoDBClient(common(o)), {
    marshallOptions: { removeUndefinedValues: true },
  });
  return { ddb, tableName };
}

/** The clients the evidence pipeline uses: EC2 (snapshots), EBS direct APIs (blocks), S3 (vault). */
export interface EvidenceClients {
  readonly ec2: EC2Client;
  readonly ebs: EBSClient;
  readonly s3: S3Client;
}

/**
 * S3 uses path-style addressing when an endpoint is given: local emulators serve one host, not
 * `<bucket>.<host>` names. On real AWS (no endpoint) virtual-hosted style stays the default.
 */
export function createEvidenceClients(o: ClientOptions): EvidenceClients {
  const c = common(o);
  return {
    ec2: new EC2Client(c),
    ebs: new EBSClient(c),
    s3: new S3Client({ ...c, forcePathStyle: o.endpoint !== undefined }),
  };
}
