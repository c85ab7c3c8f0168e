"""Pure domain: no web framework, ORM, HTTP client or ML library may be imported here."""
