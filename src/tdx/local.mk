# tdx: DCAP quote parser, configfs-tsm quote provider, simulated quotes.
noinst_LIBRARIES += libzktdx.a
libzktdx_a_SOURCES = \
	src/tdx/tdx.h src/tdx/tsm.h \
	src/tdx/quote.c src/tdx/sim.c src/tdx/configfs.c

check_PROGRAMS += tests/unit/test_tdx
TESTS += tests/unit/test_tdx
tests_unit_test_tdx_SOURCES = tests/unit/test_tdx.c \
	tests/unit/fake_tsm.c tests/unit/fake_tsm.h
tests_unit_test_tdx_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_tdx_LDADD = libzktdx.a libzkbase.a $(CMOCKA_LIBS)

if ENABLE_FUZZ
noinst_PROGRAMS += tests/fuzz/fuzz_quote
tests_fuzz_fuzz_quote_SOURCES = tests/fuzz/fuzz_quote.c
tests_fuzz_fuzz_quote_CFLAGS = $(AM_CFLAGS) -fsanitize=fuzzer
tests_fuzz_fuzz_quote_LDFLAGS = $(AM_LDFLAGS) -fsanitize=fuzzer
tests_fuzz_fuzz_quote_LDADD = libzktdx.a libzkbase.a
endif
EXTRA_DIST += tests/fuzz/corpus/quote
