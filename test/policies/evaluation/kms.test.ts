import {
  ACCOUNT,
  allow,
  deny,
  doc,
  type GoldenCase,
  KEY_ARN,
  OTHER,
  ROLE_ARN,
  runGolden,
} from './golden-support';

const KEY_POLICIES = 'https://docs.aws.amazon.com/kms/latest/developerguide/key-policies.html';
const DEFAULT =
  'https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html#key-policy-default-allow-root-enable-iam';
const CROSS =
  'https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-modifying-external-accounts.html';

/** The default key policy statement: it enables IAM policies for the account. */
const enableIam = (account: string) =>
  allow('kms:*', '*', { Principal: { AWS: `arn:aws:iam::${account}:root` } });
const key = (accountId: string, policy: ReturnType<typeof doc> | null) => [
  { arn: KEY_ARN.replace(ACCOUNT, accountId), accountId, policy },
];
const OTHER_KEY = KEY_ARN.replace(ACCOUNT, OTHER);

describe('evaluate: KMS key policies', () => {
  runGolden([
    {
      name: 'a key without a key policy denies even with an IAM allow',
      source: KEY_POLICIES,
      parts: { identity: [allow('kms:*')], resources: key(ACCOUNT, null) },
      action: 'kms:Decrypt',
      resource: KEY_ARN,
      expected: 'ImplicitDeny',
      decidedBy: [`resource:${KEY_ARN}`],
    },
    {
      name: 'an unlisted key has no key policy: denied',
      source: KEY_POLICIES,
      parts: { identity: [allow('kms:*')] },
      action: 'kms:Decrypt',
      resource: KEY_ARN,
      expected: 'ImplicitDeny',
    },
    {
      name: 'the default key policy enables IAM policies: an identity allow grants',
      source: DEFAULT,
      parts: { identity: [allow('kms:Decrypt', KEY_ARN)], resources: key(ACCOUNT, doc(enableIam(ACCOUNT))) },
      action: 'kms:Decrypt',
      resource: KEY_ARN,
      expected: 'Allowed',
      decidedBy: [`resource:${KEY_ARN}`, 'identity:app'],
    },
    {
      name: 'the default key policy alone grants the role nothing',
      source: DEFAULT,
      parts: { resources: key(ACCOUNT, doc(enableIam(ACCOUNT))) },
      action: 'kms:Decrypt',
      resource: KEY_ARN,
      expected: 'ImplicitDeny',
    },
    {
      name: 'without delegation to the account, IAM policies have no effect',
      source: KEY_POLICIES,
      parts: {
        identity: [allow('kms:*')],
        resources: key(
          ACCOUNT,
          doc(allow('kms:*', '*', { Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/admin` } })),
        ),
      },
      action: 'kms:Decrypt',
      resource: KEY_ARN,
      expected: 'ImplicitDeny',
    },
    {
      name: 'a key policy naming the role grants without an identity policy',
      source: KEY_POLICIES,
      parts: { resources: key(ACCOUNT, doc(allow('kms:Decrypt', '*', { Principal: { AWS: ROLE_ARN } }))) },
      action: 'kms:Decrypt',
      resource: KEY_ARN,
      expected: 'Allowed',
    },
    {
      name: 'a key policy grant to the role is limited by its boundary',
      source: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html',
      parts: {
        permissionsBoundary: doc(allow('s3:*')),
        resources: key(ACCOUNT, doc(allow('kms:Decrypt', '*', { Principal: { AWS: ROLE_ARN } }))),
      },
      action: 'kms:Decrypt',
      resource: KEY_ARN,
      expected: 'ImplicitDeny',
    },
    {
      name: 'an explicit deny in the key policy wins',
      source: KEY_POLICIES,
      parts: {
        identity: [allow('kms:*')],
        resources: key(ACCOUNT, doc(enableIam(ACCOUNT), deny('kms:Decrypt', '*', { Principal: '*' }))),
      },
      action: 'kms:Decrypt',
      resource: KEY_ARN,
      expected: 'ExplicitDeny',
    },
    {
      name: 'cross-account: the key policy and an identity policy must both allow',
      source: CROSS,
      parts: {
        identity: [allow('kms:Decrypt', OTHER_KEY)],
        resources: key(OTHER, doc(enableIam(OTHER), enableIam(ACCOUNT))),
      },
      action: 'kms:Decrypt',
      resource: OTHER_KEY,
      expected: 'Allowed',
    },
    {
      name: 'cross-account: the key policy alone is not enough',
      source: CROSS,
      parts: { resources: key(OTHER, doc(enableIam(ACCOUNT))) },
      action: 'kms:Decrypt',
      resource: OTHER_KEY,
      expected: 'ImplicitDeny',
    },
    {
      name: 'cross-account: a key policy that names only its own account denies',
      source: CROSS,
      parts: { identity: [allow('kms:*')], resources: key(OTHER, doc(enableIam(OTHER))) },
      action: 'kms:Decrypt',
      resource: OTHER_KEY,
      expected: 'ImplicitDeny',
    },
    {
      name: 'kms actions on no key (ListKeys on *) are decided by IAM policies',
      source: 'https://docs.aws.amazon.com/kms/latest/developerguide/iam-policies.html',
      parts: { identity: [allow('kms:ListKeys')] },
      action: 'kms:ListKeys',
      resource: '*',
      expected: 'Allowed',
    },
  ] satisfies GoldenCase[]);
});
