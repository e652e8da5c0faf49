import { accessDenied } from '../../../local-aws/iam/denials';
import { operationAuth } from '../../../local-aws/iam/operations';
import { callerOf, callOf, type WireRequest } from '../../../local-aws/iam/wire';

const request = (service: string, method: string, path: string, body = ''): WireRequest => ({
  method,
  path,
  query: new URLSearchParams(),
  headers: {
    authorization: `AWS4-HMAC-SHA256 Credential=AKIAEXAMPLE000000001/20261130/eu-west-1/${service}/aws4_request, SignedHeaders=host, Signature=00`,
  },
  body: Buffer.from(body),
});

/**
 * Inspector and GuardDuty speak REST-JSON (no X-Amz-Target): the operation is the method and path,
 * as their API references give them.
 */
describe('the local IAM layer on REST-JSON services (Inspector, GuardDuty)', () => {
  it.each([
    ['inspector2', 'POST', '/findings/list', 'ListFindings'],
    ['guardduty', 'GET', '/detector', 'ListDetectors'],
    ['guardduty', 'POST', '/detector/12abc34d567e8fa901bc2d34e56789f0/findings', 'ListFindings'],
    ['guardduty', 'POST', '/detector/12abc34d567e8fa901bc2d34e56789f0/findings/get', 'GetFindings'],
  ])('names %s %s %s as %s, authorized on `*`', async (service, method, path, operation) => {
    const req = request(service, method, path, '{}');
    const caller = callerOf(req);
    if (caller === undefined) throw new Error('unsigned');
    const call = callOf(req, caller);
    expect(call.operation).toBe(operation);
    const checks = await operationAuth(service, operation)?.checks(call, {} as never);
    expect(checks).toEqual([{ action: `${service}:${operation}`, resource: '*' }]);
  });

  it('leaves an operation it does not know unnamed, so the enforcer refuses it', () => {
    const req = request('guardduty', 'POST', '/detector/d1/findings/archive');
    const caller = callerOf(req);
    if (caller === undefined) throw new Error('unsigned');
    expect(callOf(req, caller).operation).toBe('POST /detector/d1/findings/archive');
  });

  it('answers a refusal with 403 AccessDeniedException in the x-amzn-errortype header', () => {
    const reply = accessDenied('guardduty', 'POST', 'User: x is not authorized', true);
    expect([reply.status, reply.headers['x-amzn-errortype'], JSON.parse(reply.body)]).toEqual([
      403,
      'AccessDeniedException',
      { message: 'User: x is not authorized' },
    ]);
  });
});
