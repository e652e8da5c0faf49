import { reportVersionFlag } from '../../../cli/main';
import { ImageRecord } from '../../../lambdas/core/evidence/manifest';
import type { SecretFinding } from '../../../lambdas/core/investigation/secrets/secret-finding';
import { secretsOf } from '../../../lambdas/core/report/gather-inputs';
import { readReportConfig } from '../../../lambdas/core/report/report-env';

describe('Function: secretsOf', () => {
  const finding: SecretFinding = {
    volumeId: 'vol-0a1b2c3d',
    offset: 1052672,
    kind: 'aws-access-key',
    preview: 'AKIA…MPLE / wJal…(40 chars)',
    accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  };

  it('is unknown (undefined) when no image record carries the scan result', () => {
    expect(secretsOf({ volumes: [{ images: [{}] }] })).toBeUndefined();
  });

  it('is an empty list when the scan ran and found nothing', () => {
    expect(secretsOf({ volumes: [{ images: [{ secrets: [] }] }] })).toEqual([]);
  });

  it('collects the findings of every image piece; a malformed one never gets that far', () => {
    const raw = {
      volumes: [
        { images: [{ secrets: [finding] }] },
        { images: [{ secrets: [{ ...finding, volumeId: 'vol-0b' }] }] },
      ],
    };
    expect(secretsOf(raw)?.map((s) => s.volumeId)).toEqual(['vol-0a1b2c3d', 'vol-0b']);
    // The manifest is parsed before its findings are read, and its schema refuses a malformed finding.
    expect(ImageRecord.shape.secrets.safeParse([{ kind: 'aws-access-key' }]).success).toBe(false);
  });
});

describe('Function: readReportConfig', () => {
  it('reads comma-separated jurisdictions, the banner and the time zone', () => {
    expect(
      readReportConfig({
        REPORT_ORGANISATION: 'Example Corp',
        REPORT_JURISDICTIONS: 'gdpr, nis2,sec-8k',
        REPORT_PRIVILEGE_BANNER: 'Privileged & confidential',
        REPORT_TIME_ZONE: 'Europe/Berlin',
      }),
    ).toEqual({
      organisation: 'Example Corp',
      jurisdictions: ['gdpr', 'nis2', 'sec-8k'],
      privilegeBanner: 'Privileged & confidential',
      timeZone: 'Europe/Berlin',
    });
  });

  it('computes no clocks and shows no banner when nothing is configured', () => {
    expect(readReportConfig({})).toEqual({ organisation: '', jurisdictions: [] });
  });

  it('refuses an unknown jurisdiction, naming the variable', () => {
    expect(() => readReportConfig({ REPORT_JURISDICTIONS: 'gdpr,mars' })).toThrow(
      /^REPORT_JURISDICTIONS\.1: /,
    );
  });
});

describe('Function: reportVersionFlag', () => {
  it('hands --version after the report command to it, and leaves the program its own --version', () => {
    const node = ['node', 'sequester'];
    expect(reportVersionFlag([...node, 'report', 'INC-1/i-0abc1234def567890', '--version', 'v1'])).toEqual([
      ...node,
      'report',
      'INC-1/i-0abc1234def567890',
      '--report-version',
      'v1',
    ]);
    expect(reportVersionFlag([...node, 'report', 'x', '--version=v2'])).toContain('--report-version=v2');
    expect(reportVersionFlag([...node, '--version'])).toEqual([...node, '--version']);
    expect(reportVersionFlag([...node, 'evidence', 'show', 'x', '--version'])).toContain('--version');
  });
});
