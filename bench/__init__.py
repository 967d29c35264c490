"""Benchmarks: ratios against a simple reference measured in the same run (see docs/benchmarks.md)."""
