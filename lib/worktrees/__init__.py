"""Git worktrees: the model, health, and the operations that change them."""
