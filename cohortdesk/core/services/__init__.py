"""Use cases: each takes a session and returns DTOs, grouped by domain in subpackages."""
