"""Advice: what a run's curves say (:mod:`.findings`), which strategy should help (:mod:`.prescriptions`), and
whether it did, over paired seeds (:mod:`.verdict`). No Keras here."""
