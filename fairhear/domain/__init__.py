"""Fairhear's domain: calendar, policy packs and lifecycle, in plain Python (no Django)."""
