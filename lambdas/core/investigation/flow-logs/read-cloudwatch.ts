import { type CloudWatchLogsClient, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';

/**
 * A flow log record may aggregate up to 10 minutes of packets (MaxAggregationInterval 60 or 600 s): one
 * that started this early can overlap. https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_FlowLog.html
 */
export const MAX_AGGREGATION_S = 600;

/**
 * The flow log records of the given interfaces from a CloudWatch Logs group, for records that may overlap
 * [since, until] (epoch seconds). Flow logs write one log stream per network interface, named after it,
 * and the event timestamp is the record's start time; FilterLogEvents pages with nextToken.
 * https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-cwl.html
 * https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_FilterLogEvents.html
 * Events of other streams are dropped here as well (a stream-name prefix is a filter of the request).
 */
export async function readCloudWatchFlows(
  logs: CloudWatchLogsClient,
  logGroupName: string,
  eniIds: ReadonlyArray<string>,
  window: { readonly since: number; readonly until: number },
): Promise<string[]> {
  const perEni = await Promise.all(
    eniIds.map(async (eni) => {
      const lines: string[] = [];
      let nextToken: string | undefined;
      do {
        const page = await logs.send(
          new FilterLogEventsCommand({
            logGroupName,
            logStreamNamePrefix: eni,
            startTime: (window.since - MAX_AGGREGATION_S) * 1000,
            endTime: window.until * 1000 + 999,
            ...(nextToken === undefined ? {} : { nextToken }),
          }),
        );
        for (const e of page.events ?? [])
          if (e.message !== undefined && (e.logStreamName ?? eni).startsWith(eni)) lines.push(e.message);
        nextToken = page.nextToken ?? undefined;
      } while (nextToken !== undefined);
      return lines;
    }),
  );
  return perEni.flat();
}
