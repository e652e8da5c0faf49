import { type ReachSnapshotSet, type StoreFacts, UNKNOWN_ACCOUNT } from './snapshot-set';

/** What a request's context depends on about its resource: where it is, its service, its tags. */
export interface ResourceSide {
  /** The service prefix the request goes to (`s3`, `secretsmanager`, `ssm`, `dynamodb`, `sts`). */
  readonly service: string;
  readonly region: string;
  readonly accountId: string;
  readonly tags: Readonly<Record<string, string>>;
  /** Its tags were read (a tag it lacks is then absent, not unknown). */
  readonly tagsKnown: boolean;
}

export const storeSide = (store: StoreFacts): ResourceSide => ({
  service: SERVICE_OF[store.type],
  region: store.region,
  accountId: store.accountId,
  tags: store.tags,
  tagsKnown: store.unknown === undefined,
});

/**
 * The request contexts of the three questions reach answers, and which keys nobody can know.
 *
 * - `fromInstance`: a call from the instance. Credentials EC2 delivers to an instance add
 *   `ec2:SourceInstanceARN`, `aws:ec2InstanceSourceVPC` and `aws:ec2InstanceSourcePrivateIPv4` to every request
 *   they sign, wherever it is sent from.
 *   https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-ec2instancesourcevpc
 *   https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-ec2sourceinstancearn
 *   `aws:SourceVpc`, `aws:SourceVpce` and `aws:VpcSourceIp` are present only when the request goes through a
 *   VPC endpoint, and then `aws:SourceIp` is not: "The aws:SourceIp condition key is always included in the
 *   request, except for requests that use an Amazon VPC endpoint" and "aws:SourceVpc or aws:SourceVpce ...
 *   are only included when the requester uses a VPC endpoint".
 *   https://repost.aws/knowledge-center/iam-restrict-access-policy
 *   https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-sourcevpc
 *   Without an endpoint, `aws:SourceIp` is the instance's public address, or its NAT gateway's (unknown).
 *   Through an endpoint its endpoint policy must allow too (the evaluator applies `instance.vpcEndpoints`
 *   by the request's `aws:SourceVpce`). A gateway endpoint is taken to be on the instance subnet's route
 *   table (the route tables are not compared).
 * - `fromInternet`: the same credentials used elsewhere: a public `aws:SourceIp`, no VPC keys; the
 *   instance-credential keys stay (they travel with the credentials).
 * - `afterIsolation`: `fromInstance` with Sequester's deny added to the role's policies.
 *
 * Decrypts that S3, Secrets Manager, SSM or DynamoDB make on the caller's behalf carry `kms:ViaService`,
 * `kms:CallerAccount` and `aws:ViaAWSService` = true; their network keys are the service's, so unknown.
 * https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-via-service
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-viaawsservice
 */
export type ContextName = 'fromInstance' | 'fromInternet' | 'afterIsolation';
export const CONTEXTS: ReadonlyArray<ContextName> = ['fromInstance', 'fromInternet', 'afterIsolation'];

export interface ContextOptions {
  /** The address stolen credentials are used from (default: 203.0.113.7, a documentation address). */
  readonly internetSourceIp: string;
  /** aws:CurrentTime / aws:EpochTime. */
  readonly now: Date;
}

export type ContextValues = Record<string, string | boolean | ReadonlyArray<string>>;

export interface RequestFacts {
  readonly context: ContextValues;
  /** (Lower-cased) keys unknown even though the evaluator would fill them (a store's unknown account). */
  readonly unknown?: ReadonlySet<string>;
  /** Whether a (lower-cased) key absent from `context` is known to be absent; otherwise it is unknown. */
  readonly knownAbsent: (key: string) => boolean;
}

const NETWORK_KEYS = ['aws:sourcevpc', 'aws:sourcevpce', 'aws:vpcsourceip', 'aws:sourceip'];
const INSTANCE_KEYS = [
  'ec2:sourceinstancearn',
  'aws:ec2instancesourcevpc',
  'aws:ec2instancesourceprivateipv4',
];
/**
 * Keys AWS adds only in situations a read by this session is not in: service-to-service calls, MFA,
 * federation, tagging requests, IAM users. Absent, not unknown.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html
 */
const ABSENT_FOR_SESSION_READS = new Set([
  'aws:sourcearn',
  'aws:sourceaccount',
  'aws:sourceorgid',
  'aws:sourceorgpaths',
  'aws:multifactorauthpresent',
  'aws:multifactorauthage',
  'aws:federatedprovider',
  'aws:tagkeys',
  'aws:username',
  'aws:principalservicename',
  'aws:principalservicenameslist',
]);

/** The service a store's data is read through (the `kms:ViaService` prefix and VPC endpoint name). */
export const SERVICE_OF: Readonly<Record<StoreFacts['type'], string>> = {
  s3: 's3',
  secretsmanager: 'secretsmanager',
  ssm: 'ssm',
  dynamodb: 'dynamodb',
};

export interface PrincipalSide {
  /** The instance's own session (carries the instance-credential keys) or a chained role's session. */
  readonly instanceCredentials: boolean;
  readonly accountId: string;
}

/** The context of one request about `store` (a read, or with `viaService` the Decrypt of its key). */
export function requestFacts(
  set: ReachSnapshotSet,
  store: ResourceSide,
  context: ContextName,
  principal: PrincipalSide,
  options: ContextOptions,
  viaService: boolean,
): RequestFacts {
  const t = set.target;
  const values: ContextValues = {
    'aws:SecureTransport': true,
    'aws:PrincipalType': 'AssumedRole',
    'aws:PrincipalIsAWSService': false,
    'aws:CurrentTime': options.now.toISOString(),
    'aws:EpochTime': String(Math.floor(options.now.getTime() / 1000)),
    'aws:ViaAWSService': viaService,
  };
  // A store named in another account whose region could not be learnt: the requested region is unknown.
  if (store.region !== 'unknown') values['aws:RequestedRegion'] = store.region;
  const absent = new Set(ABSENT_FOR_SESSION_READS);
  for (const [k, v] of Object.entries(store.tags)) values[`aws:ResourceTag/${k}`] = v;
  if (t.orgId !== undefined) {
    values['aws:PrincipalOrgID'] = t.orgId;
    if (store.accountId === principal.accountId) values['aws:ResourceOrgID'] = t.orgId;
  }
  if (principal.instanceCredentials) {
    values['ec2:SourceInstanceARN'] = t.instanceArn;
    if (t.vpcId !== undefined) values['aws:ec2InstanceSourceVPC'] = t.vpcId;
    if (t.privateIp !== undefined) values['aws:ec2InstanceSourcePrivateIPv4'] = t.privateIp;
  } else for (const k of INSTANCE_KEYS) absent.add(k);

  if (viaService) {
    // The service calls KMS: its own network position, unknown; the caller's account and the service known.
    values['kms:ViaService'] = `${store.service}.${store.region}.amazonaws.com`;
    values['kms:CallerAccount'] = principal.accountId;
  } else {
    absent.add('kms:viaservice');
    for (const k of NETWORK_KEYS) absent.add(k);
    if (context !== 'fromInternet' && !t.vpcEndpointsKnown) {
      for (const k of NETWORK_KEYS) absent.delete(k);
    } else if (context === 'fromInternet') {
      values['aws:SourceIp'] = options.internetSourceIp;
    } else {
      const endpoint = t.vpcEndpoints.find((e) => e.service === store.service && e.region === store.region);
      if (endpoint?.type === 'Interface' && endpoint.privateDns === false) {
        // Without private DNS only clients given the endpoint's own DNS name use it; the attacker may
        // or may not have: both paths are possible, so the network keys are unknown.
        // https://docs.aws.amazon.com/vpc/latest/privatelink/privatelink-access-aws-services.html#interface-endpoint-private-dns
        for (const k of NETWORK_KEYS) absent.delete(k);
      } else if (endpoint !== undefined && t.vpcId !== undefined) {
        values['aws:SourceVpc'] = t.vpcId;
        values['aws:SourceVpce'] = endpoint.id;
        if (t.privateIp !== undefined) values['aws:VpcSourceIp'] = t.privateIp;
      } else if (t.publicIp !== undefined) {
        values['aws:SourceIp'] = t.publicIp;
      } else absent.delete('aws:sourceip'); // through a NAT gateway: its address is not known here
    }
  }
  const present = new Set(Object.keys(values).map((k) => k.toLowerCase()));
  const tagPrefix = 'aws:resourcetag/';
  return {
    context: values,
    ...(store.accountId === UNKNOWN_ACCOUNT
      ? { unknown: new Set(['aws:resourceaccount', 'aws:resourceorgid', 'aws:resourceorgpaths']) }
      : {}),
    knownAbsent: (key) =>
      absent.has(key) ||
      // Every tag of a readable store is collected: a tag it lacks is absent.
      (store.tagsKnown && key.startsWith(tagPrefix) && !present.has(key)) ||
      // With the organization known, an account outside it has no organization keys.
      (t.orgId !== undefined && key === 'aws:resourceorgid'),
  };
}
