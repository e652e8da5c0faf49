import { recordFailure } from '../core/workflow/record-failure';
import { notificationDeps } from './notification-runtime';

/** Step Functions failure path: {quarantineId, step, error: {Error, Cause}} -> ledger `failed` + page. */
export const handler = async (event: unknown) => recordFailure(notificationDeps(), event);
