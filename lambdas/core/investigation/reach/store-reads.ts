import type { StoreFacts } from './snapshot-set';

/** One read of a store: the IAM action, the resource ARN it is authorized on, and whether it yields data
 * encrypted under the store's KMS key (so the key's Decrypt must be allowed too). */
export interface StoreRead {
  readonly action: string;
  readonly resource: string;
  readonly decrypts: boolean;
}

/**
 * The read actions of each store type and the resources AWS authorizes them on:
 * - S3: `s3:GetObject` on the objects (`bucket/*`: "any object"; grants limited to a key prefix are not
 *   seen), `s3:ListBucket` on the bucket. Objects under SSE-KMS need `kms:Decrypt` on their key.
 *   https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html
 *   https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html#require-sse-kms
 * - Secrets Manager: `secretsmanager:GetSecretValue` on the secret; needs `kms:Decrypt` on its key.
 *   https://docs.aws.amazon.com/secretsmanager/latest/userguide/security-encryption.html
 * - SSM: `ssm:GetParameter` on `parameter/<name>`; a SecureString needs `kms:Decrypt` on its key.
 *   https://docs.aws.amazon.com/systems-manager/latest/userguide/secure-string-parameter-kms-encryption.html
 * - DynamoDB: `GetItem`, `Query`, `Scan` on the table; a table under a KMS key in the account (SSEType KMS)
 *   is read through that key.
 *   https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/encryption.howitworks.html
 */
export function storeReads(store: StoreFacts): StoreRead[] {
  switch (store.type) {
    case 's3':
      return [
        { action: 's3:GetObject', resource: `${store.arn}/*`, decrypts: true },
        { action: 's3:ListBucket', resource: store.arn, decrypts: false },
      ];
    case 'secretsmanager':
      return [{ action: 'secretsmanager:GetSecretValue', resource: store.arn, decrypts: true }];
    case 'ssm':
      return [{ action: 'ssm:GetParameter', resource: store.arn, decrypts: true }];
    case 'dynamodb':
      return ['GetItem', 'Query', 'Scan'].map((a) => ({
        action: `dynamodb:${a}`,
        resource: store.arn,
        decrypts: true,
      }));
  }
}

/** The ARN of an SSM parameter: `parameter/` followed by its name without a leading slash. */
export function parameterArn(region: string, accountId: string, name: string): string {
  return `arn:aws:ssm:${region}:${accountId}:parameter/${name.replace(/^\//, '')}`;
}
