"""Tests of the embedded Snowflake (caves.local); a package so test module names never clash with tests/."""
