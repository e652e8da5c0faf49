import type { Policies } from '@pulumi/policy';
import { noAdministratorAccess, noStarOnStar } from './iam-policies';
import {
  apiRoutesRequireIam,
  noRulesOnQuarantineGroups,
  quarantineGroupHasNoRules,
} from './network-api-policies';
import { evidenceVaultInvariants } from './vault-policies';

/** Every policy of the Sequester pack; tests call each one's validate function directly. */
export const SEQUESTER_POLICIES: Policies = [
  evidenceVaultInvariants,
  quarantineGroupHasNoRules,
  noRulesOnQuarantineGroups,
  apiRoutesRequireIam,
  noStarOnStar,
  noAdministratorAccess,
];
