"""
TEST INFRASTRUCTURE ONLY. A ranged GetObject reads only the requested bytes.

moto 5.2.1 answers every GetObject by reading the object's whole value out of its spooled temporary file
and then slicing the requested range, so verifying or downloading a 1 GiB image in 64 MiB ranges reads
16 GiB. On AWS a ranged GET transfers only the range ("Range: Downloads the specified byte range of an
object"): https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html#API_GetObject_RequestSyntax
This patch changes only how much the emulator reads, never what it answers: for a plain GET with one
`bytes=first-last` or `bytes=first-` range inside the object, the object's value stands in as a window
that knows the object's length and holds just the requested bytes; moto's own range handling then
computes the same status, headers and body as before. Every other request reads the value as moto does.
"""

import re
import threading

_request = threading.local()
_SIMPLE_RANGE = re.compile(r"^bytes=(\d+)-(\d*)$")


class _Window:
    """The requested bytes of an object, with the object's length (moto's range code only slices)."""

    def __init__(self, size: int, begin: int, data: bytes) -> None:
        self.size = size
        self.begin = begin
        self.data = data

    def __len__(self) -> int:
        return self.size

    def __bool__(self) -> bool:
        return self.size > 0

    def __getitem__(self, item):
        if isinstance(item, slice) and item.start == self.begin and item.stop == self.begin + len(self.data):
            return self.data
        raise ValueError(f"the ranged-read window holds bytes {self.begin}-{self.begin + len(self.data) - 1} only")


def _range_of(request, full_url: str):
    if request.method != "GET" or "?" in full_url and re.search(r"[?&](partNumber|uploadId|tagging|acl|attributes|retention|legal-hold|torrent)", full_url):
        return None
    m = _SIMPLE_RANGE.match(request.headers.get("range", "") or "")
    if m is None:
        return None
    begin = int(m.group(1))
    end = int(m.group(2)) if m.group(2) else None
    if end is not None and end < begin:
        return None
    return begin, end


def install() -> None:
    from moto.s3.models import FakeKey
    from moto.s3.responses import S3Response

    original_value = FakeKey.value

    def value(self):
        spec = getattr(_request, "range", None)
        if spec is None:
            return original_value.fget(self)
        begin, end = spec
        size = self.size
        if begin >= size:
            # moto answers InvalidRange from the real length; let it read as before.
            return original_value.fget(self)
        last = size - 1 if end is None else min(end, size - 1)
        with self.lock:
            self._value_buffer.seek(begin)
            data = self._value_buffer.read(last - begin + 1)
        return _Window(size, begin, data)

    FakeKey.value = property(value, original_value.fset)

    original_key_response = S3Response.key_response

    def key_response(self, request, full_url, headers):
        _request.range = _range_of(request, full_url)
        try:
            return original_key_response(self, request, full_url, headers)
        finally:
            _request.range = None

    S3Response.key_response = key_response
