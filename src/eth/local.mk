# eth module: see src/eth/ (filled in by its issue)
