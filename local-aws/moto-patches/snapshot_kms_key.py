"""
TEST INFRASTRUCTURE ONLY. moto 5.2 copies a volume's `encrypted` flag onto its snapshots but not its
KMS key, so DescribeSnapshots of a snapshot of a volume encrypted with a customer-managed key shows
Encrypted=true and no KmsKeyId. On AWS "snapshots of encrypted volumes are automatically encrypted" with
the volume's key, and DescribeSnapshots reports it (KmsKeyId). The IAM-enforcing local AWS reads it to
check the KMS permission the EBS direct APIs need on that key.
https://docs.aws.amazon.com/ebs/latest/userguide/how-ebs-encryption-works.html
https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_Snapshot.html
"""


def install() -> None:
    from moto.ec2.models import elastic_block_store as ebs

    original = ebs.Snapshot.__init__

    def init(self, ec2_backend, snapshot_id, volume, description, encrypted=False, kms_key_id=None, **kw):
        if kms_key_id is None and volume is not None and getattr(volume, "encrypted", False):
            kms_key_id = getattr(volume, "kms_key_id", None)
        original(self, ec2_backend, snapshot_id, volume, description, encrypted, kms_key_id, **kw)

    ebs.Snapshot.__init__ = init
