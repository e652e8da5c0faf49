"""
TEST INFRASTRUCTURE ONLY. moto 5.2 completes a snapshot the moment CompleteSnapshot is called, and its
EC2 snapshot is `completed` from StartSnapshot on, so a volume can be created from it at once. On AWS a
snapshot written with the EBS direct APIs is `pending` while blocks are written, and CompleteSnapshot only
"starts an asynchronous workflow that seals the snapshot and moves it to a completed state"; a pending
snapshot is not usable yet, and creating a volume from it fails (EC2's IncorrectState: the resource is in
the wrong state for the request). Here the snapshot stays pending until it is observed (DescribeSnapshots,
CreateVolume) at least SEAL_SECONDS after CompleteSnapshot, and CreateVolume of a pending snapshot fails
with IncorrectState, so code that restores evidence must wait for `completed` as it must on AWS.
https://docs.aws.amazon.com/ebs/latest/userguide/writesnapshots.html
https://docs.aws.amazon.com/ebs/latest/userguide/ebsapi-faq.html
https://docs.aws.amazon.com/ec2/latest/devguide/errors-overview.html
"""

import time

SEAL_SECONDS = 0.5


def install() -> None:
    from moto.ebs import models as ebs_models
    from moto.ec2.exceptions import EC2ClientError
    from moto.ec2.models import elastic_block_store as ec2_ebs

    sealing: dict = {}

    original_start = ebs_models.EBSBackend.start_snapshot
    original_complete = ebs_models.EBSBackend.complete_snapshot

    def start_snapshot(self, *args, **kwargs):
        snap = original_start(self, *args, **kwargs)
        self.ec2_backend.snapshots[snap.snapshot_id].status = "pending"
        return snap

    def complete_snapshot(self, snapshot_id):
        original_complete(self, snapshot_id)  # raises for an unknown snapshot, as before
        self.snapshots[snapshot_id].status = "pending"
        sealing[snapshot_id] = (self, time.monotonic() + SEAL_SECONDS)
        return {"Status": "pending"}

    def settle(ec2_backend) -> None:
        now = time.monotonic()
        for snapshot_id, (ebs, due) in list(sealing.items()):
            snap = ec2_backend.snapshots.get(snapshot_id)
            if snap is not None and now >= due:
                snap.status = "completed"
                ebs.snapshots[snapshot_id].status = "completed"
                del sealing[snapshot_id]

    original_describe = ec2_ebs.EBSBackend.describe_snapshots
    original_create_volume = ec2_ebs.EBSBackend.create_volume

    def describe_snapshots(self, *args, **kwargs):
        settle(self)
        return original_describe(self, *args, **kwargs)

    def create_volume(self, size, zone_name, snapshot_id=None, *args, **kwargs):
        if snapshot_id:
            settle(self)
            status = self.get_snapshot(snapshot_id).status
            if status != "completed":
                raise EC2ClientError("IncorrectState", f"Snapshot {snapshot_id} is in invalid state - {status}")
        return original_create_volume(self, size, zone_name, snapshot_id, *args, **kwargs)

    # Reads through the EBS direct APIs see the sealed state too (the bridge refuses pending snapshots,
    # as AWS does: "The snapshot can be accessed only if it has a completed status").
    original_get_block = ebs_models.EBSBackend.get_snapshot_block
    original_list_blocks = ebs_models.EBSBackend.list_snapshot_blocks

    def get_snapshot_block(self, snapshot_id, block_index):
        settle(self.ec2_backend)
        return original_get_block(self, snapshot_id, block_index)

    def list_snapshot_blocks(self, snapshot_id, *args, **kwargs):
        settle(self.ec2_backend)
        return original_list_blocks(self, snapshot_id, *args, **kwargs)

    ebs_models.EBSBackend.get_snapshot_block = get_snapshot_block
    ebs_models.EBSBackend.list_snapshot_blocks = list_snapshot_blocks
    ebs_models.EBSBackend.start_snapshot = start_snapshot
    ebs_models.EBSBackend.complete_snapshot = complete_snapshot
    ec2_ebs.EBSBackend.describe_snapshots = describe_snapshots
    ec2_ebs.EBSBackend.create_volume = create_volume
