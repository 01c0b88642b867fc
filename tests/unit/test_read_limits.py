"""The size limit of read_predictions: paths, bytes, uploads and gzip's expanded size, in bounded memory.

The memory tests run the reader in a fresh process and read its peak resident memory (VmHWM) from
/proc/self/status: a bomb that expands to 2.2 GB, refused at a 50 MB limit, must peak within the process's
baseline plus twice the limit plus 64 MB (the expanded bytes up to the limit, one more chunk, and the bytearray's
growth), not at the bomb's size.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import subprocess
import sys
import textwrap
import zlib
from pathlib import Path

import pandas as pd
import pytest

from evalcore.errors import InputError
from evalcore.limits import DEFAULT_MAX_FILE_BYTES, describe_size
from evalcore.predictions import load_frame, read_predictions

ROOT = Path(__file__).resolve().parents[2]
MB = 10**6
HEADER, ROWS = b"y_true,score\n", b"1,0.9\n0,0.2\n1,0.4\n"
GOOD = HEADER + ROWS


def _peak(code: str, **env: str) -> dict:
    """Run ``code`` in a fresh interpreter (evalcore imported); it sets ``result``; returns it with the peak RSS."""
    script = textwrap.dedent("""
        import json, sys
        import evalcore.predictions
        from evalcore.errors import InputError
        from evalcore.predictions import read_predictions
        result = {}
        try:
        {body}
        except InputError as exc:
            result["error"] = str(exc)
        status = open("/proc/self/status").read()
        result["peak_mb"] = int(status.split("VmHWM:")[1].split()[0]) / 1024
        print(json.dumps(result))
    """).replace("{body}", textwrap.indent(textwrap.dedent(code), "    "))
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, timeout=300,
                         env={**os.environ, "PYTHONPATH": str(ROOT), **env})
    assert out.returncode == 0, out.stderr[-3000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def baseline_mb() -> float:
    """Peak memory of a process that imports evalcore and reads a tiny file."""
    return _peak("read_predictions(b'y_true,score\\n1,0.9\\n0,0.2\\n', name='t.csv')")["peak_mb"]


def _gzip_bomb(path: Path, expanded: int) -> None:
    """A single-member .csv.gz of a valid CSV that expands to ``expanded`` bytes (about 230:1 at level 1)."""
    block = b"1,0.5\n" * (1 << 17)
    c = zlib.compressobj(1, zlib.DEFLATED, 31)
    with open(path, "wb") as f:
        f.write(c.compress(b"y_true,score\n"))
        for _ in range(expanded // len(block)):
            f.write(c.compress(block))
        f.write(c.flush())


def test_gzip_bomb_is_refused_at_the_limit_in_bounded_memory(tmp_path, baseline_mb):
    bomb = tmp_path / "bomb.csv.gz"
    _gzip_bomb(bomb, 2_200 * MB)
    assert bomb.stat().st_size < 12 * MB
    result = _peak(f"read_predictions({str(bomb)!r})", EVALCORE_MAX_FILE_SIZE="50MB")
    message = result.get("error", "")
    assert "found 'bomb.csv.gz', which expands to more than 50.0 MB when decompressed" in message, result
    assert "EVALCORE_MAX_FILE_SIZE" in message and "--max-file-size" in message, message
    bound = baseline_mb + 2 * 50 + 64
    assert result["peak_mb"] < bound, (result, baseline_mb)


def test_gzip_within_the_limit_is_read_by_streaming(tmp_path):
    path = tmp_path / "ok.csv.gz"
    _gzip_bomb(path, 20 * MB)
    p = read_predictions(path, max_bytes=30 * MB)
    assert p.n_rows == 20 * MB // 6 // (1 << 17) * (1 << 17)
    with pytest.raises(InputError, match="expands to more than 10.0 MB when decompressed"):
        read_predictions(path, max_bytes=10 * MB)


def test_a_file_over_the_limit_is_refused_from_its_size_without_reading_it(tmp_path, baseline_mb):
    big = tmp_path / "big.csv"
    with open(big, "wb") as f:  # sparse: 1.2 GB long, nothing on disk; reading it would take 1.2 GB of memory
        f.write(b"y_true,score\n")
        f.truncate(1_200 * MB)
    result = _peak(f"read_predictions({str(big)!r})")
    message = result.get("error", "")
    assert message.startswith(f"Expected a file of at most {describe_size(DEFAULT_MAX_FILE_BYTES)} (the limit; set "
                              "EVALCORE_MAX_FILE_SIZE or --max-file-size to raise it), found 1.2 GB in 'big.csv'"), \
        message
    assert result["peak_mb"] < baseline_mb + 64, (result, baseline_mb)


def test_the_limit_comes_from_the_environment_or_max_bytes(tmp_path, monkeypatch):
    path = tmp_path / "p.csv"
    path.write_bytes(HEADER + ROWS * 200)  # 3,613 bytes
    assert read_predictions(path).n_rows == 600
    monkeypatch.setenv("EVALCORE_MAX_FILE_SIZE", "2KB")
    with pytest.raises(InputError, match=r"at most 2\.0 KB .* found 3\.6 KB in 'p\.csv'"):
        read_predictions(path)
    assert read_predictions(path, max_bytes=10_000).n_rows == 600  # the argument wins (the CLI's flag)
    with pytest.raises(InputError, match=r"at most 1\.0 KB"):
        load_frame(path, max_bytes=1_000)
    monkeypatch.setenv("EVALCORE_MAX_FILE_SIZE", "lots")
    with pytest.raises(InputError, match="EVALCORE_MAX_FILE_SIZE"):
        read_predictions(path)


@pytest.mark.parametrize("kind", ["bytes", "bytearray", "memoryview", "upload", "unseekable upload"])
def test_bytes_and_uploads_over_the_limit_are_refused(kind):
    data = HEADER + ROWS * 100  # 1,813 bytes

    class Unseekable(io.RawIOBase):
        def __init__(self):
            self.inner = io.BytesIO(data)

        def readable(self):
            return True

        def readinto(self, b):
            chunk = self.inner.read(len(b))
            b[: len(chunk)] = chunk
            return len(chunk)

    source = {"bytes": data, "bytearray": bytearray(data), "memoryview": memoryview(data),
              "upload": io.BytesIO(data), "unseekable upload": Unseekable()}[kind]
    with pytest.raises(InputError) as info:
        read_predictions(source, name="up.csv", max_bytes=1_000)
    assert "at most 1.0 KB" in str(info.value) and "'up.csv'" in str(info.value)
    source = {"bytes": data, "bytearray": bytearray(data), "memoryview": memoryview(data),
              "upload": io.BytesIO(data), "unseekable upload": Unseekable()}[kind]
    assert read_predictions(source, name="up.csv", max_bytes=10_000).n_rows == 300


def test_an_endless_stream_is_cut_at_the_limit():
    with pytest.raises(InputError, match=r"more than 1\.0 MB in 'zero'"):
        read_predictions("/dev/zero", name="zero", max_bytes=MB)


def test_gzip_damage_is_explained_without_zlib_words(tmp_path):
    good = gzip.compress(HEADER + ROWS * 50)
    flipped = bytearray(good)
    flipped[len(flipped) // 2] ^= 0xFF
    for data, words in ((good[:-30], ("truncated",)), (bytes(flipped), ("damaged",)),
                        (good + b"garbage", ("after the end",))):
        with pytest.raises(InputError) as info:
            read_predictions(data, name="d.csv.gz")
        message = str(info.value)
        assert all(w in message for w in words), message
        assert "Error" not in message and "zlib" not in message and "-3" not in message, message
    # members one after another, and zero padding after the last, are valid gzip
    assert read_predictions(good + gzip.compress(b"1,0.1\n") + bytes(10), name="m.csv.gz").n_rows == 151


def test_parquet_bomb_is_refused_in_bounded_memory(tmp_path, baseline_mb):
    """One 1 MB text value repeated 2,000 times: a 1 MB file that expands to 2 GB."""
    import pyarrow as pa
    import pyarrow.parquet as pq
    n = 2_000
    table = pa.table({"y_true": pa.array(["a", "b"] * (n // 2)),
                      "note": pa.DictionaryArray.from_arrays(pa.array([0] * n, pa.int32()), pa.array(["x" * MB]))})
    path = tmp_path / "bomb.parquet"
    pq.write_table(table, path)
    assert path.stat().st_size < 2 * MB
    result = _peak(f"read_predictions({str(path)!r})", EVALCORE_MAX_FILE_SIZE="50MB")
    assert "expands to more than 50.0 MB" in result.get("error", ""), result
    assert result["peak_mb"] < baseline_mb + 2 * 50 + 64, (result, baseline_mb)


def test_parquet_of_many_nulls_is_refused_by_its_decoded_size(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq
    n = 3_000_000  # 24 MB of float64 once decoded, a few KB on disk
    path = tmp_path / "nulls.parquet"
    pq.write_table(pa.table({"y_true": pa.array(["a"] * n), "score": pa.nulls(n, pa.float64())}), path)
    assert path.stat().st_size < MB
    with pytest.raises(InputError, match="expands to more than"):
        load_frame(path, max_bytes=10 * MB)
    assert len(load_frame(path, max_bytes=100 * MB)[0]) == n


def test_frames_of_a_gzip_and_of_its_csv_are_equal(tmp_path):
    frame = pd.DataFrame({"y_true": ["a", "b"] * 500, "score": [0.25, 0.75] * 500})
    data = frame.to_csv(index=False).encode()
    plain, _ = load_frame(data, "p.csv")
    packed, _ = load_frame(gzip.compress(data), "p.csv.gz")
    pd.testing.assert_frame_equal(plain, packed)
