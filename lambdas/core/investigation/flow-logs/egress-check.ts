import type { ActivityReport } from '../activity/report';
import { compareVolumes, type FlowVolume } from './flow-volume';
import type { EgressCheck } from './flows-report';

const S3 = 's3.amazonaws.com';

/**
 * Bytes the session read from S3 according to CloudTrail data events (`additionalEventData
 * .bytesTransferredOut`): null (unknown) when there is no activity report, when the trail did not log
 * data events, or when none of the reads reported a size. With data events logged and no S3 read seen,
 * 0 is a finding.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/cloudtrail-logging-understanding-s3-entries.html
 */
export function s3BytesRead(activity: ActivityReport | undefined): number | null {
  if (activity === undefined || activity.coverage.dataEvents.enabled === false) return null;
  const reads = activity.touched.filter((t) => t.eventSource === S3);
  if (reads.length === 0) return activity.coverage.dataEvents.enabled === true ? 0 : null;
  const sized = reads.filter((t) => t.bytesTransferredOut !== null);
  if (sized.length === 0) return null;
  return sized.reduce((s, t) => s + (t.bytesTransferredOut ?? 0), 0);
}

/**
 * The flag issue 13 asks for: S3 bytes read (CloudTrail) against the bytes that left the VPC (flows),
 * with both numbers. Either side unknown makes the comparison unknown, never a mismatch: a missing flow
 * log is not evidence that nothing left.
 */
export function egressCheck(activity: ActivityReport | undefined, volume: FlowVolume): EgressCheck {
  const read = s3BytesRead(activity);
  const comparison = compareVolumes(read, volume);
  return {
    s3BytesRead: read,
    bytesOutsideVpc: volume.bytesOut.outsideVpc,
    bytesToInternet: volume.bytesOut.internet,
    bytesToAwsServices: volume.bytesOut['aws-service'],
    comparison,
    mismatch: comparison === 'read-exceeds-egress' || comparison === 'egress-exceeds-read',
  };
}
