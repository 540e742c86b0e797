/*
 * stats_dynsrv.c: reading `add server` and `del server` on the stats
 * socket; the servers themselves are made and removed by dynsrv.c.
 *
 * The options taken are those of a `server` line that cfgrun can give a
 * server made at run time: weight, check, inter, fastinter, downinter,
 * rise, fall, maxconn, maxqueue, backup, disabled, enabled, send-proxy,
 * send-proxy-v2. Errors are answered in HAProxy 2.6's words (checked
 * side by side), cfgrun's own limits in its own.
 */
#include "config.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "balance.h"
#include "dynsrv.h"
#include "plan.h"
#include "server.h"
#include "stats_dynsrv.h"
#include "stats_row.h"

#define DS_MSG 512                  /* bytes of an answer */

/* HAProxy's defaults for a server line without default-server. */
#define DS_WEIGHT 1u
#define DS_INTER  2000u             /* ms */
#define DS_RISE   2u
#define DS_FALL   3u

/* Server keywords of HAProxy that cfgrun does not take on `add server`
 * (answered as such, not as unknown). */
static const char *const ds_unsupported[] = {
	"addr", "agent-addr", "agent-check", "agent-inter", "agent-port",
	"agent-send", "allow-0rtt", "alpn", "ca-file", "check-alpn",
	"check-proto", "check-send-proxy", "check-sni", "check-ssl",
	"check-via-socks4", "ciphers", "ciphersuites", "crl-file", "crt",
	"error-limit", "id", "init-addr", "minconn", "no-ssl-reuse",
	"no-tls-tickets", "npn", "observe", "on-error", "on-marked-down",
	"on-marked-up", "pool-low-conn", "pool-max-conn", "pool-purge-delay",
	"port", "proto", "proxy-v2-options", "send-proxy-v2-ssl",
	"send-proxy-v2-ssl-cn", "slowstart", "sni", "source", "ssl",
	"ssl-max-ver", "ssl-min-ver", "tfo", "tls-tickets", "track",
	"usesrc", "verify", "verifyhost", "ws", NULL
};

/* A delay as HAProxy reads one (digits, then us|ms|s|m|h|d; ms without
 * a unit) for keyword kw of server srv: 0 with *ms, or -1 with the
 * answer in msg. */
static int ds_delay(const char *v, const char *kw, const char *srv,
                    uint32_t *ms, char *msg, size_t len)
{
	static const struct { const char *unit; double mult; } units[] = {
		{ "us", 0.001 }, { "ms", 1 }, { "s", 1000 }, { "m", 60000 },
		{ "h", 3600000 }, { "d", 86400000 }, { "", 1 },
	};
	unsigned long long n = 0;
	const char *p = v;

	if (!v) {
		snprintf(msg, len, "'%s' expects a delay as argument..\n\n", kw);
		return -1;
	}
	for (; isdigit((unsigned char)*p) && n < 100000000000ULL; p++)
		n = n * 10 + (unsigned)(*p - '0');
	for (size_t i = 0; p != v && i < sizeof(units) / sizeof(units[0]); i++) {
		double d;

		if (strcmp(p, units[i].unit))
			continue;
		d = (double)n * units[i].mult;
		if (d > 2147483647.0) {
			snprintf(msg, len, "timer overflow in argument '%s' to '%s' (maximum value is 2147483647 ms or ~24.8 days)..\n\n",
			         v, kw);
			return -1;
		}
		if (d < 1) {
			snprintf(msg, len, "invalid value 0 for argument '%s' of server %s..\n\n",
			         kw, srv);
			return -1;
		}
		*ms = (uint32_t)d;
		return 0;
	}
	snprintf(msg, len, "unexpected character '%c' in '%s' argument of server %s..\n\n",
	         *p ? *p : ' ', kw, srv);
	return -1;
}

/* A whole non-negative decimal integer up to max: 0, or -1. */
static int ds_uint(const char *v, unsigned long max, uint32_t *out)
{
	unsigned long n;
	char *end;

	if (!v || !isdigit((unsigned char)*v))
		return -1;
	errno = 0;
	n = strtoul(v, &end, 10);
	if (*end || errno || n > max)
		return -1;
	*out = (uint32_t)n;
	return 0;
}

/* ADDR[:PORT] into rec (HAProxy's last ':' splits an IPv6 address too,
 * or [IPv6]:PORT): 0, or -1 with the answer in msg. */
static int ds_addr(const char *w, struct plan_server *rec, char *msg,
                   size_t len)
{
	char host[128];
	const char *port = NULL, *colon;
	const char *word = w;
	int bad = 0;
	uint32_t pv;
	size_t hl;

	if (w[0] == '[') {
		if (!(colon = strchr(w, ']')))
			colon = w + strlen(w);
		bad = !*colon || (colon[1] && colon[1] != ':');
		hl = (size_t)(colon - w - 1);
		if (!bad && colon[1] == ':')
			port = colon + 2;
		w++;
	} else if ((colon = strrchr(w, ':')) != NULL) {
		hl = (size_t)(colon - w);
		port = colon + 1;
	} else {
		hl = strlen(w);
	}
	if (hl >= sizeof(host) || bad) {
		snprintf(msg, len, "invalid address: '%s'\n\n", word);
		return -1;
	}
	memcpy(host, w, hl);
	host[hl] = '\0';
	if (inet_pton(AF_INET, host, rec->addr.ip) == 1) {
		rec->addr.family = PLAN_FAM_INET;
	} else if (inet_pton(AF_INET6, host, rec->addr.ip) == 1) {
		rec->addr.family = PLAN_FAM_INET6;
	} else {
		snprintf(msg, len, "'%s' is not an IPv4 or IPv6 address: cfgrun resolves no names at run time and adds no unix socket servers.\n\n",
		         host);
		return -1;
	}
	rec->addr.proto = PLAN_PROTO_TCP;
	if (!port || !*port) {
		rec->flags |= PLAN_SRV_F_NOPORT;    /* the client's port */
		return 0;
	}
	if (*port == '+' || *port == '-') {
		uint32_t off;

		if (ds_uint(port + 1, 65535, &off) < 0) {
			snprintf(msg, len, "invalid port offset '%s'\n\n", port);
			return -1;
		}
		rec->flags |= PLAN_SRV_F_OFFSET;
		rec->port_offset = *port == '-' ? -(int32_t)off : (int32_t)off;
		return 0;
	}
	for (const char *p = port; *p; p++)
		if (!isdigit((unsigned char)*p)) {
			snprintf(msg, len, "invalid character '%c' in port number '%s' in '%s'\n\n",
			         *p, port, word);
			return -1;
		}
	if (ds_uint(port, 65535, &pv) < 0 || pv == 0) {
		snprintf(msg, len, "invalid port '%s'\n\n", port);
		return -1;
	}
	rec->addr.port = (uint16_t)pv;
	return 0;
}

/* The options of `add server` after the address (w[0..n)) into rec, for
 * server `srv`: 0, or -1 with the answer in msg. */
static int ds_options(char **w, int n, const char *srv, struct plan_server *rec,
                      char *msg, size_t len)
{
	static const struct {
		const char *kw;
		uint16_t set, clear;
	} flags[] = {
		{ "check", PLAN_SRV_F_CHECK, 0 },
		{ "no-check", 0, PLAN_SRV_F_CHECK },
		{ "backup", PLAN_SRV_F_BACKUP, 0 },
		{ "no-backup", 0, PLAN_SRV_F_BACKUP },
		{ "disabled", PLAN_SRV_F_DISABLED, 0 },
		{ "enabled", 0, PLAN_SRV_F_DISABLED },
		{ "send-proxy", PLAN_SRV_F_SEND_PROXY, 0 },
		{ "send-proxy-v2", PLAN_SRV_F_SEND_PROXY2, 0 },
		{ "no-send-proxy", 0, PLAN_SRV_F_SEND_PROXY },
		{ "no-send-proxy-v2", 0, PLAN_SRV_F_SEND_PROXY2 },
	};

	for (int i = 0; i < n; i++) {
		const char *kw = w[i], *v = i + 1 < n ? w[i + 1] : NULL;
		size_t k;

		for (k = 0; k < sizeof(flags) / sizeof(flags[0]); k++)
			if (!strcmp(kw, flags[k].kw))
				break;
		if (k < sizeof(flags) / sizeof(flags[0])) {
			rec->flags = (uint16_t)((rec->flags | flags[k].set) &
			                        ~flags[k].clear);
			continue;
		}
		i++;                        /* the others take a value */
		if (!strcmp(kw, "weight")) {
			uint32_t wt;

			if (!v) {
				snprintf(msg, len, "'weight' expects an integer argument..\n\n");
				return -1;
			}
			if (ds_uint(v, 256, &wt) < 0) {
				snprintf(msg, len, "weight of server %s is not within 0 and 256 (%s)..\n\n",
				         srv, v);
				return -1;
			}
			rec->weight = (uint16_t)wt;
		} else if (!strcmp(kw, "rise") || !strcmp(kw, "fall")) {
			uint32_t *to = kw[0] == 'r' ? &rec->rise : &rec->fall;

			if (!v) {
				snprintf(msg, len, "'%s' expects an integer argument..\n\n", kw);
				return -1;
			}
			if (ds_uint(v, 1000000, to) < 0 || *to == 0) {
				snprintf(msg, len, "'%s' has to be > 0..\n\n", kw);
				return -1;
			}
		} else if (!strcmp(kw, "maxconn") || !strcmp(kw, "maxqueue")) {
			uint32_t *to = kw[3] == 'c' ? &rec->maxconn : &rec->maxqueue;

			if (ds_uint(v, INT32_MAX, to) < 0) {
				snprintf(msg, len, "'%s' expects a positive integer argument..\n\n", kw);
				return -1;
			}
		} else if (!strcmp(kw, "inter") || !strcmp(kw, "fastinter") ||
		           !strcmp(kw, "downinter")) {
			uint32_t *to = kw[0] == 'i' ? &rec->inter :
			               kw[0] == 'f' ? &rec->fastinter : &rec->downinter;

			if (ds_delay(v, kw, srv, to, msg, len) < 0)
				return -1;
		} else if (!strcmp(kw, "cookie")) {
			snprintf(msg, len, "'cookie' option is not accepted for dynamic server\n\n");
			return -1;
		} else {
			for (k = 0; ds_unsupported[k]; k++)
				if (!strcmp(kw, ds_unsupported[k]))
					break;
			if (ds_unsupported[k])
				snprintf(msg, len, "'%s' is not supported by cfgrun on 'add server'.\n\n", kw);
			else
				snprintf(msg, len, "unknown keyword '%s'.\n\n", kw);
			return -1;
		}
	}
	if ((rec->flags & PLAN_SRV_F_CHECK) &&
	    (rec->flags & (PLAN_SRV_F_NOPORT | PLAN_SRV_F_OFFSET))) {
		snprintf(msg, len, "a health-checked server needs a fixed port: give <addr>:<port>.\n\n");
		return -1;
	}
	return 0;
}

/* `B/S` split into the backend (its index, or PLAN_NONE) and the server
 * name; -1 with HAProxy's answer in msg when the word is not one. */
static int ds_target(const struct runtime *rt, const char *w, uint32_t *be,
                     const char **srv, char *msg, size_t len)
{
	const struct plan *p = rt->plan;
	const char *slash = w ? strchr(w, '/') : NULL;
	size_t bl;

	if (!slash || slash == w || !slash[1]) {
		snprintf(msg, len, "Require 'backend/server'.\n");
		return -1;
	}
	bl = (size_t)(slash - w);
	*srv = slash + 1;
	*be = PLAN_NONE;
	for (uint32_t i = 0; i < p->nproxies; i++)
		if ((p->proxies[i].cap & PLAN_CAP_BE) &&
		    p->proxies[i].name.len == bl &&
		    !memcmp(plan_str_get(p, p->proxies[i].name), w, bl))
			*be = i;
	if (*be == PLAN_NONE) {
		snprintf(msg, len, "No such backend.\n");
		return -1;
	}
	return 0;
}

/* add server B/S ADDR [options]: the answer into msg */
static void ds_add(struct runtime *rt, char **w, int n, char *msg, size_t len)
{
	struct plan_server rec;
	const char *name;
	uint32_t be;

	if (ds_target(rt, n > 2 ? w[2] : NULL, &be, &name, msg, len) < 0)
		return;
	if (balance_is_static(rt, be)) {
		snprintf(msg, len, "Backend must use a dynamic load balancing to support dynamic servers.\n");
		return;
	}
	if (n < 4) {
		snprintf(msg, len, "'server' expects <name> and <addr>[:<port>] as arguments.\n\n");
		return;
	}
	if (strlen(name) > DYNSRV_NAME_MAX) {
		snprintf(msg, len, "server name '%.20s...' is too long: cfgrun takes at most %u bytes.\n\n",
		         name, DYNSRV_NAME_MAX);
		return;
	}
	for (const char *p = name; *p; p++)
		if (!isalnum((unsigned char)*p) && !strchr("-_.:", *p)) {
			snprintf(msg, len, "invalid character '%c' in server name '%s'.\n\n",
			         *p, name);
			return;
		}
	memset(&rec, 0, sizeof(rec));
	rec.weight = DS_WEIGHT;
	rec.inter = DS_INTER;
	rec.rise = DS_RISE;
	rec.fall = DS_FALL;
	if (ds_addr(w[3], &rec, msg, len) < 0 ||
	    ds_options(w + 4, n - 4, name, &rec, msg, len) < 0)
		return;
	(void)dynsrv_insert(rt, be, name, &rec, msg, len);
}

/* del server B/S: the answer into msg */
static void ds_del(struct runtime *rt, char **w, int n, char *msg, size_t len)
{
	const char *name;
	uint32_t be, s;

	if (n != 3) {
		snprintf(msg, len, "Require 'backend/server'.\n");
		return;
	}
	if (ds_target(rt, w[2], &be, &name, msg, len) < 0)
		return;
	s = server_find(rt, plan_str_get(rt->plan, rt->plan->proxies[be].name),
	                name);
	if (s == PLAN_NONE) {
		snprintf(msg, len, "No such server.\n");
		return;
	}
	(void)dynsrv_remove(rt, s, msg, len);
}

void stats_add_del_server(struct runtime *rt, struct stats_buf *out,
                          char **w, int n)
{
	char msg[DS_MSG];

	msg[0] = '\0';
	if (w[0][0] == 'a')
		ds_add(rt, w, n, msg, sizeof(msg));
	else
		ds_del(rt, w, n, msg, sizeof(msg));
	stats_buf_puts(out, msg);
}
