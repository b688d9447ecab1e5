"""The JSON Schemas of onboard's files, and their problems turned into lines a person can act on."""
