import { notifyOnCall } from '../core/workflow/notify';
import { notificationDeps } from './notification-runtime';

/**
 * Step Functions task: pages on-call about a quarantine event ({quarantineId, event}); the workflow
 * keeps its own state (ResultPath null), so the result is only the message id.
 */
export const handler = async (event: unknown) => notifyOnCall(notificationDeps(), event);
