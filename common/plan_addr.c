/*
 * plan_addr.c: servers' compact addresses, packed and unpacked.
 *
 * Readers of the plan never look at how a server's address is stored;
 * they ask for a struct plan_addr here and get a private copy they may
 * adjust (a port taken from the client, a check port). cfgc packs them
 * here too, so both directions sit side by side: what one writes, the
 * other rebuilds byte for byte (test_plan checks the round trip).
 */
#include "config.h"

#include <limits.h>
#include <stddef.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <netinet/in.h>

#include "plan.h"

#define PLAN_SUN_OFF  offsetof(struct sockaddr_un, sun_path)
#define PLAN_SUN_MAX  (sizeof(((struct sockaddr_un *)0)->sun_path) - 1)

/* Rebuild the struct plan_addr that `c` (verified) stands for. */
static void plan_srv_addr_unpack(const struct plan *p,
                                 const struct plan_srv_addr *c,
                                 struct plan_addr *out)
{
	struct sockaddr_in sin;
	struct sockaddr_in6 sin6;
	struct sockaddr_un sun;
	const char *path;
	size_t n;

	memset(out, 0, sizeof(*out));
	out->family = c->family;
	out->proto = c->proto;
	switch (c->family) {
	case PLAN_FAM_INET:
		memset(&sin, 0, sizeof(sin));
		sin.sin_family = AF_INET;
		sin.sin_port = htons(c->port);
		memcpy(&sin.sin_addr, c->ip, sizeof(sin.sin_addr));
		out->salen = sizeof(sin);
		memcpy(out->sa, &sin, sizeof(sin));
		return;
	case PLAN_FAM_INET6:
		memset(&sin6, 0, sizeof(sin6));
		sin6.sin6_family = AF_INET6;
		sin6.sin6_port = htons(c->port);
		sin6.sin6_scope_id = c->aux;
		memcpy(&sin6.sin6_addr, c->ip, sizeof(sin6.sin6_addr));
		out->salen = sizeof(sin6);
		memcpy(out->sa, &sin6, sizeof(sin6));
		return;
	case PLAN_FAM_UNIX:
	case PLAN_FAM_ABNS:
	case PLAN_FAM_ABNSZ:
		path = p->blob + c->aux;
		n = strlen(path);             /* verified: <= PLAN_SUN_MAX */
		memset(&sun, 0, sizeof(sun));
		sun.sun_family = AF_UNIX;
		memcpy(sun.sun_path + (c->family != PLAN_FAM_UNIX), path, n);
		out->salen = plan_sun_len(c->family, n);
		memcpy(out->sa, &sun, out->salen);
		return;
	case PLAN_FAM_FD:
	case PLAN_FAM_SOCKPAIR:
		out->fd = c->aux;
		return;
	default:                              /* NONE */
		return;
	}
}

void plan_srv_addr_to(const struct plan *p, const struct plan_srv_addr *c,
                      struct plan_addr *out)
{
	plan_srv_addr_unpack(p, c, out);
}

void plan_server_addr(const struct plan *p, uint32_t i, struct plan_addr *out)
{
	plan_srv_addr_unpack(p, &p->servers[i].addr, out);
}

void plan_server_check_addr(const struct plan *p, uint32_t i,
                            struct plan_addr *out)
{
	const struct plan_server *ps = &p->servers[i];

	plan_srv_addr_unpack(p, ps->check_addr != PLAN_NONE ?
	                     &p->check_addrs[ps->check_addr] : &ps->addr, out);
}

void plan_server_source(const struct plan *p, uint32_t i,
                        struct plan_addr *out)
{
	plan_srv_addr_unpack(p, &p->servers[i].source, out);
}

const char *plan_server_host(const struct plan *p, uint32_t i)
{
	const struct plan_srv_addr *a = &p->servers[i].addr;

	return a->family == PLAN_FAM_NONE ? p->blob + a->aux : "";
}

const struct plan_tls_server *plan_server_tls(const struct plan *p,
                                              uint32_t i)
{
	uint32_t lo = 0, hi = p->ntls_servers;

	if (i >= p->nservers || !(p->servers[i].flags & PLAN_SRV_F_TLS))
		return NULL;
	while (lo < hi) {               /* the verifier proved them sorted */
		uint32_t mid = lo + (hi - lo) / 2;

		if (p->tls_servers[mid].server < i)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < p->ntls_servers && p->tls_servers[lo].server == i ?
	       &p->tls_servers[lo] : NULL;
}

/* 1 when bytes [from, to) of `b` are all zero. */
static int plan_zero(const uint8_t *b, size_t from, size_t to)
{
	for (; from < to; from++)
		if (b[from])
			return 0;
	return 1;
}

int plan_srv_addr_pack(struct plan_builder *b, const struct plan_addr *a,
                       const char *host, struct plan_srv_addr *out)
{
	struct sockaddr_in sin;
	struct sockaddr_in6 sin6;
	const char *path = (const char *)a->sa + PLAN_SUN_OFF;
	size_t n;
	int abstract;

	memset(out, 0, sizeof(*out));
	if (a->family >= PLAN_FAM_MAX || a->proto >= PLAN_PROTO_MAX ||
	    a->salen > PLAN_SOCKADDR_MAX ||
	    !plan_zero(a->sa, a->salen, PLAN_SOCKADDR_MAX) ||
	    (a->proto == PLAN_PROTO_MPTCP && a->family != PLAN_FAM_INET &&
	     a->family != PLAN_FAM_INET6) ||
	    (host && *host && a->family != PLAN_FAM_NONE))
		return -1;
	out->family = a->family;
	out->proto = a->proto;
	switch (a->family) {
	case PLAN_FAM_NONE:
		if (a->salen || a->fd)
			return -1;
		if (host && *host)
			out->aux = plan_builder_str(b, host, strlen(host)).off;
		return 0;
	case PLAN_FAM_INET:
		if (a->salen != sizeof(sin) || a->fd)
			return -1;
		memcpy(&sin, a->sa, sizeof(sin));
		if (sin.sin_family != AF_INET ||
		    !plan_zero(sin.sin_zero, 0, sizeof(sin.sin_zero)))
			return -1;
		out->port = ntohs(sin.sin_port);
		memcpy(out->ip, &sin.sin_addr, sizeof(sin.sin_addr));
		return 0;
	case PLAN_FAM_INET6:
		if (a->salen != sizeof(sin6) || a->fd)
			return -1;
		memcpy(&sin6, a->sa, sizeof(sin6));
		if (sin6.sin6_family != AF_INET6 || sin6.sin6_flowinfo)
			return -1;
		out->port = ntohs(sin6.sin6_port);
		out->aux = sin6.sin6_scope_id;
		memcpy(out->ip, &sin6.sin6_addr, sizeof(sin6.sin6_addr));
		return 0;
	case PLAN_FAM_FD:
	case PLAN_FAM_SOCKPAIR:
		if (a->salen || a->fd > INT_MAX)
			return -1;
		out->aux = a->fd;
		return 0;
	default:
		break;
	}
	/* UNIX, ABNS, ABNSZ: only the canonical forms addr.c makes. */
	abstract = a->family != PLAN_FAM_UNIX;
	if (a->fd || a->salen < PLAN_SUN_OFF + 1 ||
	    ((const struct sockaddr *)(const void *)a->sa)->sa_family != AF_UNIX ||
	    (abstract && path[0]))
		return -1;
	path += abstract;
	n = strnlen(path, PLAN_SUN_MAX + 1 - (size_t)abstract);
	if (n > PLAN_SUN_MAX || a->salen != plan_sun_len(a->family, n) ||
	    (a->family == PLAN_FAM_UNIX && n == 0) ||
	    !plan_zero((const uint8_t *)path, n, PLAN_SUN_MAX + 1 - (size_t)abstract))
		return -1;
	out->aux = plan_builder_str(b, path, n).off;
	return 0;
}
