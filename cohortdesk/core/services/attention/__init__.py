"""Who needs the facilitator and where each learner stands: the attention list, stage
evidence and suggestions, and the cohort's adjustable rules."""
