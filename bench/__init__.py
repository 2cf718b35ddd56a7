"""Benchmarks: the server driven from separate client processes, with a bare baseline beside it."""
