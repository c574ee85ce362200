"""Messaging: prompt templates, the values their placeholders take, nudges and the outbox."""
