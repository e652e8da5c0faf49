/**
 * The AWS request ids of SDK responses, for the ledger: they let anyone match a recorded action with
 * CloudTrail. Responses without one (stubs, some errors) are skipped.
 */
export function requestIdsOf(
  ...responses: ReadonlyArray<{ readonly $metadata?: { readonly requestId?: string } }>
): string[] {
  return responses.flatMap((r) => (r.$metadata?.requestId === undefined ? [] : [r.$metadata.requestId]));
}
