# store module: see src/store/ (filled in by its issue)
