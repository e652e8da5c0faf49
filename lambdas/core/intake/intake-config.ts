import * as z from 'zod/mini';
import { InvalidInputError } from '../errors';
import { AccountId, Cidr, Region } from '../schemas/ids';
import { invalidInputFrom } from './zod-field';

/** A finding type prefix such as `Backdoor:EC2/` or `Execution:Runtime/`. */
const TypePrefix = z
  .string()
  .check(z.regex(/^[A-Za-z0-9][A-Za-z0-9:/._!&+-]{0,255}$/, 'must be a finding type prefix'));

/**
 * What the intake acts on. Strict: an unknown key is a typo in someone's config, and a typo in a
 * security filter must fail loudly rather than silently allow or ignore everything.
 *
 * @example
 * {
 *   "severityFloor": 7,
 *   "allowTypePrefixes": ["Backdoor:EC2/", "CryptoCurrency:EC2/", "UnauthorizedAccess:EC2/", "Trojan:EC2/"],
 *   "denyTypePrefixes": ["Recon:EC2/PortProbeUnprotectedPort"],
 *   "exemptionTagKey": "sequester:exempt",
 *   "accounts": ["123456789012", "210987654321"],
 *   "drills": false
 * }
 */
export const IntakeConfig = z.strictObject({
  /** GuardDuty severity is 1.0-10.0; 7.0 and above is High. Below the floor is ignored. */
  severityFloor: z._default(z.number().check(z.gte(0), z.lte(10)), 7),
  /** When non-empty, only types starting with one of these prefixes are acted on. Empty: every type. */
  allowTypePrefixes: z._default(z.array(TypePrefix).check(z.maxLength(200)), []),
  /** Types starting with one of these are never acted on automatically (deny wins over allow). */
  denyTypePrefixes: z._default(z.array(TypePrefix).check(z.maxLength(200)), []),
  /** Instances whose finding shows this tag (value other than "false") are left alone. */
  exemptionTagKey: z._default(z.string().check(z.minLength(1), z.maxLength(128)), 'sequester:exempt'),
  /** Accounts that may be acted on. Absent: every account GuardDuty reports (the default). */
  accounts: z.optional(z.array(AccountId).check(z.maxLength(10000))),
  /** Regions that may be acted on. Absent: every region. */
  regions: z.optional(z.array(Region).check(z.maxLength(64))),
  /** Act on sample findings (CreateSampleFindings) too: for drills against real, tagged instances. */
  drills: z._default(z.boolean(), false),
  /** Options of the quarantines the intake starts. */
  stopInstance: z._default(z.boolean(), false),
  forensicCidrs: z._default(z.array(Cidr).check(z.maxLength(10)), []),
});
export type IntakeConfig = z.infer<typeof IntakeConfig>;

/**
 * Every default. A function, not a module constant: the deployed intake always has `INTAKE_CONFIG`, so
 * parsing `{}` at load would be cold-start time spent on a config it never uses.
 */
export const defaultIntakeConfig = (): IntakeConfig => IntakeConfig.parse({});

/** Parses a config document; throws InvalidInputError naming the bad key as `config.<key>`. */
export function parseIntakeConfig(input: unknown): IntakeConfig {
  const r = IntakeConfig.safeParse(input ?? {});
  if (!r.success) throw invalidInputFrom(r.error.issues, 'config');
  return r.data;
}

/** The deployed intake reads its config from one JSON environment variable, `INTAKE_CONFIG`. */
export function intakeConfigFromEnv(raw: string | undefined): IntakeConfig {
  if (raw === undefined || raw.trim() === '') return defaultIntakeConfig();
  let doc: unknown;
  try {
    doc = JSON.parse(raw);
  } catch (err) {
    throw new InvalidInputError('config: is not valid JSON', 'config', { cause: err });
  }
  return parseIntakeConfig(doc);
}
