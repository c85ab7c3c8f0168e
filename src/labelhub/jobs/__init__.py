"""Background work: a Huey queue carries job ids; the job's state lives in the database."""
