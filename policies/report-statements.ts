import type { ArnContext, ResponderResources } from './arn-context';
import { assumeMemberRoles, ledgerAppend, lockedVaultWrite } from './common-statements';
import type { PolicyStatement } from './policy-document';

/** The Lambdas of the exposure and report steps (issue 15), named as their handler files. */
export const REPORT_LAMBDAS = ['investigate-exposure', 'issue-report'] as const;
export type ReportLambda = (typeof REPORT_LAMBDAS)[number];

/**
 * What the exposure step reads in an account where instances run (also granted to the MemberAccess role,
 * through which it reads in member accounts). EC2 Describe*, LookupEvents, Inspector's ListFindings and
 * GuardDuty's ListDetectors/ListFindings/GetFindings have no resource types: `*` is the only resource.
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoninspector2.html
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonguardduty.html
 */
export function exposureReadStatements(c: ArnContext, accounts: ReadonlyArray<string>): PolicyStatement[] {
  return [
    {
      Sid: 'ExposureReads',
      Effect: 'Allow',
      Action: [
        'ec2:DescribeInstances',
        'ec2:DescribeInstanceAttribute',
        'ec2:DescribeAddresses',
        'ec2:DescribeSecurityGroups',
        'ec2:DescribeRouteTables',
        'cloudtrail:LookupEvents',
        'inspector2:ListFindings',
        'guardduty:ListDetectors',
        'guardduty:ListFindings',
        'guardduty:GetFindings',
      ],
      Resource: '*',
    },
    {
      // The role's unique id names its session in GuardDuty findings (`<role id>:<instance id>`).
      Sid: 'ExposureInstanceProfile',
      Effect: 'Allow',
      Action: 'iam:GetInstanceProfile',
      Resource: accounts.map((a) => `arn:${c.partition}:iam::${a}:instance-profile/*`),
    },
  ];
}

/**
 * The exposure step: ledger, the reads of exposureReadStatements in its own account (member accounts
 * through the MemberAccess role), and the locked write of exposure.json.
 */
export const exposureStatements = (c: ArnContext, r: ResponderResources): PolicyStatement[] => [
  ledgerAppend(r.ledgerTableArn),
  ...exposureReadStatements(c, [c.accountId]),
  ...lockedVaultWrite(r),
];

/**
 * The report step only reads the ledger and the vault (each input by version: GetObject with a
 * VersionId needs s3:GetObjectVersion, SSE-KMS objects kms:Decrypt) and writes the report there; it
 * never acts on instances. https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html
 */
export const issueReportStatements = (r: ResponderResources): PolicyStatement[] => [
  ledgerAppend(r.ledgerTableArn),
  ...lockedVaultWrite(r, ['s3:GetObject', 's3:GetObjectVersion']),
];

/** The whole role of one of these Lambdas, as responder-statements.ts lambdaStatements renders it. */
export function reportLambdaStatements(
  name: ReportLambda,
  c: ArnContext,
  r: ResponderResources,
): PolicyStatement[] {
  if (name === 'issue-report') return issueReportStatements(r);
  return [...exposureStatements(c, r), ...assumeMemberRoles(c, r)];
}

/** The MemberAccess role's share (prefixed Sids, as memberAccessPolicy merges them). */
export const memberExposureStatements = (c: ArnContext): PolicyStatement[] =>
  exposureReadStatements(c, [c.accountId]).map((s) => ({ ...s, Sid: `Exposure${s.Sid ?? ''}` }));
