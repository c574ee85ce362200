"""People: cohorts, members, people across cohorts, identities, expertise, and what the
facilitator records about a member."""
