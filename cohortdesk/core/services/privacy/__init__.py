"""Privacy: the personal-data registry and erasing a person everywhere."""
