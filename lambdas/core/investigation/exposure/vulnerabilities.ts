import { type Finding, type Inspector2Client, ListFindingsCommand } from '@aws-sdk/client-inspector2';
import type { ExposureFacts } from './exposure-facts';

type Vulnerability = ExposureFacts['vulnerabilities']['findings'][number];

/** Pages of 100 read at most: enough for any one instance's findings; more is reported as a gap. */
const MAX_PAGES = 10;

/**
 * One Inspector finding as the report needs it. `exploitAvailable` is Inspector's YES/NO; network
 * reachability is a finding type of its own (NETWORK_REACHABILITY: an open path from an internet gateway
 * or peering to a port), so a package finding says nothing about it (null).
 * https://docs.aws.amazon.com/inspector/v2/APIReference/API_Finding.html
 * https://docs.aws.amazon.com/inspector/latest/user/findings-types.html
 */
export function vulnerabilityOf(f: Finding): Vulnerability {
  return {
    title: f.title ?? f.packageVulnerabilityDetails?.vulnerabilityId ?? f.type ?? 'finding',
    cve: f.packageVulnerabilityDetails?.vulnerabilityId ?? null,
    severity: f.severity ?? 'UNTRIAGED',
    exploitAvailable: f.exploitAvailable === undefined ? null : f.exploitAvailable === 'YES',
    networkReachable: f.type === 'NETWORK_REACHABILITY' ? true : null,
    firstObservedAt: f.firstObservedAt?.toISOString() ?? null,
  };
}

/**
 * Amazon Inspector's active findings for the instance (ListFindings filtered by resource id). An account
 * without Inspector answers AccessDeniedException or ValidationException: the caller records that as
 * unavailable with the reason.
 * https://docs.aws.amazon.com/inspector/v2/APIReference/API_ListFindings.html
 */
export async function inspectorFindings(
  inspector: Inspector2Client,
  instanceId: string,
): Promise<{ findings: Vulnerability[]; truncated: boolean }> {
  const findings: Vulnerability[] = [];
  let nextToken: string | undefined;
  for (let page = 0; page < MAX_PAGES; page += 1) {
    const res = await inspector.send(
      new ListFindingsCommand({
        filterCriteria: {
          resourceId: [{ comparison: 'EQUALS', value: instanceId }],
          findingStatus: [{ comparison: 'EQUALS', value: 'ACTIVE' }],
        },
        maxResults: 100,
        ...(nextToken === undefined ? {} : { nextToken }),
      }),
    );
    findings.push(...(res.findings ?? []).map(vulnerabilityOf));
    nextToken = res.nextToken === '' ? undefined : res.nextToken;
    if (nextToken === undefined) break;
  }
  return { findings, truncated: nextToken !== undefined };
}
