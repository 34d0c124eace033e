# zkvm: the SP1-compatible RV32IM executor (ELF loader, interpreter, ECALL
# ABI) plus the precompiles. precompile*.c / precompile*.h belong to the
# precompile work: add their files to libzkvm_a_SOURCES here.
noinst_LIBRARIES += libzkvm.a
libzkvm_a_SOURCES = \
	src/zkvm/program.h src/zkvm/zkvm.h src/zkvm/zkvm_int.h \
	src/zkvm/decode.c src/zkvm/decode.h \
	src/zkvm/elf.c \
	src/zkvm/precompile.c src/zkvm/precompile.h
libzkvm_a_CPPFLAGS = $(AM_CPPFLAGS) $(OPENSSL_CFLAGS) $(SECP256K1_CFLAGS)

# Everything a program linking libzkvm.a also needs (after libzkvm.a):
#   libzkvm.a libzkcrypto.a libzkbase.a $(ZKVM_LIBS)
ZKVM_LIBS = $(CRYPTO_LIBS)
