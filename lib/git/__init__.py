"""The repository: every git call, what git prints, the tree under verification and its private copy."""
