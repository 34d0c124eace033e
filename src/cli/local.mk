# cli: the sp1-tee tool. Each subcommand adds its cmd_<name>.c to
# sp1_tee_SOURCES and the libraries it needs to sp1_tee_LDADD.
bin_PROGRAMS += sp1-tee
sp1_tee_SOURCES = src/cli/cli_main.c src/cli/cli.h
sp1_tee_SOURCES += src/cli/cmd_exec.c
sp1_tee_LDADD = libzkbase.a
# exec: run a guest with the zkvm executor
sp1_tee_LDADD += libzkvm.a libzkcrypto.a libzkbase.a $(ZKVM_LIBS)

# tdx quote inspection + client commands (submit/wait/proof/history)
sp1_tee_SOURCES += src/cli/cli_util.c src/cli/cli_util.h src/cli/cmd_quote.c
sp1_tee_CFLAGS = $(AM_CFLAGS) $(CJSON_CFLAGS) $(CURL_CFLAGS)
sp1_tee_LDADD += libzktdx.a libzkbase.a $(CJSON_LIBS) $(CURL_LIBS)

# vk: the verifying-key digest of an ELF
sp1_tee_SOURCES += src/cli/cmd_vk.c
sp1_tee_LDADD += libzkvk.a libzkvm.a libzkcrypto.a libzkbase.a $(ZKVM_LIBS) \
	$(PTHREAD_LIBS)

# client: submit/wait/proof/history over HTTPS (libcurl), off-chain verify
sp1_tee_SOURCES += src/cli/http.c src/cli/http.h src/cli/client.c \
	src/cli/client.h src/cli/cmd_client.c src/cli/proof_check.c \
	src/cli/proof_check.h src/cli/cmd_verify.c src/cli/attest_check.c \
	src/cli/attest_check.h src/cli/cmd_signer.c
sp1_tee_LDADD += libzktdx.a libzkcrypto.a libzkbase.a $(CRYPTO_LIBS) \
	$(CJSON_LIBS) $(CURL_LIBS)

# verify --rpc-url/--multiproof: on-chain check through eth_call (eth module)
sp1_tee_SOURCES += src/cli/onchain.c src/cli/onchain.h
sp1_tee_LDADD += libzketh.a libzkcrypto.a libzkbase.a $(CJSON_LIBS) \
	$(CRYPTO_LIBS)

check_PROGRAMS += tests/unit/test_cli
TESTS += tests/unit/test_cli
tests_unit_test_cli_SOURCES = tests/unit/test_cli.c src/cli/client.c \
	src/cli/proof_check.c src/cli/attest_check.c
tests_unit_test_cli_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(CJSON_CFLAGS)
tests_unit_test_cli_LDADD = libzktdx.a libzkcrypto.a libzkbase.a $(CRYPTO_LIBS) \
	$(CJSON_LIBS) $(CMOCKA_LIBS)

# sp1-tee quote end to end on the fixture quotes (needs jq, else skips)
TESTS += tests/integ/cli_quote.sh
EXTRA_DIST += tests/integ/cli_quote.sh

# the client commands against the real stack (nginx + prover; skips 77
# without nginx/openssl/jq, see tests/integ/service_lib.sh); cli_chain.sh
# adds anvil + contracts + the rotator (skips without the npm tools)
TESTS += tests/integ/cli_client.sh tests/integ/cli_chain.sh
EXTRA_DIST += tests/integ/cli_client.sh tests/integ/cli_chain.sh

if ENABLE_FUZZ
noinst_PROGRAMS += tests/fuzz/fuzz_cli_json
tests_fuzz_fuzz_cli_json_SOURCES = tests/fuzz/fuzz_cli_json.c \
	src/cli/client.c src/cli/attest_check.c
tests_fuzz_fuzz_cli_json_CFLAGS = $(AM_CFLAGS) $(CJSON_CFLAGS) \
	-fsanitize=fuzzer
tests_fuzz_fuzz_cli_json_LDFLAGS = $(AM_LDFLAGS) -fsanitize=fuzzer
tests_fuzz_fuzz_cli_json_LDADD = libzktdx.a libzkcrypto.a libzkbase.a \
	$(CRYPTO_LIBS) $(CJSON_LIBS)
endif
EXTRA_DIST += tests/fuzz/corpus/cli_json
