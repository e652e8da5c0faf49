import type { StatementLike } from '../../../policies/evaluation';
import { allow, decideOne } from './golden-support';

const OPERATORS =
  'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html';
const MULTI =
  'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-logic-multiple-context-keys-or-values.html';
const SETS =
  'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html';
const SET_EXAMPLES =
  'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition_examples-multi-valued-context-keys.html';

type Context = Record<string, string | boolean | number | ReadonlyArray<string>>;
/** [case, doc page, Condition element, request context, whether the condition holds] */
type Row = readonly [string, string, NonNullable<StatementLike['Condition']>, Context, boolean];

const TAGS = { 'aws:TagKeys': ['key1:hr', 'key1:personnel'] };

const rows: Row[] = [
  // String operators
  ['StringEquals matches exactly', OPERATORS, { StringEquals: { 'aws:PrincipalTag/team': 'red' } }, {}, true],
  [
    'StringEquals is case-sensitive',
    OPERATORS,
    { StringEquals: { 'aws:username': 'Alice' } },
    { 'aws:username': 'alice' },
    false,
  ],
  [
    'condition key names are case-insensitive',
    OPERATORS,
    { StringEquals: { 'AWS:USERNAME': 'alice' } },
    { 'aws:UserName': 'alice' },
    true,
  ],
  [
    'StringEquals does not expand wildcards',
    OPERATORS,
    { StringEquals: { 'aws:username': 'a*' } },
    { 'aws:username': 'alice' },
    false,
  ],
  [
    'StringNotEquals holds for another value',
    OPERATORS,
    { StringNotEquals: { 'aws:username': 'bob' } },
    { 'aws:username': 'alice' },
    true,
  ],
  [
    'StringNotEquals holds when the key is missing',
    OPERATORS,
    { StringNotEquals: { 'aws:username': 'bob' } },
    {},
    true,
  ],
  [
    'StringEquals is false when the key is missing',
    OPERATORS,
    { StringEquals: { 'aws:username': 'bob' } },
    {},
    false,
  ],
  [
    'StringEqualsIgnoreCase ignores case',
    OPERATORS,
    { StringEqualsIgnoreCase: { 'aws:username': 'ALICE' } },
    { 'aws:username': 'alice' },
    true,
  ],
  [
    'StringNotEqualsIgnoreCase ignores case',
    OPERATORS,
    { StringNotEqualsIgnoreCase: { 'aws:username': 'ALICE' } },
    { 'aws:username': 'alice' },
    false,
  ],
  [
    'StringLike with * matches',
    OPERATORS,
    { StringLike: { 's3:prefix': 'home/*' } },
    { 's3:prefix': 'home/alice/x' },
    true,
  ],
  [
    'StringLike with ? matches exactly one character',
    OPERATORS,
    { StringLike: { 's3:prefix': 'a?c' } },
    { 's3:prefix': 'abbc' },
    false,
  ],
  [
    'StringLike is case-sensitive',
    OPERATORS,
    { StringLike: { 's3:prefix': 'Home/*' } },
    { 's3:prefix': 'home/x' },
    false,
  ],
  [
    'StringNotLike holds when no pattern matches',
    OPERATORS,
    { StringNotLike: { 's3:prefix': ['a*', 'b*'] } },
    { 's3:prefix': 'c1' },
    true,
  ],
  [
    'StringNotLike: several values are a NOR',
    MULTI,
    { StringNotLike: { 's3:prefix': ['a*', 'b*'] } },
    { 's3:prefix': 'b1' },
    false,
  ],
  [
    'several values for one key are an OR',
    MULTI,
    { StringEquals: { 'aws:username': ['bob', 'alice'] } },
    { 'aws:username': 'alice' },
    true,
  ],
  [
    'several keys are an AND',
    MULTI,
    { StringEquals: { 'aws:username': 'alice', 'aws:PrincipalTag/team': 'blue' } },
    { 'aws:username': 'alice' },
    false,
  ],
  [
    'several operators are an AND',
    MULTI,
    { StringEquals: { 'aws:username': 'alice' }, Bool: { 'aws:SecureTransport': 'true' } },
    { 'aws:username': 'alice', 'aws:SecureTransport': 'false' },
    false,
  ],
  // Numeric
  [
    'NumericLessThan compares numbers',
    OPERATORS,
    { NumericLessThan: { 's3:max-keys': '10' } },
    { 's3:max-keys': '9' },
    true,
  ],
  [
    'NumericLessThan is false on equality',
    OPERATORS,
    { NumericLessThan: { 's3:max-keys': 10 } },
    { 's3:max-keys': 10 },
    false,
  ],
  [
    'NumericLessThanEquals holds on equality',
    OPERATORS,
    { NumericLessThanEquals: { 's3:max-keys': '10' } },
    { 's3:max-keys': '10' },
    true,
  ],
  [
    'NumericGreaterThan compares numerically, not as text',
    OPERATORS,
    { NumericGreaterThan: { 's3:max-keys': '9' } },
    { 's3:max-keys': '10' },
    true,
  ],
  [
    'NumericGreaterThanEquals',
    OPERATORS,
    { NumericGreaterThanEquals: { 's3:max-keys': '10.5' } },
    { 's3:max-keys': '10' },
    false,
  ],
  ['NumericEquals', OPERATORS, { NumericEquals: { 's3:max-keys': '10' } }, { 's3:max-keys': '10.0' }, true],
  [
    'NumericNotEquals',
    OPERATORS,
    { NumericNotEquals: { 's3:max-keys': '10' } },
    { 's3:max-keys': '11' },
    true,
  ],
  [
    'a non-numeric request value never matches a numeric operator',
    OPERATORS,
    { NumericEquals: { 's3:max-keys': '10' } },
    { 's3:max-keys': 'ten' },
    false,
  ],
  // Date
  [
    'DateGreaterThan with ISO dates',
    OPERATORS,
    { DateGreaterThan: { 'aws:CurrentTime': '2026-01-01T00:00:00Z' } },
    { 'aws:CurrentTime': '2026-11-30T05:00:00Z' },
    true,
  ],
  [
    'DateLessThan with ISO dates',
    OPERATORS,
    { DateLessThan: { 'aws:CurrentTime': '2026-01-01T00:00:00Z' } },
    { 'aws:CurrentTime': '2026-11-30T05:00:00Z' },
    false,
  ],
  [
    'DateEquals compares an epoch value with an ISO date',
    OPERATORS,
    { DateEquals: { 'aws:EpochTime': '2026-01-01T00:00:00Z' } },
    { 'aws:EpochTime': '1767225600' },
    true,
  ],
  [
    'DateNotEquals',
    OPERATORS,
    { DateNotEquals: { 'aws:CurrentTime': '2026-01-01' } },
    { 'aws:CurrentTime': '2026-01-02' },
    true,
  ],
  [
    'DateLessThanEquals and DateGreaterThanEquals hold on equality',
    OPERATORS,
    {
      DateLessThanEquals: { 'aws:CurrentTime': '2026-01-01T00:00:00Z' },
      DateGreaterThanEquals: { 'aws:CurrentTime': '1767225600' },
    },
    { 'aws:CurrentTime': '2026-01-01T00:00:00Z' },
    true,
  ],
  // Bool, Binary
  [
    'Bool true matches "true"',
    OPERATORS,
    { Bool: { 'aws:SecureTransport': 'true' } },
    { 'aws:SecureTransport': 'true' },
    true,
  ],
  [
    'Bool accepts a JSON boolean in the policy',
    OPERATORS,
    { Bool: { 'aws:SecureTransport': false } },
    { 'aws:SecureTransport': false },
    true,
  ],
  [
    'Bool false does not match true',
    OPERATORS,
    { Bool: { 'aws:SecureTransport': 'false' } },
    { 'aws:SecureTransport': 'true' },
    false,
  ],
  [
    'Bool is false when the key is missing',
    OPERATORS,
    { Bool: { 'aws:SecureTransport': 'false' } },
    {},
    false,
  ],
  [
    'BinaryEquals compares base64 values',
    OPERATORS,
    { BinaryEquals: { 'ec2:Binary': 'QmluYXJ5VmFsdWVJbkJhc2U2NA==' } },
    { 'ec2:Binary': 'QmluYXJ5VmFsdWVJbkJhc2U2NA==' },
    true,
  ],
  [
    'BinaryEquals: different bytes do not match',
    OPERATORS,
    { BinaryEquals: { 'ec2:Binary': 'QUJD' } },
    { 'ec2:Binary': 'QUJE' },
    false,
  ],
  // IP addresses
  [
    'IpAddress matches an IPv4 CIDR',
    OPERATORS,
    { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } },
    { 'aws:SourceIp': '203.0.113.7' },
    true,
  ],
  [
    'IpAddress outside the IPv4 CIDR',
    OPERATORS,
    { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } },
    { 'aws:SourceIp': '203.0.114.7' },
    false,
  ],
  [
    'IpAddress with a single address',
    OPERATORS,
    { IpAddress: { 'aws:SourceIp': '203.0.113.7' } },
    { 'aws:SourceIp': '203.0.113.7' },
    true,
  ],
  [
    'IpAddress matches an IPv6 CIDR',
    OPERATORS,
    { IpAddress: { 'aws:SourceIp': '2001:DB8:1234:5678::/64' } },
    { 'aws:SourceIp': '2001:db8:1234:5678::abcd' },
    true,
  ],
  [
    'IpAddress outside the IPv6 CIDR',
    OPERATORS,
    { IpAddress: { 'aws:SourceIp': '2001:DB8:1234:5678::/64' } },
    { 'aws:SourceIp': '2001:db8:1234:5679::1' },
    false,
  ],
  [
    'IpAddress matches an IPv4-mapped IPv6 address',
    OPERATORS,
    { IpAddress: { 'aws:SourceIp': '::ffff:203.0.113.0/120' } },
    { 'aws:SourceIp': '::ffff:203.0.113.9' },
    true,
  ],
  [
    'an IPv4 address is not in an IPv6 block',
    OPERATORS,
    { IpAddress: { 'aws:SourceIp': '::/0' } },
    { 'aws:SourceIp': '203.0.113.7' },
    false,
  ],
  [
    'NotIpAddress holds outside every listed block',
    OPERATORS,
    { NotIpAddress: { 'aws:SourceIp': ['192.0.2.0/24', '203.0.113.0/24'] } },
    { 'aws:SourceIp': '198.51.100.1' },
    true,
  ],
  [
    'NotIpAddress fails inside a listed block',
    OPERATORS,
    { NotIpAddress: { 'aws:SourceIp': ['192.0.2.0/24', '203.0.113.0/24'] } },
    { 'aws:SourceIp': '192.0.2.9' },
    false,
  ],
  // ARN operators
  [
    'ArnLike matches per ARN component',
    OPERATORS,
    { ArnLike: { 'aws:SourceArn': 'arn:aws:sns:*:123456789012:topic-*' } },
    { 'aws:SourceArn': 'arn:aws:sns:eu-west-1:123456789012:topic-a' },
    true,
  ],
  [
    'ArnLike: a wildcard in one component does not span a colon',
    OPERATORS,
    { ArnLike: { 'aws:SourceArn': 'arn:aws:sns:*:123456789012:x' } },
    { 'aws:SourceArn': 'arn:aws:sns:eu-west-1:extra:123456789012:x' },
    false,
  ],
  [
    'ArnEquals matches an identical ARN',
    OPERATORS,
    { ArnEquals: { 'aws:SourceArn': 'arn:aws:sns:eu-west-1:123456789012:t' } },
    { 'aws:SourceArn': 'arn:aws:sns:eu-west-1:123456789012:t' },
    true,
  ],
  [
    'ArnNotEquals',
    OPERATORS,
    { ArnNotEquals: { 'aws:SourceArn': 'arn:aws:sns:eu-west-1:123456789012:t' } },
    { 'aws:SourceArn': 'arn:aws:sns:eu-west-1:123456789012:u' },
    true,
  ],
  [
    'ArnNotLike fails on a match',
    OPERATORS,
    { ArnNotLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/web-*' } },
    {},
    false,
  ],
  [
    'ArnLike on aws:PrincipalArn uses the role ARN of a session',
    OPERATORS,
    { ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::111122223333:role/web-role' } },
    {},
    true,
  ],
  // Null and IfExists
  ['Null true holds when the key is absent', OPERATORS, { Null: { 'aws:TokenIssueTime': 'true' } }, {}, true],
  [
    'Null true fails when the key is present',
    OPERATORS,
    { Null: { 'aws:TokenIssueTime': 'true' } },
    { 'aws:TokenIssueTime': '2026-11-30T00:00:00Z' },
    false,
  ],
  [
    'Null false holds when the key is present',
    OPERATORS,
    { Null: { 'aws:TokenIssueTime': false } },
    { 'aws:TokenIssueTime': '2026-11-30T00:00:00Z' },
    true,
  ],
  [
    'StringEqualsIfExists holds when the key is absent',
    OPERATORS,
    { StringEqualsIfExists: { 'ec2:InstanceType': 't3.micro' } },
    {},
    true,
  ],
  [
    'StringEqualsIfExists compares when the key is present',
    OPERATORS,
    { StringEqualsIfExists: { 'ec2:InstanceType': 't3.micro' } },
    { 'ec2:InstanceType': 'm5.large' },
    false,
  ],
  [
    'NumericLessThanIfExists holds when the key is absent',
    OPERATORS,
    { NumericLessThanIfExists: { 's3:max-keys': '1' } },
    {},
    true,
  ],
  [
    'IpAddressIfExists, ArnLikeIfExists, BoolIfExists, DateLessThanIfExists hold when absent',
    OPERATORS,
    {
      IpAddressIfExists: { 'aws:SourceIp': '10.0.0.0/8' },
      ArnLikeIfExists: { 'aws:SourceArn': 'arn:*:*:*:*:*' },
      BoolIfExists: { 'aws:MultiFactorAuthPresent': 'true' },
      DateLessThanIfExists: { 'aws:CurrentTime': '2020-01-01' },
      BinaryEqualsIfExists: { 'ec2:Binary': 'QUJD' },
    },
    {},
    true,
  ],
  [
    'StringNotEqualsIfExists holds when absent',
    OPERATORS,
    { StringNotEqualsIfExists: { 'aws:PrincipalOrgID': 'o-123' } },
    {},
    true,
  ],
  [
    'an unknown operator never holds',
    OPERATORS,
    { StringEqualz: { 'aws:PrincipalTag/team': 'red' } },
    {},
    false,
  ],
  // Set operators
  [
    'ForAllValues holds when every request value matches a policy value',
    SET_EXAMPLES,
    { 'ForAllValues:StringLike': { 'aws:TagKeys': ['key1*'] } },
    TAGS,
    true,
  ],
  [
    'ForAllValues fails when one request value matches none',
    SETS,
    { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['key1:hr'] } },
    TAGS,
    false,
  ],
  [
    'ForAllValues holds when the key is missing',
    SETS,
    { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['key1:hr'] } },
    {},
    true,
  ],
  [
    'ForAllValues holds for an empty request set',
    SETS,
    { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['x'] } },
    { 'aws:TagKeys': [] },
    true,
  ],
  [
    'ForAnyValue holds when one request value matches',
    SETS,
    { 'ForAnyValue:StringEquals': { 'aws:TagKeys': ['key1:hr', 'other'] } },
    TAGS,
    true,
  ],
  [
    'ForAnyValue fails when no request value matches',
    SETS,
    { 'ForAnyValue:StringEquals': { 'aws:TagKeys': ['other'] } },
    TAGS,
    false,
  ],
  [
    'ForAnyValue is false when the key is missing',
    SETS,
    { 'ForAnyValue:StringEquals': { 'aws:TagKeys': ['key1:hr'] } },
    {},
    false,
  ],
  [
    'ForAnyValue ...IfExists holds when the key is missing',
    OPERATORS,
    { 'ForAnyValue:StringEqualsIfExists': { 'aws:TagKeys': ['key1:hr'] } },
    {},
    true,
  ],
  [
    'ForAllValues:StringNotLike: key1:legal does not match',
    SET_EXAMPLES,
    { 'ForAllValues:StringNotLike': { 'aws:TagKeys': 'key1*' } },
    { 'aws:TagKeys': ['key1:legal'] },
    false,
  ],
  [
    'ForAllValues:StringNotLike: key2:audit matches',
    SET_EXAMPLES,
    { 'ForAllValues:StringNotLike': { 'aws:TagKeys': 'key1*' } },
    { 'aws:TagKeys': ['key2:audit'] },
    true,
  ],
  [
    'ForAllValues:StringNotLike: no aws:TagKeys matches',
    SET_EXAMPLES,
    { 'ForAllValues:StringNotLike': { 'aws:TagKeys': 'key1*' } },
    {},
    true,
  ],
  [
    'ForAnyValue:StringNotEquals holds when some value is not listed',
    SETS,
    { 'ForAnyValue:StringNotEquals': { 'aws:TagKeys': ['key1:hr'] } },
    TAGS,
    true,
  ],
];

describe('evaluate: condition operators', () => {
  it.each(rows)('%s (%s)', (_name, _source, Condition, context, holds) => {
    const r = decideOne(
      { identity: [allow('s3:GetObject', '*', { Condition })] },
      's3:GetObject',
      'arn:aws:s3:::b/k',
      context,
    );
    expect(r.decision).toBe(holds ? 'Allowed' : 'ImplicitDeny');
  });
});
