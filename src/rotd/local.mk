# rotd: sp1-tee-rotator, the key rotation daemon (composition root: crypto,
# eth, tdx, store, libcurl). See docs/rotator.md.
noinst_LIBRARIES += libzkrotd.a
libzkrotd_a_SOURCES = \
	src/rotd/http.h src/rotd/http_curl.c \
	src/rotd/rotate.h src/rotd/rotate.c
libzkrotd_a_CPPFLAGS = $(AM_CPPFLAGS) $(CURL_CFLAGS)

bin_PROGRAMS += sp1-tee-rotator
sp1_tee_rotator_SOURCES = src/rotd/rotd_main.c
sp1_tee_rotator_LDADD = libzkrotd.a libzketh.a libzktdx.a libzkstore.a \
	libzkcrypto.a libzkbase.a $(CURL_LIBS) $(CJSON_LIBS) $(SQLITE_LIBS) \
	$(CRYPTO_LIBS)

# Chain tests: real anvil, real contracts, real SQLite (skip 77 without the
# npm tools in tools/node_modules).
TESTS += tests/integ/contracts_forge.sh tests/integ/registry_anvil.sh \
	tests/integ/rotator_anvil.sh tests/integ/rpc_transport.sh \
	tests/integ/rotator_faults.sh tests/integ/rotator_legacy.sh \
	tests/integ/rotator_daemon.sh
EXTRA_DIST += tests/integ/contracts_forge.sh tests/integ/registry_anvil.sh \
	tests/integ/rotator_anvil.sh tests/integ/rpc_transport.sh \
	tests/integ/rotator_faults.sh tests/integ/rotator_legacy.sh \
	tests/integ/rotator_daemon.sh \
	tests/integ/lib_chain.sh \
	systemd/sp1-tee-rotator.service.in contracts tools/package.json \
	tools/package-lock.json tools/solc scripts/deploy-contracts.sh

# Test helper for the chain tests (built by make check, not a test itself).
check_PROGRAMS += tests/integ/regtool
tests_integ_regtool_SOURCES = tests/integ/regtool.c
tests_integ_regtool_LDADD = libzkrotd.a libzketh.a libzktdx.a libzkcrypto.a \
	libzkbase.a $(CURL_LIBS) $(CJSON_LIBS) $(CRYPTO_LIBS)

check_PROGRAMS += tests/unit/test_rotd
TESTS += tests/unit/test_rotd
tests_unit_test_rotd_SOURCES = tests/unit/test_rotd.c
tests_unit_test_rotd_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_rotd_LDADD = libzkrotd.a libzketh.a libzktdx.a libzkstore.a \
	libzkcrypto.a libzkbase.a $(CURL_LIBS) $(CJSON_LIBS) $(SQLITE_LIBS) \
	$(CRYPTO_LIBS) $(CMOCKA_LIBS)

# make install: the rotator's unit (bindir/docdir substituted) and its doc.
systemdunit_DATA += systemd/sp1-tee-rotator.service
servicedoc_DATA += docs/rotator.md docs/eth.md docs/contracts.md
systemd/sp1-tee-rotator.service: $(top_srcdir)/systemd/sp1-tee-rotator.service.in
	$(AM_V_GEN)mkdir -p systemd && sed -e 's|[@]bindir[@]|$(bindir)|g' \
	    -e 's|[@]sysconfdir[@]|$(sysconfdir)|g' -e 's|[@]docdir[@]|$(docdir)|g' \
	    $(top_srcdir)/systemd/sp1-tee-rotator.service.in >$@
CLEANFILES += systemd/sp1-tee-rotator.service
