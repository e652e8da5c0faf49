import type { ActivityReport } from '../investigation/activity/report';
import type { ExposureFacts } from '../investigation/exposure/exposure-facts';
import type { SecretFinding } from '../investigation/secrets/secret-finding';
import type { EvidenceRef, Hypothesis } from './document';

export interface HypothesisInputs {
  readonly activity?: { readonly body: ActivityReport; readonly ref: EvidenceRef };
  readonly exposure?: { readonly body: ExposureFacts; readonly ref: EvidenceRef };
  readonly secrets?: { readonly findings: ReadonlyArray<SecretFinding>; readonly refs: EvidenceRef[] };
}

interface Candidate {
  readonly id: string;
  readonly title: string;
  readonly toConfirm: string[];
  /** Supporting facts, each with its weight: the sum ranks the candidates. */
  readonly facts: Array<{ fact: string; weight: number; evidence: EvidenceRef[] }>;
}

const REMOTE_PORTS: ReadonlyArray<[number, string]> = [
  [22, 'SSH'],
  [3389, 'RDP'],
];
const covers = (r: { fromPort: number | null; toPort: number | null }, port: number) =>
  r.fromPort === null || r.toPort === null || (r.fromPort <= port && port <= r.toPort);

function ssrf(i: HypothesisInputs): Candidate {
  const facts: Candidate['facts'] = [];
  const a = i.activity;
  // ec2RoleDelivery "1.0": the call's instance credentials were fetched with IMDSv1.
  // https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html
  const v1 = a?.body.ec2RoleDelivery['1.0'] ?? 0;
  if (a !== undefined && v1 > 0)
    facts.push({
      fact: `${v1} calls used role credentials delivered by IMDSv1 (ec2RoleDelivery 1.0)`,
      weight: 3,
      evidence: [a.ref],
    });
  if (a !== undefined && a.body.other.length > 0)
    facts.push({
      fact: `${a.body.other.length} calls with the instance's credentials came from addresses outside the instance`,
      weight: 3,
      evidence: [a.ref],
    });
  const e = i.exposure;
  if (e?.body.imds.httpTokens === 'optional')
    facts.push({
      fact: `IMDSv1 was allowed (HttpTokens=optional, hop limit ${e.body.imds.hopLimit ?? 'unknown'})`,
      weight: 1,
      evidence: [e.ref],
    });
  if (
    e !== undefined &&
    e.body.publicAddresses.length > 0 &&
    e.body.openIngress.some((r) => covers(r, 80) || covers(r, 443))
  )
    facts.push({
      fact: 'A web port (80/443) was open to the internet on a public address',
      weight: 1,
      evidence: [e.ref],
    });
  return {
    id: 'ssrf-imdsv1',
    title: 'Server-side request forgery: the role credentials were taken through IMDSv1 and used elsewhere',
    facts,
    toConfirm: [
      'Web server or load balancer access logs with requests carrying 169.254.169.254 or /latest/meta-data/ in a parameter',
      "The source addresses of the outside calls, checked against the organisation's own ranges and known VPNs",
      'An application code path that fetches user-supplied URLs',
    ],
  };
}

function remoteLogin(i: HypothesisInputs): Candidate {
  const facts: Candidate['facts'] = [];
  const e = i.exposure;
  if (e !== undefined) {
    for (const [port, name] of REMOTE_PORTS) {
      const open = e.body.openIngress.filter((r) => covers(r, port));
      if (open.length > 0)
        facts.push({
          fact: `${name} (port ${port}) was open to ${open.map((r) => r.cidr).join(', ')}`,
          weight: 2,
          evidence: [e.ref],
        });
    }
    if (facts.length > 0 && e.body.publicAddresses.length > 0)
      facts.push({
        fact: `The instance had a public address (${e.body.publicAddresses.map((p) => p.address).join(', ')})`,
        weight: 1,
        evidence: [e.ref],
      });
    if (facts.length > 0 && e.body.keyName !== null)
      facts.push({ fact: `It was launched with key pair ${e.body.keyName}`, weight: 1, evidence: [e.ref] });
    const access = e.body.instanceAccess.filter(
      (x) => x.eventName === 'SendSSHPublicKey' || x.eventName === 'StartSession',
    );
    if (access.length > 0)
      facts.push({
        fact: `${access.length} SendSSHPublicKey/StartSession calls to the instance (first by ${access[0]?.actor ?? '?'} from ${access[0]?.sourceIPAddress ?? '?'})`,
        weight: 2,
        evidence: [e.ref],
      });
  }
  return {
    id: 'remote-login',
    title: 'Remote login: SSH or RDP open to the internet, with a key or pushed credentials',
    facts,
    toConfirm: [
      'Authentication logs on the disk image (/var/log/auth.log, /var/log/secure, Windows Security log) for logins from outside addresses',
      'Flow logs of inbound connections to port 22/3389 from the internet',
      "Who holds the key pair's private key, and whether it was shared or leaked",
    ],
  };
}

function vulnerablePackage(i: HypothesisInputs): Candidate {
  const facts: Candidate['facts'] = [];
  const e = i.exposure;
  if (e !== undefined && e.body.vulnerabilities.status === 'collected') {
    for (const f of e.body.vulnerabilities.findings) {
      const weight = (f.exploitAvailable === true ? 2 : 0) + (f.networkReachable === true ? 2 : 0);
      if (weight === 0) continue;
      const tags = [
        f.exploitAvailable === true ? 'exploit available' : '',
        f.networkReachable === true ? 'network reachable' : '',
      ];
      facts.push({
        fact: `${f.cve ?? f.title} (${f.severity}; ${tags.filter((t) => t !== '').join(', ')})`,
        weight,
        evidence: [e.ref],
      });
    }
    if (facts.length > 0 && e.body.publicAddresses.length > 0)
      facts.push({ fact: 'The instance had a public address', weight: 1, evidence: [e.ref] });
  }
  return {
    id: 'vulnerable-package',
    title: 'Exploited vulnerability in a network-reachable package',
    facts,
    toConfirm: [
      "Logs of the vulnerable service around the first suspicious event, looking for the exploit's request pattern",
      "Files written or processes started by the service's user on the disk image",
    ],
  };
}

function leakedKey(i: HypothesisInputs): Candidate {
  const facts: Candidate['facts'] = [];
  const s = i.secrets;
  if (s !== undefined) {
    const outsideKeys = new Set(
      (i.activity?.body.other ?? []).map((o) => o.accessKeyId).filter((k) => k !== null),
    );
    for (const f of s.findings) {
      if (f.kind !== 'aws-access-key' && f.kind !== 'private-key') continue;
      const owner =
        f.resolved?.status === 'resolved'
          ? ` belonging to ${f.resolved.user ?? '?'} in ${f.resolved.account ?? '?'}`
          : '';
      const used = f.accessKeyId !== undefined && outsideKeys.has(f.accessKeyId);
      facts.push({
        fact: `${f.kind} ${f.preview}${owner} found on ${f.volumeId} at offset ${f.offset}${used ? ', and used from outside the instance' : ''}`,
        weight: used ? 4 : 2,
        evidence: used && i.activity !== undefined ? [...s.refs, i.activity.ref] : s.refs,
      });
    }
  }
  return {
    id: 'leaked-key',
    title: 'A credential stored on the disk was leaked or reused',
    facts,
    toConfirm: [
      'CloudTrail for each found access key id, from addresses other than the instance',
      'Which file holds each finding (map the offset to a file on the image) and whether that file was ever published',
      'Rotate every found credential, whatever the outcome',
    ],
  };
}

function userData(i: HypothesisInputs): Candidate {
  const facts: Candidate['facts'] = [];
  const e = i.exposure;
  for (const c of e?.body.userData.changes ?? []) {
    if (e !== undefined)
      facts.push({
        fact: `User data changed at ${c.eventTime} by ${c.actor} from ${c.sourceIPAddress}`,
        weight: 3,
        evidence: [e.ref],
      });
  }
  return {
    id: 'user-data-changed',
    title: "Changed user data ran the attacker's commands at boot",
    facts,
    toConfirm: [
      'Whether the actor who changed the user data was expected to',
      'The user data before and after the change (the sealed describe output), and a reboot after the change',
    ],
  };
}

const ORDER = [ssrf, remoteLogin, vulnerablePackage, leakedKey, userData];

/**
 * Entry hypotheses with support in the recorded facts, most likely first. The score is the sum of the
 * weights of the supporting facts (direct observations of use weigh more than exposure alone); ties
 * keep the order above. Strength: strong ≥ 5, moderate ≥ 3, else weak. A hypothesis with no supporting
 * fact is not listed: the absence of facts is reported among the unknowns, never as a verdict.
 */
export function rankHypotheses(i: HypothesisInputs): Hypothesis[] {
  return ORDER.map((f, order) => ({ c: f(i), order }))
    .map(({ c, order }) => ({ c, order, score: c.facts.reduce((s, x) => s + x.weight, 0) }))
    .filter((x) => x.score > 0)
    .sort((a, b) => b.score - a.score || a.order - b.order)
    .map(({ c, score }, idx) => ({
      id: c.id,
      title: c.title,
      rank: idx + 1,
      strength: score >= 5 ? 'strong' : score >= 3 ? 'moderate' : 'weak',
      supporting: c.facts.map(({ fact, evidence }) => ({ fact, evidence })),
      toConfirm: c.toConfirm,
    }));
}
