import {
  type Finding,
  GetFindingsCommand,
  type GuardDutyClient,
  ListDetectorsCommand,
  ListFindingsCommand,
} from '@aws-sdk/client-guardduty';
import type { ExposureFacts } from './exposure-facts';

type HistoryEntry = ExposureFacts['findingHistory']['findings'][number];

/** GetFindings takes at most 50 ids per call. https://docs.aws.amazon.com/guardduty/latest/APIReference/API_GetFindings.html */
const GET_BATCH = 50;
const MAX_PAGES = 10;

export function historyEntryOf(f: Finding, subject: HistoryEntry['subject']): HistoryEntry {
  return {
    id: f.Id ?? '',
    type: f.Type ?? '',
    severity: f.Severity ?? 0,
    subject,
    firstSeen: f.Service?.EventFirstSeen ?? f.CreatedAt ?? '',
    lastSeen: f.Service?.EventLastSeen ?? f.UpdatedAt ?? '',
    count: f.Service?.Count ?? 1,
  };
}

async function findingIds(gd: GuardDutyClient, detectorId: string, field: string, value: string) {
  const ids: string[] = [];
  let NextToken: string | undefined;
  for (let page = 0; page < MAX_PAGES; page += 1) {
    const res = await gd.send(
      new ListFindingsCommand({
        DetectorId: detectorId,
        FindingCriteria: { Criterion: { [field]: { Equals: [value] } } },
        MaxResults: 50,
        ...(NextToken === undefined ? {} : { NextToken }),
      }),
    );
    ids.push(...(res.FindingIds ?? []));
    NextToken = res.NextToken === '' ? undefined : res.NextToken;
    if (NextToken === undefined) break;
  }
  return ids;
}

async function details(gd: GuardDutyClient, detectorId: string, ids: ReadonlyArray<string>) {
  const out: Finding[] = [];
  for (let i = 0; i < ids.length; i += GET_BATCH) {
    const res = await gd.send(
      new GetFindingsCommand({ DetectorId: detectorId, FindingIds: ids.slice(i, i + GET_BATCH) }),
    );
    out.push(...(res.Findings ?? []));
  }
  return out;
}

/**
 * GuardDuty's findings about the instance (`resource.instanceDetails.instanceId`) and about its role
 * session (`resource.accessKeyDetails.principalId`, `<role id>:<instance id>` for an EC2 role session),
 * oldest first: the history says how long something was visible before the
 * quarantine. No detector in the Region: an empty history with the reason, not an error.
 * https://docs.aws.amazon.com/guardduty/latest/APIReference/API_ListFindings.html
 * https://docs.aws.amazon.com/guardduty/latest/APIReference/API_FindingCriteria.html
 */
export async function guardDutyHistory(
  gd: GuardDutyClient,
  instanceId: string,
  sessionPrincipalId: string | undefined,
): Promise<{ findings: HistoryEntry[]; detail?: string }> {
  const detectors = await gd.send(new ListDetectorsCommand({}));
  const detectorId = detectors.DetectorIds?.[0];
  if (detectorId === undefined) return { findings: [], detail: 'GuardDuty has no detector in this Region' };
  const subjects: Array<[HistoryEntry['subject'], string, string]> = [
    ['instance', 'resource.instanceDetails.instanceId', instanceId],
    ...(sessionPrincipalId === undefined
      ? []
      : [
          ['session', 'resource.accessKeyDetails.principalId', sessionPrincipalId] as [
            HistoryEntry['subject'],
            string,
            string,
          ],
        ]),
  ];
  const seen = new Set<string>();
  const findings: HistoryEntry[] = [];
  for (const [subject, field, value] of subjects) {
    const ids = (await findingIds(gd, detectorId, field, value)).filter((id) => !seen.has(id));
    for (const id of ids) seen.add(id);
    for (const f of await details(gd, detectorId, ids)) findings.push(historyEntryOf(f, subject));
  }
  findings.sort((a, b) => a.firstSeen.localeCompare(b.firstSeen));
  return {
    findings,
    ...(sessionPrincipalId === undefined
      ? { detail: "the role session's principal id is unknown: only the instance's findings were read" }
      : {}),
  };
}
