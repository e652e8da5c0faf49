import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { OPERATIONS } from '../../local-aws/iam/operations';

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
  '@aws-sdk/client-inspector2': 'inspector2',
  '@aws-sdk/client-guardduty': 'guardduty',
  '@aws-sdk/client-dynamodb': 'dynamodb',
  '@aws-sdk/client-kms': 'kms',
  '@aws-sdk/client-organizations': 'organizations',
  '@aws-sdk/client-secrets-manager': 'secretsmanager',
  '@aws-sdk/client-ssm': 'ssm',
  '@aws-sdk/client-cloudwatch-logs': 'logs',
  '@aws-sdk/client-eventbridge': 'events',
  '@aws-sdk/lib-dynamodb': 'dynamodb',
};

/**
 * lib-dynamodb's document commands send the DynamoDB operation of the same name with `Item` added
 * (GetCommand sends GetItem). https://docs.aws.amazon.com/AWSJavaScriptSDK/v3/latest/Package/-aws-sdk-lib-dynamodb/
 */
const DOCUMENT_COMMANDS: Readonly<Record<string, string>> = {
  Get: 'GetItem',
  Put: 'PutItem',
  Update: 'UpdateItem',
  Delete: 'DeleteItem',
  TransactWrite: 'TransactWriteItems',
  TransactGet: 'TransactGetItems',
  BatchGet: 'BatchGetItem',
  BatchWrite: 'BatchWriteItem',
};

/** Helpers that call operations without a Command class in the source (`service:Operation`). */
const HELPERS: Readonly<Record<string, ReadonlyArray<string>>> = {
  fromTemporaryCredentials: ['sts:AssumeRole'],
  waitUntilSnapshotCompleted: ['ec2:DescribeSnapshots'],
  waitUntilSnapshotImported: ['ec2:DescribeImportSnapshotTasks'],
  waitUntilVolumeAvailable: ['ec2:DescribeVolumes'],
  Upload: [
    's3:PutObject',
    's3:CreateMultipartUpload',
    's3:UploadPart',
    's3:CompleteMultipartUpload',
    's3:AbortMultipartUpload',
  ],
};

export interface SdkUse {
  /** IAM actions every call of the reachable operations needs. */
  readonly actions: ReadonlySet<string>;
  /** IAM actions some calls of them need (versions, lock headers, SSE-KMS...): allowed, not required. */
  readonly conditional: ReadonlySet<string>;
  /** The operations (`service:Operation`) reachable; `unknown` those the authorization table lacks. */
  readonly operations: ReadonlySet<string>;
  readonly unknown: ReadonlySet<string>;
  readonly files: ReadonlyArray<string>;
}

const IMPORT = /import\s+(type\s+)?\{([^}]*)\}\s+from\s+'([^']+)'/g;

/** Resolves a relative import to its .ts file (`./x` -> x.ts or x/index.ts). */
function resolve(from: string, spec: string): string | undefined {
  const base = path.resolve(path.dirname(from), spec);
  return [`${base}.ts`, path.join(base, 'index.ts')].find((f) => existsSync(f));
}

/**
 * Every AWS operation the code reachable from `entry` can call: each file's value imports from AWS SDK
 * packages (Command classes, paginators, waiters, credential helpers), mapped to IAM actions by the
 * enforcer's authorization table (local-aws/iam/operations). The walk is per module, so it
 * over-approximates: it counts every Command a reachable module imports. `follow: false` reads only
 * the entry file itself.
 */
export function sdkActionsOf(entry: string, follow = true): SdkUse {
  const operations = new Set<string>();
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
        if (target !== undefined && follow) queue.push(target);
        continue;
      }
      for (const name of values) {
        const helper = HELPERS[name];
        if (helper !== undefined && spec.startsWith('@aws-sdk/')) {
          for (const o of helper) operations.add(o);
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
        operations.add(`${service}:${spec === '@aws-sdk/lib-dynamodb' ? (DOCUMENT_COMMANDS[op] ?? op) : op}`);
      }
    }
  }
  const actions = new Set<string>();
  const conditional = new Set<string>();
  const unknown = new Set<string>();
  for (const o of operations) {
    const auth = OPERATIONS[o];
    if (auth === undefined) unknown.add(o);
    for (const a of auth?.actions ?? []) actions.add(a);
    for (const a of auth?.conditional ?? []) conditional.add(a);
  }
  return { actions, conditional, operations, unknown, files: [...seen] };
}
