"""GitHub Actions: events, annotations, summaries, SARIF."""
