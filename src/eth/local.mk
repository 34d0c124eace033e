# eth: RLP, Solidity ABI, EIP-1559/EIP-155 transactions, JSON-RPC bodies
# (cJSON, transport supplied by the caller). Uses crypto for keccak only.
# Users link: libzketh.a libzkcrypto.a libzkbase.a $(CJSON_LIBS) $(CRYPTO_LIBS).
noinst_LIBRARIES += libzketh.a
libzketh_a_SOURCES = \
	src/eth/rlp.c src/eth/rlp.h \
	src/eth/abi.c src/eth/abi.h \
	src/eth/tx.c src/eth/tx.h \
	src/eth/rpc.c src/eth/rpc.h
libzketh_a_CPPFLAGS = $(AM_CPPFLAGS) $(CJSON_CFLAGS)

check_PROGRAMS += tests/unit/test_eth
TESTS += tests/unit/test_eth
tests_unit_test_eth_SOURCES = tests/unit/test_eth.c
tests_unit_test_eth_CPPFLAGS = $(AM_CPPFLAGS) $(CJSON_CFLAGS)
tests_unit_test_eth_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_eth_LDADD = libzketh.a libzkcrypto.a libzkbase.a \
	$(CJSON_LIBS) $(CRYPTO_LIBS) $(CMOCKA_LIBS)

if ENABLE_FUZZ
noinst_PROGRAMS += tests/fuzz/fuzz_rlp tests/fuzz/fuzz_abi tests/fuzz/fuzz_rpc
tests_fuzz_fuzz_rlp_SOURCES = tests/fuzz/fuzz_rlp.c
tests_fuzz_fuzz_rlp_CFLAGS = $(AM_CFLAGS) -fsanitize=fuzzer
tests_fuzz_fuzz_rlp_LDFLAGS = $(AM_LDFLAGS) -fsanitize=fuzzer
tests_fuzz_fuzz_rlp_LDADD = libzketh.a libzkcrypto.a libzkbase.a $(CRYPTO_LIBS)
tests_fuzz_fuzz_abi_SOURCES = tests/fuzz/fuzz_abi.c
tests_fuzz_fuzz_abi_CFLAGS = $(AM_CFLAGS) -fsanitize=fuzzer
tests_fuzz_fuzz_abi_LDFLAGS = $(AM_LDFLAGS) -fsanitize=fuzzer
tests_fuzz_fuzz_abi_LDADD = libzketh.a libzkcrypto.a libzkbase.a $(CRYPTO_LIBS)
tests_fuzz_fuzz_rpc_SOURCES = tests/fuzz/fuzz_rpc.c
tests_fuzz_fuzz_rpc_CPPFLAGS = $(AM_CPPFLAGS) $(CJSON_CFLAGS)
tests_fuzz_fuzz_rpc_CFLAGS = $(AM_CFLAGS) -fsanitize=fuzzer
tests_fuzz_fuzz_rpc_LDFLAGS = $(AM_LDFLAGS) -fsanitize=fuzzer
tests_fuzz_fuzz_rpc_LDADD = libzketh.a libzkcrypto.a libzkbase.a \
	$(CJSON_LIBS) $(CRYPTO_LIBS)
endif
EXTRA_DIST += tests/fuzz/corpus/rlp tests/fuzz/corpus/abi tests/fuzz/corpus/rpc
