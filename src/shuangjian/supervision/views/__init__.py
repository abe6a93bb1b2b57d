"""The supervision pages under /training/supervision/: the early warning and the periodic reports."""
