// Placeholder until the delivery branch lands
import * as z from 'zod/mini';
import { parseOrThrow } from '../core/errors';
import { QuarantineId } from '../core/schemas/ids';

const Input = z.looseObject({ quarantineId: QuarantineId });

/** Step Functions task: validates `{quarantineId}` and returns the input unchanged. */
export const handler = async (event: unknown) => parseOrThrow(Input, event);
