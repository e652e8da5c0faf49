import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Logger } from '@aws-lambda-powertools/logger';
import { redirectLambdaLogs } from '../../demo/log-file';

/**
 * `npm start` runs the real handlers in its own process; their Powertools Logger would write JSON lines
 * to stdout and stderr between the progress lines and the summary. The demo sends them to a file.
 */
describe('Function: redirectLambdaLogs', () => {
  const saved = { dev: process.env.POWERTOOLS_DEV };
  afterEach(() => {
    if (saved.dev === undefined) delete process.env.POWERTOOLS_DEV;
    else process.env.POWERTOOLS_DEV = saved.dev;
  });

  it("keeps every handler log line in the file and writes none to the demo's stdout or stderr", async () => {
    // Prepare
    const dir = mkdtempSync(join(tmpdir(), 'sequester-log-test-'));
    const written: string[] = [];
    const out = jest.spyOn(process.stdout, 'write').mockImplementation((s) => {
      written.push(String(s));
      return true;
    });
    const err = jest.spyOn(process.stderr, 'write').mockImplementation((s) => {
      written.push(String(s));
      return true;
    });
    // Act
    const logs = redirectLambdaLogs(dir);
    try {
      const logger = new Logger({ serviceName: 'sequester-isolate' });
      logger.info('network cut', { quarantineId: 'q-1' });
      logger.error('step failed', { step: 'snapshot' });
    } finally {
      await logs.close();
      out.mockRestore();
      err.mockRestore();
    }
    // Assess
    expect(written.join('')).not.toMatch(/sequester-isolate/);
    expect(logs.path.startsWith(dir)).toBe(true);
    const text = readFileSync(logs.path, 'utf8');
    expect(text).toMatch(/"message": "network cut"/);
    expect(text).toMatch(/"message": "step failed"/);
    expect(text).toMatch(/"service": "sequester-isolate"/);
  });

  it('puts the console back as it was when closed', async () => {
    const before = console.info;
    const logs = redirectLambdaLogs(mkdtempSync(join(tmpdir(), 'sequester-log-test-')));
    expect(console.info).not.toBe(before);
    await logs.close();
    expect(console.info).toBe(before);
  });
});
