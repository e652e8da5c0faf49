import type { PolicyDocument } from './policy-document';

/**
 * Trust of a Lambda execution role: the Lambda service, and only on behalf of this account's functions
 * (confused-deputy guard). https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html
 */
export const lambdaTrust = (accountId: string): PolicyDocument => ({
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'LambdaService',
      Effect: 'Allow',
      Principal: { Service: 'lambda.amazonaws.com' },
      Action: 'sts:AssumeRole',
      Condition: { StringEquals: { 'aws:SourceAccount': accountId } },
    },
  ],
});

/** Trust of a service role used by one resource of this account (Step Functions, API Gateway logs). */
export const serviceTrust = (service: string, accountId: string): PolicyDocument => ({
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'ServiceOfThisAccount',
      Effect: 'Allow',
      Principal: { Service: service },
      Action: 'sts:AssumeRole',
      Condition: { StringEquals: { 'aws:SourceAccount': accountId } },
    },
  ],
});

/**
 * Trust of the MemberAccess role in a member account: only the responder's roles, named exactly (a role
 * ARN principal, not the account root, so no other principal of the responder account can assume it).
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-roles
 */
export const memberAccessTrust = (responderRoleArns: ReadonlyArray<string>): PolicyDocument => ({
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'ResponderOnly',
      Effect: 'Allow',
      Principal: { AWS: [...responderRoleArns] },
      Action: 'sts:AssumeRole',
    },
  ],
});

/** Trust of a human role (reviewer, on-call): principals of the given account that may assume it. */
export const humanTrust = (principalArns: ReadonlyArray<string>, requireMfa: boolean): PolicyDocument => ({
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'NamedPrincipals',
      Effect: 'Allow',
      Principal: { AWS: [...principalArns] },
      Action: 'sts:AssumeRole',
      ...(requireMfa ? { Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } } : {}),
    },
  ],
});
