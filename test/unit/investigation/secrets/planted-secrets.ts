/**
 * Credential-shaped test values in their real formats (AWS's documented example key pair, made-up
 * tokens of the right alphabets and lengths). None is a live credential.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html
 */
export const PLANTED = {
  awsKeyId: 'AKIAIOSFODNN7EXAMPLE',
  awsSecret: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  github: 'ghp_0123456789abcdefghijABCDEFGHIJ012345',
  gitlab: 'glpat-Ab3dE6gH9jK2mN5pQ8sT',
  slack: 'xoxb-1234567890-0987654321-AbCdEfGhIjKlMnOpQrStUvWx',
  jwt: 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIn0.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c',
  pemBody: 'MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gunVTLw7onLRnrq0',
};

/** An AWS credentials file as the CLI writes it. */
export const credentialsFile = (id = PLANTED.awsKeyId) =>
  `[default]\naws_access_key_id = ${id}\naws_secret_access_key = ${PLANTED.awsSecret}\n`;

export const pemFile = () =>
  `-----BEGIN RSA PRIVATE KEY-----\n${PLANTED.pemBody}\n-----END RSA PRIVATE KEY-----\n`;

/** Every secret byte string a finding, object or log line must never contain. */
export const SECRET_VALUES = [
  PLANTED.awsSecret,
  PLANTED.github,
  PLANTED.gitlab,
  PLANTED.slack,
  PLANTED.jwt,
  PLANTED.pemBody,
];
