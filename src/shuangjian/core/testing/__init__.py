"""Test support shared by every app's tests. Never imported by production code."""
