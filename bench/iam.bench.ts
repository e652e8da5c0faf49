import { performance } from 'node:perf_hooks';
import { type AuthorizationSnapshot, evaluate, parseSnapshot } from '../policies/evaluation';
import { type Figure, round } from './figures';

const ACCOUNT = '111122223333';
const BUCKET = 'arn:aws:s3:::data-bucket';
const SAMPLES = 301;
const PER_SAMPLE = 200;

/** One statement of a realistic role policy: a service's actions on its resources, some with conditions. */
function statement(i: number) {
  const service = ['ec2', 'ssm', 'logs', 'dynamodb', 'sqs', 'sns', 'kms'][i % 7] ?? 'ec2';
  return {
    Sid: `S${i}`,
    Effect: 'Allow',
    Action: [`${service}:Describe*`, `${service}:Get*`, `${service}:List*`],
    Resource: `arn:aws:${service}:eu-west-1:${ACCOUNT}:*/app-${i}-*`,
    ...(i % 3 === 0 ? { Condition: { StringEquals: { 'aws:PrincipalTag/team': 'red' } } } : {}),
  };
}

/**
 * A 20-statement snapshot: 14 identity statements (the last one grants the request, with conditions), an
 * SCP level of 2 and a bucket policy of 4 (one of them a TLS deny that must be checked and not match).
 */
export function benchSnapshot(): unknown {
  const identity: unknown[] = Array.from({ length: 13 }, (_v, i) => statement(i));
  identity.push({
    Sid: 'ReadData',
    Effect: 'Allow',
    Action: ['s3:GetObject', 's3:GetObjectVersion'],
    Resource: `${BUCKET}/\${aws:PrincipalTag/team}/*`,
    Condition: { IpAddress: { 'aws:SourceIp': ['10.0.0.0/8', '203.0.113.0/24'] } },
  });
  const doc = (Statement: unknown[]) => ({ Version: '2012-10-17', Statement });
  return {
    version: 1,
    principal: {
      arn: `arn:aws:sts::${ACCOUNT}:assumed-role/web-role/i-0aaa1111aaaa1111a`,
      accountId: ACCOUNT,
      roleArn: `arn:aws:iam::${ACCOUNT}:role/web-role`,
      tags: { team: 'red' },
    },
    identityPolicies: [{ name: 'app', document: doc(identity) }],
    permissionsBoundary: null,
    sessionPolicies: [],
    scps: [
      [
        doc([
          { Effect: 'Allow', Action: '*', Resource: '*' },
          { Effect: 'Deny', Action: ['organizations:*', 'account:*'], Resource: '*' },
        ]),
      ],
    ],
    rcps: {},
    resources: [
      {
        arn: BUCKET,
        accountId: ACCOUNT,
        policy: doc([
          {
            Sid: 'TlsOnly',
            Effect: 'Deny',
            Principal: '*',
            Action: 's3:*',
            Resource: [BUCKET, `${BUCKET}/*`],
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          },
          { Effect: 'Deny', Principal: '*', Action: 's3:DeleteObject*', Resource: `${BUCKET}/*` },
          {
            Effect: 'Allow',
            Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/backup` },
            Action: 's3:*',
            Resource: `${BUCKET}/*`,
          },
          { Effect: 'Allow', Principal: { AWS: ACCOUNT }, Action: 's3:ListBucket', Resource: BUCKET },
        ]),
      },
    ],
    requests: [
      {
        action: 's3:GetObject',
        resource: `${BUCKET}/red/report.csv`,
        context: { 'aws:SourceIp': '203.0.113.7', 'aws:SecureTransport': 'true' },
      },
    ],
  };
}

/** Median over SAMPLES of the mean microseconds of `fn` across PER_SAMPLE calls. */
function medianMicros(fn: () => unknown): number {
  const samples: number[] = [];
  for (let s = 0; s < SAMPLES; s++) {
    const t0 = performance.now();
    for (let i = 0; i < PER_SAMPLE; i++) fn();
    samples.push(((performance.now() - t0) * 1000) / PER_SAMPLE);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)] ?? Number.NaN;
}

/**
 * The evaluator's cost for one request against a 20-statement snapshot, next to JSON.parse of the same
 * snapshot's text measured in the same run (the cost of merely reading the input).
 */
const bench = async (): Promise<Figure[]> => {
  const text = JSON.stringify(benchSnapshot());
  const snapshot: AuthorizationSnapshot = parseSnapshot(JSON.parse(text));
  const [first] = evaluate(snapshot);
  if (first?.decision !== 'Allowed')
    throw new Error(`bench snapshot must be Allowed, got ${first?.decision}`);
  const evaluateUs = medianMicros(() => evaluate(snapshot));
  const parseUs = medianMicros(() => JSON.parse(text));
  return [
    { name: 'iam.evaluate_us', value: round(evaluateUs, 2), unit: 'us' },
    { name: 'iam.json_parse_baseline_us', value: round(parseUs, 2), unit: 'us' },
  ];
};

export default bench;
