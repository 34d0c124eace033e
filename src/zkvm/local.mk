# zkvm module: see src/zkvm/ (filled in by its issue)
