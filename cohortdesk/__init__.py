"""cohortdesk: track access, motivation and contribution of online cohorts."""

__version__ = "0.1.0"
