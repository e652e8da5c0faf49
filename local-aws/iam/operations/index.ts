import { EC2 } from './ec2';
import { GUARDDUTY, INSPECTOR2 } from './findings';
import { LOGS, ORGANIZATIONS, SECRETSMANAGER, SSM } from './investigation';
import { S3 } from './s3';
import { AUTOSCALING, CLOUDTRAIL, DYNAMODB, EBS, ELBV2, IAM, KMS, SNS, STATES, STS } from './services';
import type { OperationAuth, OperationTable } from './types';

export type { Check, ContextValue, Facts, OperationAuth, OperationTable } from './types';

/**
 * Every AWS operation Sequester's code calls, with the IAM authorization AWS makes for it. A new
 * operation goes into its service's file; the enforcer refuses (501) one that is not here, and
 * test/policies/operation-table.test.ts fails when the code imports one that is not here.
 */
export const OPERATIONS: OperationTable = {
  ...EC2,
  ...S3,
  ...IAM,
  ...STS,
  ...AUTOSCALING,
  ...ELBV2,
  ...SNS,
  ...STATES,
  ...CLOUDTRAIL,
  ...DYNAMODB,
  ...EBS,
  ...KMS,
  ...INSPECTOR2,
  ...GUARDDUTY,
  ...SECRETSMANAGER,
  ...SSM,
  ...ORGANIZATIONS,
  ...LOGS,
};

export const operationAuth = (service: string, operation: string): OperationAuth | undefined =>
  OPERATIONS[`${service}:${operation}`];
