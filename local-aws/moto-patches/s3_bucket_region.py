"""
TEST INFRASTRUCTURE ONLY. moto 5.2 answers ListBuckets without each bucket's `BucketRegion`. On AWS
"BucketRegion: the AWS Region the bucket is located in" is part of every Bucket of the response, and the
reach collector sends each bucket's reads to that region (a bucket without it counts as us-east-1).
https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListBuckets.html
https://docs.aws.amazon.com/AmazonS3/latest/API/API_Bucket.html
"""


def install() -> None:
    from moto.core.responses import ActionResult
    from moto.s3 import responses

    def all_buckets(self):  # same as moto's S3Response.all_buckets, with BucketRegion
        self.data["Action"] = "ListAllMyBuckets"
        self._authenticate_and_authorize_s3_action()
        all_buckets = self.backend.list_buckets(
            prefix=self._get_param("prefix"),
            bucket_region=self._get_param("bucket-region"),
            max_buckets=self._get_param("max-buckets"),
        )
        buckets = [
            {
                "Name": bucket.name,
                "CreationDate": bucket.creation_date_ISO8601,
                "BucketRegion": bucket.region_name,
            }
            for bucket in all_buckets
        ]
        self.data["Action"] = "ListBuckets"
        return self.serialized(
            ActionResult(
                {
                    "Owner": {"ID": "bcaf1ffd86f41161ca5fb16fd081034f", "DisplayName": "webfile"},
                    "Buckets": buckets,
                }
            )
        )

    responses.S3Response.all_buckets = all_buckets
