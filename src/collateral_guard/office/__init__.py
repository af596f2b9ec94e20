"""Writing Office files: a copy safe to send (clean) and a copy to review (annotate)."""
