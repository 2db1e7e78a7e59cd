"""What the tests and the benchmarks share: running the real command, synthetic news. Nothing in the
pipeline imports it."""
