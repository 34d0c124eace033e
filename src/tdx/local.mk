# tdx module: see src/tdx/ (filled in by its issue)
