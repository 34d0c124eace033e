# base: errors, logging, allocation, bounded buffers, hex, byte helpers.
noinst_LIBRARIES += libzkbase.a
libzkbase_a_SOURCES = \
	src/base/err.c src/base/err.h \
	src/base/log.c src/base/log.h \
	src/base/mem.c src/base/mem.h \
	src/base/buf.c src/base/buf.h \
	src/base/hex.c src/base/hex.h \
	src/base/bytes.h src/base/limits.h src/base/compiler.h

check_PROGRAMS += tests/unit/test_base
TESTS += tests/unit/test_base
tests_unit_test_base_SOURCES = tests/unit/test_base.c
tests_unit_test_base_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_base_LDADD = libzkbase.a $(CMOCKA_LIBS)
