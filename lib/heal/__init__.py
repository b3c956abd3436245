"""self_heal's Error-Detect-Fix-Validate: diagnostics, fix rules, fixers per error family."""
