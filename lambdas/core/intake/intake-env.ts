import * as z from 'zod/mini';
import { parseOrThrow } from '../errors';

/**
 * Environment of the intake and API Lambdas, on top of handlers/runtime.ts's RuntimeEnv.
 *
 * @example { "STATE_MACHINE_ARN": "arn:aws:states:eu-west-1:123456789012:stateMachine:sequester-response",
 *            "INTAKE_CONFIG": "{\"severityFloor\":7,\"allowTypePrefixes\":[\"Backdoor:EC2/\"]}" }
 */
export const IntakeEnv = z.object({
  /** The response workflow the intake starts, one execution per quarantine. */
  STATE_MACHINE_ARN: z
    .string()
    .check(
      z.regex(
        /^arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}:stateMachine:[A-Za-z0-9_-]{1,80}$/,
        'must be a state machine ARN',
      ),
    ),
  /** JSON of IntakeConfig (intake-config.ts); absent means the defaults. */
  INTAKE_CONFIG: z.optional(z.string().check(z.maxLength(65536))),
});
export type IntakeEnv = z.infer<typeof IntakeEnv>;

export function readIntakeEnv(env: NodeJS.ProcessEnv = process.env): IntakeEnv {
  return parseOrThrow(IntakeEnv, env);
}
