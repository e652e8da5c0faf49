import { accessDenied, unknownOperation } from '../../../local-aws/iam/denials';
import { type Facts, operationAuth } from '../../../local-aws/iam/operations';
import { type Call, callerOf, callOf, type WireRequest } from '../../../local-aws/iam/wire';

const AUTH = (service: string) =>
  `AWS4-HMAC-SHA256 Credential=AKIAEXAMPLE000000001/20261130/eu-west-1/${service}/aws4_request, SignedHeaders=host, Signature=00`;

function wire(
  service: string,
  method: string,
  pathAndQuery: string,
  o: { headers?: Record<string, string>; body?: string } = {},
): { req: WireRequest; call: Call } {
  const url = new URL(pathAndQuery, 'http://local');
  const req: WireRequest = {
    method,
    path: url.pathname,
    query: url.searchParams,
    headers: { authorization: AUTH(service), ...o.headers },
    body: Buffer.from(o.body ?? ''),
  };
  const caller = callerOf(req);
  if (caller === undefined) throw new Error('unsigned');
  return { req, call: callOf(req, caller) };
}

const facts: Facts = {
  partition: 'aws',
  account: '123456789012',
  ec2Tags: async (id): Promise<Record<string, string>> =>
    id === 'sg-0q' ? { 'sequester:role': 'quarantine' } : {},
  snapshot: async (id): Promise<{ tags: Record<string, string>; kmsKeyArn?: string }> =>
    id === 'snap-enc'
      ? {
          tags: { 'sequester:quarantine-id': 'q-1' },
          kmsKeyArn: 'arn:aws:kms:eu-west-1:123456789012:key/ebs',
        }
      : { tags: {} },
  bucketKey: async () => 'arn:aws:kms:eu-west-1:123456789012:key/vault',
  profileRoles: async () => ['arn:aws:iam::123456789012:role/web-role'],
};

async function checksOf(call: Call) {
  const auth = operationAuth(call.service, call.operation);
  if (auth === undefined) throw new Error(`unknown ${call.service}:${call.operation}`);
  return auth.checks(call, facts);
}

describe('enforcer wire reading: caller, operation and parameters per protocol', () => {
  it('reads the caller from the Authorization header and from a presigned URL', () => {
    const { req } = wire('s3', 'GET', '/b/k');
    expect(callerOf(req)).toEqual({
      accessKeyId: 'AKIAEXAMPLE000000001',
      region: 'eu-west-1',
      service: 's3',
    });
    const presigned: WireRequest = {
      ...req,
      headers: {},
      query: new URLSearchParams({
        'X-Amz-Credential': 'AKIAPRESIGNED0000001/20261130/us-east-1/s3/aws4_request',
      }),
    };
    expect(callerOf(presigned)?.accessKeyId).toBe('AKIAPRESIGNED0000001');
    expect(callerOf({ ...req, headers: {} })).toBeUndefined();
  });

  it('names query-protocol operations by the Action parameter of the body', () => {
    const { call } = wire('ec2', 'POST', '/', {
      body: 'Action=StopInstances&Version=2016-11-15&InstanceId.1=i-1',
    });
    expect(call.operation).toBe('StopInstances');
    expect(call.form.get('InstanceId.1')).toBe('i-1');
  });

  it('names JSON-protocol operations by X-Amz-Target and parses the body', () => {
    const { call } = wire('dynamodb', 'POST', '/', {
      headers: { 'x-amz-target': 'DynamoDB_20120810.GetItem' },
      body: '{"TableName":"ledger"}',
    });
    expect(call.operation).toBe('GetItem');
    expect(call.json).toEqual({ TableName: 'ledger' });
  });

  it.each([
    ['HEAD', '/vault/a/b.raw', {}, 'HeadObject', 'a/b.raw'],
    ['GET', '/vault/k?x-id=GetObject', {}, 'GetObject', 'k'],
    ['POST', '/vault/k?uploads', {}, 'CreateMultipartUpload', 'k'],
    ['PUT', '/vault/k?partNumber=1&uploadId=u', {}, 'UploadPart', 'k'],
    [
      'PUT',
      '/vault/k?partNumber=1&uploadId=u',
      { 'x-amz-copy-source': '/vault/zero' },
      'UploadPartCopy',
      'k',
    ],
    ['POST', '/vault/k?uploadId=u', {}, 'CompleteMultipartUpload', 'k'],
    ['GET', '/vault/k?attributes', {}, 'GetObjectAttributes', 'k'],
    ['GET', '/vault?list-type=2&prefix=p', {}, 'ListObjectsV2', undefined],
    ['GET', '/vault?object-lock', {}, 'GetObjectLockConfiguration', undefined],
    ['HEAD', '/vault', {}, 'HeadBucket', undefined],
  ])('names S3 %s %s (headers %j) as %s', (method, path, headers, operation, key) => {
    const { call } = wire('s3', method, path, { headers });
    expect([call.operation, call.bucket, call.key]).toEqual([operation, 'vault', key]);
  });

  it.each([
    ['GET', '/snapshots/snap-1/blocks', 'ListSnapshotBlocks'],
    ['GET', '/snapshots/snap-1/blocks/7?blockToken=t', 'GetSnapshotBlock'],
    ['POST', '/snapshots', 'StartSnapshot'],
    ['PUT', '/snapshots/snap-1/blocks/7', 'PutSnapshotBlock'],
    ['POST', '/snapshots/completion/snap-1', 'CompleteSnapshot'],
  ])('names EBS direct API %s %s as %s', (method, path, operation) => {
    expect(wire('ebs', method, path).call.operation).toBe(operation);
  });
});

describe('operation table: the IAM checks AWS makes for a request', () => {
  it('reads a named version with s3:GetObjectVersion, the current one with s3:GetObject', async () => {
    expect(await checksOf(wire('s3', 'HEAD', '/vault/img?versionId=v1').call)).toEqual([
      expect.objectContaining({ action: 's3:GetObjectVersion', resource: 'arn:aws:s3:::vault/img' }),
    ]);
    expect((await checksOf(wire('s3', 'HEAD', '/vault/img').call)).map((c) => c.action)).toEqual([
      's3:GetObject',
    ]);
  });

  it('asks GetObjectAttributes of a version for s3:GetObjectVersion and s3:GetObjectVersionAttributes', async () => {
    const checks = await checksOf(wire('s3', 'GET', '/vault/img?attributes&versionId=v1').call);
    expect(checks.map((c) => c.action)).toEqual(['s3:GetObjectVersion', 's3:GetObjectVersionAttributes']);
  });

  it('asks a locked SSE-KMS put for retention, legal hold and a data key via S3', async () => {
    const { call } = wire('s3', 'POST', '/vault/img?uploads', {
      headers: {
        'x-amz-object-lock-mode': 'COMPLIANCE',
        'x-amz-object-lock-retain-until-date': '2030-01-01T00:00:00Z',
        'x-amz-object-lock-legal-hold': 'ON',
      },
    });
    const checks = await checksOf(call);
    expect(checks.map((c) => c.action)).toEqual([
      's3:PutObject',
      's3:PutObjectRetention',
      's3:PutObjectLegalHold',
      'kms:GenerateDataKey',
    ]);
    expect(checks[0]?.context).toMatchObject({ 's3:object-lock-mode': 'COMPLIANCE' });
    expect(checks[3]).toEqual({
      action: 'kms:GenerateDataKey',
      resource: 'arn:aws:kms:eu-west-1:123456789012:key/vault',
      context: { 'kms:ViaService': 's3.eu-west-1.amazonaws.com', 'kms:CallerAccount': '123456789012' },
    });
  });

  it('asks multipart parts for kms:Decrypt, and a part copy for the source object', async () => {
    const { call } = wire('s3', 'PUT', '/vault/img?partNumber=2&uploadId=u', {
      headers: { 'x-amz-copy-source': '/vault/zero%2F8.bin' },
    });
    expect((await checksOf(call)).map((c) => [c.action, c.resource])).toEqual([
      ['s3:PutObject', 'arn:aws:s3:::vault/img'],
      ['s3:GetObject', 'arn:aws:s3:::vault/zero/8.bin'],
      ['kms:Decrypt', 'arn:aws:kms:eu-west-1:123456789012:key/vault'],
    ]);
  });

  it('asks an encrypted snapshot read for kms:Decrypt on the snapshot key, with the snapshot tags', async () => {
    const checks = await checksOf(wire('ebs', 'GET', '/snapshots/snap-enc/blocks/0?blockToken=t').call);
    expect(checks).toEqual([
      {
        action: 'ebs:GetSnapshotBlock',
        resource: 'arn:aws:ec2:eu-west-1::snapshot/snap-enc',
        context: { 'aws:ResourceTag/sequester:quarantine-id': 'q-1' },
      },
      expect.objectContaining({
        action: 'kms:Decrypt',
        resource: 'arn:aws:kms:eu-west-1:123456789012:key/ebs',
      }),
    ]);
    expect(
      await checksOf(wire('ebs', 'GET', '/snapshots/snap-plain/blocks/0?blockToken=t').call),
    ).toHaveLength(1);
    expect(await checksOf(wire('ebs', 'GET', '/snapshots/snap-enc/blocks').call)).toHaveLength(1);
  });

  it('checks each item action of a DynamoDB transaction on its table', async () => {
    const { call } = wire('dynamodb', 'POST', '/', {
      headers: { 'x-amz-target': 'DynamoDB_20120810.TransactWriteItems' },
      body: JSON.stringify({
        TransactItems: [{ Put: { TableName: 'ledger' } }, { Update: { TableName: 'ledger' } }],
      }),
    });
    expect((await checksOf(call)).map((c) => c.action)).toEqual(['dynamodb:PutItem', 'dynamodb:UpdateItem']);
  });

  it('checks security-group rule edits on the group with its tags, and tagging at creation as CreateTags', async () => {
    const edit = await checksOf(
      wire('ec2', 'POST', '/', { body: 'Action=AuthorizeSecurityGroupEgress&GroupId=sg-0q' }).call,
    );
    expect(edit).toEqual([
      {
        action: 'ec2:AuthorizeSecurityGroupEgress',
        resource: 'arn:aws:ec2:eu-west-1:123456789012:security-group/sg-0q',
        context: { 'aws:ResourceTag/sequester:role': 'quarantine' },
      },
    ]);
    const create = await checksOf(
      wire('ec2', 'POST', '/', {
        body: 'Action=CreateSecurityGroup&VpcId=vpc-1&TagSpecification.1.ResourceType=security-group&TagSpecification.1.Tag.1.Key=sequester%3Arole&TagSpecification.1.Tag.1.Value=quarantine',
      }).call,
    );
    expect(create.map((c) => c.action)).toEqual([
      'ec2:CreateSecurityGroup',
      'ec2:CreateSecurityGroup',
      'ec2:CreateTags',
    ]);
    expect(create[2]?.context).toMatchObject({
      'ec2:CreateAction': 'CreateSecurityGroup',
      'aws:TagKeys': ['sequester:role'],
    });
  });

  it('passes iam:PassRole for the profile role when an instance profile is associated', async () => {
    const checks = await checksOf(
      wire('ec2', 'POST', '/', {
        body: 'Action=AssociateIamInstanceProfile&InstanceId=i-1&IamInstanceProfile.Name=web-profile',
      }).call,
    );
    expect(checks[1]).toEqual({
      action: 'iam:PassRole',
      resource: 'arn:aws:iam::123456789012:role/web-role',
      context: { 'iam:PassedToService': 'ec2.amazonaws.com' },
    });
  });

  it('knows no operation the code does not call', () => {
    expect(operationAuth('ec2', 'TerminateInstances')).toBeUndefined();
  });
});

describe('access-denied answers in each service wire format', () => {
  it.each([
    ['ec2', false, 403, 'UnauthorizedOperation'],
    ['iam', false, 403, '<Code>AccessDenied</Code>'],
    ['sns', false, 403, '<Code>AuthorizationError</Code>'],
    ['dynamodb', true, 400, '"__type":"AccessDeniedException"'],
    ['s3', false, 403, '<Code>AccessDenied</Code>'],
    ['ebs', false, 403, 'UNAUTHORIZED_ACCOUNT'],
  ])('%s refusals (JSON protocol: %s) answer status %i with %s', (service, json, status, marker) => {
    const r = accessDenied(service, 'GET', 'User: x is not authorized', json);
    expect(r.status).toBe(status);
    expect(r.body).toContain(marker);
  });

  it('answers an S3 HEAD refusal without a body, and an unknown operation with a 501 naming it', () => {
    expect(accessDenied('s3', 'HEAD', 'm', false).body).toBe('');
    const r = unknownOperation('ec2', 'TerminateInstances');
    expect(r.status).toBe(501);
    expect(r.body).toContain('ec2:TerminateInstances');
  });
});
