import type { JsonApi, JsonCommand } from '../../../../lambdas/core/investigation/reach/json-api';

/** An AWS error as the SDK raises it: `name` is the error code. */
export const awsError = (name: string, message = name) => Object.assign(new Error(message), { name });

type Handler = (input: Readonly<Record<string, unknown>>) => unknown;

/** A JSON-protocol service that answers each operation with its handler (unknown operations fail loudly). */
export function fakeApi(handlers: Record<string, Handler>, calls: JsonCommand[] = []): JsonApi {
  return {
    send: async (command) => {
      calls.push(command);
      const h = handlers[command.operation];
      if (h === undefined) throw new Error(`unexpected ${command.operation}`);
      return h(command.input);
    },
  };
}
