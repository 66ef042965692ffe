"""Helpers that the tests and the benchmarks share, imported as `tests.support.<module>`.

The tests reach them because tests/conftest.py puts the repository root on sys.path; the
benchmarks because they run as modules from the root (`python -m benchmarks.page_weight`).
"""
