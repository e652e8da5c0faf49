"""
Sequester's moto extension. TEST INFRASTRUCTURE ONLY: never deployed, never imported by the Lambdas.

moto 5.2.1 departs from AWS on the evidence path in ways a local end-to-end test cannot work around
from the client side, so this module patches the emulator to behave like AWS (the production code
keeps asking for what AWS does; each patch names the AWS behaviour it restores):

1. EBS direct APIs over EC2 snapshots. moto's ListSnapshotBlocks/GetSnapshotBlock only know snapshots
   made with StartSnapshot. On AWS they serve any completed EC2 snapshot, including those made with
   CreateSnapshots. Tests seed a volume's bytes with
   `PUT /moto-api/sequester/volumes/<volume-id>?region=<r>&account=<a>` (body: the raw disk image);
   a snapshot taken afterwards captures them. Blocks are 512 KiB and only non-zero blocks are listed,
   as on AWS. StartingBlockIndex / MaxResults / NextToken are honoured.
   https://docs.aws.amazon.com/ebs/latest/APIReference/API_ListSnapshotBlocks.html
2. S3 ListParts and UploadPartCopy return each part's ChecksumSHA256 when the upload was created with
   ChecksumAlgorithm SHA256, as AWS does.
   https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListParts.html
3. S3 CreateMultipartUpload honours x-amz-object-lock-* headers on the completed object, as AWS does.
   https://docs.aws.amazon.com/AmazonS3/latest/API/API_CreateMultipartUpload.html

The gaps themselves are listed in test/integration/evidence-moto-gaps.md.
"""

import base64
import contextvars
import hashlib
import json
import re

BLOCK_SIZE = 512 * 1024
_lock_headers: contextvars.ContextVar = contextvars.ContextVar("sequester_lock", default=None)


def _b64sha(data: bytes) -> str:
    return base64.b64encode(hashlib.sha256(data).digest()).decode()


def _seed_blocks(data: bytes) -> dict:
    blocks = {}
    zero = bytes(BLOCK_SIZE)
    for i in range(0, len(data), BLOCK_SIZE):
        chunk = data[i : i + BLOCK_SIZE].ljust(BLOCK_SIZE, b"\0")
        if chunk != zero:
            blocks[i // BLOCK_SIZE] = chunk
    return blocks


def _install_ebs() -> None:
    from moto.core.exceptions import JsonRESTError
    from moto.ebs import models as ebs_models
    from moto.ebs import responses as ebs_responses
    from moto.ec2.models import elastic_block_store as ec2_ebs
    from moto.moto_api._internal import urls as api_urls

    def state(backend):
        if not hasattr(backend, "_sequester"):
            backend._sequester = {"volumes": {}, "snapshots": {}}
        return backend._sequester

    original_create_snapshot = ec2_ebs.EBSBackend.create_snapshot

    def create_snapshot(self, volume_id, description, owner_id=None, from_ami=None):
        snap = original_create_snapshot(self, volume_id, description, owner_id, from_ami)
        ebs = ebs_models.ebs_backends[self.account_id][self.region_name]
        seeded = state(ebs)["volumes"].get(volume_id)
        state(ebs)["snapshots"][snap.id] = seeded if seeded is not None else {}
        return snap

    ec2_ebs.EBSBackend.create_snapshot = create_snapshot

    def bridged(self, snapshot_id):
        known = state(self)["snapshots"].get(snapshot_id)
        if known is None:
            if snapshot_id in self.snapshots:
                return self.snapshots[snapshot_id]
            raise JsonRESTError("ResourceNotFoundException", f"snapshot {snapshot_id} not found")
        ec2_snap = self.ec2_backend.snapshots.get(snapshot_id)
        if ec2_snap is None:
            raise JsonRESTError("ResourceNotFoundException", f"snapshot {snapshot_id} not found")
        if ec2_snap.status != "completed":
            raise JsonRESTError("ValidationException", f"snapshot {snapshot_id} is {ec2_snap.status}")
        snap = ebs_models.EBSSnapshot(self.account_id, ec2_snap)
        snap.status = "completed"
        snap.block_size = BLOCK_SIZE
        for index, data in known.items():
            snap.put_block(str(index), data, _b64sha(data), "SHA256", str(BLOCK_SIZE))
        return snap

    def get_snapshot_block(self, snapshot_id, block_index):
        block = bridged(self, snapshot_id).blocks.get(str(int(block_index)))
        if block is None:
            raise JsonRESTError("ValidationException", f"block {block_index} is not written")
        return block

    ebs_models.EBSBackend.get_snapshot_block = get_snapshot_block
    ebs_models.EBSBackend.list_snapshot_blocks = bridged

    def list_snapshot_blocks(self):
        snapshot_id = self.path.split("/")[-2]
        params = self._get_params()
        snap = self.ebs_backend.list_snapshot_blocks(snapshot_id=snapshot_id)
        start = int(params.get("startingBlockIndex") or 0)
        token = params.get("pageToken")
        if token:
            start = max(start, int(token))
        limit = int(params.get("maxResults") or 10000)
        indexes = sorted(int(i) for i in snap.blocks if int(i) >= start)
        page, rest = indexes[:limit], indexes[limit:]
        body = {
            "Blocks": [{"BlockIndex": i, "BlockToken": snap.blocks[str(i)].block_token} for i in page],
            "VolumeSize": snap.volume_size,
            "BlockSize": snap.block_size,
        }
        if rest:
            body["NextToken"] = str(rest[0])
        return json.dumps(body)

    ebs_responses.EBSResponse.list_snapshot_blocks = list_snapshot_blocks

    def seed_volume(request, full_url, headers):
        from urllib.parse import parse_qs, urlparse

        url = urlparse(full_url)
        query = parse_qs(url.query)
        volume_id = url.path.rstrip("/").split("/")[-1]
        region = query.get("region", ["us-east-1"])[0]
        account = query.get("account", ["123456789012"])[0]
        data = request.get_data() if hasattr(request, "get_data") else request.body
        ebs = ebs_models.ebs_backends[account][region]
        state(ebs)["volumes"][volume_id] = _seed_blocks(data)
        count = len(state(ebs)["volumes"][volume_id])
        return 200, {"Content-Type": "application/json"}, json.dumps({"writtenBlocks": count})

    api_urls.url_paths["{0}/moto-api/sequester/volumes/(?P<volume_id>[^/]+)$"] = seed_volume


def _install_s3() -> None:
    from moto.s3 import models as s3_models
    from moto.s3 import responses as s3_responses

    def part_checksum(response, upload_id, part_number):
        bucket = response.backend.get_bucket(response.bucket_name)
        mp = bucket.multiparts.get(upload_id)
        if mp is None or (mp.metadata.get("x-amz-checksum-algorithm") or "").upper() != "SHA256":
            return None
        part = mp.parts.get(int(part_number))
        if part is None:
            return None
        # Cached per stored part: ListParts is called on every completion attempt.
        if getattr(part, "_sequester_sha", None) is None:
            part._sequester_sha = _b64sha(part.value)
        return part._sequester_sha

    original_list_parts = s3_responses.S3Response.list_parts

    def list_parts(self):
        status, headers, body = original_list_parts(self)
        upload_id = self._get_param("uploadId")
        text = body.decode() if isinstance(body, bytes) else body

        def add(match):
            value = part_checksum(self, upload_id, match.group(1))
            extra = "" if value is None else f"<ChecksumSHA256>{value}</ChecksumSHA256>"
            return match.group(0) + extra

        text = re.sub(r"<PartNumber>(\d+)</PartNumber>", add, text)
        headers["content-length"] = str(len(text.encode()))
        return status, headers, text

    s3_responses.S3Response.list_parts = list_parts

    original_copy = s3_responses.S3Response.upload_part_copy

    def upload_part_copy(self):
        status, headers, body = original_copy(self)
        if status != 200:
            return status, headers, body
        value = part_checksum(self, self._get_param("uploadId"), self._get_int_param("partNumber"))
        text = body.decode() if isinstance(body, bytes) else body
        if value is not None:
            text = text.replace("</ETag>", f"</ETag><ChecksumSHA256>{value}</ChecksumSHA256>", 1)
        headers["content-length"] = str(len(text.encode()))
        return status, headers, text

    s3_responses.S3Response.upload_part_copy = upload_part_copy

    original_post = s3_responses.S3Response._key_response_post

    def key_response_post(self, request, body, bucket_name, query, key_name):
        lock = {
            k: request.headers.get(k)
            for k in (
                "x-amz-object-lock-mode",
                "x-amz-object-lock-retain-until-date",
                "x-amz-object-lock-legal-hold",
            )
        }
        token = _lock_headers.set(lock)
        try:
            return original_post(self, request, body, bucket_name, query, key_name)
        finally:
            _lock_headers.reset(token)

    s3_responses.S3Response._key_response_post = key_response_post

    original_create = s3_models.S3Backend.create_multipart_upload

    def create_multipart_upload(self, *args, **kwargs):
        mp = original_create(self, *args, **kwargs)
        mp._sequester_lock = _lock_headers.get()
        return mp

    s3_models.S3Backend.create_multipart_upload = create_multipart_upload

    original_complete = s3_models.S3Backend.complete_multipart_upload

    def complete_multipart_upload(self, bucket_name, multipart_id, body):
        mp = self.get_bucket(bucket_name).multiparts.get(multipart_id)
        lock = getattr(mp, "_sequester_lock", None) or {}
        key = original_complete(self, bucket_name, multipart_id, body)
        if key is not None and lock.get("x-amz-object-lock-mode"):
            key.lock_mode = lock["x-amz-object-lock-mode"]
            key.lock_until = lock.get("x-amz-object-lock-retain-until-date")
        if key is not None and lock.get("x-amz-object-lock-legal-hold"):
            key.lock_legal_status = lock["x-amz-object-lock-legal-hold"]
        return key

    s3_models.S3Backend.complete_multipart_upload = complete_multipart_upload


def install() -> None:
    _install_ebs()
    _install_s3()
