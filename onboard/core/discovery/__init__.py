"""Finding a first contribution: labels and lanes, search queries, claim evidence, ranking."""
