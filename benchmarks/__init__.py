"""Benchmarks: the app measured beside the bare engines. Run `python -m benchmarks`."""
