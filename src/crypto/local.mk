# crypto module: see src/crypto/ (filled in by its issue)
