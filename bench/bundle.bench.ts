import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { LAMBDA_NAMES } from '../policies/responder-statements';
import { bundle, presentEntries } from '../scripts/bundle';
import { type Figure, round } from './figures';

/** What the baseline imports from each SDK package the entry bundles: its client (or helper) only. */
const CLIENT_CLASS: Readonly<Record<string, string>> = {
  '@aws-sdk/client-auto-scaling': 'AutoScalingClient',
  '@aws-sdk/client-cloudtrail': 'CloudTrailClient',
  '@aws-sdk/client-dynamodb': 'DynamoDBClient',
  '@aws-sdk/client-ebs': 'EBSClient',
  '@aws-sdk/client-ec2': 'EC2Client',
  '@aws-sdk/client-elastic-load-balancing-v2': 'ElasticLoadBalancingV2Client',
  '@aws-sdk/client-iam': 'IAMClient',
  '@aws-sdk/client-kms': 'KMSClient',
  '@aws-sdk/client-s3': 'S3Client',
  '@aws-sdk/client-sfn': 'SFNClient',
  '@aws-sdk/client-sns': 'SNSClient',
  '@aws-sdk/client-sso': 'SSOClient',
  '@aws-sdk/client-sso-oidc': 'SSOOIDCClient',
  '@aws-sdk/client-sts': 'STSClient',
  '@aws-sdk/lib-dynamodb': 'DynamoDBDocumentClient',
  '@aws-sdk/lib-storage': 'Upload',
  '@aws-sdk/credential-providers': 'fromTemporaryCredentials',
};
const RUNS = 21;

/** Time to require a bundle in a fresh Node process (the cold-start share the code controls). */
function loadOnce(file: string): number {
  const script = `const t=process.hrtime.bigint();require(${JSON.stringify(file)});console.log(Number(process.hrtime.bigint()-t)/1e6)`;
  const out = execFileSync(process.execPath, ['-e', script], {
    env: { PATH: process.env.PATH ?? '', AWS_REGION: 'us-east-1' },
  });
  return Number(out.toString().trim());
}

/**
 * Handler and baseline loads alternate, so both see the same machine load, and the minimum of each is
 * kept: on a shared machine, noise only ever adds time.
 */
function loadPair(handler: string, baseline: string): [number, number] {
  let h = Number.POSITIVE_INFINITY;
  let b = Number.POSITIVE_INFINITY;
  for (let i = 0; i < RUNS; i += 1) {
    h = Math.min(h, loadOnce(handler));
    b = Math.min(b, loadOnce(baseline));
  }
  return [h, b];
}

/**
 * Bundles every handler as the stack deploys it, then for each entry a bundle of only the bare SDK
 * clients that entry contains, built the same way in the same run; both are loaded in fresh processes.
 * Target: each handler within 1.2x of its SDK baseline.
 */
export default async function bundleBench(): Promise<Figure[]> {
  const dir = mkdtempSync(path.join(tmpdir(), 'sequester-bundle-'));
  try {
    const entries = presentEntries(LAMBDA_NAMES);
    const built = bundle({ entries, outDir: path.join(dir, 'handlers') });
    const figures: Figure[] = [];
    for (const b of built) {
      const clients = b.sdkClients.filter((c) => CLIENT_CLASS[c] !== undefined);
      const baselineSrc = path.join(dir, `${b.entry}.baseline.ts`);
      writeFileSync(
        baselineSrc,
        `${clients.map((c, i) => `import { ${CLIENT_CLASS[c]} as C${i} } from '${c}';`).join('\n')}\nexport const clients = [${clients.map((_, i) => `C${i}`).join(', ')}];\n`,
      );
      const [baseline] = bundle({
        entries: [b.entry],
        outDir: path.join(dir, 'baseline'),
        entryFile: () => baselineSrc,
      });
      if (baseline === undefined) throw new Error(`no SDK baseline bundle for ${b.entry}`);
      const [load, base] = loadPair(b.file, baseline.file);
      figures.push(
        { name: `bundle.${b.entry}.bytes`, value: b.bytes, unit: 'bytes' },
        { name: `bundle.${b.entry}.load_ms`, value: round(load), unit: 'ms' },
        { name: `bundle.${b.entry}.sdk_baseline_load_ms`, value: round(base), unit: 'ms' },
        { name: `bundle.${b.entry}.load_ratio_to_sdk`, value: round(load / base), unit: 'x' },
      );
    }
    return figures;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
