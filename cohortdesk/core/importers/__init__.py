"""Readers for the activity exports facilitators already have, one module per format.

Each format module exposes `FORMAT` (its command-line name), `detect(name, head)` (does a file
look like this format?) and `parse(source, options)`, a generator of `ImportItem`s. Parsers only
read: matching people, de-duplicating and writing happen in `services.activity.imports`, in one
transaction. See `base` for the records and the rules every parser follows.
"""
