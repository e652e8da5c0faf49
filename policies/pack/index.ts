import { PolicyPack } from '@pulumi/policy';
import { SEQUESTER_POLICIES } from './policies';

/**
 * The Sequester CrossGuard pack: `pulumi preview --policy-pack policies/pack`. Constructing the pack
 * starts the policy analyzer server, so only the Pulumi CLI loads this file; tests import ./policies.
 */
new PolicyPack('sequester', { policies: SEQUESTER_POLICIES });
