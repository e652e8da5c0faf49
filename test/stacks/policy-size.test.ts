import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { ROLE_POLICY_CHARACTERS, sizesByRole } from './policy-size';
import { loadProgram } from './pulumi-mocks';

const example = parse(readFileSync(path.resolve(__dirname, '../../stacks/Pulumi.example.yaml'), 'utf8')) as {
  config: Record<string, unknown>;
};
const productionConfig = Object.fromEntries(
  Object.entries(example.config)
    .filter(([k]) => k.startsWith('sequester:'))
    .map(([k, v]) => [k.slice('sequester:'.length), typeof v === 'string' ? v : JSON.stringify(v)]),
);

describe("IAM's inline policy quota per role", () => {
  it('holds for every role of the responder stack with the example production config', async () => {
    const sizes = sizesByRole(await loadProgram(productionConfig));
    expect(sizes.size).toBeGreaterThan(10);
    for (const [role, size] of sizes)
      expect({ role, size, fits: size <= ROLE_POLICY_CHARACTERS }).toMatchObject({ fits: true });
  });
});
