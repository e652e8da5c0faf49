import { readFile } from 'node:fs/promises';
import { InvalidInputError } from '../lambdas/core/errors';

/** Reads a JSON document named on the command line; an unreadable or malformed file is bad input. */
export async function readJsonFile(path: string, flag: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new InvalidInputError(`${flag}: cannot read ${path} (${code})`, flag, { cause: err });
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new InvalidInputError(`${flag}: ${path} is not valid JSON (${(err as Error).message})`, flag, {
      cause: err,
    });
  }
}
