import { readdirSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { OPERATIONS } from '../../local-aws/iam/operations';
import { sdkActionsOf } from './sdk-calls';

const ROOT = path.resolve(__dirname, '../..');

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return tsFiles(full);
    return name.endsWith('.ts') ? [full] : [];
  });
}

/**
 * The enforcing local AWS refuses (501) an operation its table does not know, so a new SDK call must
 * come with its IAM authorization. This test finds the omission before any run does.
 */
describe('the operation -> authorization table (local-aws/iam/operations)', () => {
  const files = ['lambdas', 'cli', 'demo'].flatMap((d) => tsFiles(path.join(ROOT, d)));

  it.each(files.map((f) => path.relative(ROOT, f)))('knows every AWS operation %s calls', (file) => {
    expect([...sdkActionsOf(path.join(ROOT, file), false).unknown]).toEqual([]);
  });

  it('links every entry to the AWS documentation and names valid IAM actions', () => {
    for (const [op, auth] of Object.entries(OPERATIONS)) {
      expect([op, auth.doc]).toEqual([op, expect.stringMatching(/^https:\/\/docs\.aws\.amazon\.com\//)]);
      for (const a of [...auth.actions, ...(auth.conditional ?? [])])
        expect(a).toMatch(/^[a-z0-9-]+:[A-Za-z0-9]+$/);
    }
  });

  it('sees a call the table does not know', () => {
    const fixture = path.join(__dirname, 'fixtures', 'unknown-call.ts');
    expect([...sdkActionsOf(fixture, false).unknown]).toEqual(['ec2:TerminateInstances']);
  });
});
