"""Supervision writes: the nightly risk scoring, the warning notices with their appeals and decisions, and the
generated report files."""
