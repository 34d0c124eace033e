# api module: see src/api/ (filled in by its issue)
