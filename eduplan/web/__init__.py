"""Reserved for a later stage; see docs/design.md."""
