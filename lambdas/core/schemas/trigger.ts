import * as z from 'zod/mini';

/** Who or what asked for the quarantine. Automatic triggers are bound by the exemption tag. */
export const Trigger = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('api'), principalArn: z.string().check(z.minLength(1), z.maxLength(2048)) }),
  z.object({
    kind: z.literal('guardduty'),
    findingId: z.string().check(z.regex(/^[A-Za-z0-9]{1,128}$/, 'must be a GuardDuty finding id')),
    findingType: z.optional(z.string().check(z.maxLength(256))),
  }),
  z.object({ kind: z.literal('cli'), principalArn: z.string().check(z.minLength(1), z.maxLength(2048)) }),
]);
export type Trigger = z.infer<typeof Trigger>;
