import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildReport } from '../../lambdas/core/report/build';
import { BreachReport } from '../../lambdas/core/report/document';
import { ReportInputs } from '../../lambdas/core/report/inputs';
import { renderHtml } from '../../lambdas/core/report/render-html';
import { renderMarkdown } from '../../lambdas/core/report/render-markdown';
import { renderReport } from '../../lambdas/core/report/render-report';

/**
 * Golden files of the report built from fixture inputs, and of both renderings. A difference fails;
 * after a deliberate change, regenerate with `UPDATE_GOLDEN=1 npx jest test/report/golden.test.ts` and
 * review the diff of test/fixtures/report/golden/ like code.
 */
const FIXTURES = join(__dirname, '../fixtures/report');
const update = process.env.UPDATE_GOLDEN === '1';

function golden(name: string, actual: string): void {
  const path = join(FIXTURES, 'golden', name);
  if (update) writeFileSync(path, actual);
  if (!existsSync(path)) throw new Error(`golden file ${path} is missing: run with UPDATE_GOLDEN=1`);
  expect(actual).toBe(readFileSync(path, 'utf8'));
}

const load = (name: string) =>
  ReportInputs.parse(JSON.parse(readFileSync(join(FIXTURES, `${name}-inputs.json`), 'utf8')));

describe.each(['full', 'minimal'])('Report golden files: %s inputs', (name) => {
  const report = buildReport(load(name));

  it('builds a document that validates against BreachReport and matches its golden JSON', () => {
    expect(BreachReport.safeParse(report).success).toBe(true);
    golden(`${name}.json`, `${JSON.stringify(report, null, 2)}\n`);
  });

  it('renders the Markdown golden file', () => {
    golden(`${name}.md`, renderMarkdown(report));
  });

  it('renders the HTML golden file', () => {
    golden(`${name}.html`, renderHtml(report));
  });

  it("renders the three sealed forms through the report step's renderer exactly as the golden files", () => {
    const forms = renderReport(load(name));
    const read = (ext: string) => readFileSync(join(FIXTURES, 'golden', `${name}.${ext}`), 'utf8');
    expect(forms.json).toBe(read('json'));
    expect(forms.md).toBe(read('md'));
    expect(forms.html).toBe(read('html'));
  });

  it('builds the same document twice from the same inputs (no clock, no randomness)', () => {
    expect(JSON.stringify(buildReport(load(name)))).toBe(JSON.stringify(report));
  });
});
