/**
 * VPC Flow Logs records: space-separated values in the order of the flow log's format. The default
 * format is the version 2 fields; a custom format (`${srcaddr} ${pkt-srcaddr} ...`) may pick any fields
 * of versions 2 to 5. Flow logs published to S3 start each file with a header line naming the fields;
 * `-` stands for a value that does not apply or was not captured (NODATA, SKIPDATA records).
 * https://docs.aws.amazon.com/vpc/latest/userguide/flow-log-records.html
 * https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-s3-path.html
 */
export const DEFAULT_FORMAT: ReadonlyArray<string> = [
  'version',
  'account-id',
  'interface-id',
  'srcaddr',
  'dstaddr',
  'srcport',
  'dstport',
  'protocol',
  'packets',
  'bytes',
  'start',
  'end',
  'action',
  'log-status',
];

/** Every field of versions 2 to 5, so a header line can be told apart from a record. */
export const KNOWN_FIELDS: ReadonlySet<string> = new Set([
  ...DEFAULT_FORMAT,
  // version 3
  'vpc-id',
  'subnet-id',
  'instance-id',
  'tcp-flags',
  'type',
  'pkt-srcaddr',
  'pkt-dstaddr',
  // version 4
  'region',
  'az-id',
  'sublocation-type',
  'sublocation-id',
  // version 5
  'pkt-src-aws-service',
  'pkt-dst-aws-service',
  'flow-direction',
  'traffic-path',
]);

/** One record: field name -> value, without the `-` placeholders. */
export type FlowRecord = ReadonlyMap<string, string>;

/** The field list of a format string as given to CreateFlowLogs (`${srcaddr} ${dstaddr} ...`). */
export function fieldsOfFormat(format: string): string[] {
  return [...format.matchAll(/\$\{([a-z0-9-]+)\}/g)].map((m) => m[1] as string);
}

/**
 * Parses flow log text (one record per line) into records and the fields the format carries. A first
 * line made of field names is the header (S3 files); else `format` (default: the version 2 default).
 */
export function parseFlowLog(
  text: string,
  format: ReadonlyArray<string> = DEFAULT_FORMAT,
): { fields: ReadonlyArray<string>; records: FlowRecord[]; malformed: number } {
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  let fields = format;
  const first = lines[0]?.trim().split(/\s+/) ?? [];
  if (first.length > 0 && first.every((f) => KNOWN_FIELDS.has(f))) {
    fields = first;
    lines.shift();
  }
  const records: FlowRecord[] = [];
  let malformed = 0;
  for (const line of lines) {
    const values = line.trim().split(/\s+/);
    if (values.length !== fields.length) {
      malformed += 1;
      continue;
    }
    const rec = new Map<string, string>();
    fields.forEach((f, i) => {
      const v = values[i] as string;
      if (v !== '-') rec.set(f, v);
    });
    records.push(rec);
  }
  return { fields, records, malformed };
}
