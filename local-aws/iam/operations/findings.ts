import { anyResource, forService, type OperationAuth } from './types';

const sar = (page: string) =>
  `https://docs.aws.amazon.com/service-authorization/latest/reference/${page}.html`;

/** An action with no resource types in the Service Authorization Reference: `*` is its only resource. */
const unscoped = (service: string, op: string, page: string, api: string): OperationAuth => ({
  actions: [`${service}:${op}`],
  doc: `${sar(page)} ; ${api}`,
  checks: anyResource(`${service}:${op}`),
});

/** Amazon Inspector (REST-JSON): the exposure step reads the instance's findings. */
export const INSPECTOR2 = forService('inspector2', {
  ListFindings: unscoped(
    'inspector2',
    'ListFindings',
    'list_amazoninspector2',
    'https://docs.aws.amazon.com/inspector/v2/APIReference/API_ListFindings.html',
  ),
});

/** GuardDuty (REST-JSON): the exposure step reads the finding history of the instance and its session. */
export const GUARDDUTY = forService('guardduty', {
  ListDetectors: unscoped(
    'guardduty',
    'ListDetectors',
    'list_amazonguardduty',
    'https://docs.aws.amazon.com/guardduty/latest/APIReference/API_ListDetectors.html',
  ),
  ListFindings: unscoped(
    'guardduty',
    'ListFindings',
    'list_amazonguardduty',
    'https://docs.aws.amazon.com/guardduty/latest/APIReference/API_ListFindings.html',
  ),
  GetFindings: unscoped(
    'guardduty',
    'GetFindings',
    'list_amazonguardduty',
    'https://docs.aws.amazon.com/guardduty/latest/APIReference/API_GetFindings.html',
  ),
});
