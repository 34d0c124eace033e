# zkvm: the SP1-compatible RV32IM executor (ELF loader, interpreter, ECALL
# ABI) plus the precompiles. precompile*.c / precompile*.h belong to the
# precompile work: add their files to libzkvm_a_SOURCES here.
noinst_LIBRARIES += libzkvm.a
libzkvm_a_SOURCES = \
	src/zkvm/program.h src/zkvm/zkvm.h src/zkvm/zkvm_int.h \
	src/zkvm/decode.c src/zkvm/decode.h \
	src/zkvm/elf.c \
	src/zkvm/exec.c src/zkvm/exec.h \
	src/zkvm/mem.c src/zkvm/mem.h \
	src/zkvm/syscall.c \
	src/zkvm/stdin.c \
	src/zkvm/vm.c \
	src/zkvm/precompile.c src/zkvm/precompile.h src/zkvm/precompile_int.h \
	src/zkvm/precompile_bn.c src/zkvm/precompile_ed.c \
	src/zkvm/precompile_field.c src/zkvm/precompile_hook.c \
	src/zkvm/precompile_keccak.c src/zkvm/precompile_sha.c \
	src/zkvm/precompile_uint.c src/zkvm/precompile_weier.c
libzkvm_a_CPPFLAGS = $(AM_CPPFLAGS) $(OPENSSL_CFLAGS) $(SECP256K1_CFLAGS)

# Everything a program linking libzkvm.a also needs (after libzkvm.a):
#   libzkvm.a libzkcrypto.a libzkbase.a $(ZKVM_LIBS)
ZKVM_LIBS = $(CRYPTO_LIBS)

# Precompile unit tests: the pure math against OpenSSL / libsecp256k1.
check_PROGRAMS += tests/unit/test_precompile
TESTS += tests/unit/test_precompile
tests_unit_test_precompile_SOURCES = tests/unit/test_precompile.c
tests_unit_test_precompile_CPPFLAGS = $(AM_CPPFLAGS) $(OPENSSL_CFLAGS) \
	$(SECP256K1_CFLAGS)
tests_unit_test_precompile_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_precompile_LDADD = libzkvm.a libzkcrypto.a libzkbase.a \
	$(SECP256K1_LIBS) $(OPENSSL_LIBS) $(PTHREAD_LIBS) $(CMOCKA_LIBS)

EXTRA_DIST += tests/fixtures/elf

check_PROGRAMS += tests/unit/test_zkvm
TESTS += tests/unit/test_zkvm
tests_unit_test_zkvm_SOURCES = tests/unit/test_zkvm.c tests/unit/zkvm_asm.h
tests_unit_test_zkvm_CPPFLAGS = $(AM_CPPFLAGS) -DTOP_SRCDIR='"$(abs_top_srcdir)"'
tests_unit_test_zkvm_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(CJSON_CFLAGS)
tests_unit_test_zkvm_LDADD = libzkvm.a libzkcrypto.a libzkbase.a $(ZKVM_LIBS) \
	$(CJSON_LIBS) $(CMOCKA_LIBS)

# Differential test against qemu-riscv32 (skips without the cross toolchain).
check_PROGRAMS += tests/zkvm/gen_rv_random
tests_zkvm_gen_rv_random_SOURCES = tests/zkvm/gen_rv_random.c
TESTS += tests/zkvm/qemu_diff.sh tests/zkvm/cli_exec.sh
EXTRA_DIST += tests/zkvm/qemu_diff.sh tests/zkvm/cli_exec.sh tests/zkvm/guest

# Precompiles end to end: an RV32IM guest (tests/guest/precompile_guest.c)
# ecalls every precompile and hook; the test runs it in the executor and
# compares with the host. Without riscv64-unknown-elf-gcc it skips (77).
check_PROGRAMS += tests/unit/test_precompile_guest
TESTS += tests/unit/test_precompile_guest
tests_unit_test_precompile_guest_SOURCES = tests/unit/test_precompile_guest.c
tests_unit_test_precompile_guest_CPPFLAGS = $(AM_CPPFLAGS) $(OPENSSL_CFLAGS) \
	-DPC_GUEST_ELF='"$(abs_top_builddir)/tests/guest/precompile_guest.elf"'
tests_unit_test_precompile_guest_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_precompile_guest_LDADD = libzkvm.a libzkcrypto.a libzkbase.a \
	$(ZKVM_LIBS) $(CMOCKA_LIBS)
EXTRA_DIST += tests/guest/precompile_guest.c tests/guest/precompile_guest.ld
if HAVE_RISCV_GCC
EXTRA_tests_unit_test_precompile_guest_DEPENDENCIES = \
	tests/guest/precompile_guest.elf
CLEANFILES += tests/guest/precompile_guest.elf
tests/guest/precompile_guest.elf: $(top_srcdir)/tests/guest/precompile_guest.c \
		$(top_srcdir)/tests/guest/precompile_guest.ld
	@$(MKDIR_P) tests/guest
	$(AM_V_CC)$(RISCV_GCC) -march=rv32im -mabi=ilp32 -O2 -ffreestanding \
	  -fno-builtin -nostdlib -Wall -Wextra \
	  -T $(top_srcdir)/tests/guest/precompile_guest.ld -o $@ \
	  $(top_srcdir)/tests/guest/precompile_guest.c -lgcc
endif

if ENABLE_FUZZ
noinst_PROGRAMS += tests/fuzz/fuzz_elf tests/fuzz/fuzz_exec
tests_fuzz_fuzz_elf_SOURCES = tests/fuzz/fuzz_elf.c
tests_fuzz_fuzz_elf_CFLAGS = $(AM_CFLAGS) -fsanitize=fuzzer
tests_fuzz_fuzz_elf_LDFLAGS = $(AM_LDFLAGS) -fsanitize=fuzzer
tests_fuzz_fuzz_elf_LDADD = libzkvm.a libzkcrypto.a libzkbase.a $(ZKVM_LIBS)
tests_fuzz_fuzz_exec_SOURCES = tests/fuzz/fuzz_exec.c
tests_fuzz_fuzz_exec_CFLAGS = $(AM_CFLAGS) -fsanitize=fuzzer
tests_fuzz_fuzz_exec_LDFLAGS = $(AM_LDFLAGS) -fsanitize=fuzzer
tests_fuzz_fuzz_exec_LDADD = libzkvm.a libzkcrypto.a libzkbase.a $(ZKVM_LIBS)
EXTRA_DIST += tests/fuzz/corpus/elf tests/fuzz/corpus/exec
endif
EXTRA_DIST += tests/fuzz/fuzz_elf.c tests/fuzz/fuzz_exec.c

if ENABLE_FUZZ
# Precompile math and hooks on hostile words/bytes (sources compiled into
# the harness so libFuzzer's coverage reaches them).
noinst_PROGRAMS += tests/fuzz/fuzz_precompile
tests_fuzz_fuzz_precompile_SOURCES = tests/fuzz/fuzz_precompile.c \
	src/zkvm/precompile_bn.c src/zkvm/precompile_sha.c \
	src/zkvm/precompile_keccak.c src/zkvm/precompile_uint.c \
	src/zkvm/precompile_weier.c src/zkvm/precompile_ed.c \
	src/zkvm/precompile_field.c src/zkvm/precompile_hook.c
tests_fuzz_fuzz_precompile_CPPFLAGS = $(AM_CPPFLAGS) $(OPENSSL_CFLAGS) \
	$(SECP256K1_CFLAGS)
tests_fuzz_fuzz_precompile_CFLAGS = $(AM_CFLAGS) -fsanitize=fuzzer
tests_fuzz_fuzz_precompile_LDFLAGS = $(AM_LDFLAGS) -fsanitize=fuzzer
tests_fuzz_fuzz_precompile_LDADD = libzkcrypto.a libzkbase.a $(CRYPTO_LIBS)
endif
EXTRA_DIST += tests/fuzz/corpus/precompile
EXTRA_DIST += docs/zkvm.md bench/zkvm_bench.sh bench/zkvm_sha256.c \
	bench/zkvm_fib_native.c
