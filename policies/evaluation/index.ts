/** The IAM policy evaluator: authorization snapshots in, AWS's decisions out (no AWS calls). */
export { type Decision, type EvaluationResult, evaluate } from './evaluate';
export type { DecidingStatement } from './policy-scan';
export type { DocumentLike, SnapshotLike, StatementLike } from './policy-types';
export { type AuthorizationRequest, AuthorizationSnapshot, parseSnapshot } from './snapshot';
