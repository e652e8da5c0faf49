import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const GUARDDUTY_DIR = join(__dirname, '..', '..', 'fixtures', 'guardduty');

export type Expected =
  | { action: 'quarantine' | 'ignore'; reason: string; instance?: Record<string, string> }
  | { error: string };

/** Every GuardDuty fixture with its expected decision (test/fixtures/guardduty/expected.json). */
export const EXPECTED: Record<string, Expected> = JSON.parse(
  readFileSync(join(GUARDDUTY_DIR, 'expected.json'), 'utf8'),
);

/** A fresh copy of one fixture, so a test can change it without touching the others. */
export function finding(name: string): Record<string, unknown> {
  return structuredClone(JSON.parse(readFileSync(join(GUARDDUTY_DIR, name), 'utf8')));
}

/** Sets (or with `undefined`, deletes) the value at a dotted path of a JSON document, in place. */
export function setPath<T extends object>(doc: T, path: string, value: unknown): T {
  const keys = path.split('.');
  const last = keys.pop() ?? '';
  let cur = doc as Record<string, unknown>;
  for (const k of keys) cur = cur[k] as Record<string, unknown>;
  if (value === undefined) delete cur[last];
  else cur[last] = value;
  return doc;
}

export function fixtureFiles(): string[] {
  return readdirSync(GUARDDUTY_DIR).filter((f) => f.endsWith('.json') && f !== 'expected.json');
}
