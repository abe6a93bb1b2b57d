"""Inspection writes, one module per area: the checklist and campaigns, inspections, orders, unlicensed cases."""
