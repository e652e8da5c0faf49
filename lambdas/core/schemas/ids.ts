import * as z from 'zod/mini';

/**
 * Identifier schemas. These values flow into tags, S3 keys and log lines, so each is held to the
 * character set AWS itself uses: nothing that could escape an S3 prefix (`/`, `..`) or a log line
 * (control characters) gets through.
 */
export const InstanceId = z
  .string()
  .check(z.regex(/^i-[0-9a-f]{8}([0-9a-f]{9})?$/, 'must be an EC2 instance id (i-...)'));
/** The ledger's id of one quarantine: `q-<uuid>`. */
export const QuarantineId = z
  .string()
  .check(z.regex(/^q-[0-9a-f-]{36}$/, 'must be a quarantine id (q-<uuid>)'));
export const Region = z
  .string()
  .check(z.regex(/^[a-z]{2}(-[a-z]+)+-\d{1,2}$/, 'must be an AWS region such as us-east-1'));
export const AccountId = z.string().check(z.regex(/^\d{12}$/, 'must be a 12-digit AWS account id'));
/** Incident ids are chosen by people: letters, digits, `.`, `_`, `-`; no leading dot; at most 64. */
export const IncidentId = z
  .string()
  .check(
    z.regex(
      /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/,
      'must be 1-64 of A-Z a-z 0-9 . _ - (not starting with . _ -)',
    ),
  );
/** Free text written by people (reasons). Printable characters only, so log lines stay one line. */
export const Reason = z.string().check(
  z.trim(),
  z.minLength(1, 'is required'),
  z.maxLength(1024, 'must be at most 1024 characters'),
  // Format characters (bidi overrides) and line/paragraph separators could forge or hide log lines too.
  z.regex(/^[^\p{Cc}\p{Cf}\p{Zl}\p{Zp}]*$/u, 'must not contain control or formatting characters'),
);
export const Cidr = z
  .string()
  .check(
    z.regex(/^(\d{1,3}\.){3}\d{1,3}\/\d{1,2}$|^[0-9a-fA-F:]+\/\d{1,3}$/, 'must be an IPv4 or IPv6 CIDR'),
  );
