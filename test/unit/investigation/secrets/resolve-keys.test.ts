import { GetAccessKeyLastUsedCommand, IAMClient } from '@aws-sdk/client-iam';
import { GetAccessKeyInfoCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { resolveAccessKeys } from '../../../../lambdas/core/investigation/secrets/resolve-keys';
import type { SecretFinding } from '../../../../lambdas/core/investigation/secrets/secret-finding';

const sts = mockClient(STSClient);
const iam = mockClient(IAMClient);
const OWN = '111122223333';
const finding = (accessKeyId: string, offset = 0): SecretFinding => ({
  volumeId: 'vol-1',
  offset,
  kind: 'aws-access-key',
  preview: `${accessKeyId} / secret access key (40 chars, redacted)`,
  accessKeyId,
});
const clients = () => ({ sts: new STSClient({}), iam: new IAMClient({}), instanceAccount: OWN });

describe('Function: resolveAccessKeys', () => {
  afterEach(() => {
    sts.reset();
    iam.reset();
  });

  it('names the account and, in the instance account, the user owning a long-term key', async () => {
    sts.on(GetAccessKeyInfoCommand).resolves({ Account: OWN });
    iam.on(GetAccessKeyLastUsedCommand).resolves({ UserName: 'deploy' });
    const [r] = await resolveAccessKeys(clients(), [finding('AKIAIOSFODNN7EXAMPLE')]);
    expect(r?.resolved).toEqual({ status: 'resolved', account: OWN, user: 'deploy' });
  });

  it('looks each key id up once however often it appears', async () => {
    sts.on(GetAccessKeyInfoCommand).resolves({ Account: OWN });
    iam.on(GetAccessKeyLastUsedCommand).resolves({ UserName: 'deploy' });
    await resolveAccessKeys(clients(), [
      finding('AKIAIOSFODNN7EXAMPLE', 1),
      finding('AKIAIOSFODNN7EXAMPLE', 2),
    ]);
    expect(sts).toHaveReceivedCommandTimes(GetAccessKeyInfoCommand, 1);
    expect(iam).toHaveReceivedCommandTimes(GetAccessKeyLastUsedCommand, 1);
  });

  it('does not look for the user of a key of another account', async () => {
    sts.on(GetAccessKeyInfoCommand).resolves({ Account: '444455556666' });
    const [r] = await resolveAccessKeys(clients(), [finding('AKIAI44QH8DHBEXAMPLE')]);
    expect(r?.resolved).toMatchObject({ status: 'resolved', account: '444455556666' });
    expect(r?.resolved?.user).toBeUndefined();
    expect(iam).not.toHaveReceivedCommand(GetAccessKeyLastUsedCommand);
  });

  it('says a temporary (ASIA) key belongs to a role session, not a user', async () => {
    sts.on(GetAccessKeyInfoCommand).resolves({ Account: OWN });
    const [r] = await resolveAccessKeys(clients(), [finding('ASIAIOSFODNN7EXAMPLE')]);
    expect(r?.resolved?.detail).toMatch(/role session/);
    expect(iam).not.toHaveReceivedCommand(GetAccessKeyLastUsedCommand);
  });

  it('marks a key unknown, with the reason, when STS refuses', async () => {
    sts.on(GetAccessKeyInfoCommand).rejects(Object.assign(new Error('no'), { name: 'AccessDenied' }));
    const [r] = await resolveAccessKeys(clients(), [finding('AKIAIOSFODNN7EXAMPLE')]);
    expect(r?.resolved).toEqual({ status: 'unknown', detail: 'sts:GetAccessKeyInfo failed (AccessDenied)' });
  });

  it('caps the look-ups and marks the keys beyond the cap unknown', async () => {
    sts.on(GetAccessKeyInfoCommand).resolves({ Account: '444455556666' });
    const ids = ['AKIAAAAAAAAAAAAAAAA1', 'AKIAAAAAAAAAAAAAAAA2', 'AKIAAAAAAAAAAAAAAAA3'];
    const r = await resolveAccessKeys(
      clients(),
      ids.map((id) => finding(id)),
      2,
    );
    expect(sts).toHaveReceivedCommandTimes(GetAccessKeyInfoCommand, 2);
    expect(r[2]?.resolved).toEqual({
      status: 'unknown',
      detail: 'not looked up: more than 2 distinct key ids on this image',
    });
  });
});
