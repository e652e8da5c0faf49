import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EvidenceRef } from '../../lambdas/core/report/document';
import { rankHypotheses } from '../../lambdas/core/report/hypotheses';
import { ReportInputs } from '../../lambdas/core/report/inputs';

const full = ReportInputs.parse(
  JSON.parse(readFileSync(join(__dirname, '../fixtures/report/full-inputs.json'), 'utf8')),
);
const ref = (key: string): EvidenceRef => ({ source: 'vault', key, versionId: 'v1', sha256: null });

/** Exposure with nothing open and nothing found: each test adds the facts it is about. */
function quietExposure() {
  const e = structuredClone(full.exposure?.body);
  if (e === undefined) throw new Error('fixture has no exposure');
  return {
    ...e,
    publicAddresses: [],
    openIngress: [],
    imds: { httpTokens: 'required' as const, hopLimit: 1, endpoint: 'enabled' as const },
    keyName: null,
    vulnerabilities: { status: 'collected' as const, findings: [] },
    instanceAccess: [],
    userData: { sha256: null, changes: [] },
  };
}
function quietActivity() {
  const a = structuredClone(full.activity?.late?.body);
  if (a === undefined) throw new Error('fixture has no activity');
  return { ...a, other: [], ec2RoleDelivery: {} };
}

describe('Function: rankHypotheses', () => {
  it('ranks SSRF through IMDSv1 first when IMDSv1 credentials were used from outside', () => {
    const activity = {
      ...quietActivity(),
      ec2RoleDelivery: { '1.0': 12 },
      other: full.activity?.late?.body.other ?? [],
    };
    const exposure = {
      ...quietExposure(),
      publicAddresses: [{ address: '203.0.113.10', kind: 'ipv4' as const, eniId: 'eni-1' }],
      openIngress: [{ groupId: 'sg-1', protocol: 'tcp', fromPort: 22, toPort: 22, cidr: '0.0.0.0/0' }],
    };
    const [first, second] = rankHypotheses({
      activity: { body: activity, ref: ref('activity') },
      exposure: { body: exposure, ref: ref('exposure') },
    });
    expect(first?.id).toBe('ssrf-imdsv1');
    expect(first?.strength).toBe('strong');
    expect(first?.rank).toBe(1);
    expect(second?.id).toBe('remote-login');
    expect(first?.supporting.every((s) => s.evidence.some((r) => r.key === 'activity'))).toBe(true);
  });

  it('ranks remote login first when SSH was open on a public address and a key was pushed', () => {
    const exposure = {
      ...quietExposure(),
      publicAddresses: [{ address: '203.0.113.10', kind: 'ipv4' as const, eniId: 'eni-1' }],
      openIngress: [{ groupId: 'sg-1', protocol: 'tcp', fromPort: 0, toPort: 65535, cidr: '::/0' }],
      keyName: 'deploy',
      instanceAccess: [
        {
          eventTime: '2026-11-29T21:00:00Z',
          eventName: 'SendSSHPublicKey',
          actor: 'arn:aws:iam::1:user/x',
          sourceIPAddress: '198.51.100.9',
        },
      ],
      imds: { httpTokens: 'optional' as const, hopLimit: 2, endpoint: 'enabled' as const },
    };
    const ranked = rankHypotheses({
      activity: { body: quietActivity(), ref: ref('activity') },
      exposure: { body: exposure, ref: ref('exposure') },
    });
    expect(ranked.map((h) => [h.id, h.strength])).toEqual([
      ['remote-login', 'strong'],
      ['ssrf-imdsv1', 'weak'],
    ]);
    expect(ranked[0]?.toConfirm.length).toBeGreaterThan(0);
  });

  it('counts a vulnerability only when its exploit is available or it is network reachable', () => {
    const finding = {
      title: 't',
      cve: 'CVE-2024-0001',
      severity: 'HIGH',
      exploitAvailable: false,
      networkReachable: false,
      firstObservedAt: null,
    };
    const exposure = {
      ...quietExposure(),
      vulnerabilities: { status: 'collected' as const, findings: [finding] },
    };
    expect(rankHypotheses({ exposure: { body: exposure, ref: ref('e') } })).toEqual([]);
    const exploitable = {
      ...exposure,
      vulnerabilities: {
        status: 'collected' as const,
        findings: [{ ...finding, exploitAvailable: true, networkReachable: true }],
      },
    };
    expect(
      rankHypotheses({ exposure: { body: exploitable, ref: ref('e') } }).map((h) => [h.id, h.strength]),
    ).toEqual([['vulnerable-package', 'moderate']]);
  });

  it('weighs a key found on disk more when the same key was used from outside', () => {
    const finding = {
      volumeId: 'vol-1',
      offset: 4096,
      kind: 'aws-access-key' as const,
      preview: 'AKIA…',
      accessKeyId: 'AKIAOUTSIDEUSED00001',
    };
    const secrets = { findings: [finding], refs: [ref('manifest')] };
    expect(rankHypotheses({ secrets })[0]?.strength).toBe('weak');
    const other = [
      {
        eventTime: '2026-11-29T22:00:00Z',
        eventName: 'ListBuckets',
        eventSource: 's3.amazonaws.com',
        sourceIPAddress: '198.51.100.7',
        accessKeyId: 'AKIAOUTSIDEUSED00001',
        userAgent: null,
      },
    ];
    const [h] = rankHypotheses({
      secrets,
      activity: { body: { ...quietActivity(), other }, ref: ref('activity') },
    });
    expect(h?.id).toBe('leaked-key');
    expect(h?.supporting[0]?.evidence.map((r) => r.key)).toEqual(['manifest', 'activity']);
  });

  it('lists a user data change made through CloudTrail', () => {
    const exposure = {
      ...quietExposure(),
      userData: {
        sha256: null,
        changes: [
          {
            eventTime: '2026-11-28T10:00:00Z',
            actor: 'arn:aws:iam::1:user/mallory',
            sourceIPAddress: '198.51.100.66',
          },
        ],
      },
    };
    const [h] = rankHypotheses({ exposure: { body: exposure, ref: ref('e') } });
    expect(h?.id).toBe('user-data-changed');
    expect(h?.supporting[0]?.fact).toContain('mallory');
  });

  it('keeps a fixed order between hypotheses with equal scores', () => {
    // remote-login: SSH open (2) + key pair (1) = 3; user-data-changed: one change (3). Equal: remote login is listed first.
    const exposure = {
      ...quietExposure(),
      openIngress: [{ groupId: 'sg-1', protocol: 'tcp', fromPort: 22, toPort: 22, cidr: '0.0.0.0/0' }],
      keyName: 'deploy',
      userData: {
        sha256: null,
        changes: [{ eventTime: '2026-11-28T10:00:00Z', actor: 'a', sourceIPAddress: 's' }],
      },
    };
    const ranked = rankHypotheses({ exposure: { body: exposure, ref: ref('e') } });
    expect(ranked.map((h) => [h.id, h.rank, h.strength])).toEqual([
      ['remote-login', 1, 'moderate'],
      ['user-data-changed', 2, 'moderate'],
    ]);
  });

  it('returns no hypothesis when no source is available', () => {
    expect(rankHypotheses({})).toEqual([]);
  });
});
