"""Mentoring: who mentors whom, sessions, the mentor view, review packs and notes files."""
