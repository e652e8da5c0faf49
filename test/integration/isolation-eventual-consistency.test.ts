import { DEFAULT_ENGINE_CONFIG } from '../../lambdas/core/isolation/engine-config';
import { quarantine } from '../../lambdas/core/isolation/isolate';
import { FaultLayer } from '../../local-aws/fault-layer';
import { buildScenario } from '../../local-aws/scenario';
import { freshMoto, REGION } from '../support/moto';

/**
 * A just-created security group can answer InvalidGroup.NotFound for a few seconds.
 * https://docs.aws.amazon.com/ec2/latest/devguide/eventual-consistency.html
 * moto is strongly consistent; the fault layer's delayed-visibility mode makes it behave like AWS.
 */
describe('isolation under EC2 eventual consistency (delayed visibility of new ids)', () => {
  it('isolates the first instance of a VPC although its new quarantine groups are not visible at once', async () => {
    // Arrange: the scenario is built first, so only the ids the quarantine creates are delayed.
    const layer = new FaultLayer();
    const env = await freshMoto(REGION, { requestHandler: layer });
    const s = await buildScenario(env.clients, { secondEni: true });
    layer.visibilityDelayMs = 1500;
    // Act
    const out = await quarantine(
      env.clients,
      env.ledger,
      {
        instance: { instanceId: s.instanceId, region: REGION },
        reason: 'eventual consistency',
        trigger: { kind: 'api', principalArn: 'arn:aws:iam::123456789012:role/on-call' },
      },
      DEFAULT_ENGINE_CONFIG,
    );
    // Assert: isolated and verified, and the mode did hide the new groups from some calls.
    expect(out).toMatchObject({ status: 'isolated', verified: true, mismatches: [] });
    expect(layer.hidden).toBeGreaterThan(0);
  });
});
