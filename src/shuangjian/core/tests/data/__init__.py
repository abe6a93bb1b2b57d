"""Test data: builders of roster spreadsheets (roster_files) and small sample files."""
