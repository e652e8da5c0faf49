import type { SecretFinding } from './secret-finding';

/** Longest span a match may cover from its first byte (a JWT is cut at this length). */
export const MAX_SPAN = 4096;
/** How far before and after an AWS key id its secret access key may sit ("nearby"). */
export const SECRET_WINDOW = 160;
/** Bytes before a candidate the checks read (the left word boundary, a secret written before its id). */
export const LEFT_CONTEXT = SECRET_WINDOW + 48;

export interface Match {
  readonly kind: SecretFinding['kind'];
  /** Never the secret: the fixed prefix or the key id, and the length. */
  readonly preview: string;
  readonly accessKeyId?: string;
}

const WORD = /[A-Za-z0-9_-]/;
const KEY_ID = /A[KS]IA[A-Z0-9]{16}(?![A-Za-z0-9])/y;
// A secret access key: 40 characters of its base64 alphabet, alone, mixing cases (hex digests of the
// same length, which are common near ids in logs, are one case).
const SECRET = /(?<![A-Za-z0-9/+])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/g;
const mixedCase = (s: string) => /[a-z]/.test(s) && /[A-Z]/.test(s);

/** GitHub, GitLab and Slack token formats, JWTs and PEM private key headers, anchored at the candidate. */
const TOKENS: ReadonlyArray<{ kind: Match['kind']; re: RegExp; prefix: (m: string) => string }> = [
  { kind: 'github-token', re: /ghp_[A-Za-z0-9]{36}(?![A-Za-z0-9_])/y, prefix: () => 'ghp_' },
  {
    kind: 'github-token',
    re: /github_pat_[A-Za-z0-9_]{22,255}(?![A-Za-z0-9_])/y,
    prefix: () => 'github_pat_',
  },
  { kind: 'gitlab-token', re: /glpat-[A-Za-z0-9_-]{20,64}(?![A-Za-z0-9_-])/y, prefix: () => 'glpat-' },
  {
    kind: 'slack-token',
    re: /xox[bpars]-[A-Za-z0-9-]{10,255}(?![A-Za-z0-9-])/y,
    prefix: (m) => m.slice(0, 5),
  },
  {
    kind: 'jwt',
    re: /eyJ[A-Za-z0-9_-]{4,1500}\.eyJ[A-Za-z0-9_-]{4,2000}\.[A-Za-z0-9_-]{0,580}/y,
    prefix: () => 'eyJ',
  },
];
// The header names the key type (RSA, EC, OPENSSH, ENCRYPTED, PGP ... BLOCK); the body is never read.
const PEM = /-----BEGIN ((?:[A-Z0-9]+ ){0,3})PRIVATE KEY( BLOCK)?-----/y;

/**
 * The literal starts of every format above, by first byte: a candidate that starts none of them cannot
 * match, so the scan drops it before it copies the window matchAt reads. Runs of one character (the
 * dashes of text rules and tables are anchors at every position) then cost a few byte compares each.
 */
const PREFIXES: ReadonlyArray<string> = [
  '-----BEGIN ',
  'AKIA',
  'ASIA',
  'ghp_',
  'github_pat_',
  'glpat-',
  ...[...'bpars'].map((c) => `xox${c}-`),
  'eyJ',
];

/** Whether one of the formats' literal starts is at `at` of `bytes` (necessary for matchAt to match). */
export function startsFormat(bytes: Uint8Array, at: number): boolean {
  for (const p of PREFIXES) {
    if (bytes[at] !== p.charCodeAt(0) || at + p.length > bytes.length) continue;
    let k = 1;
    while (k < p.length && bytes[at + k] === p.charCodeAt(k)) k += 1;
    if (k === p.length) return true;
  }
  return false;
}

/**
 * The secret starting at `at` in `s` (a latin1 window of the disk bytes), or undefined. `s` holds up to
 * LEFT_CONTEXT bytes before `at` and MAX_SPAN after it where the disk has them.
 */
export function matchAt(s: string, at: number): Match | undefined {
  const c = s.charCodeAt(at);
  if (c === 0x2d /* - */) {
    PEM.lastIndex = at;
    const m = PEM.exec(s);
    return m === null ? undefined : { kind: 'private-key', preview: `${m[0]} (key body redacted)` };
  }
  if (at > 0 && WORD.test(s.charAt(at - 1))) return undefined;
  if (c === 0x41 /* A */) return awsKey(s, at);
  for (const t of TOKENS) {
    t.re.lastIndex = at;
    const m = t.re.exec(s);
    if (m !== null) return { kind: t.kind, preview: `${t.prefix(m[0])}… (${m[0].length} chars, redacted)` };
  }
  return undefined;
}

function awsKey(s: string, at: number): Match | undefined {
  KEY_ID.lastIndex = at;
  const id = KEY_ID.exec(s)?.[0];
  if (id === undefined) return undefined;
  const from = Math.max(0, at - SECRET_WINDOW);
  const near = s.slice(from, Math.min(s.length, at + id.length + SECRET_WINDOW));
  SECRET.lastIndex = 0;
  for (let m = SECRET.exec(near); m !== null; m = SECRET.exec(near)) {
    if (mixedCase(m[0])) {
      return {
        kind: 'aws-access-key',
        preview: `${id} / secret access key (40 chars, redacted)`,
        accessKeyId: id,
      };
    }
  }
  return undefined;
}
