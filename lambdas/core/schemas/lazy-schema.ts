import type * as z from 'zod/mini';

/** A schema built the first time something parses with it. */
export interface LazySchema<S extends z.ZodMiniType> {
  parse(input: unknown): z.output<S>;
  safeParse(input: unknown): ReturnType<S['safeParse']>;
  /** The schema itself (built now if it was not yet). */
  schema(): S;
}

/**
 * Defers building a schema to its first use. Building a zod/mini schema runs code for every node
 * (about 0.2 ms each on a cold Lambda isolate), so a module-level schema that most invocations of a
 * function never parse with is cold-start time for nothing: the ledger record schema, for example,
 * which intake reads only when a finding joins an existing quarantine.
 *
 * @example
 * const Big = lazySchema(() => z.object({ id: z.string() }));
 * Big.parse({ id: 'x' }); // builds, then parses
 */
export function lazySchema<S extends z.ZodMiniType>(build: () => S): LazySchema<S> {
  let built: S | undefined;
  const schema = (): S => {
    built ??= build();
    return built;
  };
  return {
    parse: (input) => schema().parse(input),
    safeParse: (input) => schema().safeParse(input) as ReturnType<S['safeParse']>,
    schema,
  };
}
