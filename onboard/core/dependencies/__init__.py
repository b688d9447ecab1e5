"""From a project's manifests and SBOMs to the GitHub repositories behind its dependencies."""
