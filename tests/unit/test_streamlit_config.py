"""The Streamlit settings the app relies on, read from the config file every `streamlit run` of the app uses."""

from __future__ import annotations

import tomllib
from pathlib import Path

from evalcore.limits import DEFAULT_MAX_FILE_BYTES

CONFIG = tomllib.loads((Path(__file__).parents[2] / ".streamlit" / "config.toml").read_text())


def test_the_browser_never_shows_a_traceback():
    assert CONFIG["client"]["showErrorDetails"] == "none"


def test_the_upload_limit_is_the_readers_default_file_limit():
    assert CONFIG["server"]["maxUploadSize"] * 1024 * 1024 == DEFAULT_MAX_FILE_BYTES


def test_no_full_garbage_collection_after_every_rerun():
    # Streamlit's default gc.collect(2) after each run was ~3/4 of the server CPU of a session opening the sample
    # (0.12 s against 0.03 s without it, measured with 10 sessions at once)
    assert CONFIG["runner"]["postScriptGC"] is False
