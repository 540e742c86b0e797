/*
 * test_lint.c: the checks of what cfgc does not compile and the
 * cross-reference pass, on real configuration text through the real parser
 * and evaluation, for both targets (--target=cfgrun, --target=haproxy).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "diag.h"
#include "env.h"
#include "model.h"
#include "parse.h"
#include "sema.h"
#include "compile_helpers.h"

/* `text` gives an error `code` at `line` on both targets. */
static void expect_error(const char *text, const char *code, unsigned line)
{
	for (int t = 0; t < 2; t++) {
		struct ch_run r;
		const struct diag *d;

		ch_run_target(&r, text, t ? SEMA_TARGET_HAPROXY : SEMA_TARGET_CFGRUN);
		d = ch_find(&r, DIAG_ERROR, code);
		if (!d)
			diag_print(&r.dc, stderr);
		ck_assert_msg(d != NULL, "target %d: no error coded %s", t, code);
		ck_assert_uint_eq(d->loc.line, line);
		ck_assert_int_eq(r.rc, -1);
		ch_run_free(&r);
	}
}

/* `text` passes clean for HAProxy (no error, no warning) and, for cfgrun,
 * is refused only as unsupported. */
static void expect_haproxy_clean(const char *text)
{
	struct ch_run r;

	ch_run_target(&r, text, SEMA_TARGET_HAPROXY);
	if (r.dc.nerrors || r.dc.nwarnings)
		diag_print(&r.dc, stderr);
	ck_assert_uint_eq(r.dc.nerrors, 0);
	ck_assert_uint_eq(r.dc.nwarnings, 0);
	ck_assert_int_eq(r.rc, 0);
	ch_run_free(&r);

	ch_run_target(&r, text, SEMA_TARGET_CFGRUN);
	for (const struct diag *d = r.dc.head; d; d = d->next)
		if (d->severity == DIAG_ERROR)
			ck_assert_msg(d->code && !strncmp(d->code, "unsupported", 11),
			              "cfgrun: error %s: %s", d->code, d->msg);
	ch_run_free(&r);
}

static void expect_warning(const char *text, const char *code, unsigned line)
{
	struct ch_run r;
	const struct diag *d;

	ch_run_target(&r, text, SEMA_TARGET_HAPROXY);
	d = ch_find(&r, DIAG_WARNING, code);
	if (!d)
		diag_print(&r.dc, stderr);
	ck_assert_msg(d != NULL, "no warning coded %s", code);
	ck_assert_uint_eq(d->loc.line, line);
	ck_assert_int_eq(r.rc, 0);
	ch_run_free(&r);
}

/* The hint of the first error coded `code`, or "". */
static const char *hint_of(const struct ch_run *r, const char *code)
{
	const struct diag *d = ch_find(r, DIAG_ERROR, code);

	return d && d->nhints ? d->hints[0] : "";
}

#define HEAD \
	"defaults\n" \
	"    mode http\n" \
	"    timeout connect 5s\n" \
	"    timeout client 30s\n" \
	"    timeout server 30s\n"
/* line 6 onwards */

START_TEST(test_haproxy_target_accepts_known)
{
	expect_haproxy_clean(
		"global\n"
		"    tune.ssl.default-dh-param 2048\n"
		HEAD
		"userlist admins\n"
		"    user bob insecure-password x\n"
		"cache c\n"
		"    total-max-size 4\n"
		"frontend fe\n"
		"    bind :8080\n"
		"    acl is_api path_beg /api\n"
		"    http-request deny deny_status 403 if !is_api { src 10.0.0.0/8 }\n"
		"    http-request set-var(txn.h) req.hdr(host),lower\n"
		"    http-request set-header X-Id %[uuid] if TRUE\n"
		"    http-request auth realm x unless { http_auth(admins) }\n"
		"    http-response set-header X-Ct %[res.hdr(content-type),map_str(/etc/hostname)]\n"
		"    use_backend api if is_api\n"
		"    default_backend web\n"
		"backend api\n"
		"    server a1 10.0.0.1:80 check inter 2s rise 2 fall 3 weight 10\n"
		"backend web\n"
		"    no option prefer-last-server\n"
		"    stick-table type ip size 10k expire 30s\n"
		"    use-server w1 if TRUE\n"
		"    server w1 10.0.0.2:80 maxconn 10\n");
}
END_TEST

START_TEST(test_actions)
{
	struct ch_run r;
	const char *bad = HEAD
		"frontend fe\n"
		"    bind :8080\n"
		"    http-request denny\n"
		"    default_backend be\n"
		"backend be\n"
		"    server s 10.0.0.1:80\n";

	expect_error(bad, "unknown-action", 8);
	ch_run_target(&r, bad, SEMA_TARGET_HAPROXY);
	ck_assert_str_eq(hint_of(&r, "unknown-action"), "did you mean 'deny'?");
	ch_run_free(&r);
	/* deny exists, but not after the response */
	expect_error(HEAD "frontend fe\n    bind :80\n"
	             "    http-after-response deny\n", "not-allowed", 8);
	expect_error(HEAD "frontend fe\n    bind :80\n"
	             "    http-request deny deny_status 999\n", "invalid-status", 8);
	expect_error(HEAD "frontend fe\n    bind :80\n"
	             "    http-request redirect code 301\n", "missing-argument", 8);
	expect_error(HEAD "frontend fe\n    bind :80\n"
	             "    http-request normalize-uri path-merge-slashes\n",
	             "experimental", 8);
	expect_error(HEAD "frontend fe\n    bind :80\n"
	             "    http-request set-header X-Only\n", "missing-argument", 8);
	expect_error(HEAD "frontend fe\n    bind :80\n"
	             "    http-request set-var(foo.x) src\n", "invalid-variable", 8);
	expect_error(HEAD "frontend fe\n    bind :80\n"
	             "    http-request set-header X %[var(nope)]\n",
	             "invalid-variable", 8);
	expect_error(HEAD "frontend fe\n    bind :80\n"
	             "    http-request capture req.hdr(host)\n",
	             "missing-argument", 8);
	expect_error(HEAD "frontend fe\n    bind :80\n"
	             "    http-response set-status 42\n", "invalid-status", 8);
	expect_haproxy_clean("global\n    expose-experimental-directives\n"
	                     HEAD "frontend fe\n    bind :80\n"
	                     "    tcp-request content track-sc3 src\n"
	                     "    http-request normalize-uri path-merge-slashes\n"
	                     "    http-request redirect code 301 location /x\n"
	                     "    http-request lua.hello\n"
	                     "    http-request capture req.hdr(host) len 32\n"
	                     "    http-request set-var(sess.x,ifnotset) src\n"
	                     "    http-request set-header X %[var(sess.x)]\n"
	                     "    http-request unset-var(txn.y)\n"
	                     "    http-response set-status 503 reason \"Busy\"\n");
}
END_TEST

START_TEST(test_samples)
{
	expect_error(HEAD "frontend fe\n    bind :80\n"
	             "    http-request set-header X %[src,bogus]\n",
	             "unknown-converter", 8);
	expect_error(HEAD "frontend fe\n    bind :80\n"
	             "    acl a nosuchfetch -m found\n", "unknown-fetch", 8);
	expect_error(HEAD "frontend fe\n    bind :80\n"
	             "    http-request set-var(txn.c) req.hdr(d),has_ctl(bogus)\n",
	             "invalid-argument", 8);
	expect_error(HEAD "frontend fe\n    bind :80\n"
	             "    http-after-response set-header X %[req.hdr(host)]\n",
	             "fetch-context", 8);
	expect_error(HEAD "frontend fe\n    bind :80\n"
	             "    http-request deny if { http_auth(nope) }\n",
	             "unknown-userlist", 8);
	/* hostile expressions: refused as HAProxy refuses them, or left
	 * alone, never a crash */
	expect_error(HEAD "frontend fe\n    bind :80\n"
	             "    http-request set-header X %[src\n", "invalid-format", 8);
	expect_error(HEAD "frontend fe\n    bind :80\n"
	             "    http-request set-header Y %[(((]\n", "invalid-format", 8);
	expect_error(HEAD "frontend fe\n    bind :80\n"
	             "    http-request set-header W %[src,hex(\"a,b)\")]\n",
	             "invalid-format", 8);
	expect_haproxy_clean(HEAD "frontend fe\n    bind :80\n"
	                     "    http-request set-header Z %{+Q}[src,lower]%%[x\n"
	                     "    http-request set-header V %[src,lua.conv(1)]\n"
	                     "    http-request return status 200 content-type text/plain string status\n");
}
END_TEST

START_TEST(test_references)
{
	expect_error(HEAD "frontend fe\n    bind :80\n"
	             "    http-request deny if blocked\n", "unknown-acl", 8);
	/* looked up when the condition is read: declared below is too late */
	expect_error(HEAD "frontend fe\n    bind :80\n"
	             "    http-request deny if blocked\n"
	             "    acl blocked src 10.0.0.1\n", "unknown-acl", 8);
	expect_error(HEAD "frontend fe\n    bind :80\n"
	             "    use_backend nope\n", "unknown-backend", 8);
	expect_error(HEAD "backend be\n    use-server s9 if TRUE\n"
	             "    server s1 10.0.0.1:80\n", "unknown-server", 7);
	expect_error(HEAD "frontend fe\n    bind :80\n"
	             "    http-request track-sc0 src table nope\n",
	             "unknown-table", 8);
	expect_error(HEAD "backend be\n"
	             "    server s1 a.example:80 resolvers nope init-addr none\n",
	             "unknown-resolvers", 7);
	expect_error(HEAD "backend be\n    server s1 app.invalid:80\n",
	             "unresolvable-address", 7);
	expect_error(HEAD "frontend fe\n    bind :80\n"
	             "    errorfile 503 /nonexistent/503.http\n", "missing-file", 8);
	expect_error(HEAD "frontend fe\n    bind :443 ssl crt /nonexistent.pem\n",
	             "missing-file", 7);
	expect_error(HEAD "frontend fe\n    bind :80\n"
	             "    http-request cache-use nope\n", "unknown-section", 8);
	expect_error(HEAD "backend be\n    stick-table type ip size 1k peers p\n",
	             "unknown-section", 7);
	expect_error(HEAD "frontend fe\n    bind :80\n    log ring@r local0\n",
	             "unknown-section", 8);
	expect_error(HEAD "frontend fe\n    bind :80\n"
	             "    http-request deny if { nbsrv(nope) lt 1 }\n",
	             "unknown-proxy", 8);
	expect_error(HEAD "backend be\n    server s1 10.0.0.1:80 track other/s1\n",
	             "unknown-server", 7);
	expect_error(HEAD "backend be\n    stick on src table nope\n",
	             "unknown-table", 7);
	expect_error(HEAD "frontend fe\n    bind :80\n    errorfile 999 /etc/hostname\n",
	             "invalid-status", 8);
	expect_error(HEAD "frontend fe\n    bind :80\n    use_backend be\n"
	             "backend be\n    mode tcp\n    server s 10.0.0.1:80\n",
	             "mode-mismatch", 8);
	expect_error("cache c\n    total-max-size 4\ncache c\n    total-max-size 8\n",
	             "duplicate-name", 3);
	expect_error(HEAD "backend be\n    default-server ssl\n"
	             "    server s1 10.0.0.1:443\n", "missing-ca-file", 8);
	expect_error(HEAD "frontend fe\n"
	             "    bind :443 ssl crt /etc/hostname verify required\n",
	             "missing-ca-file", 7);
	expect_haproxy_clean("global\n    ssl-server-verify none\n" HEAD
	                     "backend a\n    server s1 10.0.0.1:443 ssl\n"
	                     "backend b\n    default-server ssl verify required "
	                     "ca-file /etc/ssl/certs/ca-certificates.crt\n"
	                     "    server s1 10.0.0.1:443\n"
	                     "    server s2 10.0.0.1:443 verify none\n");
	expect_haproxy_clean("peers p\n    peer a 127.0.0.1:1024\n"
	                     "ring r\n    size 32764\n" HEAD
	                     "frontend fe\n    bind :80\n    log ring@r local0\n"
	                     "    http-request deny if { nbsrv(be) lt 1 }\n"
	                     "    default_backend be\n"
	                     "backend be\n    stick-table type ip size 1k peers p\n"
	                     "    stick on src table be\n"
	                     "    server s1 10.0.0.1:80 check\n"
	                     "    server s2 10.0.0.1:81 track be/s1\n");
}
END_TEST

START_TEST(test_existing_files)
{
	/* files are checked for their kind too: a PEM block, a status line */
	static const char pem[] = "-----BEGIN CERTIFICATE-----\nMIIB\n"
	                          "-----END CERTIFICATE-----\n";
	static const char http[] = "HTTP/1.0 503 Busy\r\n\r\n";
	char path[] = "/tmp/test_lint_XXXXXX", epath[] = "/tmp/test_lint_XXXXXX";
	int fd = mkstemp(path), efd = mkstemp(epath);
	char text[1024];

	ck_assert_int_ge(fd, 0);
	ck_assert_int_ge(efd, 0);
	ck_assert_int_eq(write(fd, pem, sizeof(pem) - 1), (int)sizeof(pem) - 1);
	ck_assert_int_eq(write(efd, http, sizeof(http) - 1), (int)sizeof(http) - 1);
	close(fd);
	close(efd);
	snprintf(text, sizeof(text), HEAD "frontend fe\n"
	         "    bind :443\n"
	         "    errorfile 503 %s\n", epath);
	expect_haproxy_clean(text);
	/* a PEM block that is no certificate: HAProxy cannot load it */
	snprintf(text, sizeof(text), HEAD "frontend fe\n"
	         "    bind :443 ssl crt %s\n", path);
	expect_error(text, "bad-certificate", 7);
	unlink(path);
	unlink(epath);
}
END_TEST

START_TEST(test_options)
{
	expect_error(HEAD "backend be\n    server s1 10.0.0.1:80 check inter\n",
	             "missing-argument", 7);
	expect_error(HEAD "backend be\n    default-server 10.0.0.1:80\n",
	             "unknown-keyword", 7);
	expect_error(HEAD "frontend fe\n"
	             "    bind :443 ssl crt /etc/hostname ssl-min-ver TLSv1.9\n",
	             "invalid-value", 7);
	expect_error(HEAD "backend be\n    no option ssl-hello-chk\n",
	             "invalid-negation", 7);
	expect_error(HEAD "backend be\n    stick-table type ipv5 size 1k\n",
	             "invalid-value", 7);
	expect_error(HEAD "backend be\n    stick-table type ip size 10q\n",
	             "invalid-size", 7);
	expect_error(HEAD "backend be\n    server s 10.0.0.1:80 observe layer5\n",
	             "invalid-value", 7);
	expect_error(HEAD "backend be\n"
	             "    server s 10.0.0.1:80 init-addr last,bogus\n",
	             "invalid-value", 7);
	expect_error(HEAD "backend be\n    http-reuse sometimes\n",
	             "invalid-value", 7);
	expect_error(HEAD "backend be\n    compression algo gzip brotli\n",
	             "invalid-value", 7);
	expect_error(HEAD "frontend fe\n    bind :80\n"
	             "    capture request header Host\n", "missing-argument", 8);
	expect_haproxy_clean("global\n    ssl-default-bind-options ssl-min-ver "
	                     "TLSv1.2 no-tls-tickets\n" HEAD
	                     "frontend fe\n    bind :80\n"
	                     "    capture request header Host len 32\n"
	                     "    default_backend be\n"
	                     "backend be\n    http-reuse safe\n"
	                     "    compression algo gzip deflate\n"
	                     "    server s 10.0.0.1:80 init-addr last,libc,fe80::1 "
	                     "observe layer7 on-error mark-down\n");
}
END_TEST

START_TEST(test_sections)
{
	struct ch_run r;
	const char *bad = "cache c\n    total-max-sise 4\n";

	expect_error(bad, "unknown-keyword", 2);
	ch_run_target(&r, bad, SEMA_TARGET_HAPROXY);
	ck_assert_str_eq(hint_of(&r, "unknown-keyword"),
	                 "did you mean 'total-max-size'?");
	ch_run_free(&r);
	expect_error("listen l\n    bind /tmp/x.sock ssl crt /etc/hostname\n"
	             "crt-store\n    load crt /etc/hostname\n",
	             "duplicate-certificate", 4);
}
END_TEST

START_TEST(test_defaults_rules)
{
	expect_error("defaults\n    http-request set-header X 1\n",
	             "rule-in-anonymous-defaults", 2);
	expect_error("defaults d\n    tcp-response content accept\n"
	             "defaults from d\n    mode tcp\n",
	             "defaults-inherit-rules", 3);
	expect_error("defaults d\n    mode tcp\n    timeout client 1s\n"
	             "    timeout connect 1s\n    timeout server 1s\n"
	             "    tcp-request content accept\n"
	             "frontend fe from d\n    bind :80\n    default_backend be\n"
	             "backend be from d\n    server s 10.0.0.1:80\n",
	             "defaults-rules-shared", 10);
}
END_TEST

START_TEST(test_zero_warning)
{
	struct ch_run r;
	const struct diag *d;

	/* for cfgrun, zero-warning itself is unsupported: that error is the
	 * verdict; for HAProxy the warning turns into an error */
	ch_run_target(&r, "global\n    zero-warning\n" HEAD
	              "frontend fe\n    bind :80\n    balance roundrobin\n",
	              SEMA_TARGET_HAPROXY);
	d = ch_find(&r, DIAG_ERROR, "zero-warning");
	ck_assert_ptr_nonnull(d);
	ck_assert_uint_eq(d->loc.line, 2);
	ck_assert_int_eq(r.rc, -1);
	ch_run_free(&r);
	ch_run_target(&r, "global\n    zero-warning\n" HEAD
	              "frontend fe\n    bind :80\n", SEMA_TARGET_HAPROXY);
	ck_assert_int_eq(r.rc, 0);
	ch_run_free(&r);
	/* cfgc's advice about a lenient number is no HAProxy warning */
	ch_run_target(&r, "global\n    zero-warning\n" HEAD
	              "frontend fe\n    bind :80\n    maxconn lots\n",
	              SEMA_TARGET_HAPROXY);
	ck_assert_ptr_nonnull(ch_find(&r, DIAG_WARNING, "lenient-number"));
	ck_assert_int_eq(r.rc, 0);
	ch_run_free(&r);
}
END_TEST

/* A log-format replaced by a later option tcplog/httplog or log-format of
 * its section is never parsed by HAProxy: its errors are no errors. */
START_TEST(test_replaced_logformat)
{
	expect_haproxy_clean(HEAD "frontend fe\n    bind :80\n"
	                     "    log stdout local0\n"
	                     "    log-format '%[src,nosuch_conv]'\n"
	                     "    option httplog\n"
	                     "    default_backend be\n"
	                     "backend be\n    server s 10.0.0.1:80\n");
	expect_haproxy_clean(HEAD "frontend fe\n    bind :80\n"
	                     "    log stdout local0\n"
	                     "    log-format '%[str(a)'\n"
	                     "    log-format '%ci'\n"
	                     "    default_backend be\n"
	                     "backend be\n    server s 10.0.0.1:80\n");
	/* the last one is parsed */
	expect_error(HEAD "frontend fe\n    bind :80\n"
	             "    log stdout local0\n"
	             "    option httplog\n"
	             "    log-format '%[src,nosuch_conv]'\n"
	             "    default_backend be\n"
	             "backend be\n    server s 10.0.0.1:80\n",
	             "unknown-converter", 10);
}
END_TEST

/* A rule's format value is parsed with the rule, so a bad one is an
 * error on both targets, where a log-format line only warns for HAProxy. */
START_TEST(test_rule_value_format)
{
	static const char *const rules[] = {
		"    http-request set-header X %[src]%Zz\n",
		"    http-request set-header X %[src\n",
		"    http-response add-header X a%\n",
		"    http-request set-path %{+Q\n",
		"    http-request return status 200 content-type t lf-string %Zz\n",
		"    http-request deny hdr X %[str(a)\n",
	};
	char text[1024];

	for (size_t i = 0; i < sizeof(rules) / sizeof(rules[0]); i++) {
		snprintf(text, sizeof(text), HEAD "frontend fe\n    mode http\n"
		         "    bind :80\n%s    default_backend be\n"
		         "backend be\n    server s 10.0.0.1:80\n", rules[i]);
		expect_error(text, "invalid-format", 9);
	}
	expect_haproxy_clean(HEAD "frontend fe\n    mode http\n    bind :80\n"
	                     "    http-request set-header X %[src]%%%ci\n"
	                     "    http-request return status 200 content-type t "
	                     "lf-string %{+Q}r hdr Y %[src]\n"
	                     "    default_backend be\n"
	                     "backend be\n    server s 10.0.0.1:80\n");
}
END_TEST

/* Regular expressions HAProxy compiles when it reads the line: a bad one
 * is an error for the HAProxy linter as for cfgrun. */
START_TEST(test_regexes)
{
	static const char *const lines[] = {
		"    http-request set-path %[path,regsub(x**,/)]\n",
		"    http-request set-path %[path,regsub(^a,b,z)]\n",
		"    acl bad path -m reg ^/(v1\n    http-request deny if bad\n",
		"    http-request deny if { path -m reg -i [a- }\n",
		"    http-request replace-uri ^/(v1|v2/ /x\n",
		"    http-request replace-header Host ^(a /x\n",
	};
	char text[1024];

	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		struct ch_run r;

		snprintf(text, sizeof(text), HEAD "frontend fe\n    bind :80\n%s"
		         "    default_backend be\nbackend be\n"
		         "    server s 10.0.0.1:80\n", lines[i]);
		ch_run_target(&r, text, SEMA_TARGET_HAPROXY);
		if (r.rc != -1)
			diag_print(&r.dc, stderr);
		ck_assert_msg(r.rc == -1, "line %zu accepted", i);
		ck_assert_uint_eq(ch_find(&r, DIAG_ERROR, i == 1 ? "invalid-argument"
		                          : "invalid-regex")->loc.line, 8);
		ch_run_free(&r);
	}
	{
		struct ch_run r;

		ch_run_target(&r, HEAD "backend be\n"
		              "    server s 10.0.0.1:80 check agent-check proto foo\n",
		              SEMA_TARGET_HAPROXY);
		ck_assert_int_eq(r.rc, -1);
		ck_assert_ptr_nonnull(ch_find(&r, DIAG_ERROR, "missing-agent-port"));
		ck_assert_ptr_nonnull(ch_find(&r, DIAG_ERROR, "invalid-value"));
		ch_run_free(&r);
	}
	{
		struct ch_run r;

		ch_run_target(&r, "global\n    tune.bufsize 1g\n" HEAD
		              "backend be\n    server s 10.0.0.1:80\n",
		              SEMA_TARGET_HAPROXY);
		ck_assert_int_eq(r.rc, -1);
		ck_assert_ptr_nonnull(ch_find(&r, DIAG_ERROR, "out-of-range"));
		ch_run_free(&r);
	}
	{
		static const char *const bad[] = {
			"frontend fe\n    bind :80\n    no option allbackups\n",
			"frontend fe\n    bind :80\n    option tcplog extra\n",
		};

		for (size_t i = 0; i < 2; i++) {
			struct ch_run r;
			char text[512];

			snprintf(text, sizeof(text), HEAD "%s", bad[i]);
			ch_run_target(&r, text, SEMA_TARGET_HAPROXY);
			ck_assert_msg(r.rc == -1, "'%s' accepted", bad[i]);
			ch_run_free(&r);
		}
	}
	expect_haproxy_clean(HEAD "backend be\n    default-server agent-port 99\n"
	                     "    server s 10.0.0.1:80 check agent-check proto h2\n");
	expect_haproxy_clean(HEAD "frontend fe\n    bind :80\n"
	                     "    http-request set-path %[path,regsub(^/a/,/,ig)]\n"
	                     "    http-request deny if { path -m reg -i ^/(v1|v2)/ }\n"
	                     "    http-request replace-uri ^/(v1|v2)/(.*) /\\2\n"
	                     "    default_backend be\nbackend be\n"
	                     "    server s 10.0.0.1:80\n");
}
END_TEST

/* Modes must agree across use_backend/default_backend (a tcp frontend
 * may use an http backend); log and spop are backend modes. */
START_TEST(test_mode_pairs)
{
	struct ch_run r;

	ch_run_target(&r, "defaults\n    timeout client 1s\n"
	              "    timeout server 1s\n    timeout connect 1s\n"
	              "frontend fe\n    bind :80\n    mode http\n"
	              "    use_backend lg if TRUE\n    default_backend sp\n"
	              "backend lg\n    mode log\n    server s 10.0.0.1:514\n"
	              "backend sp\n    mode spop\n    server s 10.0.0.1:12345\n"
	              "frontend f2\n    bind :81\n    mode log\n",
	              SEMA_TARGET_HAPROXY);
	ck_assert_int_eq(r.rc, -1);
	ck_assert_uint_eq(ch_find(&r, DIAG_ERROR, "mode-mismatch")->loc.line, 8);
	ck_assert_uint_eq(r.dc.nerrors, 3);
	ck_assert_uint_eq(ch_find(&r, DIAG_ERROR, "not-allowed")->loc.line, 18);
	ch_run_free(&r);
	expect_haproxy_clean("defaults\n    timeout client 1s\n"
	                     "    timeout server 1s\n    timeout connect 1s\n"
	                     "frontend fe\n    bind :80\n    mode tcp\n"
	                     "    default_backend be\n"
	                     "backend be\n    mode http\n    server s 10.0.0.1:80\n");
}
END_TEST

START_TEST(test_warnings)
{
	expect_warning(HEAD "frontend fe\n    bind :80\n    use_backend be\n"
	               "    http-request deny\nbackend be\n"
	               "    server s 10.0.0.1:80\n", "rule-order", 9);
	expect_warning("defaults\n    mode tcp\n    timeout client 1s\n"
	               "frontend fe\n    bind :80\n    http-request deny\n",
	               "ignored", 6);
	expect_warning(HEAD "frontend fe\n    bind :80\n"
	               "    http-request deny if { res.hdr(x) -m found }\n",
	               "never-matches", 8);
}
END_TEST

static Suite *lint_suite(void)
{
	Suite *s = suite_create("lint");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_haproxy_target_accepts_known);
	tcase_add_test(tc, test_actions);
	tcase_add_test(tc, test_samples);
	tcase_add_test(tc, test_references);
	tcase_add_test(tc, test_existing_files);
	tcase_add_test(tc, test_options);
	tcase_add_test(tc, test_sections);
	tcase_add_test(tc, test_defaults_rules);
	tcase_add_test(tc, test_zero_warning);
	tcase_add_test(tc, test_warnings);
	tcase_add_test(tc, test_replaced_logformat);
	tcase_add_test(tc, test_rule_value_format);
	tcase_add_test(tc, test_mode_pairs);
	tcase_add_test(tc, test_regexes);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(lint_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
