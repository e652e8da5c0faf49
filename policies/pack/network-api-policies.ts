import type { ResourceValidationPolicy, StackValidationPolicy } from '@pulumi/policy';

const QUARANTINE_TAG = 'sequester:role';
const isQuarantine = (props: Record<string, unknown>) =>
  (props.tags as Record<string, string> | undefined)?.[QUARANTINE_TAG] === 'quarantine';
const nonEmpty = (v: unknown) => Array.isArray(v) && v.length > 0;

/**
 * A quarantine security group allows nothing: no ingress, no egress (forensic access, when configured,
 * is added by the responder for one incident, never declared in a stack).
 */
export const quarantineGroupHasNoRules: ResourceValidationPolicy = {
  name: 'quarantine-security-group-has-no-rules',
  description: 'Security groups tagged sequester:role=quarantine have no ingress or egress rules.',
  enforcementLevel: 'mandatory',
  validateResource: (args, report) => {
    if (args.type !== 'aws:ec2/securityGroup:SecurityGroup' || !isQuarantine(args.props)) return;
    if (nonEmpty(args.props.ingress)) report(`${args.name} is a quarantine group with ingress rules`);
    if (nonEmpty(args.props.egress)) report(`${args.name} is a quarantine group with egress rules`);
  },
};

const RULE_TYPES = new Set([
  'aws:ec2/securityGroupRule:SecurityGroupRule',
  'aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule',
  'aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule',
]);

/** Rules declared as separate resources must not target a quarantine group either. */
export const noRulesOnQuarantineGroups: StackValidationPolicy = {
  name: 'no-rules-on-quarantine-security-groups',
  description: 'No security group rule resource targets a group tagged sequester:role=quarantine.',
  enforcementLevel: 'mandatory',
  validateStack: (args, report) => {
    const quarantineIds = new Set(
      args.resources
        .filter((r) => r.type === 'aws:ec2/securityGroup:SecurityGroup' && isQuarantine(r.props))
        .map((r) => String(r.props.id ?? '')),
    );
    for (const r of args.resources) {
      if (RULE_TYPES.has(r.type) && quarantineIds.has(String(r.props.securityGroupId ?? ''))) {
        report(`${r.name} adds a rule to quarantine group ${String(r.props.securityGroupId)}`);
      }
    }
  },
};

/**
 * Every HTTP API route requires IAM (SigV4) authorization: only principals granted execute-api:Invoke
 * can reach the responder. https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-access-control-iam.html
 */
export const apiRoutesRequireIam: ResourceValidationPolicy = {
  name: 'api-routes-require-iam-auth',
  description: 'Every API Gateway v2 route uses AWS_IAM authorization.',
  enforcementLevel: 'mandatory',
  validateResource: (args, report) => {
    if (args.type !== 'aws:apigatewayv2/route:Route') return;
    if (args.props.authorizationType !== 'AWS_IAM') {
      report(
        `route ${String(args.props.routeKey)} uses ${String(args.props.authorizationType ?? 'NONE')} authorization`,
      );
    }
  },
};
