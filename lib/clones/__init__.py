"""The pattern extractor: clone detection (T1-T3) and clone classes turned into templates."""
