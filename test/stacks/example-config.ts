import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';

/** The committed example production stack file, as Pulumi hands its values to the program. */
const example = parse(readFileSync(path.resolve(__dirname, '../../stacks/Pulumi.example.yaml'), 'utf8')) as {
  config: Record<string, unknown>;
};

export const exampleProductionConfig: Record<string, string> = Object.fromEntries(
  Object.entries(example.config)
    .filter(([k]) => k.startsWith('sequester:'))
    .map(([k, v]) => [k.slice('sequester:'.length), typeof v === 'string' ? v : JSON.stringify(v)]),
);
