"""A page sent gzipped with what every reader shares of it compressed once per process.

A gzip stream (RFC 1952) carries one deflate stream (RFC 1951), and a deflate stream may be
made of pieces each compressed on its own: a piece ended by a full flush ends on a byte
and nothing after it refers back into it, so pieces compressed apart, put one after the
other and closed by a last empty block, are one valid stream. What every reader of a page
shares is compressed once and kept with the page; what is a reader's own is compressed at
each request, a few kilobytes instead of 150. The trailer's CRC-32 and length are the
whole page's.

As the gzip middleware does against BREACH, the header carries a name of random length, so
that a page's compressed length does not tell what its secrets (a form's CSRF token) are
made of; and since a reader's own piece is compressed apart from the shared ones, text that
others wrote into the shared page is never matched against it.
"""

import secrets
import struct
import zlib
from collections.abc import Iterable

from django.http import HttpRequest, HttpResponse
from django.middleware.gzip import GZipMiddleware, re_accepts_gzip
from django.utils.cache import patch_vary_headers

LEVEL = 6  # the gzip middleware's
_RAW = -15  # a raw deflate stream: the gzip header and trailer are written here
_CLOSE = zlib.compress(b"", LEVEL, _RAW)  # the last block, empty
# Magic, deflate, a name follows, no time, no extra flags, an unknown system.
_HEADER = bytes([0x1F, 0x8B, 8, 8, 0, 0, 0, 0, 0, 255])


def accepts_gzip(request: HttpRequest) -> bool:
    """Whether the gzip middleware would compress an answer to ``request``."""
    return bool(re_accepts_gzip.search(request.META.get("HTTP_ACCEPT_ENCODING", "")))


def deflated(raws: Iterable[bytes]) -> list[bytes]:
    """Each of ``raws`` compressed on its own: pieces of a deflate stream (see the module
    doc), made by one compressor, which a full flush resets between them."""
    compressor = zlib.compressobj(LEVEL, zlib.DEFLATED, _RAW)
    return [compressor.compress(raw) + compressor.flush(zlib.Z_FULL_FLUSH) for raw in raws]


def gzip_of(pieces: Iterable[tuple[Iterable[bytes], bytes]]) -> bytes:
    """The gzip stream of the page made of ``pieces``, in order: each the bytes it holds (in
    parts, to be joined) and those bytes ``deflated``."""
    crc = size = 0
    name = b"a" * secrets.randbelow(GZipMiddleware.max_random_bytes) + b"\0"
    out = [_HEADER, name]
    for raws, compressed in pieces:
        for raw in raws:
            crc = zlib.crc32(raw, crc)
            size += len(raw)
        out.append(compressed)
    out += [_CLOSE, struct.pack("<II", crc, size & 0xFFFFFFFF)]
    return b"".join(out)


def gzipped_response(content: bytes) -> HttpResponse:
    """An answer of ``content`` (``gzip_of``) with the headers the gzip middleware would give
    it; the middleware then leaves it as it is."""
    response = HttpResponse(content)
    response["Content-Encoding"] = "gzip"
    patch_vary_headers(response, ("Accept-Encoding",))
    return response
