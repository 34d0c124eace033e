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
