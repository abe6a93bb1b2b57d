"""Homework pages, one module per area: the hub, assigning, the board, family feedback, the head teacher's sheet,
the grade coordinator's day, monitoring. Each view parses input, calls one service or selector, renders."""
