"""refactor_patch: patches applied exactly, renames by scope and type, each edit verified."""
