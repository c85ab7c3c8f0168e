"""Use cases and transaction boundaries.  Services get their collaborators through ``Services``."""
