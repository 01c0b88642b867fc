"""Compare an evalcore function with its scikit-learn twin: same result, or both refuse."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from evalcore.errors import InputError

RTOL = 1e-9


def assert_close(got, expected, path="result"):
    if isinstance(expected, dict):
        assert isinstance(got, dict) and set(got) == set(expected), f"{path}: keys {got} != {expected}"
        for key in expected:
            assert_close(got[key], expected[key], f"{path}[{key!r}]")
    elif isinstance(expected, (tuple, list)) and not isinstance(expected, str):
        assert len(got) == len(expected), f"{path}: length {len(got)} != {len(expected)}"
        for i, (g, e) in enumerate(zip(got, expected)):
            assert_close(g, e, f"{path}[{i}]")
    elif expected is None:
        assert got is None, f"{path}: {got!r} is not None"
    elif isinstance(expected, str):
        assert got == expected, f"{path}:\n{got}\n!=\n{expected}"
    else:
        e = np.asarray(expected, dtype=np.float64)
        g = np.asarray(got, dtype=np.float64)
        assert g.shape == e.shape, f"{path}: shape {g.shape} != {e.shape}"
        np.testing.assert_allclose(g, e, rtol=RTOL, atol=1e-12, equal_nan=True, err_msg=path)


def same_as_sklearn(ours, theirs, *args, **kwargs):
    """Run both; when scikit-learn raises, evalcore must raise InputError; else results agree."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            expected = theirs(*args, **kwargs)
        except (ValueError, TypeError, ZeroDivisionError, NotImplementedError, IndexError):
            with pytest.raises(InputError):
                ours(*args, **kwargs)
            return None
        got = ours(*args, **kwargs)
    assert_close(got, expected)
    return got
