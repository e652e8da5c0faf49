import { isIP } from 'node:net';
import type { CloudTrailRecord } from './record';

/** Where a call came from: the instance itself, an AWS service on its behalf, or somewhere else. */
export type Origin = 'instance' | 'aws-service' | 'other';

/**
 * One spelling per address, so `2001:DB8::1` from the quarantine record matches `2001:db8:0:0:0:0:0:1`
 * in a CloudTrail record (CloudTrail writes what the endpoint saw; IPv6 callers of dual-stack endpoints
 * appear with IPv6 sources). The WHATWG URL parser gives the RFC 5952 canonical form of an IPv6 address.
 */
export function normalizeAddress(address: string): string {
  const a = address.trim();
  const v = isIP(a);
  if (v === 6) return new URL(`http://[${a}]/`).hostname.slice(1, -1);
  return v === 4 ? a : a.toLowerCase();
}

/**
 * The origin of one call, per the record-contents page: `sourceIPAddress` is "AWS Internal" or a service
 * host name (`ec2.amazonaws.com`) when an AWS service made the call, and `userIdentity.invokedBy` names
 * the service that made it on the caller's behalf. Any other address that is not one of the instance's
 * (private, public, Elastic IPs, its NAT gateways) is another network: possible credential exfiltration.
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html
 */
export function originOf(r: CloudTrailRecord, instanceAddresses: ReadonlySet<string>): Origin {
  const source = r.sourceIPAddress ?? '';
  if (source !== '' && instanceAddresses.has(normalizeAddress(source))) return 'instance';
  if (source === 'AWS Internal' || source.endsWith('.amazonaws.com')) return 'aws-service';
  if (r.userIdentity.invokedBy !== undefined && r.userIdentity.invokedBy !== '') return 'aws-service';
  return 'other';
}

/** The instance's addresses as a set of canonical spellings. */
export function addressSet(addresses: ReadonlyArray<string>): ReadonlySet<string> {
  return new Set(addresses.map(normalizeAddress));
}
