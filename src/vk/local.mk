# vk: SP1 verifying-key digest (BabyBear, Poseidon2, coset LDE, Merkle
# commitment, v3 transpiler and preprocessed traces). Depends on zkvm
# (struct zkvm_program) and base. Link: libzkvk.a libzkvm.a libzkbase.a.
noinst_LIBRARIES += libzkvk.a
libzkvk_a_SOURCES = \
	src/vk/babybear.c src/vk/babybear.h \
	src/vk/poseidon2.c src/vk/poseidon2.h src/vk/poseidon2_rc.c \
	src/vk/vk_simd_avx2.c src/vk/vk_int.h \
	src/vk/par.c \
	src/vk/ntt.c src/vk/ntt.h \
	src/vk/commit.c src/vk/commit.h
EXTRA_DIST += scripts/gen_poseidon2_rc.py

check_PROGRAMS += tests/unit/test_vk
TESTS += tests/unit/test_vk
tests_unit_test_vk_SOURCES = tests/unit/test_vk.c
tests_unit_test_vk_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_vk_LDADD = libzkvk.a libzkbase.a $(CMOCKA_LIBS) $(PTHREAD_LIBS)
