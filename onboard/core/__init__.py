"""Pure domain logic: no Textual, no network, no git. Everything here is fast to test."""
