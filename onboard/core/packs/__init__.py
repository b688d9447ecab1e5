"""Guide packs: loading, validating and filtering them."""
