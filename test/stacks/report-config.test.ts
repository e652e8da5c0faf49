import { readReportConfig } from '../../lambdas/core/report/report-env';
import { parseConfig } from '../../stacks/config';
import { functionEnvironment } from '../../stacks/handler-environment';

describe('Config: the breach report settings reach the issue-report function', () => {
  it('passes the organisation, jurisdictions, banner and time zone in the form the report step reads', () => {
    // Prepare
    const values: Record<string, string> = {
      reportOrganisation: 'Example Corp',
      reportJurisdictions: '["gdpr","sec-8k"]',
      reportPrivilegeBanner: 'Privileged & confidential',
      reportTimeZone: 'Europe/Berlin',
    };
    // Act
    const env = functionEnvironment(
      'issue-report',
      parseConfig((k) => values[k]),
    );
    // Assess
    expect(readReportConfig(env)).toEqual({
      organisation: 'Example Corp',
      jurisdictions: ['gdpr', 'sec-8k'],
      privilegeBanner: 'Privileged & confidential',
      timeZone: 'Europe/Berlin',
    });
  });

  it('refuses an unknown jurisdiction and a time zone that is not IANA, naming the key', () => {
    expect(() => parseConfig((k) => (k === 'reportJurisdictions' ? '["mars"]' : undefined))).toThrow(
      /reportJurisdictions/,
    );
    expect(() => parseConfig((k) => (k === 'reportTimeZone' ? 'Middle/Earth' : undefined))).toThrow(
      /reportTimeZone/,
    );
  });

  it('computes no clocks when no jurisdiction is configured', () => {
    expect(
      readReportConfig(
        functionEnvironment(
          'issue-report',
          parseConfig(() => undefined),
        ),
      ),
    ).toEqual({
      organisation: '',
      jurisdictions: [],
    });
  });
});
