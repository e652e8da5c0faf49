import * as z from 'zod/mini';
import { lazySchema } from '../../../lambdas/core/schemas/lazy-schema';

describe('lazySchema', () => {
  it('builds the schema on the first parse, once, and parses like the schema itself', () => {
    const build = jest.fn(() => z.object({ id: z.string().check(z.minLength(1)) }));
    const s = lazySchema(build);
    expect(build).not.toHaveBeenCalled();
    expect(s.parse({ id: 'x' })).toEqual({ id: 'x' });
    expect(s.safeParse({ id: '' }).success).toBe(false);
    expect(s.schema().safeParse({ id: 'y' }).success).toBe(true);
    expect(build).toHaveBeenCalledTimes(1);
  });

  it('throws on invalid input from parse, as zod does', () => {
    const s = lazySchema(() => z.object({ n: z.number() }));
    expect(() => s.parse({ n: 'one' })).toThrow();
  });
});
