"""Files shipped with cohortdesk: the stages, the built-in templates, the demo cohort, the icon.

Installed as the package `cohortdesk.resources` (see pyproject.toml); read them with
`importlib.resources.files("cohortdesk.resources")`.
"""
