import { z } from 'zod';
import { InvalidInputError } from '../errors';
import { AccountId, Cidr, Region } from '../schemas/ids';
import { invalidInputFrom } from './zod-field';

/** A finding type prefix such as `Backdoor:EC2/` or `Execution:Runtime/`. */
const TypePrefix = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9:/._!&+-]{0,255}$/, 'must be a finding type prefix');

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
  severityFloor: z.number().min(0).max(10).default(7),
  /** When non-empty, only types starting with one of these prefixes are acted on. Empty: every type. */
  allowTypePrefixes: z.array(TypePrefix).max(200).default([]),
  /** Types starting with one of these are never acted on automatically (deny wins over allow). */
  denyTypePrefixes: z.array(TypePrefix).max(200).default([]),
  /** Instances whose finding shows this tag (value other than "false") are left alone. */
  exemptionTagKey: z.string().min(1).max(128).default('sequester:exempt'),
  /** Accounts that may be acted on. Absent: every account GuardDuty reports (the default). */
  accounts: z.array(AccountId).max(10000).optional(),
  /** Regions that may be acted on. Absent: every region. */
  regions: z.array(Region).max(64).optional(),
  /** Act on sample findings (CreateSampleFindings) too: for drills against real, tagged instances. */
  drills: z.boolean().default(false),
  /** Options of the quarantines the intake starts. */
  stopInstance: z.boolean().default(false),
  forensicCidrs: z.array(Cidr).max(10).default([]),
});
export type IntakeConfig = z.infer<typeof IntakeConfig>;

export const DEFAULT_INTAKE_CONFIG: IntakeConfig = IntakeConfig.parse({});

/** Parses a config document; throws InvalidInputError naming the bad key as `config.<key>`. */
export function parseIntakeConfig(input: unknown): IntakeConfig {
  const r = IntakeConfig.safeParse(input ?? {});
  if (!r.success) throw invalidInputFrom(r.error.issues, 'config');
  return r.data;
}

/** The deployed intake reads its config from one JSON environment variable, `INTAKE_CONFIG`. */
export function intakeConfigFromEnv(raw: string | undefined): IntakeConfig {
  if (raw === undefined || raw.trim() === '') return DEFAULT_INTAKE_CONFIG;
  let doc: unknown;
  try {
    doc = JSON.parse(raw);
  } catch (err) {
    throw new InvalidInputError('config: is not valid JSON', 'config', { cause: err });
  }
  return parseIntakeConfig(doc);
}
