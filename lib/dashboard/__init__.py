"""Metrics over execution records and the one offline HTML page that shows them."""
