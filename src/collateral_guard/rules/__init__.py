"""Rules: the built-in Python checks, rule packs, and the registry that lists them."""
