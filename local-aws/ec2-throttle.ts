import type { Fault } from './fault-layer';

/**
 * EC2-like request-rate throttling for the fault layer: one token bucket per API action, as EC2 does,
 * with its documented default sizes: non-mutating actions hold 100 tokens refilled at 20/s, mutating
 * actions 200 tokens refilled at 5/s. An empty bucket answers RequestLimitExceeded.
 * https://docs.aws.amazon.com/ec2/latest/devguide/ec2-api-throttling.html
 */
export class Ec2Throttle {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  public throttled = 0;

  public constructor(private readonly ec2Operations: ReadonlySet<string>) {}

  /** A FaultLayer `fault` function. Non-EC2 operations pass untouched. */
  public readonly fault = (operation: string): Fault | undefined => {
    if (!this.ec2Operations.has(operation)) return undefined;
    const mutating = !/^(Describe|Get)/.test(operation);
    const [size, refill] = mutating ? [200, 5] : [100, 20];
    const now = performance.now() / 1000;
    const b = this.buckets.get(operation) ?? { tokens: size, at: now };
    b.tokens = Math.min(size, b.tokens + (now - b.at) * refill);
    b.at = now;
    this.buckets.set(operation, b);
    if (b.tokens < 1) {
      this.throttled += 1;
      return { status: 503, code: 'RequestLimitExceeded' };
    }
    b.tokens -= 1;
    return undefined;
  };
}

/** The EC2 actions the isolation engine calls (the throttle applies to these). */
export const ISOLATION_EC2_OPERATIONS: ReadonlySet<string> = new Set([
  'DescribeInstances',
  'DescribeSecurityGroups',
  'CreateSecurityGroup',
  'AuthorizeSecurityGroupIngress',
  'AuthorizeSecurityGroupEgress',
  'RevokeSecurityGroupEgress',
  'ModifyNetworkInterfaceAttribute',
  'DescribeNetworkInterfaces',
  'DescribeIamInstanceProfileAssociations',
  'DisassociateIamInstanceProfile',
  'DescribeInstanceAttribute',
  'ModifyInstanceAttribute',
  'CreateTags',
  'DescribeNetworkAcls',
  'CreateNetworkAclEntry',
  'StopInstances',
]);
