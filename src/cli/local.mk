# cli module: see src/cli/ (filled in by its issue)
