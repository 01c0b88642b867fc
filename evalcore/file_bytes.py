"""The bytes of a predictions file, bounded by the size limit.

A path's size is checked before it is read, bytes and uploads before they are used, gzip is expanded as a stream
that stops at the limit, and UTF-16/UTF-32 text (with or without a BOM) is re-encoded as UTF-8. Every problem is
an :class:`~evalcore.errors.InputError` naming the file.

Example:
    >>> import gzip
    >>> data, name, was_gzip = read_bounded(gzip.compress(b"y_true,y_pred\\n1,1\\n"), "p.csv.gz", max_bytes=1000)
    >>> bytes(data), name, was_gzip
    (b'y_true,y_pred\\n1,1\\n', 'p.csv.gz', True)
    >>> bytes(as_utf8(memoryview("a,b\\n1,2\\n".encode("utf-16-be")), "p.csv", 1000))
    b'a,b\\n1,2\\n'
"""

from __future__ import annotations

import codecs
import ctypes
import mmap
import os
import stat
import zlib
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import numpy as np

from evalcore.errors import InputError, input_error
from evalcore.limits import describe_size, too_large

CHUNK = 1 << 20  # bytes read, expanded or decoded per step: memory stays within the limit plus one chunk
GZIP_MAGIC = b"\x1f\x8b"
Buffer = bytes | bytearray | memoryview

# (BOM, codec, what to call it); UTF-32 LE before UTF-16 LE, whose BOM it starts with
_BOMS = ((b"\xff\xfe\x00\x00", "utf-32-le", "UTF-32 (little-endian)"),
         (b"\x00\x00\xfe\xff", "utf-32-be", "UTF-32 (big-endian)"),
         (b"\xff\xfe", "utf-16-le", "UTF-16 (little-endian)"),
         (b"\xfe\xff", "utf-16-be", "UTF-16 (big-endian)"))
# Other formats people upload by mistake: magic bytes -> what to call them
_KNOWN_BINARY = ((b"PK\x03\x04", "a zip archive, such as an Excel .xlsx workbook"),
                 (b"\xd0\xcf\x11\xe0", "an old Excel .xls workbook (or another Office file)"),
                 (b"BZh", "a bzip2 archive"), (b"\xfd7zXZ\x00", "an xz archive"),
                 (b"(\xb5/\xfd", "a Zstandard archive"), (b"7z\xbc\xaf", "a 7-Zip archive"),
                 (b"%PDF", "a PDF document"), (b"\x89PNG", "a PNG image"), (b"\xff\xd8\xff", "a JPEG image"),
                 (b"SQLite format 3\x00", "an SQLite database"))


def shortened(text: str, limit: int = 120) -> str:
    """Text for a message, cut to ``limit`` characters.

    >>> shortened("abcdef", 4)
    'abc…'
    """
    return text if len(text) <= limit else text[: limit - 1] + "…"


# ---------------------------------------------------------------- reading within the limit


def _read_capped(read: Callable[[int], bytes], limit: int, first: int) -> bytes | bytearray | None:
    """Everything ``read`` returns, or None as soon as it passes ``limit`` bytes."""
    data = read(min(first, limit + 1))
    if len(data) > limit:
        return None
    more = read(min(CHUNK, limit + 1 - len(data))) if data else b""
    if not more:
        return data
    buf = bytearray(data)
    del data
    while more:
        buf += more
        if len(buf) > limit:
            return None
        more = read(min(CHUNK, limit + 1 - len(buf)))
    return buf


def _stream_size(f) -> int | None:
    """Bytes left in a seekable stream (without reading them), else None."""
    size = getattr(f, "size", None)  # Streamlit's UploadedFile
    try:
        if callable(getattr(f, "seekable", None)) and f.seekable():
            start = f.tell()
            end = f.seek(0, os.SEEK_END)
            f.seek(start)
            return max(0, end - start)
    except (OSError, ValueError):
        pass
    return size if isinstance(size, int) else None


def _from_stream(f, name: str, limit: int) -> tuple[Buffer, bool]:
    size = _stream_size(f)
    if size is not None and size > limit:
        raise too_large(limit, describe_size(size), name)
    head = f.read(2)
    if isinstance(head, str):  # a text stream: re-encoded piece by piece
        return _text_stream(head, f, name, limit), False
    if head is None:
        raise input_error(f"a readable file for '{name}'", "a stream with no data ready",
                          "pass the file's path or its bytes")
    head = bytes(head)
    if head == GZIP_MAGIC:
        return gunzip(_chunks(head, f.read), name, limit), True
    rewound = False
    if size is not None:
        try:
            f.seek(-len(head), os.SEEK_CUR)
            rewound = True
        except (OSError, ValueError):
            pass
    whole = _read_whole(f, size) if rewound and size else None
    if whole is not None:
        return whole, False
    data = _read_capped(f.read, limit - (0 if rewound else len(head)), (size or CHUNK) + 1)
    if data is None:
        raise too_large(limit, f"more than {describe_size(limit)}", name)
    return (data if rewound else head + data), False


def _read_whole(f, size: int) -> memoryview | None:
    """A stream of a known size (within the limit) read into one buffer: numpy's, which the kernel may back
    with huge pages (half the time of ``f.read()`` for a large file). None if the stream does not hold exactly
    ``size`` bytes (it grew or shrank while read): the caller reads it as a stream of unknown size."""
    readinto = getattr(f, "readinto", None)
    if readinto is None:
        return None
    start = f.tell()
    buffer = np.empty(size, dtype=np.uint8).data
    got = 0
    while got < size:
        n = readinto(buffer[got:])
        if not n:
            break
        got += n
    if got == size and not f.read(1):
        return buffer
    f.seek(start)
    return None


def find_byte(data: Buffer, byte: int) -> bool:
    """Whether ``data`` holds ``byte``, at memchr's speed for any buffer (a slice of one included).

    >>> find_byte(memoryview(b'a,"b"')[2:], ord('"')), find_byte(memoryview(b'"a",b')[3:], ord('"'))
    (True, False)
    """
    flat = np.frombuffer(data, dtype=np.uint8)
    if _memchr is not None and flat.size:
        return bool(_memchr(flat.ctypes.data, byte, flat.size))
    return bool((flat == byte).any())


def _libc_memchr():
    """The C library's memchr through ctypes (None where there is none): numpy has no search for one byte
    that does not build an array of flags."""
    try:
        libc = ctypes.CDLL(None)
        memchr = libc.memchr
    except (OSError, AttributeError):
        return None
    memchr.restype, memchr.argtypes = ctypes.c_void_p, [ctypes.c_void_p, ctypes.c_int, ctypes.c_size_t]
    return memchr


_memchr = _libc_memchr()


def _text_stream(head: str, f, name: str, limit: int) -> bytearray:
    out = bytearray(head.encode("utf-8", "surrogatepass"))
    while True:
        text = f.read(CHUNK)
        if not text:
            return out
        out += text.encode("utf-8", "surrogatepass")
        if len(out) > limit:
            raise too_large(limit, f"more than {describe_size(limit)}", name)


def _chunks(head: bytes, read: Callable[[int], bytes]) -> Iterator[bytes]:
    yield head
    while chunk := read(CHUNK):
        yield chunk


MAP_BYTES = 8 << 20  # a plain file at least this large is mapped into memory rather than copied


def _mapped(f, info: os.stat_result) -> memoryview | None:
    """A large plain (not gzip) file mapped read-only, its pages taken from the page cache without a copy
    (MAP_POPULATE): a 450 MB file in 40 ms instead of 130 ms. None for a small or gzip file, or where mapping
    fails (the caller reads it as a stream). A program that truncates the file while it is read stops this
    process (SIGBUS), as with any reader that maps files; uploads arrive as bytes and are never mapped."""
    if info.st_size < MAP_BYTES or f.read(2) == GZIP_MAGIC:
        f.seek(0)
        return None
    f.seek(0)
    try:
        flags = mmap.MAP_SHARED | getattr(mmap, "MAP_POPULATE", 0)
        return memoryview(mmap.mmap(f.fileno(), info.st_size, flags=flags, prot=mmap.PROT_READ))
    except (OSError, ValueError, OverflowError):
        return None


def _from_path(path: Path, name: str, limit: int) -> tuple[Buffer, bool]:
    where = shortened(str(path))
    try:
        info = os.stat(path)
        if stat.S_ISDIR(info.st_mode):
            raise input_error("a file", f"the folder '{where}'", "pass a CSV, TSV, .csv.gz or Parquet file")
        if stat.S_ISREG(info.st_mode) and info.st_size > limit:
            raise too_large(limit, describe_size(info.st_size), name)  # refused before reading a byte
        with open(path, "rb", buffering=0) as f:
            mapped = _mapped(f, info) if stat.S_ISREG(info.st_mode) else None
            return (mapped, False) if mapped is not None else _from_stream(f, name, limit)
    except InputError:
        raise
    except FileNotFoundError:
        raise input_error("an existing file", f"no file at '{where}'", "check the path") from None
    except PermissionError:
        raise input_error(f"a file you may read at '{where}'", "no permission to read it",
                          "give your user read access (chmod u+r), or copy the file somewhere you can read") from None
    except (OSError, ValueError) as exc:  # a name too long, a NUL in the path, an I/O error
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else "a path that cannot be opened"
        raise input_error(f"a readable file at '{where}'", reason.lower().rstrip("."),
                          "check the path, or copy the file to a local disk") from None


def read_bounded(source, name: str | None, max_bytes: int) -> tuple[Buffer, str, bool]:
    """A path's, bytes' or upload's content (gzip expanded), its name and whether it was gzip; never more than
    ``max_bytes``."""
    if isinstance(source, (bytes, bytearray, memoryview)):
        name = name or "upload"
        try:
            view = memoryview(source).cast("B")
        except TypeError:
            raise input_error("the file's bytes", "a buffer of another shape", "pass the bytes of the file") from None
        if len(view) > max_bytes:
            raise too_large(max_bytes, describe_size(len(view)), name)
        if view[:2] == GZIP_MAGIC:
            return gunzip((view[i: i + CHUNK] for i in range(0, len(view), CHUNK)), name, max_bytes), name, True
        return view, name, False
    if isinstance(source, (str, os.PathLike)):
        path = Path(source)
        name = name or path.name
        data, was_gzip = _from_path(path, name, max_bytes)
        return data, name, was_gzip
    if hasattr(source, "read"):
        name = name or str(getattr(source, "name", None) or "upload")
        try:
            data, was_gzip = _from_stream(source, name, max_bytes)
        except InputError:
            raise
        except (OSError, ValueError, TypeError):  # a closed or broken stream
            raise input_error(f"a readable file for '{shortened(name)}'", "a stream that cannot be read",
                              "upload the file again, or pass its path or bytes") from None
        return data, name, was_gzip
    raise input_error("a file path, bytes or an uploaded file", type(source).__name__, "pass the file itself")


# ---------------------------------------------------------------- gzip


def gunzip(chunks: Iterable[Buffer], name: str, limit: int) -> bytearray:
    """Expand gzip data (every member, zero padding after the last allowed) chunk by chunk, refusing as soon as
    the expanded size passes ``limit``: memory stays within the limit plus a chunk, whatever the ratio.

    >>> import gzip
    >>> bytes(gunzip([gzip.compress(b"a,b\\n") + gzip.compress(b"1,2\\n")], "t.gz", 100))
    b'a,b\\n1,2\\n'
    """
    out = bytearray()
    d: zlib._Decompress | None = zlib.decompressobj(31)  # None between members
    members = 0
    member_input = 0  # compressed bytes given to the current member
    for chunk in chunks:
        data = chunk
        while True:
            if d is None:
                data = bytes(data).lstrip(b"\0")
                if not data:
                    break
                d, member_input = zlib.decompressobj(31), 0
            try:
                piece = d.decompress(data, CHUNK)
            except zlib.error:
                if members and member_input == 0:
                    raise input_error(f"a gzip file in '{name}'", "data after the end of the compressed data",
                                      "compress the file again") from None
                raise input_error(f"a complete gzip file in '{name}'",
                                  "a damaged archive (a block or checksum that does not decode)",
                                  "compress the file again, or upload the plain CSV") from None
            member_input += len(data) - len(d.unconsumed_tail)
            out += piece
            if len(out) > limit:
                raise too_large(limit, f"'{name}', which expands to more than {describe_size(limit)} when "
                                          "decompressed")
            if d.eof:
                data, d = d.unused_data, None
                members += 1
            else:
                data = d.unconsumed_tail
                if not data and len(piece) < CHUNK:
                    break
    if d is not None and not d.eof:
        raise input_error(f"a complete gzip file in '{name}'", "a truncated archive (it ends in the middle)",
                          "compress the file again, or upload the plain CSV")
    return out


# ---------------------------------------------------------------- text encodings


def text_encoding(head: bytes) -> tuple[str, int, str] | None:
    """(codec, BOM length, name) of UTF-16 or UTF-32 text, with or without a BOM, from the file's first bytes.

    Without a BOM, ASCII text in UTF-16 has a zero byte in every other position, in UTF-32 three in four.

    >>> text_encoding("y,p\\n".encode("utf-16")), text_encoding("y,p\\n".encode("utf-32-be"))
    (('utf-16-le', 2, 'UTF-16 (little-endian)'), ('utf-32-be', 0, 'UTF-32 (big-endian)'))
    >>> text_encoding(b"y,p\\n") is None
    True
    """
    for bom, codec, what in _BOMS:
        if head.startswith(bom):
            return codec, len(bom), what
    sample = head[: 4096 // 4 * 4]
    n = len(sample) // 4
    if n < 2 or 0 not in sample:
        return None
    zeros = [sample[i: 4 * n: 4].count(0) / n for i in range(4)]
    mostly, rarely = (lambda *ix: all(zeros[i] >= 0.5 for i in ix)), (lambda *ix: all(zeros[i] <= 0.1 for i in ix))
    for zero_at, text_at, codec, what in (((1, 2, 3), (0,), "utf-32-le", "UTF-32 (little-endian)"),
                                          ((0, 1, 2), (3,), "utf-32-be", "UTF-32 (big-endian)"),
                                          ((1, 3), (0, 2), "utf-16-le", "UTF-16 (little-endian)"),
                                          ((0, 2), (1, 3), "utf-16-be", "UTF-16 (big-endian)")):
        if mostly(*zero_at) and rarely(*text_at):
            return codec, 0, what
    return None


def as_utf8(data: Buffer, name: str, limit: int) -> Buffer:
    """UTF-16/UTF-32 text re-encoded as UTF-8, chunk by chunk (else ``data`` as is)."""
    found = text_encoding(bytes(data[:4096]))
    if found is None:
        return data
    codec, start, what = found
    decoder = codecs.getincrementaldecoder(codec)("strict")
    out = bytearray()
    for at in range(start, max(len(data), start + 1), CHUNK):
        try:
            text = decoder.decode(data[at: at + CHUNK], final=at + CHUNK >= len(data))
        except UnicodeDecodeError as exc:
            where = ("at the end (the file stops in the middle of a character)" if exc.reason == "truncated data"
                     else f"near byte {at + exc.start:,}")
            raise input_error(f"{what} text in '{name}' (it starts like {what})",
                              f"bytes that are not valid {what.split()[0]} {where}",
                              "save the file as UTF-8 (in Excel: CSV UTF-8)") from None
        out += text.encode("utf-8")
        if len(out) > limit:
            raise too_large(limit, f"'{name}', which takes more than {describe_size(limit)} as UTF-8")
    return out


def binary_kind(head: bytes) -> str:
    """What a file that is not text looks like, for a message.

    >>> binary_kind(b"PK\\x03\\x04rest"), binary_kind(b"ab\\x00c")
    ('binary data (a zip archive, such as an Excel .xlsx workbook)', 'binary data (a zero byte at byte 3)')
    """
    for magic, what in _KNOWN_BINARY:
        if head.startswith(magic):
            return f"binary data ({what})"
    return f"binary data (a zero byte at byte {head.find(0) + 1:,})" if 0 in head else "binary data"
