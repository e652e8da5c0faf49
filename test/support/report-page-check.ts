import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';

/**
 * Opens a breach report's HTML page in Debian's headless Chromium (never a downloaded browser) and
 * checks what a reader would see: the page renders, the timeline, the touched data and the evidence
 * hashes are visible (laid out with a non-zero size, not merely in the DOM), and the page asks the
 * network for nothing. Shared by the report's browser test and the demo's check of its own page.
 * Throws with the reason on the first failed check; a missing Chromium is a failure, never a skip.
 */

export interface ReportPageCheck {
  readonly screenshot: string;
  readonly screenshotBytes: number;
  readonly width: number;
  readonly height: number;
  /** Every request the page made, the initial document of a file URL excluded (must be empty). */
  readonly requests: ReadonlyArray<string>;
  readonly milestones: number;
  readonly touchedRows: number;
  readonly hashesShown: number;
}

export interface CheckOptions {
  /** Reuse a browser (several pages in one test); otherwise one is launched and closed. */
  readonly browser?: Browser;
  /** Strings that must be visible on the page (e.g. the SHA-256 values the report cites). */
  readonly mustShow?: ReadonlyArray<string>;
  readonly screenshotDir?: string;
  /** The whole page rather than the first screen (slower on a loaded machine). */
  readonly fullPage?: boolean;
}

export function chromiumPath(): string {
  const configured = process.env.CHROMIUM_PATH;
  if (configured !== undefined && configured !== '') return configured;
  try {
    return execFileSync('which', ['chromium'], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error(
      "chromium is not installed: install Debian's chromium package (.ci/run does), or set CHROMIUM_PATH",
    );
  }
}

export function launchChromium(): Promise<Browser> {
  // --no-sandbox: CI runs as root, where Chromium refuses its sandbox; the page is ours and script-free.
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: ['--no-sandbox', '--disable-gpu'],
  });
}

interface Layout {
  readonly timeline: number[];
  readonly milestones: number[][];
  readonly touchedRows: number[][];
  readonly hashes: number[][];
  readonly texts: Array<number[] | null>;
}

// The in-page half is plain JavaScript: DOM types stay out of the project's TypeScript program.
const MEASURE = readFileSync(join(__dirname, 'report-page-measure.js'), 'utf8');

/** Measures everything in one round trip (the machine may be loaded). */
function measure(page: Page, mustShow: ReadonlyArray<string>): Promise<Layout> {
  return page.evaluate(`${MEASURE}\nmeasureReportPage(${JSON.stringify(mustShow)});`);
}

const visible = (s: ReadonlyArray<number> | null | undefined) =>
  s != null && (s[0] ?? 0) > 0 && (s[1] ?? 0) > 0;

function pngSize(path: string): { width: number; height: number } {
  const b = readFileSync(path);
  if (b.length < 24 || b.toString('hex', 0, 8) !== '89504e470d0a1a0a')
    throw new Error(`${path} is not a PNG`);
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
}

/** `source`: the page's HTML (loaded with setContent) or the path of an HTML file (loaded as a file URL). */
export async function checkReportPage(
  source: { html: string } | { file: string },
  opts: CheckOptions = {},
): Promise<ReportPageCheck> {
  const browser = opts.browser ?? (await launchChromium());
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  try {
    const page = await context.newPage();
    const initial = 'file' in source ? pathToFileURL(source.file).href : null;
    const requests: string[] = [];
    page.on('request', (r) => {
      if (r.url() !== initial) requests.push(r.url());
    });
    // Anything else is refused before it leaves: a failing check must not leak a request either.
    await page.route('**/*', (route) =>
      route.request().url() === initial ? route.continue() : route.abort(),
    );
    if ('html' in source) await page.setContent(source.html, { waitUntil: 'load' });
    else await page.goto(initial ?? '', { waitUntil: 'load' });

    if (requests.length > 0) throw new Error(`the page made network requests: ${requests.join(', ')}`);

    const mustShow = opts.mustShow ?? [];
    const layout = await measure(page, mustShow);
    if (!visible(layout.timeline))
      throw new Error(`the timeline picture is not visible: ${JSON.stringify(layout.timeline)}`);
    if (layout.milestones.length === 0 || !layout.milestones.every(visible))
      throw new Error(`timeline milestones not all visible: ${JSON.stringify(layout.milestones)}`);
    if (layout.touchedRows.length === 0 || !layout.touchedRows.every(visible))
      throw new Error(`the touched data is not visible: ${JSON.stringify(layout.touchedRows)}`);
    if (layout.hashes.length === 0 || !layout.hashes.every(visible))
      throw new Error(`evidence hashes not all visible: ${JSON.stringify(layout.hashes)}`);
    mustShow.forEach((t, i) => {
      if (!visible(layout.texts[i])) throw new Error(`"${t}" is not visible`);
    });

    const dir = opts.screenshotDir ?? mkdtempSync(join(tmpdir(), 'sequester-report-'));
    const screenshot = join(dir, 'report.png');
    await page.screenshot({ path: screenshot, fullPage: opts.fullPage ?? false });
    const { width, height } = pngSize(screenshot);
    const screenshotBytes = statSync(screenshot).size;
    if (requests.length > 0) throw new Error(`the page made network requests: ${requests.join(', ')}`);
    return {
      screenshot,
      screenshotBytes,
      width,
      height,
      requests,
      milestones: layout.milestones.length,
      touchedRows: layout.touchedRows.length,
      hashesShown: layout.hashes.length,
    };
  } finally {
    await context.close();
    if (opts.browser === undefined) await browser.close();
  }
}
