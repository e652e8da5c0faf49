import { exampleProductionConfig } from './example-config';
import { ROLE_POLICY_CHARACTERS, sizesByRole } from './policy-size';
import { loadProgram } from './pulumi-mocks';

describe("IAM's inline policy quota per role", () => {
  it('holds for every role of the responder stack with the example production config', async () => {
    const sizes = sizesByRole(await loadProgram(exampleProductionConfig));
    expect(sizes.size).toBeGreaterThan(10);
    for (const [role, size] of sizes)
      expect({ role, size, fits: size <= ROLE_POLICY_CHARACTERS }).toMatchObject({ fits: true });
  });
});
