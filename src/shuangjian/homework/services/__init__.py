"""Homework writes."""
