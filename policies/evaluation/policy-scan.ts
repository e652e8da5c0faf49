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
  input: MatchInput,
  principal?: PrincipalCheck,
): Scan {
  const allows: AllowHit[] = [];
  const denies: DecidingStatement[] = [];
  for (const { name, document } of docs) {
    const versioned = document.Version === '2012-10-17';
    const statements = statementsOf(document);
    for (let i = 0; i < statements.length; i++) {
      const s = statements[i];
      if (s === undefined) continue;
      const applies = statementApplies(s, input, versioned, principal);
      if (applies === false) continue;
      // Built field by field (no spreads): this runs for every applicable statement of every request.
      const hit: { policy: string; statement: number; sid?: string; kind?: PrincipalKind } = {
        policy: name,
        statement: i,
      };
      if (s.Sid !== undefined) hit.sid = s.Sid;
      if (s.Effect === 'Deny') denies.push(hit);
      else {
        if (typeof applies === 'string') hit.kind = applies;
        allows.push(hit);
      }
    }
  }
  return { allows, denies };
}
