"""Training: configuration, datasets, schedules (no TensorFlow), and the Keras side (model, callbacks, worker).

Only ``model``, ``callbacks``, ``fit``, ``preview`` and ``worker`` import Keras; the Streamlit process imports
``config``, ``datasets`` (metadata only), ``schedules`` and ``launch``.
"""
