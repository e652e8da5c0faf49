import { Logger } from '@aws-lambda-powertools/logger';
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { GuardDutyClient } from '@aws-sdk/client-guardduty';
import { Inspector2Client } from '@aws-sdk/client-inspector2';
import * as z from 'zod/mini';
import { parseOrThrow } from '../core/errors';
import { evidenceClientsFor, evidenceConfig } from '../core/evidence/env-config';
import { loadRecord } from '../core/evidence/evidence-record';
import { investigateExposure } from '../core/investigation/exposure/investigate-exposure';
import { QuarantineId } from '../core/schemas/ids';
import { runtime } from './runtime';

const logger = new Logger({ serviceName: 'sequester-investigate-exposure' });

/** Workflow task input. @example { "quarantineId": "q-0b7e9c4e-2f7a-4a61-9d0e-6a3c1f2b8d11" } */
export const ExposureTaskInput = z.looseObject({ quarantineId: QuarantineId });

/**
 * Step Functions task: how exposed the instance was at detection (addresses, open ingress, internet
 * route, IMDS, user data hash, Inspector, GuardDuty, CloudTrail), locked in the vault as exposure.json.
 * Reads act in the instance's account and Region (the MemberAccess role for a member account).
 */
export const handler = async (event: unknown) => {
  const { quarantineId } = parseOrThrow(ExposureTaskInput, event);
  const rt = runtime();
  const cfg = evidenceConfig();
  const record = await loadRecord(rt.ledger, quarantineId);
  const { ec2, iam } = await rt.isolationClientsFor(record.instance);
  const { s3 } = await evidenceClientsFor(rt, record.instance, cfg.region);
  const region = record.instance.region;
  const credentials = ec2.config.credentials;
  const outcome = await investigateExposure(
    {
      ec2,
      iam,
      s3,
      inspector: new Inspector2Client({ region, credentials }),
      guardduty: new GuardDutyClient({ region, credentials }),
      cloudtrail: new CloudTrailClient({ region, credentials }),
    },
    rt.ledger,
    record,
    cfg,
  );
  logger.info('exposure recorded', { quarantineId, status: outcome.status, summary: outcome.summary });
  return { quarantineId, status: outcome.status };
};
