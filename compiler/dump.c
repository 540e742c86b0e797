/*
 * dump.c: canonical configuration text from a plan.
 */
#include <arpa/inet.h>
#include <inttypes.h>
#include <string.h>
#include "addr.h"
#include "dump.h"
#include "kw.h"

/* A time in ms with the largest unit that keeps it exact. */
void dump_ms(FILE *out, uint32_t ms)
{
	static const struct { uint32_t ms; const char *unit; } units[] = {
		{ 86400000u, "d" }, { 3600000u, "h" }, { 60000u, "m" },
		{ 1000u, "s" },
	};

	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (ms && ms % units[i].ms == 0) {
			fprintf(out, "%" PRIu32 "%s", ms / units[i].ms, units[i].unit);
			return;
		}
	}
	fprintf(out, "%" PRIu32 "ms", ms);
}

static void dump_time(FILE *out, const char *what, uint32_t ms)
{
	if (!ms)
		return;
	fprintf(out, "    timeout %s ", what);
	dump_ms(out, ms);
	fputc('\n', out);
}

/* One word as the lexer reads it back: bare when it is plain, else in
 * double quotes with ", \ and $ escaped and other bytes as \xNN. */
void dump_word(FILE *out, const char *s, size_t len)
{
	int plain = len > 0;

	for (size_t i = 0; i < len && plain; i++) {
		unsigned char c = (unsigned char)s[i];

		plain = c > ' ' && c < 0x7f && !strchr("\"'\\#$", c);
	}
	if (plain) {
		fwrite(s, 1, len, out);
		return;
	}
	fputc('"', out);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '"' || c == '\\' || c == '$')
			fprintf(out, "\\%c", c);
		else if (c < ' ' || c >= 0x7f)
			fprintf(out, "\\x%02x", c);
		else
			fputc(c, out);
	}
	fputc('"', out);
}

static void dump_str(FILE *out, const struct plan *p, struct plan_str s)
{
	dump_word(out, plan_str_get(p, s), s.len);
}

/* s as hexadecimal digits (send-binary, expect binary). */
static void dump_hex(FILE *out, const struct plan *p, struct plan_str s)
{
	const unsigned char *b = (const unsigned char *)plan_str_get(p, s);

	for (uint32_t k = 0; k < s.len; k++)
		fprintf(out, "%02x", b[k]);
}

static uint16_t dump_port(const struct plan_addr *a)
{
	return (uint16_t)(a->sa[2] << 8 | a->sa[3]);  /* sin(6)_port, network */
}

/* `a` with its port taken out. */
static struct plan_addr dump_noport(const struct plan_addr *a)
{
	struct plan_addr c = *a;

	if (c.family == PLAN_FAM_INET || c.family == PLAN_FAM_INET6)
		addr_set_port(&c, 0);
	return c;
}

/* A log target word, as the `log` keyword reads it. */
static void dump_log_target(FILE *out, const struct plan_log *l)
{
	char addr[160];

	if (l->target == PLAN_LOGT_FD) {
		if (l->addr.fd == 1 || l->addr.fd == 2)
			fputs(l->addr.fd == 1 ? "stdout" : "stderr", out);
		else
			fprintf(out, "fd@%" PRIu32, l->addr.fd);
		return;
	}
	addr_format(&l->addr, addr, sizeof(addr));
	if (l->target == PLAN_LOGT_UDP)
		fputs("udp@", out);
	else if (l->addr.family == PLAN_FAM_UNIX)
		memmove(addr, addr + 5, strlen(addr + 5) + 1); /* "unix@" */
	dump_word(out, addr, strlen(addr));
}

static void dump_logs(const struct plan *p, uint32_t first, uint32_t n,
                      FILE *out)
{
	static const char *const formats[] = { NULL, "rfc5424", "raw" };

	for (uint32_t i = 0; i < n; i++) {
		const struct plan_log *l = &p->logs[first + i];

		fputs("    log ", out);
		dump_log_target(out, l);
		if (formats[l->format])
			fprintf(out, " format %s", formats[l->format]);
		fprintf(out, " %s %s\n", kw_log_facilities[l->facility],
		        kw_log_levels[l->level]);
	}
}

static void dump_global(const struct plan *p, FILE *out)
{
	static const char *const levels[PLAN_STATS_LEVEL_MAX] = {
		"user", "operator", "admin",
	};
	const struct plan_global *g = p->global;
	const struct { const char *kw; struct plan_str s; } names[] = {
		{ "pidfile", g->pidfile }, { "user", g->user },
		{ "group", g->group }, { "chroot", g->chroot },
		{ "description", g->description },
	};
	char addr[160];

	fprintf(out, "global\n");
	for (uint32_t i = 0; i < p->nhttp_rules; i++)
		if (p->http_rules[i].action == PLAN_HA_NORMALIZE_URI) {
			/* the rule is experimental in HAProxy: the text
			 * compiles back only with this */
			fprintf(out, "    expose-experimental-directives\n");
			break;
		}
	for (uint32_t i = 0; i < p->ntls_certs; i++)
		if (p->tls_certs[i].base.len) {
			/* crt-list lines are found under it (the other
			 * certificate paths are written resolved) */
			fprintf(out, "    crt-base %s\n",
			        plan_str_get(p, p->tls_certs[i].base));
			break;
		}
	if (g->maxconn)
		fprintf(out, "    maxconn %" PRIu32 "\n", g->maxconn);
	if (g->nbthread)
		fprintf(out, "    nbthread %" PRIu32 "\n", g->nbthread);
	if (g->flags & PLAN_GLB_F_DAEMON)
		fprintf(out, "    daemon\n");
	if (g->flags & PLAN_GLB_F_STRICT_LIMITS)
		fprintf(out, "    strict-limits\n");
	if (g->ulimit_n)
		fprintf(out, "    ulimit-n %" PRIu32 "\n", g->ulimit_n);
	if (g->maxconnrate)
		fprintf(out, "    maxconnrate %" PRIu32 "\n", g->maxconnrate);
	if (g->maxsessrate)
		fprintf(out, "    maxsessrate %" PRIu32 "\n", g->maxsessrate);
	if (g->uid)
		fprintf(out, "    uid %" PRIu32 "\n", g->uid);
	if (g->gid)
		fprintf(out, "    gid %" PRIu32 "\n", g->gid);
	if (g->unix_bind_flags) {
		/* the prefix is already in the bind lines' paths */
		fprintf(out, "    unix-bind");
		if (g->unix_bind_flags & PLAN_UXB_F_MODE)
			fprintf(out, " mode %03" PRIo32, g->unix_bind_mode);
		if (g->unix_bind_flags & PLAN_UXB_F_UID)
			fprintf(out, " uid %" PRIu32, g->unix_bind_uid);
		if (g->unix_bind_flags & PLAN_UXB_F_GID)
			fprintf(out, " gid %" PRIu32, g->unix_bind_gid);
		fputc('\n', out);
	}
	if (g->tune_bufsize)
		fprintf(out, "    tune.bufsize %" PRIu32 "\n", g->tune_bufsize);
	if (g->flags & PLAN_GLB_F_MAXREWRITE)
		fprintf(out, "    tune.maxrewrite %" PRIu32 "\n", g->tune_maxrewrite);
	if (g->tune_http_maxhdr)
		fprintf(out, "    tune.http.maxhdr %" PRIu32 "\n",
		        g->tune_http_maxhdr);
	if (g->tune_comp_maxlevel)
		fprintf(out, "    tune.comp.maxlevel %" PRIu32 "\n",
		        g->tune_comp_maxlevel);
	if (g->tune_zlib_memlevel)
		fprintf(out, "    tune.zlib.memlevel %" PRIu32 "\n",
		        g->tune_zlib_memlevel);
	if (g->tune_zlib_windowsize)
		fprintf(out, "    tune.zlib.windowsize %" PRIu32 "\n",
		        g->tune_zlib_windowsize);
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (!names[i].s.len)
			continue;
		fprintf(out, "    %s ", names[i].kw);
		dump_str(out, p, names[i].s);
		fputc('\n', out);
	}
	dump_logs(p, g->first_log, g->nlogs, out);
	for (uint32_t i = 0; i < g->nstats; i++) {
		const struct plan_stats_socket *st = &p->stats[g->first_stats + i];

		addr_format(&st->addr, addr, sizeof(addr));
		fputs("    stats socket ", out);
		dump_word(out, addr, strlen(addr));
		if (st->mode)
			fprintf(out, " mode %o", (unsigned)st->mode);
		if (st->uid != PLAN_STATS_NO_ID)
			fprintf(out, " uid %u", (unsigned)st->uid);
		if (st->gid != PLAN_STATS_NO_ID)
			fprintf(out, " gid %u", (unsigned)st->gid);
		if (st->user.len) {
			fputs(" user ", out);
			dump_str(out, p, st->user);
		}
		if (st->group.len) {
			fputs(" group ", out);
			dump_str(out, p, st->group);
		}
		fprintf(out, " level %s\n", levels[st->level]);
	}
	if (g->nstats && p->stats[g->first_stats].timeout_ms)
		fprintf(out, "    stats timeout %ums\n",
		        (unsigned)p->stats[g->first_stats].timeout_ms);
	if (p->ops->stats_maxconn)
		fprintf(out, "    stats maxconn %u\n", (unsigned)p->ops->stats_maxconn);
	if (p->ops->hard_stop_after_ms)
		fprintf(out, "    hard-stop-after %ums\n",
		        (unsigned)p->ops->hard_stop_after_ms);
	if (p->ops->grace_ms)
		fprintf(out, "    grace %ums\n", (unsigned)p->ops->grace_ms);
	if (p->ops->close_spread_ms)
		fprintf(out, "    close-spread-time %ums\n",
		        (unsigned)p->ops->close_spread_ms);
	if (p->ops->flags & PLAN_OPS_F_SPREAD_INFINITE)
		fprintf(out, "    close-spread-time infinite\n");
	if (p->ops->max_spread_checks_ms)
		fprintf(out, "    max-spread-checks %ums\n",
		        (unsigned)p->ops->max_spread_checks_ms);
	if (p->ops->server_state_file.len) {
		fputs("    server-state-file ", out);
		dump_str(out, p, p->ops->server_state_file);
		fputc('\n', out);
	}
}

static void dump_checks(const struct plan *p, const struct plan_proxy *px,
                        FILE *out)
{
	if (px->check_type == PLAN_CHECK_TCP) {
		/* a protocol check's rules come from its option: print that */
		for (uint32_t i = 0; i < px->ncheck; i++) {
			const struct plan_check_rule *r = &p->checks[px->first_check + i];

			if (r->op == PLAN_CHK_EXPECT_PROTO) {
				fprintf(out, "    option %s\n", plan_str_get(p, r->data));
				return;
			}
		}
		fprintf(out, "    option tcp-check\n");
		for (uint32_t i = 0; i < px->ncheck; i++) {
			const struct plan_check_rule *r = &p->checks[px->first_check + i];
			const char *neg = (r->flags & PLAN_CHK_F_NEGATE) ? "! " : "";

			switch (r->op) {
			case PLAN_CHK_CONNECT:
				fprintf(out, "    tcp-check connect");
				if (r->flags & PLAN_CHK_F_DEFAULT)
					fprintf(out, " default");
				if (r->arg)
					fprintf(out, " port %" PRIu32, r->arg);
				break;
			case PLAN_CHK_SEND:
				/* a NUL byte cannot be spelled in a word (it
				 * would end it): such data goes as hex */
				if (memchr(plan_str_get(p, r->data), '\0',
				           r->data.len)) {
					fprintf(out, "    tcp-check send-binary ");
					dump_hex(out, p, r->data);
				} else {
					fprintf(out, "    tcp-check send ");
					dump_str(out, p, r->data);
				}
				break;
			case PLAN_CHK_EXPECT_BINARY:
				fprintf(out, "    tcp-check expect %sbinary ", neg);
				dump_hex(out, p, r->data);
				break;
			default:
				fprintf(out, "    tcp-check expect %s%s ", neg,
				        r->op == PLAN_CHK_EXPECT_STRING ? "string"
				                                        : "rstring");
				dump_str(out, p, r->data);
				break;
			}
			fputc('\n', out);
		}
	} else if (px->check_type == PLAN_CHECK_HTTP) {
		fprintf(out, "    option httpchk ");
		dump_str(out, p, px->httpchk_method);
		fputc(' ', out);
		dump_str(out, p, px->httpchk_uri);
		fputc(' ', out);
		dump_str(out, p, px->httpchk_version);
		fputc('\n', out);
		if (px->httpchk_host.len) {
			fprintf(out, "    http-check send hdr host ");
			dump_str(out, p, px->httpchk_host);
			fputc('\n', out);
		}
		if (px->ncheck) {
			const struct plan_check_rule *r = &p->checks[px->first_check];

			fprintf(out, "    http-check expect %s%s ",
			        (r->flags & PLAN_CHK_F_NEGATE) ? "! " : "",
			        r->op == PLAN_CHK_EXPECT_STRING ? "string" : "rstring");
			dump_str(out, p, r->data);
			fputc('\n', out);
		} else if (px->httpchk_status_lo == px->httpchk_status_hi)
			fprintf(out, "    http-check expect status %" PRIu32 "\n",
			        px->httpchk_status_lo);
		else if (px->httpchk_status_lo != 200 || px->httpchk_status_hi != 399)
			fprintf(out, "    http-check expect status %" PRIu32 "-%" PRIu32
			        "\n", px->httpchk_status_lo, px->httpchk_status_hi);
	}
}

/* ` KW STR` when the string is not empty. */
static void dump_opt(FILE *out, const struct plan *p, const char *kw,
                     struct plan_str s)
{
	if (!s.len)
		return;
	fprintf(out, " %s ", kw);
	dump_str(out, p, s);
}

/*
 * The TLS options of server `idx`, every setting spelled out (verify, SNI,
 * check-ssl) so that compiling the dump gives the same record whatever the
 * global defaults. Files are named, their bytes never printed.
 */
static void dump_server_tls(const struct plan *p, uint32_t idx, FILE *out)
{
	const struct plan_tls_server *t = plan_server_tls(p, idx);
	const struct plan_server *s = &p->servers[idx];
	int http = p->proxies[s->proxy].mode == PLAN_MODE_HTTP;

	if (!t)
		return;
	if (t->flags & PLAN_TLS_SRV_F_SSL)
		fputs(" ssl", out);
	if (s->flags & PLAN_SRV_F_CHECK)
		fputs(t->flags & PLAN_TLS_SRV_F_CHECK_SSL ? " check-ssl"
		                                          : " no-check-ssl", out);
	fputs(t->flags & PLAN_TLS_SRV_F_VERIFY ? " verify required"
	                                       : " verify none", out);
	if (t->flags & PLAN_TLS_SRV_F_SYSTEM_CA)
		fputs(" ca-file @system-ca", out);
	dump_opt(out, p, "ca-file", t->ca_file);
	dump_opt(out, p, "crl-file", t->crl_file);
	dump_opt(out, p, "crt", t->crt_file);
	switch (t->sni) {
	case PLAN_TLS_SNI_STR:
		fprintf(out, " sni str(%s)", plan_str_get(p, t->sni_name));
		break;
	case PLAN_TLS_SNI_HOST:
		fputs(" sni req.hdr(host)", out);
		break;
	case PLAN_TLS_SNI_HOST_NOPORT:
		if (!http)
			fputs(" sni req.hdr(host),field(1,:)", out);
		break;
	case PLAN_TLS_SNI_FC_SNI:
		fputs(" sni ssl_fc_sni", out);
		break;
	default:
		if (http)
			fputs(" no-sni-auto", out);
		break;
	}
	dump_opt(out, p, "check-sni", t->check_sni);
	dump_opt(out, p, "verifyhost", t->verifyhost);
	dump_opt(out, p, "alpn", t->alpn);
	if (t->min_ver)
		fprintf(out, " ssl-min-ver %s", kw_tls_ver_name(t->min_ver));
	if (t->max_ver)
		fprintf(out, " ssl-max-ver %s", kw_tls_ver_name(t->max_ver));
	dump_opt(out, p, "ciphers", t->ciphers);
	dump_opt(out, p, "ciphersuites", t->ciphersuites);
	dump_opt(out, p, "curves", t->curves);
	if (t->flags & PLAN_TLS_SRV_F_NO_REUSE)
		fputs(" no-ssl-reuse", out);
	if (t->flags & PLAN_TLS_SRV_F_NO_TICKETS)
		fputs(" no-tls-tickets", out);
}

static void dump_server(const struct plan *p, uint32_t idx, FILE *out)
{
	static const struct { uint32_t flag; const char *word; } flags[] = {
		{ PLAN_SRV_F_BACKUP, "backup" }, { PLAN_SRV_F_DISABLED, "disabled" },
		{ PLAN_SRV_F_CHECK, "check" },
		{ PLAN_SRV_F_SEND_PROXY, "send-proxy" },
		{ PLAN_SRV_F_SEND_PROXY2, "send-proxy-v2" },
		{ PLAN_SRV_F_TFO, "tfo" },
		{ PLAN_SRV_F_SHUT_DOWN, "on-marked-down shutdown-sessions" },
		{ PLAN_SRV_F_SHUT_BACKUP, "on-marked-up shutdown-backup-sessions" },
	};
	const struct plan_server *s = &p->servers[idx];
	const char *host = plan_server_host(p, idx);
	struct plan_addr sa_full;
	char addr[160];

	plan_server_addr(p, idx, &sa_full);
	if (*host)
		snprintf(addr, sizeof(addr), "%s", host);
	else if (!dump_srv_resolve_addr(p, idx, addr, sizeof(addr)))
		addr_format(&sa_full, addr, sizeof(addr));
	fprintf(out, "    server %s %s", plan_str_get(p, s->name), addr);
	if (*host)
		fputs(" init-addr none", out);     /* the word carries its port */
	else if (s->flags & PLAN_SRV_F_OFFSET)
		fprintf(out, ":%c%d", s->port_offset < 0 ? '-' : '+',
		        s->port_offset < 0 ? -(int)s->port_offset : (int)s->port_offset);
	dump_srv_resolve(p, idx, &sa_full, out);
	if (s->source.family != PLAN_FAM_NONE) {
		struct plan_addr src;
		char text[160];

		plan_server_source(p, idx, &src);
		addr_format(&src, text, sizeof(text));
		fprintf(out, " source %s", text);
		if (s->flags & PLAN_SRV_F_USESRC_CLIENT)
			fputs(" usesrc client", out);
		else if (s->flags & PLAN_SRV_F_USESRC_CLIENTIP)
			fputs(" usesrc clientip", out);
	}
	if (s->weight != 1)
		fprintf(out, " weight %" PRIu32, s->weight);
	if (s->maxconn)
		fprintf(out, " maxconn %" PRIu32, s->maxconn);
	if (s->minconn)
		fprintf(out, " minconn %" PRIu32, s->minconn);
	if (s->maxqueue)
		fprintf(out, " maxqueue %" PRIu32, s->maxqueue);
	for (size_t i = 0; i < sizeof(flags) / sizeof(flags[0]); i++)
		if (s->flags & flags[i].flag)
			fprintf(out, " %s", flags[i].word);
	if (s->inter != 2000) {
		fputs(" inter ", out);
		dump_ms(out, s->inter);
	}
	if (s->fastinter) {
		fputs(" fastinter ", out);
		dump_ms(out, s->fastinter);
	}
	if (s->downinter) {
		fputs(" downinter ", out);
		dump_ms(out, s->downinter);
	}
	if (s->rise != 2)
		fprintf(out, " rise %" PRIu32, s->rise);
	if (s->fall != 3)
		fprintf(out, " fall %" PRIu32, s->fall);
	if (s->cookie.len) {
		fputs(" cookie ", out);
		dump_str(out, p, s->cookie);
	}
	if (plan_server_has_check_addr(p, idx)) {
		struct plan_addr ck, ca, sa;
		uint16_t port;

		plan_server_check_addr(p, idx, &ck);
		ca = dump_noport(&ck);
		sa = dump_noport(&sa_full);
		port = dump_port(&ck);

		sa.proto = ca.proto;
		if (memcmp(&ca, &sa, sizeof(ca))) {
			ca.proto = PLAN_PROTO_TCP;
			addr_format(&ca, addr, sizeof(addr));
			fprintf(out, " addr %s", addr);
		}
		if (port != dump_port(&sa_full) ||
		    (s->flags & (PLAN_SRV_F_NOPORT | PLAN_SRV_F_OFFSET)))
			fprintf(out, " port %u", (unsigned)port);
	}
	dump_server_tls(p, idx, out);
	fputc('\n', out);
}

/* ` except NET` of forwardfor/originalto, when there is one. */
static void dump_http_net(FILE *out, const struct plan_http_net *n)
{
	char text[INET6_ADDRSTRLEN];

	if (n->family == PLAN_FAM_NONE)
		return;
	inet_ntop(n->family == PLAN_FAM_INET ? AF_INET : AF_INET6, n->ip, text,
	          sizeof(text));
	fprintf(out, " except %s/%u", text, (unsigned)n->prefix);
}

/* `    KW [STR]\n`: the word only when the string is not empty. */
static void dump_kw_opt_str(FILE *out, const struct plan *p, const char *kw,
                            struct plan_str s)
{
	fprintf(out, "    %s", kw);
	if (s.len) {
		fputc(' ', out);
		dump_str(out, p, s);
	}
	fputc('\n', out);
}

/* The compression lines of an HTTP record: the algorithms in the order
 * of a configuration that gives the plan's (its reverse: HAProxy grows
 * the list at the front), one type per line. */
static void dump_comp(FILE *out, const struct plan *p,
                      const struct plan_http *h)
{
	const char *types = plan_str_get(p, h->comp_types);
	int n = 0;

	while (n < PLAN_COMP_MAX_ALGOS && h->comp_algos[n])
		n++;
	if (n) {
		fputs("    compression algo", out);
		while (n-- > 0)
			fprintf(out, " %s", kw_comp_algo_name(h->comp_algos[n]));
		fputc('\n', out);
	}
	while (*types) {
		size_t k = strcspn(types, "\n");

		fputs("    compression type ", out);
		dump_word(out, types, k);
		fputc('\n', out);
		types += k + (types[k] != 0);
	}
	if (h->comp_flags & PLAN_COMP_F_OFFLOAD)
		fputs("    compression offload\n", out);
	if (h->comp_minsize)
		fprintf(out, "    compression minsize-res %" PRIu32 "\n",
		        h->comp_minsize);
}

/* The stats keywords of an HTTP record with PLAN_HTTP_F_STATS. */
static void dump_http_stats(const struct plan *p, const struct plan_http *h,
                            FILE *out)
{
	static const struct { uint32_t flag; const char *text; } flags[] = {
		{ PLAN_HTTP_F_STATS_ADMIN, "admin if TRUE" },
		{ PLAN_HTTP_F_STATS_HIDE_VERSION, "hide-version" },
		{ PLAN_HTTP_F_STATS_SHOW_LEGENDS, "show-legends" },
	};
	const char *auth = plan_str_get(p, h->stats_auth);
	const char *scope = plan_str_get(p, h->stats_scope);

	fputs("    stats enable\n    stats uri ", out);
	dump_str(out, p, h->stats_uri);
	fputc('\n', out);
	if (h->stats_realm.len)
		dump_kw_opt_str(out, p, "stats realm", h->stats_realm);
	while (*auth) {
		size_t n = strcspn(auth, "\n");

		fputs("    stats auth ", out);
		dump_word(out, auth, n);
		fputc('\n', out);
		auth += n + (auth[n] != 0);
	}
	while (*scope) {
		size_t n = strcspn(scope, "\n");

		fputs("    stats scope ", out);
		dump_word(out, scope, n);
		fputc('\n', out);
		scope += n + (scope[n] != 0);
	}
	if (h->stats_refresh)
		fprintf(out, "    stats refresh %" PRIu32 "s\n", h->stats_refresh);
	for (size_t i = 0; i < sizeof(flags) / sizeof(flags[0]); i++)
		if (h->flags & flags[i].flag)
			fprintf(out, "    stats %s\n", flags[i].text);
	if (h->flags & PLAN_HTTP_F_STATS_SHOW_NODE)
		dump_kw_opt_str(out, p, "stats show-node", h->stats_node);
	if (h->flags & PLAN_HTTP_F_STATS_SHOW_DESC)
		dump_kw_opt_str(out, p, "stats show-desc", h->stats_desc);
}

/* ` WORD ENTRY` for each "ENTRY\n" of a list string. */
static void dump_list(FILE *out, const struct plan *p, const char *word,
                      struct plan_str s)
{
	const char *e = plan_str_get(p, s);

	while (*e) {
		size_t n = strcspn(e, "\n");

		fprintf(out, " %s ", word);
		dump_word(out, e, n);
		e += n + (e[n] != 0);
	}
}

/* The cookie line of an HTTP record that has one. */
static void dump_cookie(const struct plan *p, const struct plan_http *h,
                        FILE *out)
{
	static const char *const modes[PLAN_COOKIE_MODE_MAX] = {
		NULL, "rewrite", "insert", "prefix",
	};
	static const char *const flags[] = {
		"indirect", "nocache", "postonly", "preserve", "httponly", "secure",
	};

	fputs("    cookie ", out);
	dump_str(out, p, h->cookie_name);
	if (modes[h->cookie_mode])
		fprintf(out, " %s", modes[h->cookie_mode]);
	for (unsigned k = 0; k < sizeof(flags) / sizeof(flags[0]); k++)
		if (h->cookie_flags & (1u << k))
			fprintf(out, " %s", flags[k]);
	dump_list(out, p, "domain", h->cookie_domains);
	if (h->cookie_maxidle)
		fprintf(out, " maxidle %" PRIu32 "s", h->cookie_maxidle);
	if (h->cookie_maxlife)
		fprintf(out, " maxlife %" PRIu32 "s", h->cookie_maxlife);
	dump_list(out, p, "attr", h->cookie_attrs);
	fputc('\n', out);
}

/* retry-on of an HTTP backend, unless it is HAProxy's default. */
static void dump_retry_on(const struct plan_http *h, FILE *out)
{
	static const char *const words[] = {
		"conn-failure", "empty-response", "junk-response",
		"response-timeout", "0rtt-rejected",
	};
	static const unsigned codes[PLAN_RETRY_NCODES] = PLAN_RETRY_CODES;

	if (h->retry_on == PLAN_RETRY_CONN_FAILURE)
		return;
	fputs(h->retry_on ? "    retry-on" : "    retry-on none", out);
	for (unsigned k = 0; k < sizeof(words) / sizeof(words[0]); k++)
		if (h->retry_on & (1u << k))
			fprintf(out, " %s", words[k]);
	for (unsigned k = 0; k < PLAN_RETRY_NCODES; k++)
		if (h->retry_on & (1u << (PLAN_RETRY_STATUS_SHIFT + k)))
			fprintf(out, " %u", codes[k]);
	fputc('\n', out);
}

/* The balance and hash-type lines of backend `px`. */
static void dump_balance(const struct plan *p, const struct plan_proxy *px,
                         FILE *out)
{
	static const char *const algos[PLAN_BALANCE_MAX] = {
		"roundrobin", "static-rr", "leastconn", "first", "source",
		"random", "uri", "url_param", "hdr", "hash",
	};
	static const char *const funcs[PLAN_HASH_FN_MAX] = {
		"sdbm", "djb2", "wt6", "crc32", "none",
	};
	const struct plan_http *h = &p->http[px - p->proxies];
	int aval = (px->flags & PLAN_PX_F_HASH_AVALANCHE) != 0;

	if (px->balance == PLAN_BALANCE_RANDOM && px->random_draws != 2) {
		fprintf(out, "    balance random(%" PRIu32 ")\n", px->random_draws);
	} else if (px->balance == PLAN_BALANCE_HDR) {
		fputs("    balance hdr(", out);
		fwrite(plan_str_get(p, h->bal_name), 1, h->bal_name.len, out);
		fprintf(out, ")%s\n", (h->bal_flags & PLAN_BAL_F_DOMAIN_ONLY) ?
		        " use_domain_only" : "");
	} else if (px->balance == PLAN_BALANCE_HASH) {
		fputs("    balance hash ", out);
		dump_str(out, p, h->bal_name);
		fputc('\n', out);
	} else if (px->balance == PLAN_BALANCE_URL_PARAM) {
		fputs("    balance url_param ", out);
		dump_str(out, p, h->bal_name);
		fputs((h->bal_flags & PLAN_BAL_F_CHECK_POST) ? " check_post\n" :
		      "\n", out);
	} else {
		fprintf(out, "    balance %s", algos[px->balance]);
		if (h->bal_len)
			fprintf(out, " len %" PRIu32, h->bal_len);
		if (h->bal_depth)
			fprintf(out, " depth %" PRIu32, h->bal_depth);
		if (h->bal_flags & PLAN_BAL_F_WHOLE)
			fputs(" whole", out);
		if (h->bal_flags & PLAN_BAL_F_PATH_ONLY)
			fputs(" path-only", out);
		fputc('\n', out);
	}
	/* the short form when it means the same: no function named gives
	 * sdbm, with avalanche exactly for consistent */
	if (px->hash_func == PLAN_HASH_FN_SDBM &&
	    aval == (px->hash_type == PLAN_HASH_CONSISTENT)) {
		if (px->hash_type == PLAN_HASH_CONSISTENT)
			fprintf(out, "    hash-type consistent\n");
		return;
	}
	fprintf(out, "    hash-type %s %s%s\n",
	        px->hash_type == PLAN_HASH_CONSISTENT ? "consistent" : "map-based",
	        funcs[px->hash_func], aval ? " avalanche" : "");
}

/* The HTTP record of proxy `i` as the keywords that make it. */
static void dump_http(const struct plan *p, uint32_t i, FILE *out)
{
	static const struct { uint32_t flag; const char *name; } opts[] = {
		{ PLAN_HTTP_F_DONTLOG_NORMAL, "dontlog-normal" },
		{ PLAN_HTTP_F_LOG_SEPARATE_ERRORS, "log-separate-errors" },
		{ PLAN_HTTP_F_IGNORE_PROBES, "http-ignore-probes" },
		{ PLAN_HTTP_F_BUFFER_REQUEST, "http-buffer-request" },
		{ PLAN_HTTP_F_NO_DELAY, "http-no-delay" },
		{ PLAN_HTTP_F_ABORTONCLOSE, "abortonclose" },
	};
	static const char *const conn[PLAN_HTTP_CONN_MAX] = {
		NULL, "http-server-close", "httpclose",
	};
	static const char *const reuse[PLAN_HTTP_REUSE_MAX] = {
		NULL, "never", "aggressive", "always",
	};
	const struct plan_http *h = &p->http[i];

	if (h->flags & PLAN_HTTP_F_HTTPLOG)
		fprintf(out, "    option httplog%s\n",
		        (h->flags & PLAN_HTTP_F_HTTPLOG_CLF) ? " clf" : "");
	if (h->log_format.len)
		dump_kw_opt_str(out, p, "log-format", h->log_format);
	if (h->unique_id_format.len)
		dump_kw_opt_str(out, p, "unique-id-format", h->unique_id_format);
	if (h->unique_id_header.len)
		dump_kw_opt_str(out, p, "unique-id-header", h->unique_id_header);
	if (h->monitor_uri.len)
		dump_kw_opt_str(out, p, "monitor-uri", h->monitor_uri);
	dump_comp(out, p, h);
	for (size_t k = 0; k < sizeof(opts) / sizeof(opts[0]); k++)
		if (h->flags & opts[k].flag)
			fprintf(out, "    option %s\n", opts[k].name);
	if (conn[h->conn_mode])
		fprintf(out, "    option %s\n", conn[h->conn_mode]);
	if (reuse[h->reuse])
		fprintf(out, "    http-reuse %s\n", reuse[h->reuse]);
	if ((p->proxies[i].cap & PLAN_CAP_BE) &&
	    p->proxies[i].mode == PLAN_MODE_HTTP)
		dump_retry_on(h, out);
	dump_time(out, "http-request", h->timeout_http_request);
	dump_time(out, "http-keep-alive", h->timeout_http_keep_alive);
	if (h->flags & PLAN_HTTP_F_FORWARDFOR) {
		fputs("    option forwardfor", out);
		dump_http_net(out, &h->ff_except);
		fputs(" header ", out);
		dump_str(out, p, h->ff_header);
		fputs((h->flags & PLAN_HTTP_F_FF_IF_NONE) ? " if-none\n" : "\n",
		      out);
	}
	if (h->flags & PLAN_HTTP_F_ORIGINALTO) {
		fputs("    option originalto", out);
		dump_http_net(out, &h->ot_except);
		fputs(" header ", out);
		dump_str(out, p, h->ot_header);
		fputc('\n', out);
	}
	if (h->flags & PLAN_HTTP_F_STATS)
		dump_http_stats(p, h, out);
	if (h->cookie_name.len)
		dump_cookie(p, h, out);
	for (uint32_t k = 0; k < h->ncaptures; k++) {
		const struct plan_http_capture *c = &h->captures[k];

		fprintf(out, "    capture %s ", c->kind == PLAN_CAPTURE_COOKIE ?
		        "cookie" : c->kind == PLAN_CAPTURE_REQ ? "request header" :
		        "response header");
		dump_str(out, p, c->name);
		fprintf(out, " len %" PRIu32 "\n", c->len);
	}
	for (int k = 0; k < PLAN_HTTP_NERRORS; k++) {
		if (!(h->errorfile_mask & (1u << k)))
			continue;
		fprintf(out, "    errorfile %u ", plan_http_err_status(k));
		dump_str(out, p, h->errorfile_path[k]);
		fputc('\n', out);
	}
}

static void dump_tls(const struct plan *p, uint32_t ti, FILE *out);

static void dump_proxy(const struct plan *p, const struct plan_proxy *px,
                       FILE *out)
{
	static const char *const modes[PLAN_MODE_MAX] = { "tcp", "http" };
	int fe = px->cap & PLAN_CAP_FE, be = px->cap & PLAN_CAP_BE;
	char addr[160];

	fprintf(out, "\n%s ", px->cap == PLAN_CAP_ALL ? "listen" :
	        fe ? "frontend" : "backend");
	dump_word(out, plan_str_get(p, px->name), px->name.len);
	fputc('\n', out);
	fprintf(out, "    mode %s\n", modes[px->mode]);
	if (px->description.len) {
		fprintf(out, "    description ");
		dump_str(out, p, px->description);
		fputc('\n', out);
	}
	if (be) {
		dump_balance(p, px, out);
		if (p->ops->load_state.len &&
		    plan_str_get(p, p->ops->load_state)[px - p->proxies] ==
		    PLAN_LOAD_STATE_GLOBAL)
			fprintf(out, "    load-server-state-from-file global\n");
		fprintf(out, "    retries %" PRIu32 "\n", px->retries);
		if (px->flags & PLAN_PX_F_REDISPATCH)
			fprintf(out, "    option redispatch\n");
		/* an HTTP backend's full list comes with its HTTP settings */
		if ((px->flags & PLAN_PX_F_NO_CONN_RETRY) &&
		    px->mode != PLAN_MODE_HTTP)
			fprintf(out, "    retry-on none\n");
		if (px->flags & PLAN_PX_F_PREFER_LAST)
			fprintf(out, "    option prefer-last-server\n");
		if (px->fullconn)
			fprintf(out, "    fullconn %" PRIu32 "\n", px->fullconn);
		if (px->flags & PLAN_PX_F_ALLBACKUPS)
			fprintf(out, "    option allbackups\n");
		if (px->flags & PLAN_PX_F_LOG_HEALTH_CHECKS)
			fprintf(out, "    option log-health-checks\n");
		if (px->flags & PLAN_PX_F_SRVTCPKA)
			fprintf(out, "    option srvtcpka\n");
	}
	if (fe && px->maxconn)
		fprintf(out, "    maxconn %" PRIu32 "\n", px->maxconn);
	if (fe && (px->flags & PLAN_PX_F_DONTLOGNULL))
		fprintf(out, "    option dontlognull\n");
	if (fe && (px->flags & PLAN_PX_F_CLITCPKA))
		fprintf(out, "    option clitcpka\n");
	if (fe && (px->flags & PLAN_PX_F_LOGASAP))
		fprintf(out, "    option logasap\n");
	if (fe && (px->flags & PLAN_PX_F_LOG))
		fprintf(out, "    option tcplog\n");
	if (px->flags & PLAN_PX_F_LOG_GLOBAL)
		fprintf(out, "    log global\n");
	dump_logs(p, px->first_log, px->nlogs, out);
	dump_http(p, (uint32_t)(px - p->proxies), out);
	if (be)
		dump_time(out, "connect", px->timeout_connect);
	if (fe)
		dump_time(out, "client", px->timeout_client);
	if (be) {
		dump_time(out, "server", px->timeout_server);
		dump_time(out, "queue", px->timeout_queue);
		dump_time(out, "tunnel", px->timeout_tunnel);
	}
	/* a tarpit rule's hold, when it is not timeout connect's */
	if (px->timeout_tarpit && px->timeout_tarpit != px->timeout_connect)
		dump_time(out, "tarpit", px->timeout_tarpit);
	if (fe)
		dump_time(out, "client-fin", px->timeout_client_fin);
	if (be) {
		dump_time(out, "server-fin", px->timeout_server_fin);
		dump_time(out, "check", px->timeout_check);
		dump_checks(p, px, out);
	}
	for (uint32_t i = 0; i < px->nlisteners; i++) {
		const struct plan_listener *l = &p->listeners[px->first_listener + i];

		addr_format(&l->addr, addr, sizeof(addr));
		fprintf(out, "    bind %s", addr);
		if (l->flags & PLAN_LSN_F_ACCEPT_PROXY)
			fprintf(out, " accept-proxy");
		if (l->flags & PLAN_LSN_F_V4V6)
			fprintf(out, " v4v6");
		if (l->flags & PLAN_LSN_F_V6ONLY)
			fprintf(out, " v6only");
		if (l->flags & PLAN_LSN_F_TFO)
			fprintf(out, " tfo");
		if (l->backlog)
			fprintf(out, " backlog %" PRIu32, l->backlog);
		if (l->maxconn)
			fprintf(out, " maxconn %" PRIu32, l->maxconn);
		if (l->tls)
			dump_tls(p, l->tls - 1, out);
		fputc('\n', out);
	}
	for (uint32_t i = 0; i < px->nservers; i++)
		dump_server(p, px->first_server + i, out);
	dump_stick_table(p, (uint32_t)(px - p->proxies), out);
	dump_switching(p, px, out);
	if (px->default_backend != PLAN_NONE) {
		const struct plan_str *n = &p->proxies[px->default_backend].name;

		fputs("    default_backend ", out);
		dump_word(out, plan_str_get(p, *n), n->len);
		fputc('\n', out);
	}
}

static const char *dump_tls_version(uint16_t v)
{
	static const char *const names[] = { "SSLv3", "TLSv1.0", "TLSv1.1",
	                                     "TLSv1.2", "TLSv1.3" };

	return v >= 0x0300 && v <= 0x0304 ? names[v - 0x0300] : "?";
}

static void dump_tls_ignore(FILE *out, const char *kw, uint64_t mask)
{
	const char *sep = " ";

	if (!mask)
		return;
	fprintf(out, " %s", kw);
	if (mask == UINT64_MAX) {
		fprintf(out, " all");
		return;
	}
	for (unsigned b = 0; b < 64; b++)
		if (mask >> b & 1u) {
			fprintf(out, "%s%u", sep, b);
			sep = ",";
		}
}

/*
 * The TLS options of a bind line. Certificates, CA and CRL files are
 * named by path, never shown (the keys stay in the plan); crt-list SNI
 * filters, which a bind line cannot say, follow as a comment.
 */
static void dump_tls(const struct plan *p, uint32_t ti, FILE *out)
{
	const struct plan_tls_bind *t = &p->tls_binds[ti];
	static const char *const verify[] = { "none", "optional", "required" };
	const char *list = NULL;

	fprintf(out, " ssl");
	for (uint32_t i = 0; i < t->ncert; i++) {
		const struct plan_tls_cert *c = &p->tls_certs[t->first_cert + i];

		/* A crt-list's certificates and filters come back from the
		 * file: it is named once for its run of certificates. */
		if (!c->list.len) {
			dump_opt(out, p, "crt", c->path);
			list = NULL;
		} else if (!list || strcmp(list, plan_str_get(p, c->list))) {
			list = plan_str_get(p, c->list);
			dump_opt(out, p, "crt-list", c->list);
		}
	}
	if (t->alpn.len) {
		const char *a = plan_str_get(p, t->alpn);

		fprintf(out, " alpn ");
		for (uint32_t k = 0; k < t->alpn.len; k += 1u + (uint8_t)a[k])
			fprintf(out, "%s%.*s", k ? "," : "", (int)(uint8_t)a[k],
			        a + k + 1);
	}
	if (t->min_ver)
		fprintf(out, " ssl-min-ver %s", dump_tls_version(t->min_ver));
	if (t->max_ver)
		fprintf(out, " ssl-max-ver %s", dump_tls_version(t->max_ver));
	dump_opt(out, p, "ciphers", t->ciphers);
	dump_opt(out, p, "ciphersuites", t->ciphersuites);
	dump_opt(out, p, "curves", t->curves);
	dump_opt(out, p, "sigalgs", t->sigalgs);
	if (t->flags & PLAN_TLS_F_STRICT_SNI)
		fprintf(out, " strict-sni");
	if (t->flags & PLAN_TLS_F_NO_TICKETS)
		fprintf(out, " no-tls-tickets");
	if (t->flags & PLAN_TLS_F_PREFER_CLIENT)
		fprintf(out, " prefer-client-ciphers");
	dump_opt(out, p, "ca-file", t->ca_path);
	dump_opt(out, p, "crl-file", t->crl_path);
	dump_opt(out, p, "ca-verify-file", t->ca_verify_path);
	if (t->verify)
		fprintf(out, " verify %s", verify[t->verify]);
	dump_tls_ignore(out, "ca-ignore-err", t->ca_ignore);
	dump_tls_ignore(out, "crt-ignore-err", t->crt_ignore);
}

/* Files cfgc --hermetic did not check: comments, so that the text still
 * compiles (the files are named by keywords cfgrun does not run). */
static void dump_preconds(const struct plan *p, FILE *out)
{
	for (uint32_t i = 0; i < p->npreconds; i++) {
		const struct plan_precond *pc = &p->preconds[i];

		/* the path as a word: a line break in it cannot end the
		 * comment */
		fprintf(out, "# precondition: %s ", plan_str_get(p, pc->keyword));
		dump_str(out, p, pc->path);
		fprintf(out, " (line %u)\n", (unsigned)pc->line);
	}
}

/*
 * Certificates whose key came from a file of its own (a crt-store `key`):
 * an unnamed crt-store loading each once, which the binds' `crt PATH`
 * then name. */
static void dump_crt_store(const struct plan *p, FILE *out)
{
	int any = 0;

	for (uint32_t i = 0; i < p->ntls_certs; i++) {
		const struct plan_tls_cert *c = &p->tls_certs[i];
		int seen = 0;

		if (!c->key_path.len)
			continue;
		for (uint32_t k = 0; k < i && !seen; k++)
			seen = p->tls_certs[k].key_path.len &&
			       p->tls_certs[k].path.len == c->path.len &&
			       !memcmp(plan_str_get(p, p->tls_certs[k].path),
			               plan_str_get(p, c->path), c->path.len);
		if (seen)
			continue;
		if (!any++)
			fprintf(out, "\ncrt-store\n");
		fprintf(out, "    load crt ");
		dump_str(out, p, c->path);
		fprintf(out, " key ");
		dump_str(out, p, c->key_path);
		fputc('\n', out);
	}
}

int dump_plan(const struct plan *p, FILE *out)
{
	dump_preconds(p, out);
	dump_global(p, out);
	dump_crt_store(p, out);
	dump_resolvers(p, out);
	for (uint32_t i = 0; i < p->nproxies; i++)
		dump_proxy(p, &p->proxies[i], out);
	dump_userlists(p, out);
	return fflush(out) == 0 && !ferror(out) ? 0 : -1;
}
