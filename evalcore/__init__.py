"""evalcore: evaluate predictions and train Keras models, with every run tracked.

The domain package: it never imports Streamlit. ``docs/ARCHITECTURE.md`` describes its shape.

Example:
    >>> from evalcore.metrics import accuracy_score
    >>> accuracy_score([0, 1, 1], [0, 1, 0])
    0.6666666666666666
"""
