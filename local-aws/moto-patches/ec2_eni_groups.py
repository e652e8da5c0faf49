"""
TEST INFRASTRUCTURE ONLY. An ENI reports its own security groups.

moto 5.2.1's NetworkInterface.group_set adds the instance's launch groups to the ENI's own, so after
ModifyNetworkInterfaceAttribute swaps an attached ENI's groups, DescribeNetworkInterfaces still lists the
launch groups. The gap was hidden because moto's ModifyInstanceAttribute, given an attribute it does not
parse (InstanceInitiatedShutdownBehavior), falls through to its Groups handler and empties the instance's
launch groups. On AWS the groups of a network interface are the interface's own, and
ModifyNetworkInterfaceAttribute replaces them:
https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ModifyNetworkInterfaceAttribute.html
"""


def install() -> None:
    from moto.ec2.models.elastic_network_interfaces import NetworkInterface

    NetworkInterface.group_set = property(lambda self: self._group_set)
