"""Shared kernel: base columns, clock, audit events, errors, pagination, home-page registry."""
