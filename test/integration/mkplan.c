/*
 * mkplan: build a plan from command-line arguments, for runtime tests that
 * need plans cfgc cannot write (odd but valid ones) or before cfgc existed.
 *
 *   mkplan OUT [--maxconn N] PROXY...
 *   PROXY := (--frontend|--backend|--listen) NAME [OPTION]...
 *   OPTION := --bind ADDR | --server NAME ADDR | --weight W (last server)
 *           | --srv-maxconn N (last server) | --default-backend NAME
 *           | --maxconn N | --timeout connect|client|server MS
 *
 * ADDR := [ipv4@|ipv6@|mptcp4@|mptcp6@|mptcp@]IP:PORT with IPv6 in
 * brackets, or unix@PATH, abns@NAME, abnsz@NAME, fd@N, sockpair@N; a
 * server IP without ":PORT" gets PLAN_SRV_F_NOPORT.
 * Exit 0 on success, 2 on a usage error (with a message).
 */
#include "config.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "plan.h"

#define MKPLAN_MAX 256          /* proxies, listeners, servers each */

struct mk_server {
	const char *name;
	struct plan_addr addr;
	uint32_t weight, maxconn, flags;
};

struct mk_proxy {
	const char *name;
	uint32_t cap, maxconn, tmo[3];   /* timeouts: connect, client, server (ms) */
	const char *defbe;
	struct plan_addr binds[MKPLAN_MAX];
	const char *bind_names[MKPLAN_MAX];
	uint32_t nbinds;
	struct mk_server servers[MKPLAN_MAX];
	uint32_t nservers;
};

static struct mk_proxy mk_proxies[MKPLAN_MAX];
static uint32_t mk_nproxies;

static void mk_die(const char *fmt, const char *arg)
{
	fprintf(stderr, "mkplan: ");
	fprintf(stderr, fmt, arg);
	fputc('\n', stderr);
	exit(2);
}

static uint32_t mk_num(const char *s)
{
	char *end;
	unsigned long v = strtoul(s, &end, 10);

	if (!*s || *end || v > 0xffffffffUL)
		mk_die("expected a number, found '%s'", s);
	return (uint32_t)v;
}

/* Parse ADDR into `a`; returns 1 when a port was given. */
static int mk_addr(const char *w, struct plan_addr *a)
{
	struct sockaddr_un *un = (struct sockaddr_un *)a->sa;
	const char *at = strchr(w, '@');
	char host[128];
	const char *port = NULL;
	int want = 0;   /* 4, 6 or 0 (either) */
	size_t n;

	memset(a, 0, sizeof(*a));
	if (at) {
		size_t pl = (size_t)(at - w);
		const char *rest = at + 1;

		if (!strncmp(w, "unix", pl) && pl == 4) {
			a->family = PLAN_FAM_UNIX;
		} else if (pl == 4 && !strncmp(w, "abns", 4)) {
			a->family = PLAN_FAM_ABNS;
		} else if (pl == 5 && !strncmp(w, "abnsz", 5)) {
			a->family = PLAN_FAM_ABNSZ;
		} else if (pl == 2 && !strncmp(w, "fd", 2)) {
			a->family = PLAN_FAM_FD;
			a->fd = mk_num(rest);
			return 1;
		} else if (pl == 8 && !strncmp(w, "sockpair", 8)) {
			a->family = PLAN_FAM_SOCKPAIR;
			a->fd = mk_num(rest);
			return 1;
		} else if (pl == 4 && !strncmp(w, "ipv4", 4)) {
			want = 4;
		} else if (pl == 4 && !strncmp(w, "ipv6", 4)) {
			want = 6;
		} else if (pl == 6 && !strncmp(w, "mptcp4", 6)) {
			want = 4, a->proto = PLAN_PROTO_MPTCP;
		} else if (pl == 6 && !strncmp(w, "mptcp6", 6)) {
			want = 6, a->proto = PLAN_PROTO_MPTCP;
		} else if (pl == 5 && !strncmp(w, "mptcp", 5)) {
			a->proto = PLAN_PROTO_MPTCP;
		} else {
			mk_die("unknown address family in '%s'", w);
		}
		if (a->family) {
			size_t off = offsetof(struct sockaddr_un, sun_path);

			n = strlen(rest);
			un->sun_family = AF_UNIX;
			if (a->family == PLAN_FAM_UNIX) {
				if (n >= sizeof(un->sun_path))
					mk_die("unix path too long: '%s'", rest);
				memcpy(un->sun_path, rest, n);
				a->salen = (uint16_t)(off + n + 1);
			} else {
				if (n + 1 > sizeof(un->sun_path))
					mk_die("abstract name too long: '%s'", rest);
				memcpy(un->sun_path + 1, rest, n);
				a->salen = a->family == PLAN_FAM_ABNS ?
				           (uint16_t)sizeof(*un) :
				           (uint16_t)(off + 1 + n);
			}
			return 1;
		}
		w = rest;
	}
	if (w[0] == '[') {
		const char *close = strchr(w, ']');

		if (!close || (size_t)(close - w - 1) >= sizeof(host))
			mk_die("bad bracketed IPv6 address '%s'", w);
		memcpy(host, w + 1, (size_t)(close - w - 1));
		host[close - w - 1] = '\0';
		if (close[1] == ':')
			port = close + 2;
		else if (close[1])
			mk_die("junk after ']' in '%s'", w);
	} else {
		const char *colon = strrchr(w, ':');

		n = colon ? (size_t)(colon - w) : strlen(w);
		if (n >= sizeof(host))
			mk_die("address too long: '%s'", w);
		memcpy(host, w, n);
		host[n] = '\0';
		if (colon)
			port = colon + 1;
	}
	if (want != 6 && inet_pton(AF_INET, host, &((struct sockaddr_in *)a->sa)->sin_addr) == 1) {
		struct sockaddr_in *in = (struct sockaddr_in *)a->sa;

		a->family = PLAN_FAM_INET;
		a->salen = sizeof(*in);
		in->sin_family = AF_INET;
		if (port)
			in->sin_port = htons((uint16_t)mk_num(port));
	} else if (want != 4 && inet_pton(AF_INET6, host, &((struct sockaddr_in6 *)a->sa)->sin6_addr) == 1) {
		struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)a->sa;

		a->family = PLAN_FAM_INET6;
		a->salen = sizeof(*in6);
		in6->sin6_family = AF_INET6;
		if (port)
			in6->sin6_port = htons((uint16_t)mk_num(port));
	} else {
		mk_die("not an IP address of the wanted family: '%s'", w);
	}
	return port != NULL;
}

static struct mk_proxy *mk_cur(const char *opt)
{
	if (mk_nproxies == 0)
		mk_die("%s comes before any --frontend/--backend/--listen", opt);
	return &mk_proxies[mk_nproxies - 1];
}

static uint32_t mk_find(const char *name)
{
	for (uint32_t i = 0; i < mk_nproxies; i++)
		if (!strcmp(mk_proxies[i].name, name))
			return i;
	mk_die("no proxy named '%s'", name);
	return PLAN_NONE;
}

static void mk_parse(int argc, char **argv, uint32_t *gmaxconn)
{
	for (int i = 2; i < argc; i++) {
		const char *o = argv[i];
		struct mk_proxy *px;
		struct mk_server *sv;

#define ARG() (i + 1 < argc ? argv[++i] : (mk_die("%s needs an argument", o), ""))
		if (!strcmp(o, "--frontend") || !strcmp(o, "--backend") ||
		    !strcmp(o, "--listen")) {
			if (mk_nproxies == MKPLAN_MAX)
				mk_die("too many proxies at '%s'", o);
			px = &mk_proxies[mk_nproxies++];
			px->name = ARG();
			px->cap = o[2] == 'f' ? PLAN_CAP_FE :
			          o[2] == 'b' ? PLAN_CAP_BE : PLAN_CAP_ALL;
		} else if (!strcmp(o, "--maxconn")) {
			if (mk_nproxies == 0)
				*gmaxconn = mk_num(ARG());
			else
				mk_cur(o)->maxconn = mk_num(ARG());
		} else if (!strcmp(o, "--bind")) {
			px = mk_cur(o);
			if (!(px->cap & PLAN_CAP_FE) || px->nbinds == MKPLAN_MAX)
				mk_die("--bind not allowed here (%s)", px->name);
			px->bind_names[px->nbinds] = argv[i + 1];
			if (!mk_addr(ARG(), &px->binds[px->nbinds]))
				mk_die("--bind needs a port: '%s'", argv[i]);
			px->nbinds++;
		} else if (!strcmp(o, "--server")) {
			px = mk_cur(o);
			if (!(px->cap & PLAN_CAP_BE) || px->nservers == MKPLAN_MAX)
				mk_die("--server not allowed here (%s)", px->name);
			sv = &px->servers[px->nservers++];
			sv->name = ARG();
			sv->weight = 1;
			if (!mk_addr(ARG(), &sv->addr))
				sv->flags |= PLAN_SRV_F_NOPORT;
		} else if (!strcmp(o, "--weight") || !strcmp(o, "--srv-maxconn")) {
			px = mk_cur(o);
			if (!px->nservers)
				mk_die("%s before any --server", o);
			sv = &px->servers[px->nservers - 1];
			if (o[2] == 'w')
				sv->weight = mk_num(ARG());
			else
				sv->maxconn = mk_num(ARG());
		} else if (!strcmp(o, "--default-backend")) {
			mk_cur(o)->defbe = ARG();
		} else if (!strcmp(o, "--timeout")) {
			const char *which = ARG();
			uint32_t ms = mk_num(ARG());

			px = mk_cur(o);
			if (!strcmp(which, "connect"))
				px->tmo[0] = ms;
			else if (!strcmp(which, "client"))
				px->tmo[1] = ms;
			else if (!strcmp(which, "server"))
				px->tmo[2] = ms;
			else
				mk_die("unknown timeout '%s'", which);
		} else {
			mk_die("unknown option '%s'", o);
		}
#undef ARG
	}
}

int main(int argc, char **argv)
{
	struct plan_builder *b;
	struct plan_global *g;
	uint32_t gmaxconn = 0;
	uint8_t *buf;
	size_t len;
	char err[256];

	if (argc < 2 || argv[1][0] == '-')
		mk_die("%s", "usage: mkplan OUT [--maxconn N] (--frontend|--backend|--listen NAME [options])...");
	mk_parse(argc, argv, &gmaxconn);
	b = plan_builder_new();
	if (!b)
		mk_die("%s", "out of memory");
	plan_builder_add(b, PLAN_SEC_GLOBAL);
	g = plan_builder_at(b, PLAN_SEC_GLOBAL, 0);
	g->maxconn = gmaxconn;
	g->nproxies = mk_nproxies;
	g->source = plan_builder_str(b, "mkplan", 6);
	for (uint32_t i = 0; i < mk_nproxies; i++) {
		const struct mk_proxy *m = &mk_proxies[i];
		uint32_t defbe = m->defbe ? mk_find(m->defbe) : PLAN_NONE;
		struct plan_str name = plan_builder_str(b, m->name, strlen(m->name));
		uint32_t fl = plan_builder_count(b, PLAN_SEC_LISTENER);
		uint32_t fs = plan_builder_count(b, PLAN_SEC_SERVER);
		struct plan_proxy *pp;

		if (defbe != PLAN_NONE && !(mk_proxies[defbe].cap & PLAN_CAP_BE))
			mk_die("default backend '%s' is not a backend", m->defbe);
		for (uint32_t k = 0; k < m->nbinds; k++) {
			struct plan_str n = plan_builder_str(b, m->bind_names[k],
			                                     strlen(m->bind_names[k]));
			struct plan_listener *pl;

			pl = plan_builder_at(b, PLAN_SEC_LISTENER,
			                     plan_builder_add(b, PLAN_SEC_LISTENER));
			pl->proxy = i;
			pl->line = 1;
			pl->name = n;
			pl->addr = m->binds[k];
		}
		for (uint32_t k = 0; k < m->nservers; k++) {
			const struct mk_server *sv = &m->servers[k];
			struct plan_str n = plan_builder_str(b, sv->name, strlen(sv->name));
			struct plan_server *ps;

			ps = plan_builder_at(b, PLAN_SEC_SERVER,
			                     plan_builder_add(b, PLAN_SEC_SERVER));
			ps->proxy = i;
			ps->line = 1;
			ps->name = n;
			ps->weight = sv->weight;
			ps->maxconn = sv->maxconn;
			ps->flags = sv->flags;
			ps->addr = sv->addr;
		}
		pp = plan_builder_at(b, PLAN_SEC_PROXY,
		                     plan_builder_add(b, PLAN_SEC_PROXY));
		pp->name = name;
		pp->cap = m->cap;
		pp->mode = PLAN_MODE_TCP;
		pp->balance = PLAN_BALANCE_ROUNDROBIN;
		pp->maxconn = m->maxconn;
		pp->timeout_connect = m->tmo[0];
		pp->timeout_client = m->tmo[1];
		pp->timeout_server = m->tmo[2];
		pp->default_backend = defbe;
		pp->first_listener = m->nbinds ? fl : 0;
		pp->nlisteners = m->nbinds;
		pp->first_server = m->nservers ? fs : 0;
		pp->nservers = m->nservers;
		pp->line = 1;
	}
	if (plan_builder_finish(b, &buf, &len) < 0)
		mk_die("%s", "cannot lay the plan out (limits or memory)");
	plan_builder_free(b);
	if (plan_write_file(argv[1], buf, len, err, sizeof(err)) < 0)
		mk_die("%s", err);
	free(buf);
	return 0;
}
