"""Dashboards and reports: a cohort at a glance, the reply network, adopters, highlights, and
the manager summary's figures."""
