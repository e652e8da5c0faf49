import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

/** The IAM service prefix of each SDK package the code imports. */
const SERVICE: Readonly<Record<string, string>> = {
  '@aws-sdk/client-ec2': 'ec2',
  '@aws-sdk/client-iam': 'iam',
  '@aws-sdk/client-auto-scaling': 'autoscaling',
  '@aws-sdk/client-elastic-load-balancing-v2': 'elasticloadbalancing',
  '@aws-sdk/client-s3': 's3',
  '@aws-sdk/client-ebs': 'ebs',
  '@aws-sdk/client-sns': 'sns',
  '@aws-sdk/client-sfn': 'states',
  '@aws-sdk/client-sts': 'sts',
  '@aws-sdk/client-cloudtrail': 'cloudtrail',
  '@aws-sdk/client-dynamodb': 'dynamodb',
  '@aws-sdk/lib-dynamodb': 'dynamodb',
};

/**
 * Operations whose IAM action is not `<service>:<Operation>`.
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/transaction-apis-iam.html
 */
const SPECIAL: Readonly<Record<string, ReadonlyArray<string>>> = {
  'dynamodb:Get': ['dynamodb:GetItem'],
  'dynamodb:Put': ['dynamodb:PutItem'],
  'dynamodb:Update': ['dynamodb:UpdateItem'],
  'dynamodb:Delete': ['dynamodb:DeleteItem'],
  'dynamodb:Query': ['dynamodb:Query'],
  'dynamodb:Scan': ['dynamodb:Scan'],
  'dynamodb:TransactWrite': ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'],
  'dynamodb:TransactGet': ['dynamodb:GetItem'],
  'dynamodb:BatchGet': ['dynamodb:BatchGetItem'],
  's3:CreateMultipartUpload': ['s3:PutObject'],
  's3:UploadPart': ['s3:PutObject'],
  's3:UploadPartCopy': ['s3:PutObject', 's3:GetObject'],
  's3:CompleteMultipartUpload': ['s3:PutObject'],
  's3:ListParts': ['s3:ListMultipartUploadParts'],
  's3:HeadObject': ['s3:GetObject'],
  's3:HeadBucket': ['s3:ListBucket'],
  's3:ListObjectsV2': ['s3:ListBucket'],
  's3:ListObjectVersions': ['s3:ListBucketVersions'],
  's3:GetObjectLockConfiguration': ['s3:GetBucketObjectLockConfiguration'],
  's3:GetObjectAttributes': ['s3:GetObjectAttributes'],
  's3:ListMultipartUploads': ['s3:ListBucketMultipartUploads'],
  // Needs no permission: https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html
  'sts:GetCallerIdentity': [],
};

/** Helpers that call operations without a Command class in the source. */
const HELPERS: Readonly<Record<string, ReadonlyArray<string>>> = {
  fromTemporaryCredentials: ['sts:AssumeRole'],
  waitUntilSnapshotCompleted: ['ec2:DescribeSnapshots'],
  waitUntilSnapshotImported: ['ec2:DescribeImportSnapshotTasks'],
  Upload: ['s3:PutObject', 's3:AbortMultipartUpload'],
};

export interface SdkUse {
  readonly actions: ReadonlySet<string>;
  readonly files: ReadonlyArray<string>;
}

const IMPORT = /import\s+(type\s+)?\{([^}]*)\}\s+from\s+'([^']+)'/g;

/** Resolves a relative import to its .ts file (`./x` -> x.ts or x/index.ts). */
function resolve(from: string, spec: string): string | undefined {
  const base = path.resolve(path.dirname(from), spec);
  return [`${base}.ts`, path.join(base, 'index.ts')].find((f) => existsSync(f));
}

/**
 * Every IAM action the code reachable from `entry` can need: each file's value imports from AWS SDK
 * packages (Command classes, paginators, waiters, credential helpers), mapped to IAM actions. The walk is
 * per module, so it over-approximates: it counts every Command a reachable module imports.
 */
export function sdkActionsOf(entry: string): SdkUse {
  const actions = new Set<string>();
  const seen = new Set<string>();
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.pop() as string;
    if (seen.has(file)) continue;
    seen.add(file);
    const src = readFileSync(file, 'utf8');
    for (const m of src.matchAll(IMPORT)) {
      const [, typeOnly, names = '', spec = ''] = m;
      if (typeOnly !== undefined) continue;
      const values = names
        .split(',')
        .map((n) => n.trim())
        .filter((n) => n !== '' && !n.startsWith('type '))
        .map((n) => n.split(/\s+as\s+/)[0] as string);
      if (spec.startsWith('.')) {
        const target = resolve(file, spec);
        if (target !== undefined) queue.push(target);
        continue;
      }
      for (const name of values) {
        const helper = HELPERS[name];
        if (helper !== undefined && spec.startsWith('@aws-sdk/')) {
          for (const a of helper) actions.add(a);
          continue;
        }
        const service = SERVICE[spec];
        if (service === undefined) continue;
        const op = name.endsWith('Command')
          ? name.slice(0, -'Command'.length)
          : name.startsWith('paginate')
            ? name.slice('paginate'.length)
            : undefined;
        if (op === undefined) continue;
        for (const a of SPECIAL[`${service}:${op}`] ?? [`${service}:${op}`]) actions.add(a);
      }
    }
  }
  return { actions, files: [...seen] };
}
