# crypto: Keccak-256 (hand-written), SHA-256 (OpenSSL EVP), getrandom,
# secp256k1 signing/recovery (libsecp256k1), Ethereum addresses, the TEE
# proof signature. The only module that links libsecp256k1 and libcrypto
# for hashing. Users link: libzkcrypto.a libzkbase.a $(CRYPTO_LIBS).
noinst_LIBRARIES += libzkcrypto.a
libzkcrypto_a_SOURCES = \
	src/crypto/crypto.h \
	src/crypto/keccak.c src/crypto/keccak.h \
	src/crypto/sha256.c src/crypto/sha256.h \
	src/crypto/rand.c src/crypto/rand.h \
	src/crypto/sign.c src/crypto/sign.h \
	src/crypto/tee.c src/crypto/tee.h
libzkcrypto_a_CPPFLAGS = $(AM_CPPFLAGS) $(SECP256K1_CFLAGS) $(OPENSSL_CFLAGS)
libzkcrypto_a_CFLAGS = $(AM_CFLAGS) -Wconversion

# Everything a program linking libzkcrypto.a also needs.
CRYPTO_LIBS = $(SECP256K1_LIBS) $(OPENSSL_LIBS) $(PTHREAD_LIBS)

check_PROGRAMS += tests/unit/test_crypto
TESTS += tests/unit/test_crypto
tests_unit_test_crypto_SOURCES = tests/unit/test_crypto.c
tests_unit_test_crypto_CPPFLAGS = $(AM_CPPFLAGS) $(OPENSSL_CFLAGS) \
	$(SECP256K1_CFLAGS) -DTOP_SRCDIR='"$(abs_top_srcdir)"'
tests_unit_test_crypto_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_crypto_LDADD = libzkcrypto.a libzkbase.a $(CRYPTO_LIBS) \
	$(CMOCKA_LIBS)

if ENABLE_FUZZ
noinst_PROGRAMS += tests/fuzz/fuzz_sig
# The crypto sources are compiled into the harness itself so that libFuzzer's
# coverage instrumentation reaches them.
tests_fuzz_fuzz_sig_SOURCES = tests/fuzz/fuzz_sig.c \
	src/crypto/keccak.c src/crypto/sha256.c src/crypto/rand.c \
	src/crypto/sign.c src/crypto/tee.c
tests_fuzz_fuzz_sig_CPPFLAGS = $(AM_CPPFLAGS) $(SECP256K1_CFLAGS) \
	$(OPENSSL_CFLAGS)
tests_fuzz_fuzz_sig_CFLAGS = $(AM_CFLAGS) -fsanitize=fuzzer
tests_fuzz_fuzz_sig_LDFLAGS = $(AM_LDFLAGS) -fsanitize=fuzzer
tests_fuzz_fuzz_sig_LDADD = libzkbase.a $(CRYPTO_LIBS)
endif
