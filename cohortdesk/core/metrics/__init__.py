"""The vocabulary of figures: every term cohortdesk shows, defined once.

Each term's docstring is its definition as a user could read it; every surface (roster,
member panel, Today and `attention`, stage evidence, dashboard, compare, PDF, exports, review
pack, manager summary, mentor view) counts through this package.
"""
