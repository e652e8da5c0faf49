import { DEFAULT_EVIDENCE_CONFIG, ZERO_OBJECT_PREFIX } from '../../lambdas/core/evidence/config';
import type { PolicyDocument, PolicyStatement } from '../../policies/policy-document';
import { LAMBDA_NAMES } from '../../policies/responder-statements';
import { API_ROUTES } from '../../stacks/triggers';
import { ACCOUNT, loadProgram, ofType, parseJson, type Recorded } from './pulumi-mocks';

const one = (rs: Recorded[], type: string, name: string) => {
  const found = rs.filter((r) => r.type === type && r.name === name);
  expect(found).toHaveLength(1);
  return found[0] as Recorded;
};
const statements = (policy: unknown) => (parseJson(policy) as PolicyDocument).Statement;
const asList = (v: string | ReadonlyArray<string> | undefined) =>
  v === undefined ? [] : typeof v === 'string' ? [v] : [...v];

describe('Program: responder stack with default config', () => {
  let rs: Recorded[];
  beforeAll(async () => {
    rs = await loadProgram();
  });

  describe('Component: EvidenceVault', () => {
    it('creates the vault bucket with Object Lock enabled and never force-destroyed', () => {
      const bucket = one(rs, 'aws:s3/bucket:Bucket', 'sequester-vault-bucket');
      expect(bucket.inputs).toMatchObject({ objectLockEnabled: true, forceDestroy: false });
    });

    it('locks every object by default in COMPLIANCE mode for the configured 365 days', () => {
      const lock = one(
        rs,
        'aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration',
        'sequester-vault-lock',
      );
      expect(lock.inputs.rule).toEqual({ defaultRetention: { mode: 'COMPLIANCE', days: 365 } });
    });

    it('keeps versioning enabled', () => {
      const v = one(rs, 'aws:s3/bucketVersioning:BucketVersioning', 'sequester-vault-versioning');
      expect(v.inputs.versioningConfiguration).toEqual({ status: 'Enabled' });
    });

    it('encrypts with its own customer-managed key with rotation on', () => {
      const key = one(rs, 'aws:kms/key:Key', 'sequester-vault-key');
      expect(key.inputs.enableKeyRotation).toBe(true);
      const sse = one(
        rs,
        'aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration',
        'sequester-vault-sse',
      );
      const rule = (sse.inputs.rules as Array<Record<string, Record<string, string>>>)[0];
      expect(rule?.applyServerSideEncryptionByDefault).toEqual({
        sseAlgorithm: 'aws:kms',
        kmsMasterKeyId: expect.stringContaining('sequester-vault-key'),
      });
    });

    it('blocks all public access and enforces bucket ownership on both buckets', () => {
      const bpa = ofType(rs, 'aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock');
      expect(bpa).toHaveLength(2);
      for (const b of bpa) {
        expect(b.inputs).toMatchObject({
          blockPublicAcls: true,
          blockPublicPolicy: true,
          ignorePublicAcls: true,
          restrictPublicBuckets: true,
        });
      }
      const own = ofType(rs, 'aws:s3/bucketOwnershipControls:BucketOwnershipControls');
      expect(own.map((o) => o.inputs.rule)).toEqual([
        { objectOwnership: 'BucketOwnerEnforced' },
        { objectOwnership: 'BucketOwnerEnforced' },
      ]);
    });

    it('logs access to a separate bucket', () => {
      const logging = one(rs, 'aws:s3/bucketLogging:BucketLogging', 'sequester-vault-access-logging');
      expect(logging.inputs.targetBucket).toBe('sequester-vault-logs');
      expect(logging.inputs.bucket).toBe('sequester-vault-bucket');
    });

    it('lets only the S3 logging service of this account write to the log bucket, over TLS', () => {
      const policy = parseJson(
        one(rs, 'aws:s3/bucketPolicy:BucketPolicy', 'sequester-vault-logs-policy').inputs.policy,
      ) as {
        Statement: { Sid: string; Effect: string; Principal: unknown; Condition: unknown }[];
      };
      expect(policy.Statement.map((x) => [x.Sid, x.Effect, x.Principal, x.Condition])).toEqual([
        ['DenyInsecureTransport', 'Deny', '*', { Bool: { 'aws:SecureTransport': 'false' } }],
        [
          'S3ServerAccessLogs',
          'Allow',
          { Service: 'logging.s3.amazonaws.com' },
          { StringEquals: { 'aws:SourceAccount': ACCOUNT } },
        ],
      ]);
    });

    it('moves evidence to cold storage and never expires it', () => {
      const lc = one(
        rs,
        'aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration',
        'sequester-vault-lifecycle',
      );
      const rules = lc.inputs.rules as Array<Record<string, unknown>>;
      const cold = rules.filter((r) => r.transitions !== undefined);
      expect(cold.map((r) => r.transitions)).toEqual([[{ days: 90, storageClass: 'DEEP_ARCHIVE' }]]);
      for (const r of rules) {
        expect(r.expiration).toBeUndefined();
        expect(r.noncurrentVersionExpiration).toBeUndefined();
      }
    });

    // UploadPartCopy from an archived zero object fails (ObjectNotInActiveTierError): the cold-storage
    // rule covers the evidence prefix only (https://docs.aws.amazon.com/AmazonS3/latest/userguide/intro-lifecycle-filters.html).
    it('archives only the evidence prefix, never the shared zero objects', () => {
      const lc = one(
        rs,
        'aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration',
        'sequester-vault-lifecycle',
      );
      const rules = lc.inputs.rules as Array<Record<string, unknown>>;
      const archiving = rules.filter(
        (r) => r.transitions !== undefined || r.noncurrentVersionTransitions !== undefined,
      );
      expect(archiving.map((r) => r.filter)).toEqual([{ prefix: DEFAULT_EVIDENCE_CONFIG.prefix }]);
      expect(ZERO_OBJECT_PREFIX.startsWith(DEFAULT_EVIDENCE_CONFIG.prefix)).toBe(false);
      // Abandoned uploads (evidence or zero-object assembly) are still cleaned up bucket-wide.
      expect(rules).toContainEqual(
        expect.objectContaining({ filter: {}, abortIncompleteMultipartUpload: { daysAfterInitiation: 14 } }),
      );
    });

    it('denies non-TLS access in the vault bucket policy', () => {
      const policy = one(rs, 'aws:s3/bucketPolicy:BucketPolicy', 'sequester-vault-policy');
      expect(statements(policy.inputs.policy)).toContainEqual(
        expect.objectContaining({
          Effect: 'Deny',
          Action: 's3:*',
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        }),
      );
    });

    it('lets only the evidence and investigation Lambdas write and only reviewers and the responder read', () => {
      const st = statements(
        one(rs, 'aws:s3/bucketPolicy:BucketPolicy', 'sequester-vault-policy').inputs.policy,
      );
      const writers = st.find((s) => s.Sid === 'OnlyResponderWrites') as PolicyStatement;
      expect(asList(writers.Condition?.StringNotLike?.['aws:PrincipalArn'] as string[]).sort()).toEqual(
        [
          'complete-export',
          'export-segment',
          'investigate-activity',
          'investigate-exposure',
          'investigate-reach',
          'issue-report',
          'plan-export',
          'seal-manifest',
          'snapshot',
        ]
          .map((l) => `arn:aws:iam::${ACCOUNT}:role/sequester/sequester-${l}`)
          .sort(),
      );
      const readers = st.find((s) => s.Sid === 'OnlyReviewersAndResponderRead') as PolicyStatement;
      expect(readers.Condition?.StringNotLike?.['aws:PrincipalArn']).toContain(
        `arn:aws:iam::${ACCOUNT}:role/sequester/sequester-reviewer`,
      );
    });

    it('gives the reviewer read, verify and legal hold but no delete or retention change', () => {
      const p = one(rs, 'aws:iam/rolePolicy:RolePolicy', 'sequester-vault-reviewer-policy');
      const actions = statements(p.inputs.policy).flatMap((s) => asList(s.Action));
      expect(actions).toEqual(
        expect.arrayContaining(['s3:GetObject', 's3:GetObjectRetention', 's3:PutObjectLegalHold']),
      );
      expect(actions.filter((a) => /Delete|PutObjectRetention|BypassGovernance|PutObject$/.test(a))).toEqual(
        [],
      );
    });
  });

  describe('Component: Responder', () => {
    it('runs every Lambda on Node.js 22 arm64 with source maps enabled', () => {
      const fns = ofType(rs, 'aws:lambda/function:Function');
      expect(fns.map((f) => f.inputs.name).sort()).toEqual(LAMBDA_NAMES.map((n) => `sequester-${n}`).sort());
      for (const f of fns) {
        expect(f.inputs).toMatchObject({
          runtime: 'nodejs22.x',
          architectures: ['arm64'],
          handler: 'index.handler',
        });
        expect((f.inputs.environment as { variables: Record<string, string> }).variables.NODE_OPTIONS).toBe(
          '--enable-source-maps',
        );
      }
    });

    it('scopes the API and intake to the deployment account when no member accounts are set', () => {
      const api = ofType(rs, 'aws:lambda/function:Function').find((f) => f.inputs.name === 'sequester-api');
      const env = (api?.inputs.environment as { variables: Record<string, string> } | undefined)?.variables;
      expect(JSON.parse(env?.INTAKE_CONFIG ?? '{}')).toMatchObject({ accounts: [ACCOUNT] });
    });

    it('gives each Lambda its own role, whose inline policy only writes its own log group', () => {
      const roles = ofType(rs, 'aws:iam/role:Role').filter((r) =>
        String(r.inputs.assumeRolePolicy).includes('lambda.amazonaws.com'),
      );
      expect(roles).toHaveLength(LAMBDA_NAMES.length);
      for (const name of LAMBDA_NAMES) {
        const st = statements(
          one(rs, 'aws:iam/rolePolicy:RolePolicy', `sequester-responder-${name}-policy`).inputs.policy,
        );
        const logs = st.find((s) => s.Sid === 'OwnLogGroup') as PolicyStatement;
        expect(logs.Resource).toContain(`/aws/lambda/sequester-${name}`);
      }
    });

    it('keeps logs for the configured retention', () => {
      for (const lg of ofType(rs, 'aws:cloudwatch/logGroup:LogGroup'))
        expect(lg.inputs.retentionInDays).toBe(365);
    });

    it('creates the ledger with point-in-time recovery, encryption and deletion protection', () => {
      const t = one(rs, 'aws:dynamodb/table:Table', 'sequester-responder-ledger');
      expect(t.inputs).toMatchObject({
        hashKey: 'pk',
        pointInTimeRecovery: { enabled: true },
        serverSideEncryption: { enabled: true },
        deletionProtectionEnabled: true,
      });
    });

    it('runs the quarantine as a standard workflow invoking only the task Lambdas', () => {
      const sm = one(rs, 'aws:sfn/stateMachine:StateMachine', 'sequester-responder-workflow');
      expect(sm.inputs.type).toBe('STANDARD');
      const def = parseJson(sm.inputs.definition) as { StartAt: string };
      expect(def.StartAt).toBe('Isolate');
      const invoke = statements(
        one(rs, 'aws:iam/rolePolicy:RolePolicy', 'sequester-responder-workflow-policy').inputs.policy,
      )[0];
      expect(asList(invoke?.Resource)).toHaveLength(13);
    });

    it('locks no snapshot by default: no SNAPSHOT_LOCK_DAYS and no ec2:LockSnapshot grant', () => {
      const fn = one(rs, 'aws:lambda/function:Function', 'sequester-responder-snapshot');
      const env = (fn.inputs.environment as { variables: Record<string, string> }).variables;
      expect(env.VAULT_BUCKET).toEqual(expect.any(String));
      expect(env.SNAPSHOT_LOCK_DAYS).toBeUndefined();
      const policy = one(rs, 'aws:iam/rolePolicy:RolePolicy', 'sequester-responder-snapshot-policy');
      const actions = statements(policy.inputs.policy).flatMap((s) => asList(s.Action));
      expect(actions).toContain('ec2:CreateSnapshots');
      expect(actions).not.toContain('ec2:LockSnapshot');
    });

    it('stops waiting for snapshots after the default 24 hours', () => {
      const sm = one(rs, 'aws:sfn/stateMachine:StateMachine', 'sequester-responder-workflow');
      const def = parseJson(sm.inputs.definition) as {
        States: Record<string, { Branches?: Array<{ States: Record<string, { Result?: unknown }> }> }>;
      };
      const evidence = def.States.EvidenceAndInvestigation?.Branches?.[0]?.States ?? {};
      expect(evidence.SnapshotsTimedOut?.Result).toMatchObject({
        Error: 'SnapshotTimeout',
        Cause: expect.stringContaining('after 24 h'),
      });
    });

    it('has no provisioned concurrency by default', () => {
      expect(ofType(rs, 'aws:lambda/provisionedConcurrencyConfig:ProvisionedConcurrencyConfig')).toEqual([]);
    });
  });

  describe('Component: Triggers', () => {
    it('requires IAM authorization on every API route', () => {
      const routes = ofType(rs, 'aws:apigatewayv2/route:Route');
      expect(routes.map((r) => r.inputs.routeKey).sort()).toEqual([...API_ROUTES].sort());
      for (const r of routes) expect(r.inputs.authorizationType).toBe('AWS_IAM');
    });

    it('throttles the API and writes access logs with the caller identity', () => {
      const stage = one(rs, 'aws:apigatewayv2/stage:Stage', 'sequester-triggers-api-stage');
      expect(stage.inputs.defaultRouteSettings).toMatchObject({
        throttlingRateLimit: 10,
        throttlingBurstLimit: 20,
      });
      const settings = stage.inputs.accessLogSettings as { format: string };
      expect(JSON.parse(settings.format).caller).toBe('$context.identity.userArn');
    });

    it('lets the on-call role invoke this API only', () => {
      const st = statements(
        one(rs, 'aws:iam/rolePolicy:RolePolicy', 'sequester-triggers-oncall-policy').inputs.policy,
      );
      expect(st).toEqual([
        expect.objectContaining({
          Action: 'execute-api:Invoke',
          Resource: `arn:aws:execute-api:eu-west-1:${ACCOUNT}:sequester-triggers-api/*`,
        }),
      ]);
    });

    it('covers the home region only when memberRegions is empty: no forwarding rule, intake acts there alone', () => {
      expect(ofType(rs, 'pulumi:providers:aws')).toEqual([]);
      expect(ofType(rs, 'aws:cloudwatch/eventRule:EventRule').map((r) => r.name)).toEqual([
        'sequester-triggers-guardduty',
      ]);
      const intake = one(rs, 'aws:lambda/function:Function', 'sequester-responder-intake');
      const env = (intake.inputs.environment as { variables: Record<string, string> }).variables;
      expect(JSON.parse(env.INTAKE_CONFIG ?? '{}').regions).toEqual(['eu-west-1']);
    });

    it('routes GuardDuty EC2 instance findings at or above severity 7 to intake', () => {
      const rule = one(rs, 'aws:cloudwatch/eventRule:EventRule', 'sequester-triggers-guardduty');
      expect(JSON.parse(String(rule.inputs.eventPattern))).toMatchObject({
        source: ['aws.guardduty'],
        'detail-type': ['GuardDuty Finding'],
        detail: {
          $or: expect.arrayContaining([{ resource: { resourceType: ['Instance'] } }]),
          severity: [{ numeric: ['>=', 7] }],
        },
      });
      const target = one(rs, 'aws:cloudwatch/eventTarget:EventTarget', 'sequester-triggers-guardduty-intake');
      expect(target.inputs.arn).toContain('function:sequester-intake');
    });
  });
});
