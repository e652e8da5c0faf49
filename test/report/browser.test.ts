import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { buildReport } from '../../lambdas/core/report/build';
import { ReportInputs } from '../../lambdas/core/report/inputs';
import { renderHtml } from '../../lambdas/core/report/render-html';
import { checkReportPage, launchChromium } from '../support/report-page-check';

/**
 * The full fixture report in real (headless, Debian) Chromium: rendered, visible, and silent on the
 * network. Fails when Chromium is missing: .ci/run installs it.
 */
const inputs = ReportInputs.parse(
  JSON.parse(readFileSync(join(__dirname, '../fixtures/report/full-inputs.json'), 'utf8')),
);
const report = buildReport(inputs);
const html = renderHtml(report);

describe('Report page in Chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('shows the timeline, the touched data and the evidence hashes, takes a screenshot, and makes no request', async () => {
    const imageHash = report.evidence.images[0]?.compositeSha256 ?? 'missing';
    const check = await checkReportPage(
      { html },
      { browser, mustShow: [imageHash, 'customer-data/exports/2026-11.csv'] },
    );
    expect(check.requests).toEqual([]);
    expect(check.milestones).toBe(report.timeline.length);
    expect(check.touchedRows).toBe(report.activity.touched.length);
    expect(check.hashesShown).toBeGreaterThanOrEqual(5);
    expect(check.width).toBe(1280);
    expect(check.height).toBe(900);
    expect(check.screenshotBytes).toBeGreaterThan(30_000);
  });

  it('checks a page written to a file (as the demo writes it), allowing only its own load', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'sequester-report-')), 'report.html');
    writeFileSync(file, html);
    const check = await checkReportPage({ file }, { browser });
    expect(check.requests).toEqual([]);
    expect(check.touchedRows).toBe(report.activity.touched.length);
  });

  it('detects a timeline that is in the DOM but not shown', async () => {
    const hidden = html.replace('</style>', 'svg.timeline { visibility: hidden; }</style>');
    await expect(checkReportPage({ html: hidden }, { browser })).rejects.toThrow(
      /timeline picture is not visible/,
    );
  });

  it('detects a page that asks the network for something', async () => {
    const leaky = html
      .replace(/<meta http-equiv="Content-Security-Policy"[^>]*>/, '')
      .replace('</main>', '<img src="https://example.invalid/pixel.png" alt=""></main>');
    await expect(checkReportPage({ html: leaky }, { browser })).rejects.toThrow(
      /network requests: https:\/\/example\.invalid\/pixel\.png/,
    );
  });
});
