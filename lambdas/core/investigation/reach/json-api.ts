import * as z from 'zod/mini';

/**
 * The part of an AWS SDK v3 client the Organizations, Secrets Manager and SSM collectors use: a command
 * is its operation name and input, and responses are parsed with zod at the boundary, so the collectors
 * (and their unit fakes) do not depend on the SDK's types. `jsonApiOf` (reach-clients.ts) adapts a real
 * client: `{ send: (c) => client.send(new COMMANDS[c.operation](c.input)) }`.
 */
export interface JsonCommand {
  readonly operation: string;
  readonly input: Readonly<Record<string, unknown>>;
}
export interface JsonApi {
  send(command: JsonCommand): Promise<unknown>;
}

const Token = z.object({ NextToken: z.optional(z.nullable(z.string())) });

/** Every page of a NextToken-paginated operation (Organizations, Secrets Manager, SSM all use NextToken). */
export async function* pages(
  api: JsonApi,
  operation: string,
  input: Record<string, unknown>,
): AsyncGenerator<unknown> {
  let token: string | undefined;
  do {
    const page = await api.send({
      operation,
      input: token === undefined ? input : { ...input, NextToken: token },
    });
    yield page;
    const next = Token.safeParse(page);
    token = next.success ? (next.data.NextToken ?? undefined) : undefined;
  } while (token !== undefined);
}
