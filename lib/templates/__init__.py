"""Template packs, their variables and filters, and the creation patterns built on them."""
