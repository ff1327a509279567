"""Journeys in a real Chromium, run with `make test-browser`."""
