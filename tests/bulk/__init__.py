"""Tests for bulk extraction from WARC files (a package so the fixture builder imports)."""
