"""The inspection pages under /training/inspections/."""
