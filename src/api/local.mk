# api: sp1-tee-prover (FastCGI daemon: HTTP API, jobs, signing) and its
# isolated helper sp1-tee-executor (runs one untrusted guest per process).
bin_PROGRAMS += sp1-tee-prover
libexec_PROGRAMS += sp1-tee-executor

API_CPPFLAGS = $(AM_CPPFLAGS) -DZK_LIBEXECDIR='"$(libexecdir)"'

sp1_tee_prover_SOURCES = \
	src/api/api.h src/api/http.h src/api/exec_proto.h src/api/b64.h \
	src/api/compat_json.h \
	src/api/prover_main.c src/api/config.c src/api/http.c \
	src/api/h_compat.c src/api/h_v1.c src/api/h_meta.c \
	src/api/submit.c src/api/runner.c src/api/spawn.c \
	src/api/exec_proto.c src/api/stdin.c src/api/b64.c \
	src/api/compat_json.c
sp1_tee_prover_CPPFLAGS = $(API_CPPFLAGS) $(FCGI_CFLAGS) $(CJSON_CFLAGS) \
	$(SQLITE_CFLAGS)
sp1_tee_prover_LDADD = libzkstore.a libzkcrypto.a libzkbase.a \
	$(FCGI_LIBS) $(CJSON_LIBS) $(SQLITE_LIBS) $(CRYPTO_LIBS) $(PTHREAD_LIBS)

sp1_tee_executor_SOURCES = src/api/executor_main.c src/api/exec_proto.c \
	src/api/exec_proto.h
sp1_tee_executor_CPPFLAGS = $(API_CPPFLAGS)
sp1_tee_executor_LDADD = libzkvk.a libzkvm.a libzkcrypto.a libzkbase.a \
	$(ZKVM_LIBS) $(PTHREAD_LIBS)

# Tests: parsers (unit) and the service end to end (real nginx + FastCGI +
# SQLite; skipped with 77 when nginx/curl/openssl/sqlite3/jq are missing).
check_PROGRAMS += tests/unit/test_api tests/integ/recover_tool
TESTS += tests/unit/test_api
tests_unit_test_api_SOURCES = tests/unit/test_api.c src/api/compat_json.c \
	src/api/stdin.c src/api/b64.c src/api/exec_proto.c src/api/config.c
tests_unit_test_api_CPPFLAGS = $(API_CPPFLAGS)
tests_unit_test_api_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_api_LDADD = libzkstore.a libzkbase.a $(SQLITE_LIBS) \
	$(CMOCKA_LIBS)

tests_integ_recover_tool_SOURCES = tests/integ/recover_tool.c
tests_integ_recover_tool_CPPFLAGS = $(AM_CPPFLAGS) $(OPENSSL_CFLAGS) \
	$(SECP256K1_CFLAGS)
tests_integ_recover_tool_LDADD = libzkbase.a $(SECP256K1_LIBS) $(OPENSSL_LIBS)

SERVICE_TESTS = tests/integ/service_compat.sh tests/integ/service_v1.sh \
	tests/integ/service_badinput.sh tests/integ/service_restart.sh \
	tests/integ/service_chain.sh tests/integ/service_v45.sh
TESTS += $(SERVICE_TESTS)
EXTRA_DIST += $(SERVICE_TESTS) tests/integ/service_lib.sh \
	scripts/stack-lib.sh nginx/render.sh nginx/sp1-tee-prover.conf.in \
	tests/guest/service_guest.c

# make install: units, sysusers/tmpfiles, config, nginx site, docs. The
# schema (sql/migrations) is installed by src/store/local.mk.
systemdunitdir = $(prefix)/lib/systemd/system
systemdunit_DATA = systemd/sp1-tee-prover.socket systemd/sp1-tee-prover.service
sysusersdir = $(prefix)/lib/sysusers.d
sysusers_DATA = systemd/sysusers.d/sp1-tee-prover.conf
tmpfilesdir = $(prefix)/lib/tmpfiles.d
tmpfiles_DATA = systemd/tmpfiles.d/sp1-tee-prover.conf
sp1teeconfdir = $(sysconfdir)/sp1-tee
sp1teeconf_DATA = systemd/prover.conf
nginxconfdir = $(sysconfdir)/nginx/conf.d
nginxconf_DATA = nginx/sp1-tee-prover.conf
nginxtpldir = $(pkgdatadir)/nginx
nginxtpl_DATA = nginx/sp1-tee-prover.conf.in
nginxtpl_SCRIPTS = nginx/render.sh
servicedocdir = $(docdir)
servicedoc_DATA = docs/service.md

systemd/sp1-tee-prover.service: $(top_srcdir)/systemd/sp1-tee-prover.service.in
	$(AM_V_GEN)mkdir -p systemd && sed -e 's|[@]bindir[@]|$(bindir)|g' \
	    -e 's|[@]sysconfdir[@]|$(sysconfdir)|g' -e 's|[@]docdir[@]|$(docdir)|g' \
	    $(top_srcdir)/systemd/sp1-tee-prover.service.in >$@
# The site with its default placeholders (certificate paths etc.): edit
# the installed copy, or re-render with nginx/render.sh NAME=VALUE.
nginx/sp1-tee-prover.conf: $(top_srcdir)/nginx/sp1-tee-prover.conf.in $(top_srcdir)/nginx/render.sh
	$(AM_V_GEN)mkdir -p nginx && sh $(top_srcdir)/nginx/render.sh \
	    $(top_srcdir)/nginx/sp1-tee-prover.conf.in >$@
CLEANFILES += systemd/sp1-tee-prover.service nginx/sp1-tee-prover.conf
EXTRA_DIST += systemd/sp1-tee-prover.socket \
	systemd/sp1-tee-prover.service.in systemd/prover.conf \
	systemd/sysusers.d/sp1-tee-prover.conf \
	systemd/tmpfiles.d/sp1-tee-prover.conf docs/service.md \
	scripts/dev-stack.sh bench/http_bench.sh \
	bench/post_submit.lua

if ENABLE_FUZZ
noinst_PROGRAMS += tests/fuzz/fuzz_compat_json
tests_fuzz_fuzz_compat_json_SOURCES = tests/fuzz/fuzz_compat_json.c \
	src/api/compat_json.c src/api/stdin.c src/api/b64.c src/api/exec_proto.c
tests_fuzz_fuzz_compat_json_CPPFLAGS = $(API_CPPFLAGS)
tests_fuzz_fuzz_compat_json_CFLAGS = $(AM_CFLAGS) -fsanitize=fuzzer
tests_fuzz_fuzz_compat_json_LDFLAGS = $(AM_LDFLAGS) -fsanitize=fuzzer
tests_fuzz_fuzz_compat_json_LDADD = libzkbase.a
endif
EXTRA_DIST += tests/fuzz/corpus/compat_json
