"""The wake phrase: detector, gate, verifier (with its readings and words), classifier, denoiser.

Every bar they hold a candidate to is in `voice.wake.thresholds`.
"""
