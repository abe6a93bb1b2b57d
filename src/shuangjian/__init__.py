"""Shuangjian (双减): the double-reduction platform."""
