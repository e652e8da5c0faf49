import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { LAMBDA_NAMES } from '../policies/responder-statements';
import { bundle, presentEntries } from '../scripts/bundle';
import { type Figure, round } from './figures';

/** The client class each SDK package exports (the baseline imports only these). */
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
};
const RUNS = 5;

/** Median time to require a bundle in a fresh Node process (the cold-start share the code controls). */
function loadMs(file: string): number {
  const script = `const t=process.hrtime.bigint();require(${JSON.stringify(file)});console.log(Number(process.hrtime.bigint()-t)/1e6)`;
  const times = Array.from({ length: RUNS }, () =>
    Number(
      execFileSync(process.execPath, ['-e', script], {
        env: { PATH: process.env.PATH ?? '', AWS_REGION: 'us-east-1' },
      })
        .toString()
        .trim(),
    ),
  ).sort((a, b) => a - b);
  return times[Math.floor(RUNS / 2)] ?? Number.NaN;
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
      const load = loadMs(b.file);
      const base = baseline === undefined ? Number.NaN : loadMs(baseline.file);
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
