# test/fuzz/fuzz.mk: the libFuzzer binaries (configure --enable-fuzzing),
# a GNU make file run by the build directory's Makefile (fuzz.am), which
# passes srcdir, FUZZ_CC, FUZZ_CPPFLAGS, FUZZ_LIBS and the source lists
# FUZZ_LIB_SRC (the compiler's libraries) and FUZZ_HDR_SRC (for
# dependencies). Every object is built by clang with coverage for libFuzzer
# to steer by, under ASan and UBSan (UB aborts: a finding), into
# test/fuzz/obj/ at its source's path; header dependencies are tracked.
VPATH = $(srcdir)
FUZZ_CFLAGS = -std=gnu11 -g -O1 -fno-omit-frame-pointer \
	-fsanitize=address,undefined -fno-sanitize-recover=undefined
O = test/fuzz/obj
LIB_OBJS = $(patsubst %.c,$(O)/%.o,$(sort $(filter %.c,$(FUZZ_LIB_SRC))))
COMPILE_OBJS = $(O)/test/fuzz/fuzz_compile.o $(LIB_OBJS)
LINK = $(FUZZ_CC) -fsanitize=fuzzer,address,undefined -o $@
TARGETS = cfg plan logfmt proxy stats h1 tls_hello dns
BINS = $(patsubst %,test/fuzz/fuzz_%,$(TARGETS))

bins: $(BINS)

$(O)/%.o: %.c
	@mkdir -p $(@D)
	@echo "  FUZZCC   $@"
	@$(FUZZ_CC) $(FUZZ_CPPFLAGS) -I$(srcdir)/test/fuzz $(FUZZ_CFLAGS) \
		-fsanitize=fuzzer-no-link -MMD -MP -c -o $@ $<

test/fuzz/fuzz_cfg test/fuzz/fuzz_plan test/fuzz/fuzz_logfmt: \
		test/fuzz/fuzz_%: $(O)/test/fuzz/fuzz_%.o $(COMPILE_OBJS)
	@echo "  FUZZLD   $@"
	@$(LINK) $^ $(FUZZ_LIBS)
test/fuzz/fuzz_proxy: $(O)/test/fuzz/fuzz_proxy.o $(O)/runtime/net/proxy_proto.o
test/fuzz/fuzz_stats: $(O)/test/fuzz/fuzz_stats.o $(O)/runtime/ops/stats_cmdline.o
test/fuzz/fuzz_h1: $(O)/test/fuzz/fuzz_h1.o $(O)/runtime/http/h1.o
test/fuzz/fuzz_tls_hello: $(O)/test/fuzz/fuzz_tls_hello.o $(O)/common/tls_hello.o
test/fuzz/fuzz_dns: $(O)/test/fuzz/fuzz_dns.o $(O)/runtime/net/dns_msg.o
test/fuzz/fuzz_proxy test/fuzz/fuzz_stats test/fuzz/fuzz_h1 \
test/fuzz/fuzz_tls_hello test/fuzz/fuzz_dns:
	@echo "  FUZZLD   $@"
	@$(LINK) $^

clean:
	rm -rf $(O) $(BINS)

-include $(shell find $(O) -name '*.d' 2>/dev/null)
.PHONY: bins clean
