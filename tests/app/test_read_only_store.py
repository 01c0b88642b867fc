"""A read-only EVALCORE_HOME (a real read-only mount in a private mount namespace: root cannot write there):
Train and Runs say so, with the folder and the fix; Evaluate keeps working."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests import stores
from tests.shown import shown

ROOT = Path(__file__).resolve().parents[2]

CRAWL = """
import json, sys
from streamlit.testing.v1 import AppTest
out = {}
for page in ("pages/evaluate.py", "pages/train.py", "pages/runs.py"):
    at = AppTest.from_file("app.py", default_timeout=60).run()
    if page != "pages/evaluate.py":
        at.switch_page(page).run()
    else:
        at.radio(key="eval_source").set_value("Try a sample").run()
    out[page] = {"exceptions": [e.value for e in at.exception], "errors": [e.value for e in at.error],
                 "metrics": [m.label for m in at.metric]}
print(json.dumps(out))
"""


def test_pages_on_a_read_only_home(tmp_path):
    home = tmp_path / "home"
    stores.healthy(home, runs=2)
    script = f'mount --bind -o ro "{tmp_path}" "{tmp_path}" && exec "$0" "$@"'
    out = subprocess.run(["unshare", "-m", "sh", "-c", script, sys.executable, "-c", CRAWL], cwd=ROOT,
                         env={**os.environ, "EVALCORE_HOME": str(home)}, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-3000:]
    pages = json.loads(out.stdout.strip().splitlines()[-1])
    for page, seen in pages.items():
        assert not seen["exceptions"], (page, seen)
    assert {"Accuracy", "ROC AUC"} <= set(pages["pages/evaluate.py"]["metrics"])
    assert not pages["pages/evaluate.py"]["errors"]
    for page in ("pages/train.py", "pages/runs.py"):
        text = shown(" ".join(pages[page]["errors"]))
        assert "cannot be written" in text and "EVALCORE_HOME" in text, (page, pages[page])
