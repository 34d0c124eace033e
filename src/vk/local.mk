# vk: SP1 verifying-key digest (BabyBear, Poseidon2, coset LDE, Merkle
# commitment, v3 transpiler and preprocessed traces). Depends on zkvm
# (struct zkvm_program) and base. Link: libzkvk.a libzkvm.a libzkbase.a.
noinst_LIBRARIES += libzkvk.a
libzkvk_a_SOURCES = \
	src/vk/babybear.c src/vk/babybear.h \
	src/vk/poseidon2.c src/vk/poseidon2.h src/vk/poseidon2_rc.c \
	src/vk/vk_simd_avx2.c src/vk/vk_simd_avx512.c src/vk/vk_int.h \
	src/vk/par.c \
	src/vk/ntt.c src/vk/ntt.h \
	src/vk/commit.c src/vk/commit.h \
	src/vk/transpile.c src/vk/transpile.h \
	src/vk/vk_v3.c src/vk/vk.c src/vk/vk.h
EXTRA_DIST += scripts/gen_poseidon2_rc.py docs/vk.md bench/vk_bench.sh
# v4/v5 (issue 7): septic curve and the v4/v5 front ends; VK_WITH_V45 makes
# vk_compute dispatch majors 4 and 5 to vk_v45_compute.
libzkvk_a_SOURCES += \
	src/vk/septic.c src/vk/septic.h src/vk/septic_avx2.c \
	src/vk/septic_int.h src/vk/vk_v45.c src/vk/vk_v45.h
libzkvk_a_CPPFLAGS = $(AM_CPPFLAGS) -DVK_WITH_V45

check_PROGRAMS += tests/unit/test_vk
TESTS += tests/unit/test_vk
tests_unit_test_vk_SOURCES = tests/unit/test_vk.c
tests_unit_test_vk_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(CJSON_CFLAGS) \
	-DTOP_SRCDIR='"$(abs_top_srcdir)"'
tests_unit_test_vk_LDADD = libzkvk.a libzkvm.a libzkcrypto.a libzkbase.a \
	$(CMOCKA_LIBS) $(CJSON_LIBS) $(ZKVM_LIBS) $(PTHREAD_LIBS)

check_PROGRAMS += tests/unit/test_vk_septic tests/unit/test_vk45
TESTS += tests/unit/test_vk_septic tests/unit/test_vk45
tests_unit_test_vk_septic_SOURCES = tests/unit/test_vk_septic.c
tests_unit_test_vk_septic_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_vk_septic_LDADD = libzkvk.a libzkbase.a $(CMOCKA_LIBS) \
	$(PTHREAD_LIBS)
tests_unit_test_vk45_SOURCES = tests/unit/test_vk45.c
tests_unit_test_vk45_CPPFLAGS = $(AM_CPPFLAGS) \
	-DTOP_SRCDIR='"$(abs_top_srcdir)"'
tests_unit_test_vk45_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(CJSON_CFLAGS)
tests_unit_test_vk45_LDADD = libzkvk.a libzkvm.a libzkcrypto.a libzkbase.a \
	$(CMOCKA_LIBS) $(CJSON_LIBS) $(ZKVM_LIBS) $(PTHREAD_LIBS)

if ENABLE_FUZZ
noinst_PROGRAMS += tests/fuzz/fuzz_vk
tests_fuzz_fuzz_vk_SOURCES = tests/fuzz/fuzz_vk.c
tests_fuzz_fuzz_vk_CFLAGS = $(AM_CFLAGS) -fsanitize=fuzzer
tests_fuzz_fuzz_vk_LDFLAGS = $(AM_LDFLAGS) -fsanitize=fuzzer
tests_fuzz_fuzz_vk_LDADD = libzkvk.a libzkvm.a libzkcrypto.a libzkbase.a \
	$(ZKVM_LIBS) $(PTHREAD_LIBS)
EXTRA_DIST += tests/fuzz/corpus/vk
endif

# sp1-tee vk end to end on the fixture ELFs (needs jq, else skips)
TESTS += tests/integ/cli_vk.sh
EXTRA_DIST += tests/integ/cli_vk.sh

if ENABLE_FUZZ
noinst_PROGRAMS += tests/fuzz/fuzz_septic
tests_fuzz_fuzz_septic_SOURCES = tests/fuzz/fuzz_septic.c
tests_fuzz_fuzz_septic_CFLAGS = $(AM_CFLAGS) -fsanitize=fuzzer
tests_fuzz_fuzz_septic_LDFLAGS = $(AM_LDFLAGS) -fsanitize=fuzzer
tests_fuzz_fuzz_septic_LDADD = libzkvk.a libzkvm.a libzkcrypto.a libzkbase.a \
	$(ZKVM_LIBS) $(PTHREAD_LIBS)
EXTRA_DIST += tests/fuzz/corpus/septic
endif
