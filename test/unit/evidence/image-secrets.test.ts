import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import type { ExportRef } from '../../../lambdas/core/evidence/evidence-record';
import { imageSecrets } from '../../../lambdas/core/evidence/image-secrets';
import type { SecretFinding } from '../../../lambdas/core/investigation/secrets/secret-finding';
import {
  SECRET_LIMIT,
  type SegmentFindings,
} from '../../../lambdas/core/investigation/secrets/segment-findings';
import { blob } from './blob';

const s3 = mockClient(S3Client);
// 128 parts in segments of 64: two findings objects, parts 1-64 and 65-128.
const e: ExportRef = JSON.parse(
  readFileSync(join(__dirname, '../../fixtures/evidence/segment.json'), 'utf8'),
);
const finding = (offset: number): SecretFinding => ({
  volumeId: e.volumeId,
  offset,
  kind: 'github-token',
  preview: 'ghp_… (40 chars, redacted)',
});
const stored = (
  firstPart: number,
  lastPart: number,
  findings: SecretFinding[],
  dropped = 0,
): SegmentFindings => ({
  key: e.key,
  firstPart,
  lastPart,
  findings,
  dropped,
  scannedBytes: 1024,
});
const serve = (doc: SegmentFindings) => ({ Body: blob(Buffer.from(JSON.stringify(doc))) as never });

describe('Function: imageSecrets', () => {
  afterEach(() => s3.reset());

  it('merges the segments in volume order and caps the image, counting what it dropped', async () => {
    const many = Array.from({ length: SECRET_LIMIT }, (_, i) => finding(600_000_000 + i));
    s3.on(GetObjectCommand, { Key: `${e.key}.secrets/1-64.json` }).resolves(
      serve(stored(1, 64, [finding(5), finding(9)], 3)),
    );
    s3.on(GetObjectCommand, { Key: `${e.key}.secrets/65-128.json` }).resolves(serve(stored(65, 128, many)));
    const r = await imageSecrets(new S3Client({}), 'vault', e, 64);
    expect(r.secrets).toHaveLength(SECRET_LIMIT);
    expect(r.secrets.slice(0, 2).map((f) => f.offset)).toEqual([5, 9]);
    expect(r.secretsDropped).toBe(3 + 2);
    expect(r.secretsIncomplete).toBeUndefined();
  });

  it('reports a segment without a findings object as not scanned, and still returns the rest', async () => {
    s3.on(GetObjectCommand, { Key: `${e.key}.secrets/1-64.json` }).resolves(
      serve(stored(1, 64, [finding(5)])),
    );
    s3.on(GetObjectCommand, { Key: `${e.key}.secrets/65-128.json` }).rejects(
      Object.assign(new Error('Access Denied'), { name: 'AccessDenied' }),
    );
    const r = await imageSecrets(new S3Client({}), 'vault', e, 64);
    expect(r.secrets.map((f) => f.offset)).toEqual([5]);
    expect(r.secretsIncomplete).toEqual(['parts 65-128: no scan result (AccessDenied)']);
  });
});
