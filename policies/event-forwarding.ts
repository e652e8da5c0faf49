import type { PolicyDocument } from './policy-document';

/** The default event bus of a region: where GuardDuty findings of that region arrive. */
export const defaultBusArn = (partition: string, region: string, accountId: string) =>
  `arn:${partition}:events:${region}:${accountId}:event-bus/default`;

/**
 * What the forwarding rules of other regions may do with their role: put events on the home region's
 * default bus, nothing else. EventBridge uses the target's role to send to an event bus in another
 * Region; the bus is in this same account, whose identity policy suffices (the default bus accepts its
 * own account's events without a bus policy), so no bus policy is added.
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-cross-region.html
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-bus-perms.html
 */
export const forwarderPolicy = (homeBusArn: string): PolicyDocument => ({
  Version: '2012-10-17',
  Statement: [{ Sid: 'ForwardToHomeBus', Effect: 'Allow', Action: 'events:PutEvents', Resource: homeBusArn }],
});
