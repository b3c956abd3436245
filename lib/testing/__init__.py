"""Test suites: framework adapters, reports and logs read back, which tests a change can reach."""
