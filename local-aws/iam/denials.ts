import { randomUUID } from 'node:crypto';

/** A response the enforcer sends itself instead of the emulator's. */
export interface Reply {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

const xml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * AWS's access-denied message: who, which action, which resource, and why.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html
 */
export function deniedMessage(
  principal: string,
  action: string,
  resource: string,
  explicit: boolean,
): string {
  const why = explicit
    ? 'with an explicit deny in a policy'
    : `because no identity-based policy allows the ${action} action`;
  return `User: ${principal} is not authorized to perform: ${action} on resource: ${resource} ${why}`;
}

const QUERY_NS: Readonly<Record<string, string>> = {
  iam: 'https://iam.amazonaws.com/doc/2010-05-08/',
  sts: 'https://sts.amazonaws.com/doc/2011-06-15/',
  autoscaling: 'http://autoscaling.amazonaws.com/doc/2011-01-01/',
  elasticloadbalancing: 'http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/',
  sns: 'http://sns.amazonaws.com/doc/2010-03-31/',
};

/**
 * The access-denied answer of each service, in its wire protocol, code and status:
 * - EC2: 403 `UnauthorizedOperation` (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/errors-overview.html)
 * - IAM, STS, Auto Scaling, ELBv2: 403 `AccessDenied` in an awsQuery ErrorResponse; SNS names it
 *   `AuthorizationError` (https://docs.aws.amazon.com/sns/latest/api/CommonErrors.html)
 * - JSON services (DynamoDB, Step Functions, CloudTrail, KMS): 400 `AccessDeniedException`
 *   (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Programming.Errors.html)
 * - S3: 403 `AccessDenied`, no body for HEAD (https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html)
 * - EBS direct APIs: 403 `AccessDeniedException` (https://docs.aws.amazon.com/ebs/latest/APIReference/CommonErrors.html)
 */
export function accessDenied(service: string, method: string, message: string, json: boolean): Reply {
  const id = randomUUID();
  if (service === 's3') {
    const body =
      method === 'HEAD'
        ? ''
        : `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>AccessDenied</Code><Message>${xml(message)}</Message><RequestId>${id}</RequestId><HostId>${id}</HostId></Error>`;
    return { status: 403, headers: { 'content-type': 'application/xml', 'x-amz-request-id': id }, body };
  }
  // REST-JSON services answer 403 with the error type in a header.
  // https://docs.aws.amazon.com/guardduty/latest/APIReference/CommonErrors.html
  if (service === 'inspector2' || service === 'guardduty')
    return {
      status: 403,
      headers: {
        'content-type': 'application/json',
        'x-amzn-errortype': 'AccessDeniedException',
        'x-amzn-requestid': id,
      },
      body: JSON.stringify({ message }),
    };
  if (service === 'ebs')
    return {
      status: 403,
      headers: {
        'content-type': 'application/json',
        'x-amzn-errortype': 'AccessDeniedException',
        'x-amzn-requestid': id,
      },
      body: JSON.stringify({ message, Reason: 'UNAUTHORIZED_ACCOUNT' }),
    };
  if (json)
    return {
      status: 400,
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': id },
      body: JSON.stringify({ __type: 'AccessDeniedException', message }),
    };
  if (service === 'ec2')
    return {
      status: 403,
      headers: { 'content-type': 'text/xml;charset=UTF-8' },
      body: `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>UnauthorizedOperation</Code><Message>You are not authorized to perform this operation. ${xml(message)}</Message></Error></Errors><RequestID>${id}</RequestID></Response>`,
    };
  const code = service === 'sns' ? 'AuthorizationError' : 'AccessDenied';
  return {
    status: 403,
    headers: { 'content-type': 'text/xml', 'x-amzn-requestid': id },
    body: `<ErrorResponse xmlns="${QUERY_NS[service] ?? ''}"><Error><Type>Sender</Type><Code>${code}</Code><Message>${xml(message)}</Message></Error><RequestId>${id}</RequestId></ErrorResponse>`,
  };
}

/** An operation the authorization table does not know: refused loudly, so no new call passes unchecked. */
export function unknownOperation(service: string, operation: string): Reply {
  return {
    status: 501,
    headers: { 'content-type': 'text/plain', 'x-amzn-errortype': 'NotImplemented' },
    body:
      `The IAM-enforcing local AWS does not know ${service}:${operation}: add it to local-aws/iam/operations/ ` +
      '(its IAM actions, resources and AWS doc link) before the code may call it.',
  };
}
