"""`make run` serves on loopback only (anyone who reaches the port could train on this machine and read every
run) and without Streamlit's file watcher (it watched .venv too and overflowed the inotify queue)."""

from __future__ import annotations

import os
import signal
import subprocess
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import expect, sync_playwright

from tests.e2e.server import CHROMIUM_ARGS, ROOT, chromium_path, free_port


def _listening(port: int) -> set[str]:
    """Local addresses with a listening TCP socket on ``port``, from /proc/net/tcp and tcp6."""
    out = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, hex_port = local.split(":")
            if state == "0A" and int(hex_port, 16) == port:  # 0A: LISTEN
                out.add(address)
    return out


def _inotify_watches(pid: int) -> int:
    count = 0
    for fd in Path(f"/proc/{pid}/fdinfo").iterdir():
        try:
            count += sum(line.startswith("inotify wd:") for line in fd.read_text().splitlines())
        except OSError:
            continue
    return count


def _streamlit_pid(make_pid: int) -> int:
    children = Path(f"/proc/{make_pid}/task/{make_pid}/children").read_text().split()
    assert children, "make started no server"
    return int(children[0])


def test_make_run_listens_on_loopback_only_without_a_file_watcher(tmp_path):
    port = free_port()
    env = {**os.environ, "EVALCORE_HOME": str(tmp_path)}
    proc = subprocess.Popen(["make", "-s", "run", f"PORT={port}"], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.time() + 90
        while time.time() < deadline:
            try:
                if urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2).read() == b"ok":
                    break
            except OSError:
                time.sleep(0.3)
        else:
            raise AssertionError("make run did not serve: " + proc.stdout.read1().decode(errors="replace"))
        assert _listening(port) == {"0100007F"}  # 127.0.0.1 only: no wildcard or IPv6 socket
        with sync_playwright() as pw:  # a browser session: Streamlit starts its file watchers per session
            browser = pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
            page = browser.new_page()
            page.goto(f"http://127.0.0.1:{port}")
            expect(page.get_by_text("Evaluate predictions")).to_be_visible(timeout=30_000)
            time.sleep(1.0)
            assert _inotify_watches(_streamlit_pid(proc.pid)) == 0
            browser.close()
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=20)
