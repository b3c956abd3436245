"""The command line: the subcommand table and one module per subcommand."""
