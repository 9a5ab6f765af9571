"""Tests of the warehouse backends (caves.warehouse); a package so test module names never clash with tests/."""
