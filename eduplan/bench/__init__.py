"""Benchmarks and the fuzzer (``eduplan bench …``): parse speed, ledger import and exports, the
web server under load, sign-in cost, and hostile inputs for the readers. Figures are printed.

May import: every stage (web included) — only cli imports bench.
"""
