# store: the SQLite database (programs, jobs/proofs, keys). The schema is
# sql/migrations/NNNN_name.sql, embedded into store_schema.c by sql/embed.sh
# (a make rule; the generated file lives in the build tree only).
STORE_MIGRATIONS = sql/migrations/0001_init.sql

noinst_LIBRARIES += libzkstore.a
libzkstore_a_SOURCES = \
	src/store/store.h src/store/store_int.h \
	src/store/store.c src/store/keys.c src/store/programs.c \
	src/store/jobs.c
nodist_libzkstore_a_SOURCES = src/store/store_schema.c
libzkstore_a_CFLAGS = $(AM_CFLAGS) $(SQLITE_CFLAGS)

src/store/store_schema.c: $(STORE_MIGRATIONS:%=$(top_srcdir)/%) $(top_srcdir)/sql/embed.sh
	$(AM_V_GEN)mkdir -p src/store && \
	sh $(top_srcdir)/sql/embed.sh $@ $(STORE_MIGRATIONS:%=$(top_srcdir)/%)

CLEANFILES += src/store/store_schema.c
EXTRA_DIST += sql/embed.sh $(STORE_MIGRATIONS)
sqldir = $(pkgdatadir)/sql
dist_sql_DATA = $(STORE_MIGRATIONS)

check_PROGRAMS += tests/unit/test_store
TESTS += tests/unit/test_store
tests_unit_test_store_SOURCES = tests/unit/test_store.c
tests_unit_test_store_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(SQLITE_CFLAGS)
tests_unit_test_store_LDADD = libzkstore.a libzkbase.a $(SQLITE_LIBS) \
	$(CMOCKA_LIBS)
