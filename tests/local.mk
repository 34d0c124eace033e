# Shared test helpers. Each module's unit tests live in its own local.mk.
EXTRA_DIST += tests/fixtures
EXTRA_DIST += tests/guardbuf.h tests/fixture.h
