"""Memory of refusing oversized files: the peak resident memory of `python -m evalcore evaluate FILE` on a gzip bomb
and on a file over the size limit, against the same command on a tiny file (the floor: importing evalcore).

Run: .venv/bin/python -m bench.read_limits
Each case runs in a fresh process; the peak is that process's own (os.wait4's ru_maxrss), best of 3.
"""

from __future__ import annotations

import gzip
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def peak(*args: str) -> tuple[float, float, int, str]:
    """(peak MB, seconds, exit status, last line of stderr) of one CLI run."""
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "evalcore", "evaluate", *args], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    return usage.ru_maxrss / 1024, time.perf_counter() - started, os.waitstatus_to_exitcode(status), \
        (err.strip().splitlines() or [""])[-1]


def main() -> None:
    print(f"load average {os.getloadavg()[0]:.2f}")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        tiny = folder / "tiny.csv"
        tiny.write_text("y_true,score\n1,0.9\n0,0.2\n1,0.6\n0,0.4\n")
        bomb = folder / "bomb.csv.gz"
        row = b"1,0.5\n" * 100_000
        with gzip.open(bomb, "wb", compresslevel=9) as f:  # 2.2 GB of rows in a few MB
            f.write(b"y_true,score\n")
            for _ in range(3_700):
                f.write(row)
        big = folder / "big.csv"
        with open(big, "wb") as f:  # 1.2 GB: a header, then a sparse tail (no disk used)
            f.write(b"y_true,score\n1,0.9\n")
            f.truncate(1_200_000_000)
        cases = [("tiny file (the floor: importing evalcore)", [str(tiny)]),
                 (f"gzip bomb ({bomb.stat().st_size / 1e6:.1f} MB expanding to 2.2 GB), --max-file-size 50MB",
                  [str(bomb), "--max-file-size", "50MB"]),
                 ("the same bomb, default limit (1 GiB)", [str(bomb)]),
                 ("a 1.2 GB CSV, default limit", [str(big)])]
        print(f"{'case':<75}{'peak MB':>9}{'seconds':>9}  exit  message")
        for name, args in cases:
            runs = [peak(*args) for _ in range(3)]
            mb, seconds, code, message = min(runs)
            print(f"{name:<75}{mb:>9.0f}{min(r[1] for r in runs):>9.2f}  {code:>4}  {message[:90]}")


if __name__ == "__main__":
    main()
