import { CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import type { ClientOptions } from '../lambdas/core/clients';

/**
 * A customer-managed KMS key for a workload's EBS volumes, as regulated accounts use with encryption by
 * default. Created with KMS's default key policy, which delegates to the account (IAM policies then
 * decide); a key whose policy does not must name the responder roles itself (README, Encrypted volumes).
 * https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html
 */
export async function createVolumeKey(
  opts: ClientOptions,
  description = 'workload EBS volumes',
): Promise<string> {
  const kms = new KMSClient({
    region: opts.region,
    ...(opts.endpoint === undefined ? {} : { endpoint: opts.endpoint }),
    ...(opts.credentials === undefined ? {} : { credentials: opts.credentials }),
  });
  const key = await kms.send(new CreateKeyCommand({ Description: description }));
  kms.destroy();
  return key.KeyMetadata?.Arn ?? '';
}
