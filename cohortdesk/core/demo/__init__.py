"""The demo cohort: who is in it, what they did, and writing it through the services."""
