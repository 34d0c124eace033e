# rotd module: see src/rotd/ (filled in by its issue)
