/*
 * test_sema.c: the evaluation pass, the emitter and the dump, on real
 * configuration text through the real parser.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include "diag.h"
#include "dump.h"
#include "emit.h"
#include "env.h"
#include "model.h"
#include "parse.h"
#include "plan.h"
#include "sema.h"
#include "compile_helpers.h"

/* Print what was queued when an expectation fails. */
static void show(const struct ch_run *r)
{
	diag_print(&r->dc, stderr);
}

static void expect_at(const struct ch_run *r, enum diag_severity sev,
                      const char *code, unsigned line, unsigned col)
{
	const struct diag *d = ch_find(r, sev, code);

	if (!d)
		show(r);
	ck_assert_msg(d != NULL, "no %s with code %s",
	              sev == DIAG_ERROR ? "error" : "warning", code);
	ck_assert_uint_eq(d->loc.line, line);
	if (col)
		ck_assert_uint_eq(d->loc.col, col);
}

static void expect_error(const char *text, const char *code, unsigned line,
                         unsigned col)
{
	struct ch_run r;

	ch_run_text(&r, text);
	ck_assert_int_eq(r.rc, -1);
	expect_at(&r, DIAG_ERROR, code, line, col);
	ch_run_free(&r);
}

static void expect_clean(const char *text)
{
	struct ch_run r;

	ch_run_text(&r, text);
	if (r.dc.nerrors || r.dc.nwarnings)
		show(&r);
	ck_assert_int_eq(r.rc, 0);
	ck_assert_uint_eq(r.dc.nerrors, 0);
	ck_assert_uint_eq(r.dc.nwarnings, 0);
	ch_run_free(&r);
}

static int has_hint(const struct diag *d, const char *text)
{
	for (size_t i = 0; d && i < d->nhints; i++)
		if (strstr(d->hints[i], text))
			return 1;
	return 0;
}

static uint16_t port_of(const struct plan_addr *a)
{
	const struct sockaddr_in *sin = (const void *)a->sa;

	return ntohs(sin->sin_port);
}

#define TIMEOUTS "    timeout connect 5s\n    timeout client 30s\n" \
                 "    timeout server 30s\n"

static const char sample[] =
	"global\n"
	"    maxconn 1000\n"
	"defaults\n"
	"    mode tcp\n"
	TIMEOUTS
	"frontend fe\n"
	"    bind 127.0.0.1:8000-8002\n"
	"    bind [::1]:9000\n"
	"    bind /tmp/hapc-test.sock\n"
	"    maxconn 50\n"
	"    default_backend be\n"
	"backend be\n"
	"    balance roundrobin\n"
	"    server s1 127.0.0.1:7001 weight 3\n"
	"    server s2 mptcp4@127.0.0.1:7002 maxconn 10\n";

/* Every setting of the TCP engine, for the dump fixpoint. */
static const char engine_sample[] =
	"global\n"
	"    nbthread 4\n"
	"    daemon\n"
	"    pidfile /run/hapc.pid\n"
	"    user nobody\n"
	"    group nogroup\n"
	"    chroot /var/empty\n"
	"    log stdout format raw local0 info err\n"
	"    log 127.0.0.1 len 2048 daemon\n"
	"    log udp@[::1]:1514 format rfc5424 local7 notice\n"
	"    log /dev/log local1\n"
	"    log fd@5 user\n"
	"    stats socket /run/hapc.sock mode 600 level admin\n"
	"    stats socket 127.0.0.1:9999 level user\n"
	"defaults\n"
	"    mode tcp\n"
	TIMEOUTS
	"    timeout queue 3s\n"
	"    retries 5\n"
	"    option redispatch\n"
	"    log global\n"
	"    option tcplog\n"
	"    default-server inter 3s fall 2\n"
	"frontend fe\n"
	"    bind :8080 accept-proxy backlog 100 maxconn 50 name web\n"
	"    timeout client-fin 1s\n"
	"    option dontlognull\n"
	"    log 10.0.0.9:600 local2 warning\n"
	"    default_backend be\n"
	"backend be\n"
	"    balance random(3)\n"
	"    hash-type consistent\n"
	"    option allbackups\n"
	"    no option redispatch\n"
	"    no log\n"
	"    option tcp-check\n"
	"    tcp-check connect port 8081\n"
	"    tcp-check send \"PING x\\r\\n\"\n"
	"    tcp-check send-binary 0a00\n"
	"    tcp-check expect ! string ERR\n"
	"    tcp-check expect rstring ^\\+PONG\n"
	"    tcp-check expect binary 504f\n"
	"    timeout tunnel 1h\n"
	"    timeout server-fin 2s\n"
	"    timeout check 500ms\n"
	"    server s1 127.0.0.1:9001 check weight 10 rise 3 fastinter 1s "
	"downinter 5s maxqueue 10 send-proxy\n"
	"    server s2 127.0.0.1:9002 check addr 127.0.0.2 port 9999 backup "
	"send-proxy-v2 disabled maxconn 5\n"
	"    server s3 127.0.0.1:+1000 no-check\n"
	"    server s4 [::1] check port 80 addr [::2]\n"
	"backend hb\n"
	"    balance leastconn\n"
	"    option httpchk GET /health HTTP/1.1\n"
	"    http-check send hdr Host example.com\n"
	"    http-check expect status 200-299\n"
	"    server h1 [::1]:80 check\n"
	"backend hs\n"
	"    balance static-rr\n"
	"    option httpchk /ping\n"
	"    http-check expect status 204\n"
	"    server h1 10.0.0.1:80 check addr 10.0.0.2\n"
	"listen l\n"
	"    bind 127.0.0.1:7000\n"
	"    balance first\n"
	"    server l1 127.0.0.1:7001\n"
	"backend src\n"
	"    balance source\n"
	"    hash-type map-based\n"
	"    server x 10.0.0.3:22\n";

START_TEST(test_clean_model)
{
	struct ch_run r;
	const struct model_proxy *fe, *be;

	ch_run_text(&r, sample);
	if (r.dc.nerrors || r.dc.nwarnings)
		show(&r);
	ck_assert_int_eq(r.rc, 0);
	ck_assert_uint_eq(r.dc.nwarnings, 0);
	ck_assert_uint_eq(r.m.maxconn, 1000);
	ck_assert_uint_eq(r.m.nproxies, 2);
	fe = &r.m.proxies[0];
	be = &r.m.proxies[1];
	ck_assert_str_eq(fe->name, "fe");
	ck_assert_uint_eq(fe->cap, PLAN_CAP_FE);
	ck_assert_uint_eq(fe->set.maxconn, 50);
	ck_assert_uint_eq(fe->set.timeout_client, 30000);
	ck_assert_uint_eq(fe->default_backend, 1);
	/* a range of 3 ports, one IPv6, one unix: 5 listeners */
	ck_assert_uint_eq(fe->nlisteners, 5);
	for (unsigned i = 0; i < 3; i++) {
		ck_assert_uint_eq(fe->listeners[i].addr.family, PLAN_FAM_INET);
		ck_assert_uint_eq(port_of(&fe->listeners[i].addr), 8000 + i);
		ck_assert_uint_eq(fe->listeners[i].line, 9);
	}
	ck_assert_uint_eq(fe->listeners[3].addr.family, PLAN_FAM_INET6);
	ck_assert_uint_eq(fe->listeners[4].addr.family, PLAN_FAM_UNIX);
	ck_assert_str_eq(be->name, "be");
	ck_assert_uint_eq(be->cap, PLAN_CAP_BE);
	ck_assert_uint_eq(be->nservers, 2);
	ck_assert_uint_eq(be->servers[0].weight, 3);
	ck_assert_uint_eq(be->servers[1].weight, 1);
	ck_assert_uint_eq(be->servers[1].maxconn, 10);
	ck_assert_uint_eq(be->servers[1].addr.proto, PLAN_PROTO_MPTCP);
	ck_assert_uint_eq(be->set.timeout_connect, 5000);
	ch_run_free(&r);
}
END_TEST

START_TEST(test_unknown_backend)
{
	struct ch_run r;
	const struct diag *d;

	ch_run_text(&r, "frontend fe\n    bind :80\n    default_backend bakend\n"
	                TIMEOUTS "backend backend\n    server s 10.0.0.1:80\n");
	ck_assert_int_eq(r.rc, -1);
	expect_at(&r, DIAG_ERROR, "unknown-backend", 3, 21);
	d = ch_find(&r, DIAG_ERROR, "unknown-backend");
	ck_assert(has_hint(d, "did you mean 'backend'?"));
	ch_run_free(&r);
	/* a frontend is not a backend */
	expect_error("frontend a\n    bind :80\n    default_backend b\n"
	             "frontend b\n    bind :81\n", "not-a-backend", 3, 21);
}
END_TEST

START_TEST(test_duplicate_names)
{
	/* two backends */
	expect_error("backend be\n    server s 10.0.0.1:80\nbackend be\n",
	             "duplicate-name", 3, 9);
	/* a frontend and a backend (refused since HAProxy 3.3) */
	expect_error("frontend be\n    bind :80\nbackend be\n",
	             "duplicate-name", 3, 9);
	/* two servers in one backend */
	expect_error("backend be\n    server s1 10.0.0.1:80\n"
	             "    server s1 10.0.0.2:80\n", "duplicate-server", 3, 12);
	/* a server name HAProxy refuses */
	expect_error("backend be\n    server s/1 10.0.0.1:80\n",
	             "invalid-name", 2, 13);
}
END_TEST

START_TEST(test_defaults_inheritance)
{
	struct ch_run r;

	ch_run_text(&r,
	            "defaults\n"                               /* 1 */
	            "    mode http\n"
	            "    maxconn 77\n"
	            "    timeout client 11s\n"
	            "    default_backend be\n"                  /* 5 */
	            "frontend a\n"
	            "    bind :80\n"
	            "defaults base\n"                          /* 8: resets all */
	            "    timeout connect 2s\n"
	            "    timeout server 3s\n"                   /* 10 */
	            "defaults child from base\n"
	            "    timeout client 4s\n"
	            "    mode http\n"
	            "backend be from base\n"
	            "    server s 10.0.0.1:80\n"                /* 15 */
	            "frontend b from child\n"
	            "    bind :81\n"
	            "    default_backend be\n"
	            "listen c\n"                               /* implicit: child */
	            "    bind :82\n");
	/* the only errors: http frontends a and b on tcp backend be */
	ck_assert_uint_eq(r.dc.nerrors, 2);
	expect_at(&r, DIAG_ERROR, "mode-mismatch", 5, 21);
	ck_assert_str_eq(ch_find(&r, DIAG_ERROR, "mode-mismatch")->next->code,
	                 "mode-mismatch");
	ck_assert_uint_eq(r.m.nproxies, 4);
	/* a: the anonymous defaults */
	ck_assert_uint_eq(r.m.proxies[0].set.mode, PLAN_MODE_HTTP);
	ck_assert_uint_eq(r.m.proxies[0].set.maxconn, 77);
	ck_assert_uint_eq(r.m.proxies[0].set.timeout_client, 11000);
	ck_assert_str_eq(r.m.proxies[0].set.default_backend, "be");
	/* be: named defaults, which reset what the first one set */
	ck_assert_uint_eq(r.m.proxies[1].set.mode, PLAN_MODE_TCP);
	ck_assert_uint_eq(r.m.proxies[1].set.timeout_connect, 2000);
	ck_assert_uint_eq(r.m.proxies[1].set.timeout_server, 3000);
	ck_assert_uint_eq(r.m.proxies[1].set.maxconn, 0);
	/* b: child inherits base and adds its own; the http frontend on a
	 * tcp backend is refused */
	ck_assert_uint_eq(r.m.proxies[2].set.timeout_connect, 2000);
	ck_assert_uint_eq(r.m.proxies[2].set.timeout_client, 4000);
	ck_assert_uint_eq(ch_find(&r, DIAG_ERROR, "mode-mismatch")->next->loc.line,
	                  18);
	/* c: no `from`, takes the last defaults section (child) and HAProxy
	 * warns that child is used both ways */
	ck_assert_uint_eq(r.m.proxies[3].set.timeout_client, 4000);
	expect_at(&r, DIAG_WARNING, "implicit-defaults", 19, 8);
	ch_run_free(&r);
	expect_error("frontend f from nope\n    bind :80\n", "unknown-defaults",
	             1, 17);
}
END_TEST

START_TEST(test_bind_addresses)
{
	expect_error("frontend fe\n    bind 127.0.0.1\n", "invalid-address", 2, 0);
	expect_error("frontend fe\n    bind :0\n", "invalid-address", 2, 0);
	expect_error("frontend fe\n    bind :70000\n", "invalid-address", 2, 0);
	expect_error("frontend fe\n    bind :9000-8000\n", "invalid-address", 2, 0);
	expect_error("frontend fe\n    bind mptcp4@[2001:db8::1]:80\n",
	             "invalid-address", 2, 0);
	expect_error("frontend fe\n    bind mptcp6@127.0.0.1:80\n",
	             "invalid-address", 2, 0);
	expect_error("frontend fe\n    bind\n", "missing-argument", 2, 5);
	expect_error("backend be\n    server s 10.0.0.1:80-81\n",
	             "invalid-address", 2, 0);
}
END_TEST

START_TEST(test_capability_warnings)
{
	struct ch_run r;

	ch_run_text(&r, "frontend fe\n    bind :80\n    balance roundrobin\n"
	                "    timeout client 1s\n"
	                "backend be\n    bind :81\n    server s 10.0.0.1:80\n"
	                "    timeout connect 1s\n    timeout server 1s\n");
	ck_assert_int_eq(r.rc, 0);
	expect_at(&r, DIAG_WARNING, "ignored", 3, 5);
	ck_assert_ptr_nonnull(ch_find(&r, DIAG_WARNING, "ignored")->next);
	ck_assert_uint_eq(r.m.proxies[1].nlisteners, 0);
	ch_run_free(&r);
	expect_error("defaults\n    bind :80\n", "not-allowed", 2, 5);
	expect_error("frontend fe\n    server s 10.0.0.1:80\n", "not-allowed",
	             2, 5);
	/* default_backend in a backend: ignored, but naming itself is
	 * HAProxy's loop error */
	ch_run_text(&r, "backend be\n    default_backend other\n"
	                "    server s 10.0.0.1:80\n"
	                "    timeout connect 1s\n    timeout server 1s\n"
	                "backend other\n    server s 10.0.0.1:80\n"
	                "    timeout connect 1s\n    timeout server 1s\n");
	ck_assert_int_eq(r.rc, 0);
	expect_at(&r, DIAG_WARNING, "ignored", 2, 5);
	ch_run_free(&r);
	expect_error("backend be\n    default_backend be\n", "backend-loop",
	             2, 21);
}
END_TEST

/* uid/gid: numeric ids; a second user/uid (group/gid) is ignored with a
 * warning as HAProxy keeps the first; a word that is no number is
 * ignored; a negative id is an error for cfgrun only. */
START_TEST(test_global_ids)
{
	struct ch_run r;

	ch_run_text(&r, "global\n    uid 200\n    gid 201\n    user nobody\n"
	                "    gid x\n");
	ck_assert_int_eq(r.rc, 0);
	ck_assert_uint_eq(r.m.uid, 200);
	ck_assert_uint_eq(r.m.gid, 201);
	ck_assert_ptr_null(r.m.user);
	expect_at(&r, DIAG_WARNING, "ignored", 4, 5);
	ck_assert_uint_eq(r.dc.nwarnings, 2);
	ch_run_free(&r);
	ch_run_text(&r, "global\n    group nogroup\n    gid 7\n    uid abc\n");
	ck_assert_int_eq(r.rc, 0);
	ck_assert_uint_eq(r.m.gid, 0);
	ck_assert_uint_eq(r.m.uid, 0);
	ck_assert_uint_eq(r.dc.nwarnings, 2);
	expect_at(&r, DIAG_WARNING, "ignored", 3, 5);
	ck_assert_uint_eq(ch_find(&r, DIAG_WARNING, "ignored")->next->loc.col, 9);
	ch_run_free(&r);
	expect_error("global\n    uid -3\n", "invalid-number", 2, 9);
	ch_run_target(&r, "global\n    uid -3\n", SEMA_TARGET_HAPROXY);
	ck_assert_int_eq(r.rc, 0);
	expect_at(&r, DIAG_WARNING, "invalid-number", 2, 9);
	ch_run_free(&r);
}
END_TEST

/* default-path: the mode and origin's directory are checked (the files
 * themselves are resolved by files.c: see default_path.py). */
START_TEST(test_default_path)
{
	struct ch_run r;

	expect_clean("global\n    default-path config\n");
	expect_clean("global\n    default-path origin /\n");
	expect_error("global\n    default-path foo\n", "invalid-value", 2, 18);
	expect_error("global\n    default-path origin\n", "missing-argument",
	             2, 18);
	expect_error("global\n    default-path origin /nonexistent-hapc\n",
	             "missing-file", 2, 25);
	expect_error("global\n    default-path\n", "missing-argument", 2, 0);
	ch_run_text(&r, "global\n    default-path parent {\n");
	ck_assert_int_eq(r.rc, 0);
	expect_at(&r, DIAG_WARNING, "ignored", 2, 25);
	ch_run_free(&r);
}
END_TEST

/* A traces section is a debugging aid: ignored with a warning at its
 * header, nothing of it in the model; a bad statement in it is still an
 * error. */
START_TEST(test_traces_ignored)
{
	struct ch_run r;

	ch_run_text(&r, "traces\n    trace h1 verbosity complete start now\n"
	                "frontend fe\n    bind :80\n    timeout client 1s\n");
	ck_assert_int_eq(r.rc, 0);
	expect_at(&r, DIAG_WARNING, "ignored", 1, 1);
	ck_assert_uint_eq(r.dc.nwarnings, 1);
	ck_assert_uint_eq(r.m.nproxies, 1);
	ch_run_free(&r);
}
END_TEST

/* compression: what cfgrun does not do is refused where it is written
 * (request compression, minsize), offload in defaults is ignored with a
 * warning as HAProxy does, the level is 1..9, a TCP proxy ignores it. */
START_TEST(test_compression_keywords)
{
	static const char pre[] = "defaults\n    mode http\n"
		"frontend fe\n    bind :80\n    timeout client 1s\n";
	char text[512];
	struct ch_run r;

	snprintf(text, sizeof(text), "%s    compression algo-req gzip\n", pre);
	expect_error(text, "unsupported", 6, 17);
	snprintf(text, sizeof(text), "%s    compression direction both\n", pre);
	expect_error(text, "unsupported", 6, 17);
	snprintf(text, sizeof(text), "%s    compression minsize-req 100\n", pre);
	expect_error(text, "unsupported", 6, 17);
	snprintf(text, sizeof(text), "%s    compression minsize-res 1x\n", pre);
	expect_error(text, "invalid-size", 6, 30);
	snprintf(text, sizeof(text), "%s    compression minsize-res 8g\n", pre);
	expect_error(text, "out-of-range", 6, 29);
	snprintf(text, sizeof(text), "%s    compression algo\n", pre);
	expect_error(text, "missing-argument", 6, 17);
	snprintf(text, sizeof(text), "%s    compression gzip\n", pre);
	expect_error(text, "invalid-value", 6, 17);
	expect_error("global\n    tune.comp.maxlevel 10\n", "out-of-range", 2, 24);
	expect_clean("global\n    tune.comp.maxlevel 9\n");
	expect_error("global\n    tune.zlib.memlevel 0\n", "out-of-range", 2, 24);
	expect_error("global\n    tune.zlib.windowsize 7\n", "out-of-range",
	             2, 26);
	expect_clean("global\n    tune.zlib.memlevel 1\n"
	             "    tune.zlib.windowsize 8\n");
	expect_clean("defaults\n    mode http\nfrontend fe\n    bind :80\n"
	             "    timeout client 1s\n    compression algo gzip deflate\n"
	             "    compression type text/html text/plain\n"
	             "    compression direction response\n"
	             "    compression offload\n");
	/* HAProxy reads a trailing 'if' as one more type */
	expect_clean("defaults\n    mode http\nfrontend fe\n    bind :80\n"
	             "    timeout client 1s\n    compression type text/html if\n");
	snprintf(text, sizeof(text), "%s    compression algo gzip if TRUE\n", pre);
	expect_error(text, "unexpected-condition", 6, 27);

	ch_run_text(&r, "defaults\n    mode http\n    compression offload\n"
	            "frontend fe\n    bind :80\n    timeout client 1s\n");
	ck_assert_int_eq(r.rc, 0);
	expect_at(&r, DIAG_WARNING, "ignored", 3, 17);
	ch_run_free(&r);
	ch_run_text(&r, "frontend fe\n    mode tcp\n    bind :80\n"
	            "    timeout client 1s\n    compression algo gzip\n");
	ck_assert_int_eq(r.rc, 0);
	expect_at(&r, DIAG_WARNING, "ignored", 5, 5);
	ch_run_free(&r);
}
END_TEST

/* filter trace and declare capture change nothing cfgrun does: ignored
 * with a warning each; filter compression is ignored in a TCP proxy
 * (its mode known only once the section ends, inherited here from
 * defaults) and accepted in an HTTP one; compression with another filter
 * but no filter compression is refused as HAProxy refuses it; an unknown
 * filter or a malformed declare is an error. */
START_TEST(test_filters_ignored)
{
	static const char head[] = "defaults\n    mode %s\n"
		"frontend fe\n    bind :80\n    timeout client 1s\n"
		"    filter trace name x\n    filter compression\n"
		"    declare capture request len 20\n";
	char text[512];
	struct ch_run r;

	snprintf(text, sizeof(text), head, "tcp");
	ch_run_text(&r, text);
	ck_assert_int_eq(r.rc, 0);
	unsigned lines = 0;
	for (const struct diag *d = r.dc.head; d; d = d->next) {
		ck_assert_str_eq(d->code, "ignored");
		ck_assert_uint_eq(d->loc.col, 5);
		lines |= 1u << d->loc.line;
	}
	ck_assert_uint_eq(lines, 1u << 6 | 1u << 7 | 1u << 8);
	ck_assert_uint_eq(r.dc.nwarnings, 3);
	ch_run_free(&r);

	snprintf(text, sizeof(text), head, "http");
	ch_run_text(&r, text);
	ck_assert_int_eq(r.rc, 0);
	ck_assert_uint_eq(r.dc.nwarnings, 2);   /* trace, declare */
	ch_run_free(&r);

	expect_error("defaults\n    mode http\n"
	             "frontend fe\n    bind :80\n    timeout client 1s\n"
	             "    filter trace\n    compression algo gzip\n",
	             "missing-filter", 6, 5);

	expect_error("frontend fe\n    bind :80\n    timeout client 1s\n"
	             "    filter spoe engine x\n", "unsupported", 4, 5);
	expect_error("frontend fe\n    bind :80\n    timeout client 1s\n"
	             "    declare capture request size 20\n", "unsupported", 4, 5);
}
END_TEST

START_TEST(test_missing_timeouts)
{
	struct ch_run r;

	ch_run_text(&r, "frontend fe\n    bind :80\n    default_backend be\n"
	                "backend be\n    server s 10.0.0.1:80\n");
	ck_assert_int_eq(r.rc, 0);
	expect_at(&r, DIAG_WARNING, "missing-timeouts", 1, 10);
	ck_assert_uint_eq(r.dc.nwarnings, 2);
	ch_run_free(&r);
}
END_TEST

START_TEST(test_modes)
{
	/* tcp frontend on an http backend: accepted, as by HAProxy */
	expect_clean("frontend fe\n    mode tcp\n    bind :80\n"
	             "    timeout client 1s\n    default_backend be\n"
	             "backend be\n    mode http\n    server s 10.0.0.1:80\n"
	             "    timeout connect 1s\n    timeout server 1s\n");
	expect_error("frontend fe\n    mode http\n    bind :80\n"
	             "    default_backend be\nbackend be\n    mode tcp\n",
	             "mode-mismatch", 4, 21);
	expect_error("frontend fe\n    mode htp\n", "invalid-value", 2, 10);
}
END_TEST

START_TEST(test_unknown_and_unsupported)
{
	struct ch_run r;
	const struct diag *d;

	ch_run_text(&r, "global\n    maxconnn 10\nbackend be\n    balanse roundrobin\n"
	                "    option httpchkk\n    option checkcache\n"
	                "    server s 10.0.0.1:80 check agent-check\n"
	                "    server t 10.0.0.1:80 chek\n"
	                "    stick-table type ip size 1 peers p\n"
	                "    bogus-keyword\n");
	d = ch_find(&r, DIAG_ERROR, "unknown-keyword");
	ck_assert_ptr_nonnull(d);
	ck_assert_uint_eq(d->loc.line, 2);
	ck_assert_uint_eq(d->loc.col, 5);
	ck_assert(has_hint(d, "'maxconn'"));
	d = d->next;
	ck_assert_uint_eq(d->loc.line, 4);
	ck_assert(has_hint(d, "'balance'"));
	d = d->next;
	ck_assert_str_eq(d->code, "unknown-keyword");
	ck_assert_uint_eq(d->loc.line, 5);
	ck_assert_uint_eq(d->loc.col, 12);
	ck_assert(has_hint(d, "'option httpchk'"));
	d = d->next;
	ck_assert_str_eq(d->code, "unsupported");
	ck_assert_uint_eq(d->loc.line, 6);
	ck_assert_ptr_nonnull(strstr(d->msg, "'option checkcache'"));
	ck_assert_ptr_nonnull(strstr(d->msg, "section 4.2"));
	d = d->next;
	ck_assert_str_eq(d->code, "unsupported");
	ck_assert_uint_eq(d->loc.line, 7);
	ck_assert_uint_eq(d->loc.col, 32);
	ck_assert_ptr_nonnull(strstr(d->msg, "section 5.2"));
	d = d->next;
	ck_assert_str_eq(d->code, "unknown-keyword");
	ck_assert_uint_eq(d->loc.line, 8);
	ck_assert(has_hint(d, "'check'"));
	d = d->next;
	ck_assert_str_eq(d->code, "unsupported");
	ck_assert_uint_eq(d->loc.line, 9);
	d = d->next;
	ck_assert_str_eq(d->code, "unknown-keyword");
	ck_assert_uint_eq(d->loc.line, 10);
	ck_assert_uint_eq(d->nhints, 0);
	ch_run_free(&r);
	/* a global keyword in a frontend is unknown there */
	expect_error("frontend fe\n    nbthread 4\n", "unknown-keyword", 2, 5);
	/* removed from HAProxy */
	expect_error("backend be\n    dispatch 10.0.0.1:80\n", "removed-keyword",
	             2, 5);
	/* sections cfgc does not compile and statements out of any section */
	expect_error("cache c\n    total-max-size 4\n", "unsupported", 1, 1);
	expect_error("    bind :80\n", "out-of-section", 1, 5);
}
END_TEST

START_TEST(test_numbers_and_times)
{
	struct ch_run r;

	/* global maxconn: HAProxy takes -5, refuses abc, but only reads the
	 * first maxconn: a second one is ignored with a warning, unread
	 * (mutants warn/0798 and invalid/0834 of ../shared/corpus-mutants) */
	ch_run_text(&r, "global\n    maxconn -5\n");
	ck_assert_int_eq(r.rc, 0);
	ch_run_free(&r);
	expect_error("global\n    maxconn abc\n", "invalid-number", 2, 13);
	ch_run_text(&r, "global\n    maxconn 10\n    maxconn abc\n");
	ck_assert_int_eq(r.rc, 0);
	expect_at(&r, DIAG_WARNING, "ignored", 3, 5);
	ck_assert_uint_eq(r.m.maxconn, 10);
	ch_run_free(&r);
	/* in a proxy and on a server, non-numeric counts read as 0 */
	ch_run_text(&r, "listen l\n    bind :80\n    maxconn abc\n"
	                "    server s 10.0.0.1:80 weight x maxconn y\n" TIMEOUTS);
	ck_assert_int_eq(r.rc, 0);
	ck_assert_uint_eq(r.m.proxies[0].set.maxconn, 0);
	ck_assert_uint_eq(r.m.proxies[0].servers[0].weight, 0);
	expect_at(&r, DIAG_WARNING, "lenient-number", 3, 13);
	ch_run_free(&r);
	expect_error("backend b\n    server s 10.0.0.1:80 weight 300\n",
	             "out-of-range", 2, 33);
	expect_error("defaults\n    timeout client 5 s\n", "extra-argument", 2, 22);
	expect_error("defaults\n    timeout client 1.5s\n", "invalid-time", 2, 0);
	expect_error("defaults\n    timeout client\n", "missing-argument", 2, 13);
	expect_error("defaults\n    timeout client 30d\n", "invalid-time", 2, 0);
	expect_error("defaults\n    timeout clinet 3s\n", "unknown-keyword", 2, 13);
	expect_error("defaults\n    timeout client-hs 3s\n", "unsupported",
	             2, 5);
}
END_TEST

START_TEST(test_env_statements)
{
	struct ch_run r;

	unsetenv("HAPC_T_PORT");
	unsetenv("HAPC_T_GONE");
	setenv("HAPC_T_KEEP", "1", 1);
	ch_run_text(&r,
	            "global\n"
	            "    setenv HAPC_T_PORT 8080\n"
	            "    presetenv HAPC_T_PORT 9090\n"     /* already set: kept */
	            "    setenv HAPC_T_GONE x\n"
	            "    unsetenv HAPC_T_GONE\n"
	            "frontend fe\n"
	            "    bind \":${HAPC_T_PORT}\"\n"
	            ".if defined(HAPC_T_GONE)\n"
	            "    bind :1\n"
	            ".endif\n"
	            "    timeout client 1s\n");
	if (r.dc.nerrors)
		show(&r);
	ck_assert_int_eq(r.rc, 0);
	ck_assert_uint_eq(r.m.proxies[0].nlisteners, 1);
	ck_assert_uint_eq(port_of(&r.m.proxies[0].listeners[0].addr), 8080);
	ch_run_free(&r);
	/* resetenv keeps only the named variables */
	ch_run_text(&r, "global\n    resetenv HAPC_T_KEEP PATH\n");
	ck_assert_int_eq(r.rc, 0);
	ck_assert_ptr_null(getenv("HAPC_T_PORT"));
	ck_assert_str_eq(getenv("HAPC_T_KEEP"), "1");
	ch_run_free(&r);
}
END_TEST

/* Compile `text` to plan bytes. */
static void compile_bytes(const char *text, uint8_t **buf, size_t *len)
{
	struct ch_run r;

	ch_run_text(&r, text);
	if (r.dc.nerrors)
		show(&r);
	ck_assert_int_eq(r.rc, 0);
	ck_assert_int_eq(emit_plan(&r.m, buf, len), 0);
	ch_run_free(&r);
}

/* Dump plan bytes to a malloc'd string. */
static char *dump_bytes(const uint8_t *buf, size_t len)
{
	struct plan p;
	char detail[256];
	char *text = NULL;
	size_t tlen = 0;
	FILE *f = open_memstream(&text, &tlen);

	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(plan_verify(buf, len, &p, detail, sizeof(detail)),
	                 PLAN_E_OK);
	ck_assert_int_eq(dump_plan(&p, f), 0);
	fclose(f);
	return text;
}

START_TEST(test_deterministic)
{
	uint8_t *a, *b;
	size_t la, lb;

	compile_bytes(sample, &a, &la);
	compile_bytes(sample, &b, &lb);
	ck_assert_uint_eq(la, lb);
	ck_assert(memcmp(a, b, la) == 0);
	free(a);
	free(b);
}
END_TEST

START_TEST(test_dump)
{
	static const char expected[] =
		"global\n"
		"    maxconn 1000\n"
		"\n"
		"frontend fe\n"
		"    mode tcp\n"
		"    maxconn 50\n"
		"    timeout client 30s\n"
		"    bind 127.0.0.1:8000\n"
		"    bind 127.0.0.1:8001\n"
		"    bind 127.0.0.1:8002\n"
		"    bind [::1]:9000\n"
		"    bind unix@/tmp/hapc-test.sock\n"
		"    default_backend be\n"
		"\n"
		"backend be\n"
		"    mode tcp\n"
		"    balance roundrobin\n"
		"    retries 3\n"
		"    timeout connect 5s\n"
		"    timeout server 30s\n"
		"    server s1 127.0.0.1:7001 weight 3\n"
		"    server s2 mptcp4@127.0.0.1:7002 maxconn 10\n";
	uint8_t *a, *b;
	size_t la, lb;
	char *t1, *t2;

	compile_bytes(sample, &a, &la);
	t1 = dump_bytes(a, la);
	ck_assert_str_eq(t1, expected);
	/* dump -> compile -> dump is a fixpoint */
	compile_bytes(t1, &b, &lb);
	t2 = dump_bytes(b, lb);
	ck_assert_str_eq(t1, t2);
	free(a);
	free(b);
	free(t1);
	free(t2);
}
END_TEST

START_TEST(test_engine_settings)
{
	struct ch_run r;
	uint8_t *a, *b;
	size_t la, lb;
	char *t1, *t2, detail[256];
	struct plan p;
	const struct plan_proxy *be, *hb, *hs;
	const struct plan_server *s1, *s2, *s3, *s4;
	const struct plan_srv_addr *ca;

	ch_run_text(&r, engine_sample);
	if (r.dc.nerrors || r.dc.nwarnings)
		show(&r);
	ck_assert_int_eq(r.rc, 0);
	ck_assert_uint_eq(r.dc.nwarnings, 0);
	ch_run_free(&r);

	compile_bytes(engine_sample, &a, &la);
	ck_assert_int_eq(plan_verify(a, la, &p, detail, sizeof(detail)),
	                 PLAN_E_OK);
	ck_assert_uint_eq(p.global->nbthread, 4);
	ck_assert_uint_eq(p.global->flags, PLAN_GLB_F_DAEMON);
	ck_assert_str_eq(plan_str_get(&p, p.global->user), "nobody");
	ck_assert_uint_eq(p.global->nlogs, 5);
	ck_assert_uint_eq(p.logs[0].target, PLAN_LOGT_FD);
	ck_assert_uint_eq(p.logs[0].addr.fd, 1);
	ck_assert_uint_eq(p.logs[0].format, 2);
	ck_assert_uint_eq(p.logs[0].level, 6);
	ck_assert_uint_eq(p.logs[1].target, PLAN_LOGT_UDP);
	ck_assert_uint_eq(p.logs[1].addr.sa[2] << 8 | p.logs[1].addr.sa[3], 514);
	ck_assert_uint_eq(p.logs[1].facility, 3);
	ck_assert_uint_eq(p.logs[1].level, 7);
	ck_assert_uint_eq(p.logs[2].addr.family, PLAN_FAM_INET6);
	ck_assert_uint_eq(p.logs[3].target, PLAN_LOGT_UNIX);
	ck_assert_uint_eq(p.global->nstats, 2);
	ck_assert_uint_eq(p.stats[0].level, PLAN_STATS_ADMIN);
	ck_assert_uint_eq(p.stats[0].mode, 0600);
	ck_assert_uint_eq(p.stats[1].level, PLAN_STATS_USER);
	/* fe: own log line after the inherited `log global` */
	ck_assert_uint_eq(p.proxies[0].nlogs, 1);
	ck_assert_uint_eq(p.proxies[0].flags, PLAN_PX_F_LOG_GLOBAL |
	                  PLAN_PX_F_DONTLOGNULL | PLAN_PX_F_LOG);
	ck_assert_uint_eq(p.proxies[0].timeout_client_fin, 1000);
	ck_assert_uint_eq(p.listeners[0].flags, PLAN_LSN_F_ACCEPT_PROXY);
	ck_assert_uint_eq(p.listeners[0].backlog, 100);
	ck_assert_uint_eq(p.listeners[0].maxconn, 50);
	be = &p.proxies[1];
	ck_assert_uint_eq(be->balance, PLAN_BALANCE_RANDOM);
	ck_assert_uint_eq(be->random_draws, 3);
	ck_assert_uint_eq(be->hash_type, PLAN_HASH_CONSISTENT);
	/* no log, no redispatch; consistent without a function: avalanche */
	ck_assert_uint_eq(be->flags, PLAN_PX_F_ALLBACKUPS | PLAN_PX_F_HASH_AVALANCHE);
	ck_assert_uint_eq(be->nlogs, 0);
	ck_assert_uint_eq(be->retries, 5);
	ck_assert_uint_eq(be->timeout_queue, 3000);
	ck_assert_uint_eq(be->timeout_check, 500);
	ck_assert_uint_eq(be->check_type, PLAN_CHECK_TCP);
	ck_assert_uint_eq(be->ncheck, 6);
	ck_assert_uint_eq(p.checks[be->first_check].arg, 8081);
	ck_assert_uint_eq(p.checks[be->first_check + 1].data.len, 8);
	ck_assert_uint_eq(p.checks[be->first_check + 2].data.len, 2);
	ck_assert_uint_eq(p.checks[be->first_check + 3].flags, PLAN_CHK_F_NEGATE);
	ck_assert_uint_eq(p.checks[be->first_check + 4].op, PLAN_CHK_EXPECT_REGEX);
	ck_assert_str_eq(plan_str_get(&p, p.checks[be->first_check + 4].data),
	                 "^\\+PONG");
	s1 = &p.servers[be->first_server];
	s2 = s1 + 1;
	s3 = s1 + 2;
	s4 = s1 + 3;
	ck_assert_uint_eq(s1->flags, PLAN_SRV_F_CHECK | PLAN_SRV_F_SEND_PROXY);
	ck_assert_uint_eq(s1->inter, 3000);     /* default-server from defaults */
	ck_assert_uint_eq(s1->fall, 2);
	ck_assert_uint_eq(s1->rise, 3);
	ck_assert_uint_eq(s1->fastinter, 1000);
	ck_assert_uint_eq(s1->maxqueue, 10);
	ck_assert_uint_eq(s1->check_addr, PLAN_NONE);
	ck_assert_uint_eq(s2->flags, PLAN_SRV_F_CHECK | PLAN_SRV_F_BACKUP |
	                  PLAN_SRV_F_DISABLED | PLAN_SRV_F_SEND_PROXY2);
	ck_assert_uint_ne(s2->check_addr, PLAN_NONE);
	ca = &p.check_addrs[s2->check_addr];
	ck_assert_uint_eq(ca->family, PLAN_FAM_INET);
	ck_assert_uint_eq(ca->port, 9999);
	ck_assert_uint_eq(ca->ip[3], 2);   /* 127.0.0.2 */
	ck_assert_uint_eq(s3->flags, PLAN_SRV_F_OFFSET);
	ck_assert_int_eq(s3->port_offset, 1000);
	ck_assert_uint_eq(p.check_addrs[s4->check_addr].family, PLAN_FAM_INET6);
	hb = &p.proxies[2];
	ck_assert_uint_eq(hb->check_type, PLAN_CHECK_HTTP);
	ck_assert_str_eq(plan_str_get(&p, hb->httpchk_method), "GET");
	ck_assert_str_eq(plan_str_get(&p, hb->httpchk_host), "example.com");
	ck_assert_uint_eq(hb->httpchk_status_lo, 200);
	ck_assert_uint_eq(hb->httpchk_status_hi, 299);
	ck_assert_uint_eq(p.servers[hb->first_server].inter, 3000);
	hs = &p.proxies[3];
	ck_assert_str_eq(plan_str_get(&p, hs->httpchk_method), "OPTIONS");
	ck_assert_str_eq(plan_str_get(&p, hs->httpchk_uri), "/ping");
	ck_assert_str_eq(plan_str_get(&p, hs->httpchk_version), "HTTP/1.0");
	ck_assert_uint_eq(hs->httpchk_status_lo, 204);
	ck_assert_uint_eq(hs->httpchk_status_hi, 204);
	/* addr alone keeps the server's port */
	ck_assert_uint_eq(p.check_addrs[p.servers[hs->first_server].check_addr].port,
	                  80);

	t1 = dump_bytes(a, la);
	compile_bytes(t1, &b, &lb);
	t2 = dump_bytes(b, lb);
	ck_assert_str_eq(t1, t2);
	ck_assert_ptr_nonnull(strstr(t1, "tcp-check send \"PING x\\x0d\\x0a\""));
	ck_assert_ptr_nonnull(strstr(t1, "server s3 127.0.0.1:+1000"));
	ck_assert_ptr_nonnull(strstr(t1, "addr 127.0.0.2 port 9999"));
	ck_assert_ptr_nonnull(strstr(t1, "balance random(3)"));
	free(a);
	free(b);
	free(t1);
	free(t2);
}
END_TEST

START_TEST(test_engine_errors)
{
	struct ch_run r;

	expect_error("backend b\n    server s 10.0.0.1:80 rise 0\n",
	             "out-of-range", 2, 31);
	expect_error("backend b\n    server s 10.0.0.1:80 inter\n",
	             "missing-argument", 2, 26);
	expect_error("backend b\n    server s 10.0.0.1:80 inter 0\n",
	             "out-of-range", 2, 32);
	/* HAProxy reads a check port with atol() and keeps 16 bits */
	ch_run_text(&r, "backend b\n    server s 10.0.0.1:80 port 70000\n");
	ck_assert_int_eq(r.rc, 0);
	expect_at(&r, DIAG_WARNING, "lenient-number", 2, 31);
	ch_run_free(&r);
	expect_error("backend b\n    server s 10.0.0.1 check\n", "check-port",
	             2, 12);
	expect_error("backend b\n    server s 10.0.0.1 check\n"
	             "    option tcp-check\n    tcp-check connect\n",
	             "check-port", 2, 12);
	expect_error("backend b\n    balance random(0)\n", "invalid-value", 2, 13);
	/* HAProxy ignores words after an algorithm without arguments */
	ch_run_text(&r, "backend b\n    balance leastconn x\n");
	ck_assert_int_eq(r.rc, 0);
	expect_at(&r, DIAG_WARNING, "ignored", 2, 23);
	ch_run_free(&r);
	expect_error("backend b\n    balance rdp-cookie\n", "unsupported", 2, 13);
	expect_error("backend b\n    hash-type modulo\n", "invalid-value", 2, 15);
	expect_error("global\n    log 127.0.0.1 local9\n", "invalid-value", 2, 19);
	expect_error("global\n    log 127.0.0.1 len 10 local0\n", "out-of-range",
	             2, 0);
	expect_error("global\n    log 127.0.0.1\n", "missing-argument", 2, 0);
	expect_error("global\n    log ring@r local0\n", "unsupported", 2, 9);
	expect_error("global\n    log global local0\n", "not-allowed", 2, 9);
	expect_error("global\n    nbthread 0\n", "invalid-number", 2, 0);
	expect_clean("global\n    thread-groups 16\n");
	expect_error("global\n    thread-groups 0\n", "invalid-number", 2, 0);
	expect_error("global\n    thread-groups 17\n", "invalid-number", 2, 0);
	expect_error("global\n    thread-groups\n", "missing-argument", 2, 0);
	expect_error("backend b\n    option log-health-checks x\n",
	             "extra-argument", 2, 30);
	expect_error("global\n    stats socket /x level root\n", "invalid-value",
	             2, 27);
	expect_error("global\n    stats socket /x mode 999\n", "invalid-value",
	             2, 26);
	expect_error("global\n    stats socket 127.0.0.1:9 user me\n", "invalid-value", 2, 0);
	expect_error("global\n    stats socket /x group\n", "missing-argument", 2, 0);
	expect_error("backend b\n    tcp-check send-binary 0g\n", "invalid-value",
	             2, 0);
	expect_error("backend b\n    tcp-check expect rstring (\n",
	             "invalid-regex", 2, 30);
	expect_error("backend b\n    tcp-check expect foo x\n", "invalid-value",
	             2, 22);
	/* HAProxy takes any status number: one no response carries is a
	 * warning (mutant valid/1236 of ../shared/corpus-mutants) */
	ch_run_text(&r, "backend b\n    http-check expect status 700\n");
	ck_assert_int_eq(r.rc, 0);
	expect_at(&r, DIAG_WARNING, "out-of-range", 2, 30);
	ch_run_free(&r);
	expect_error("backend b\n    http-check expect ! status 200\n",
	             "unsupported", 2, 23);
	expect_error("global\n    unix-bind mode 0999\n", "invalid-value", 2, 20);
	expect_error("global\n    unix-bind user haproxy\n", "unsupported", 2, 15);
	expect_error("global\n    unix-bind mode\n", "missing-argument", 2, 0);
	expect_error("global\n    unix-bind prefix /tmp/\nfrontend f\n    bind "
	             "unix@aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	             "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n",
	             "invalid-address", 4, 10);
	expect_error("backend b\n    http-check expect string\n",
	             "missing-argument", 2, 23);
	expect_error("backend b\n    http-check expect ! rstring (\n",
	             "invalid-regex", 2, 33);
	expect_error("backend b\n    option httpchk\n    http-check expect "
	             "string ok\n    http-check expect status 300\n",
	             "unsupported", 4, 16);
	expect_error("backend b\n    option httpchk a b c d e\n", "extra-argument",
	             2, 0);
	expect_error("backend b\n    no option httpchk\n", "not-negatable", 2, 5);
	expect_error("backend b\n    option redispatch 3\n", "unsupported", 2, 23);
	expect_error("backend b\n    option redispatch 1 2\n", "extra-argument",
	             2, 25);
	expect_error("backend b\n    option httpchkk\n", "unknown-keyword", 2, 0);
	expect_error("backend b\n    no log x\n", "extra-argument", 2, 12);
	expect_error("frontend f\n    bind :80 backlog\n", "missing-argument",
	             2, 14);
	expect_error("frontend f\n    bind :80 ssl\n", "unsupported", 2, 5);
	expect_error("frontend f\n    bind :80 name\n", "missing-argument",
	             2, 14);
	expect_error("frontend f\n    bind :80 backlog -1\n", "out-of-range",
	             2, 22);
	expect_error("frontend f\n    bind :80 maxconn -5\n", "out-of-range",
	             2, 22);
	expect_error("backend b\n    server s 10.0.0.1:80 weight -1\n",
	             "out-of-range", 2, 33);
	expect_error("frontend f\n    default-server inter 3s\n", "not-allowed",
	             2, 5);
	expect_error("backend b\n    tcp-check send x\n    tcp-check connect\n",
	             "connect-not-first", 3, 15);
	expect_error("backend b\n    option httpchk\n    http-check expect "
	             "status 200\n    http-check expect status 300\n",
	             "unsupported", 4, 16);
}

START_TEST(test_engine_warnings)
{
	struct ch_run r;

	/* rules without their option, options without the capability */
	ch_run_text(&r, "defaults\n    mode tcp\n" TIMEOUTS
	            "frontend f\n    bind :80\n    option httpchk\n"
	            "    retries 3\n    default_backend b\n"
	            "backend b\n    tcp-check connect\n"
	            "    http-check expect status 200\n    option tcplog\n"
	            "    server s 10.0.0.1:80 check port 0\n");
	ck_assert_int_eq(r.rc, 0);
	expect_at(&r, DIAG_WARNING, "ignored", 8, 5);
	ck_assert_uint_eq(r.dc.nwarnings, 5);
	ch_run_free(&r);
}
END_TEST
END_TEST

START_TEST(test_engine_defaults)
{
	uint8_t *a;
	size_t la;
	char detail[256];
	struct plan p;

	/* retries 3 and check timing 2s/2/3 when nothing is said; tcp-check
	 * rules of defaults replaced by a backend's own */
	compile_bytes("defaults\n    mode tcp\n" TIMEOUTS
	              "    option tcp-check\n    tcp-check connect\n"
	              "    tcp-check expect string a\n"
	              "backend b\n    server s 10.0.0.1:80 check\n"
	              "backend c\n    tcp-check send x\n    option tcp-check\n"
	              "    server s 10.0.0.1:80\n"
	              "frontend f\n    bind :80\n    option redispatch\n"
	              "    default_backend b\n", &a, &la);
	ck_assert_int_eq(plan_verify(a, la, &p, detail, sizeof(detail)),
	                 PLAN_E_OK);
	ck_assert_uint_eq(p.proxies[0].retries, 3);
	ck_assert_uint_eq(p.proxies[0].ncheck, 2);
	ck_assert_uint_eq(p.proxies[1].ncheck, 1);
	ck_assert_uint_eq(p.checks[p.proxies[1].first_check].op, PLAN_CHK_SEND);
	ck_assert_uint_eq(p.servers[0].inter, 2000);
	ck_assert_uint_eq(p.servers[0].rise, 2);
	ck_assert_uint_eq(p.servers[0].fall, 3);
	ck_assert_uint_eq(p.proxies[2].flags, 0);
	free(a);

	compile_bytes("defaults\n    mode tcp\n" TIMEOUTS
	              "    option redispatch\n"
	              "backend b\n    option redispatch 0\n"
	              "backend c\n    option redispatch -1\n", &a, &la);
	ck_assert_int_eq(plan_verify(a, la, &p, detail, sizeof(detail)),
	                 PLAN_E_OK);
	ck_assert_uint_eq(p.proxies[0].flags, 0);
	ck_assert_uint_eq(p.proxies[1].flags, PLAN_PX_F_REDISPATCH);
	free(a);

	/* option log-health-checks: inherited from defaults, dropped by
	 * `no option`, kept only on backends */
	compile_bytes("defaults\n    mode tcp\n" TIMEOUTS
	              "    option log-health-checks\n"
	              "backend b\n    server s 10.0.0.1:80 check\n"
	              "backend c\n    no option log-health-checks\n"
	              "listen l\n    bind :81\n    server s 10.0.0.1:80\n",
	              &a, &la);
	ck_assert_int_eq(plan_verify(a, la, &p, detail, sizeof(detail)),
	                 PLAN_E_OK);
	ck_assert_uint_eq(p.proxies[0].flags, PLAN_PX_F_LOG_HEALTH_CHECKS);
	ck_assert_uint_eq(p.proxies[1].flags, 0);
	ck_assert_uint_eq(p.proxies[2].flags & PLAN_PX_F_LOG_HEALTH_CHECKS,
	                  PLAN_PX_F_LOG_HEALTH_CHECKS);
	free(a);

	/* log lines add to the inherited ones, `no log` drops them;
	 * default-server accumulates over defaults, applies to the servers
	 * after it only */
	compile_bytes("defaults\n    mode tcp\n" TIMEOUTS
	              "    log 10.0.0.1 local0\n"
	              "    default-server inter 3s fall 5\n"
	              "backend b\n    log 10.0.0.2:600 local1 err\n"
	              "    server s 10.0.0.1:80\n"
	              "    default-server rise 7 weight 9 check\n"
	              "    server t 10.0.0.1:81 no-check\n"
	              "backend c\n    no log\n    server u 10.0.0.1:80\n",
	              &a, &la);
	ck_assert_int_eq(plan_verify(a, la, &p, detail, sizeof(detail)),
	                 PLAN_E_OK);
	ck_assert_uint_eq(p.proxies[0].nlogs, 2);
	ck_assert_uint_eq(p.logs[p.proxies[0].first_log].facility, 16);
	ck_assert_uint_eq(p.logs[p.proxies[0].first_log + 1].facility, 17);
	ck_assert_uint_eq(p.logs[p.proxies[0].first_log + 1].level, 3);
	ck_assert_uint_eq(p.logs[p.proxies[0].first_log + 1].addr.sa[3],
	                  600 & 0xff);
	ck_assert_uint_eq(p.proxies[1].nlogs, 0);
	ck_assert_uint_eq(p.servers[0].inter, 3000);
	ck_assert_uint_eq(p.servers[0].fall, 5);
	ck_assert_uint_eq(p.servers[0].rise, 2);
	ck_assert_uint_eq(p.servers[0].weight, 1);
	ck_assert_uint_eq(p.servers[1].inter, 3000);
	ck_assert_uint_eq(p.servers[1].rise, 7);
	ck_assert_uint_eq(p.servers[1].weight, 9);
	ck_assert_uint_eq(p.servers[1].flags, 0);
	ck_assert_uint_eq(p.servers[2].rise, 2);
	ck_assert_uint_eq(p.servers[2].fall, 5);
	free(a);

	/* a first `tcp-check connect port` gives a port-less server one */
	compile_bytes("defaults\n    mode tcp\n" TIMEOUTS
	              "backend b\n    server s 10.0.0.1 check\n"
	              "    option tcp-check\n    tcp-check connect port 81\n",
	              &a, &la);
	ck_assert_int_eq(plan_verify(a, la, &p, detail, sizeof(detail)),
	                 PLAN_E_OK);
	ck_assert_uint_eq(p.servers[0].flags, PLAN_SRV_F_CHECK | PLAN_SRV_F_NOPORT);
	ck_assert_uint_eq(p.servers[0].check_addr, PLAN_NONE);
	free(a);
}
END_TEST

static Suite *sema_suite(void)
{
	Suite *s = suite_create("sema");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_clean_model);
	tcase_add_test(tc, test_unknown_backend);
	tcase_add_test(tc, test_duplicate_names);
	tcase_add_test(tc, test_defaults_inheritance);
	tcase_add_test(tc, test_bind_addresses);
	tcase_add_test(tc, test_capability_warnings);
	tcase_add_test(tc, test_global_ids);
	tcase_add_test(tc, test_default_path);
	tcase_add_test(tc, test_traces_ignored);
	tcase_add_test(tc, test_filters_ignored);
	tcase_add_test(tc, test_compression_keywords);
	tcase_add_test(tc, test_missing_timeouts);
	tcase_add_test(tc, test_modes);
	tcase_add_test(tc, test_unknown_and_unsupported);
	tcase_add_test(tc, test_numbers_and_times);
	tcase_add_test(tc, test_env_statements);
	tcase_add_test(tc, test_deterministic);
	tcase_add_test(tc, test_dump);
	tcase_add_test(tc, test_engine_settings);
	tcase_add_test(tc, test_engine_errors);
	tcase_add_test(tc, test_engine_warnings);
	tcase_add_test(tc, test_engine_defaults);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(sema_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
