"""Efir server: Starlette app, store, event hub, moderation rules, CLI."""
