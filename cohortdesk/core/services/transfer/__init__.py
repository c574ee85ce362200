"""Moving cohorts between databases (`copying`)."""
