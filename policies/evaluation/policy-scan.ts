import { type DocumentLike, statementsOf } from './policy-types';
import type { PrincipalKind } from './principal-match';
import { type MatchInput, type PrincipalCheck, statementApplies } from './statement-match';

/** A statement that decided (or helped decide) a request: policy kind and name, statement index, Sid. */
export interface DecidingStatement {
  readonly policy: string;
  readonly statement: number;
  readonly sid?: string;
}

export interface AllowHit extends DecidingStatement {
  /** For resource policies: how the statement's Principal named the caller. */
  readonly kind?: PrincipalKind;
}

/** The statements of a set of policies that apply to one request, split by effect. */
export interface Scan {
  readonly allows: ReadonlyArray<AllowHit>;
  readonly denies: ReadonlyArray<DecidingStatement>;
}

export interface NamedDocument {
  readonly name: string;
  readonly document: DocumentLike;
}

export const EMPTY_SCAN: Scan = { allows: [], denies: [] };

/** Scans every statement of `docs` (all of them: the result lists every deny and allow that applies). */
export function scanPolicies(
  docs: ReadonlyArray<NamedDocument>,
  request: Omit<MatchInput, 'versioned'>,
  principal?: PrincipalCheck,
): Scan {
  const allows: AllowHit[] = [];
  const denies: DecidingStatement[] = [];
  for (const { name, document } of docs) {
    const input: MatchInput = { ...request, versioned: document.Version === '2012-10-17' };
    const statements = statementsOf(document);
    for (let i = 0; i < statements.length; i++) {
      const s = statements[i];
      if (s === undefined) continue;
      const applies = statementApplies(s, input, principal);
      if (applies === false) continue;
      const hit: AllowHit = {
        policy: name,
        statement: i,
        ...(s.Sid !== undefined ? { sid: s.Sid } : {}),
        ...(typeof applies === 'string' ? { kind: applies } : {}),
      };
      if (s.Effect === 'Deny') {
        const { kind: _kind, ...deny } = hit;
        denies.push(deny);
      } else allows.push(hit);
    }
  }
  return { allows, denies };
}
