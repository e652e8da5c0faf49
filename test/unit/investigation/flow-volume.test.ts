import { type InvalidInputError, parseOrThrow } from '../../../lambdas/core/errors';
import { FlowQuery } from '../../../lambdas/core/investigation/flow-logs/flow-query';
import { fieldsOfFormat, parseFlowLog } from '../../../lambdas/core/investigation/flow-logs/flow-record';
import { compareVolumes, flowVolume } from '../../../lambdas/core/investigation/flow-logs/flow-volume';

const NETWORKS = {
  instanceAddresses: ['10.0.1.5', '2001:db8:1::5'],
  vpcCidrs: ['10.0.0.0/16', '2001:db8:1::/56'],
  peeredCidrs: ['10.1.0.0/16'],
  awsCidrs: ['52.95.128.0/21'],
  since: 1764460800, // 2025-11-30T00:00:00Z
  until: 1764464400,
};
const T = '1764461000 1764461060';

describe('Function: flowVolume', () => {
  it('sums version 2 default-format bytes leaving the instance by destination class', () => {
    // Prepare: to the internet, to S3 (an AWS range), inside the VPC, to a peered VPC, and inbound (not counted).
    const text = [
      `2 123456789010 eni-1235b8ca123456789 10.0.1.5 198.51.100.7 49152 443 6 20 5000 ${T} ACCEPT OK`,
      `2 123456789010 eni-1235b8ca123456789 10.0.1.5 52.95.128.10 49153 443 6 20 700 ${T} ACCEPT OK`,
      `2 123456789010 eni-1235b8ca123456789 10.0.1.5 10.0.2.9 49154 5432 6 20 300 ${T} ACCEPT OK`,
      `2 123456789010 eni-1235b8ca123456789 10.0.1.5 10.1.0.9 49155 22 6 20 40 ${T} ACCEPT OK`,
      `2 123456789010 eni-1235b8ca123456789 198.51.100.7 10.0.1.5 443 49152 6 20 90000 ${T} ACCEPT OK`,
    ].join('\n');
    const { fields, records } = parseFlowLog(text);
    // Act
    const v = flowVolume(fields, records, NETWORKS);
    // Assess
    expect(v.bytesOut).toEqual({
      internet: 5000,
      'aws-service': 700,
      vpc: 300,
      'peered-transit': 40,
      outsideVpc: 5740,
    });
    expect(v.topDestinations[0]).toEqual({ address: '198.51.100.7', class: 'internet', bytes: 5000 });
    expect(v.natGatewayBytes).toBe('unknown');
  });

  it('reads an S3 file header naming version 3 fields and attributes NAT gateway traffic by pkt-srcaddr', () => {
    // Prepare: only the NAT gateway's interface is logged; the instance's traffic reaches it addressed to the gateway.
    const text = [
      'version interface-id srcaddr dstaddr pkt-srcaddr pkt-dstaddr bytes start end action log-status',
      `3 eni-0nat0000000000001 10.0.1.5 10.0.0.220 10.0.1.5 203.0.113.5 8000 ${T} ACCEPT OK`,
      `3 eni-0nat0000000000001 10.0.0.220 203.0.113.5 10.0.0.220 203.0.113.5 8100 ${T} ACCEPT OK`,
      `3 eni-0nat0000000000001 10.0.1.99 10.0.0.220 10.0.1.99 203.0.113.8 999 ${T} ACCEPT OK`,
    ].join('\n');
    const { fields, records } = parseFlowLog(text);
    // Act
    const v = flowVolume(fields, records, NETWORKS);
    // Assess
    expect(v).toMatchObject({
      basis: 'nat-gateway',
      natGatewayBytes: 8000,
      bytesOut: { internet: 8000, outsideVpc: 8000 },
    });
  });

  it('does not count the instance bytes twice when both its interface and the NAT gateway are logged', () => {
    // Prepare: version 4 custom format (region, az-id) from CloudWatch Logs (no header).
    const format = fieldsOfFormat(
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the flow log format's own ${field} syntax
      '${version} ${region} ${az-id} ${srcaddr} ${dstaddr} ${pkt-srcaddr} ${pkt-dstaddr} ${bytes} ${start} ${end} ${log-status}',
    );
    const text = [
      `4 eu-west-1 euw1-az1 10.0.1.5 203.0.113.5 10.0.1.5 203.0.113.5 8000 ${T} OK`,
      `4 eu-west-1 euw1-az1 10.0.1.5 10.0.0.220 10.0.1.5 203.0.113.5 8000 ${T} OK`,
    ].join('\n');
    const { fields, records } = parseFlowLog(text, format);
    // Act
    const v = flowVolume(fields, records, NETWORKS);
    // Assess
    expect(v).toMatchObject({
      basis: 'instance-interface',
      natGatewayBytes: 8000,
      bytesOut: { internet: 8000, outsideVpc: 8000 },
    });
  });

  it('classes a version 5 destination named by pkt-dst-aws-service as AWS, IPv6 sources included', () => {
    // Prepare
    const text = [
      'version srcaddr dstaddr bytes start end pkt-dst-aws-service flow-direction traffic-path log-status',
      `5 2001:db8:1::5 2600:1f18::1 1234 ${T} S3 egress 8 OK`,
      `5 2600:1f18::1 2001:db8:1::5 99999 ${T} S3 ingress - OK`,
    ].join('\n');
    const { fields, records } = parseFlowLog(text);
    // Act
    const v = flowVolume(fields, records, NETWORKS);
    // Assess
    expect(v.bytesOut['aws-service']).toBe(1234);
    expect(v.bytesOut.outsideVpc).toBe(1234);
  });

  it('says unknown, not zero, without logs for the instance or without the fields to count', () => {
    // Prepare
    const none = parseFlowLog(`2 123456789010 eni-1 10.0.9.9 198.51.100.7 1 2 6 1 10 ${T} ACCEPT OK`);
    const noBytes = parseFlowLog(`version srcaddr dstaddr start end\n2 10.0.1.5 198.51.100.7 ${T}`);
    // Act
    const a = flowVolume(none.fields, none.records, NETWORKS);
    const b = flowVolume(noBytes.fields, noBytes.records, NETWORKS);
    // Assess
    expect(a).toMatchObject({ status: 'unknown', bytesOut: { internet: 'unknown', outsideVpc: 'unknown' } });
    expect(b).toMatchObject({ status: 'unknown', reason: expect.stringContaining('bytes') });
    expect(compareVolumes(1000, a)).toBe('unknown');
  });

  it('marks the figures incomplete after a SKIPDATA record and ignores records outside the interval', () => {
    // Prepare
    const text = [
      `2 123456789010 eni-1 10.0.1.5 198.51.100.7 1 2 6 1 10 ${T} ACCEPT OK`,
      `2 123456789010 eni-1 - - - - - - - ${T} - SKIPDATA`,
      `2 123456789010 eni-1 10.0.1.5 198.51.100.7 1 2 6 1 77 1764464401 1764464460 ACCEPT OK`,
    ].join('\n');
    const { fields, records } = parseFlowLog(text);
    // Act
    const v = flowVolume(fields, records, NETWORKS);
    // Assess
    expect(v).toMatchObject({ complete: false, bytesOut: { internet: 10 } });
  });
});

describe('Function: compareVolumes', () => {
  const left = (n: number) => ({
    ...flowVolume(
      ['srcaddr', 'dstaddr', 'bytes', 'start', 'end'],
      [
        new Map([
          ['srcaddr', '10.0.1.5'],
          ['dstaddr', '198.51.100.7'],
          ['bytes', String(n)],
          ['start', '1764461000'],
          ['end', '1764461060'],
        ]),
      ],
      NETWORKS,
    ),
  });

  it('flags S3 reads larger than the egress, egress larger than the reads, and comparable figures', () => {
    expect(compareVolumes(10_000, left(1000))).toBe('read-exceeds-egress');
    expect(compareVolumes(1000, left(10_000))).toBe('egress-exceeds-read');
    expect(compareVolumes(1000, left(1050))).toBe('comparable');
    expect(compareVolumes(null, left(1050))).toBe('unknown');
  });
});

describe('Schema: FlowQuery', () => {
  it('names the bad field: an address, a CIDR, or an interval that ends before it starts', () => {
    const bad = (patch: Record<string, unknown>) => {
      try {
        parseOrThrow(FlowQuery, { ...NETWORKS, ...patch });
        return undefined;
      } catch (err) {
        return (err as InvalidInputError).field;
      }
    };
    expect(bad({})).toBeUndefined();
    expect(bad({ instanceAddresses: ['10.0.1.300'] })).toBe('instanceAddresses.0');
    expect(bad({ vpcCidrs: ['10.0.0.0'] })).toBe('vpcCidrs.0');
    expect(bad({ until: NETWORKS.since - 1 })).toBe('until');
  });
});
