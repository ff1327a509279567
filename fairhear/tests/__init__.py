"""Tests that span the whole application."""
