"""The execution patterns: one module per pattern, each with ``main(argv)`` and ``run_instance``."""
