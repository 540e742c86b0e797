/*
 * acl.c: the samples cfgrun gives the plan's ACLs (addresses and ports of
 * a connection, usable servers of a backend) and the places rules are
 * applied: at accept (tcp-request connection), when the stream gets its
 * backend (use_backend) and before its server is chosen (stick rules). The plan is read-only and shared by the
 * threads; nothing here allocates.
 */
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "acl.h"
#include "balance.h"
#include "plan.h"
#include "stktable.h"
#include "thread.h"

/* What a fetch may read for one connection. */
struct acl_conn {
	struct runtime *rt;
	int fd;                             /* the client's socket */
	const struct sockaddr_storage *src; /* client address */
	socklen_t srclen;
	struct sockaddr_storage *dst;       /* local address, asked lazily */
	socklen_t *dstlen;                  /* 0 = not asked yet */
	struct stk_ctrs *stk;               /* stick counters, NULL = none */
};

static void acl_fetch(void *ctx, const struct plan_acl *a,
                      struct plan_sample *out)
{
	struct acl_conn *c = ctx;

	memset(out, 0, sizeof(*out));
	switch (a->fetch) {
	case PLAN_FETCH_ALWAYS_FALSE:
	case PLAN_FETCH_ALWAYS_TRUE:
		out->type = PLAN_SMP_BOOL;
		out->i = a->fetch == PLAN_FETCH_ALWAYS_TRUE;
		return;
	case PLAN_FETCH_SRC:
	case PLAN_FETCH_SRC_PORT:
		plan_sample_addr(c->src, c->srclen, a->fetch == PLAN_FETCH_SRC_PORT,
		                 out);
		return;
	case PLAN_FETCH_DST:
	case PLAN_FETCH_DST_PORT:
		if (!*c->dstlen) {
			socklen_t len = sizeof(*c->dst);

			if (getsockname(c->fd, (struct sockaddr *)c->dst, &len) < 0)
				return;
			*c->dstlen = len;
		}
		plan_sample_addr(c->dst, *c->dstlen, a->fetch == PLAN_FETCH_DST_PORT,
		                 out);
		return;
	case PLAN_FETCH_NBSRV:
		out->type = PLAN_SMP_INT;
		if (a->arg == PLAN_NONE)
			return;
		gen_lock(c->rt);
		out->i = balance_usable(c->rt, a->arg);
		gen_unlock(c->rt);
		return;
	case PLAN_FETCH_STKCTR:
		stk_fetch(c->rt, c->stk, c->src, c->srclen, a, out);
		return;
	default:
		return;
	}
}

int acl_conn_accept(struct runtime *rt, uint32_t fe, int fd,
                    const struct sockaddr_storage *src, socklen_t srclen,
                    struct stk_ctrs *stk)
{
	const struct plan *p = rt->plan;
	const struct plan_proxy *px = &p->proxies[fe];
	struct sockaddr_storage dst;
	socklen_t dstlen = 0;
	struct acl_conn c = { .rt = rt, .fd = fd, .src = src, .srclen = srclen,
	                      .dst = &dst, .dstlen = &dstlen, .stk = stk };

	for (uint32_t i = 0; i < px->nconn_rules; i++) {
		const struct plan_rule *r = &p->rules[px->first_rule + i];

		if (!plan_rule_applies(p, r, acl_fetch, &c))
			continue;
		if (r->action == PLAN_RULE_STICK) {
			stk_rule(rt, stk, &p->tracks[r->reserved], acl_fetch, &c, 0);
			continue;
		}
		if (r->action == PLAN_RULE_REJECT)
			stk_release(stk, 0);
		return r->action != PLAN_RULE_REJECT;
	}
	return 1;
}

void acl_conn_reject(int fd)
{
	const struct linger nolinger = { .l_onoff = 1, .l_linger = 0 };

	(void)setsockopt(fd, SOL_SOCKET, SO_LINGER, &nolinger, sizeof(nolinger));
	close(fd);
}

int acl_has_switching(const struct runtime *rt, uint32_t fe)
{
	const struct plan_proxy *px = &rt->plan->proxies[fe];

	return plan_switch_end(px) > px->nconn_rules;
}

/* The first use_backend rule of s's frontend that applies, else the
 * default route. */
static uint32_t acl_switch(struct stream *s)
{
	struct runtime *rt = s->rt;
	const struct plan *p = rt->plan;
	const struct plan_proxy *px = &p->proxies[s->frontend];
	struct acl_conn c = { .rt = rt, .fd = s->side[STREAM_CLI].conn.fd,
	                      .src = &s->cli_addr, .srclen = s->cli_addrlen,
	                      .dst = &s->dst_addr, .dstlen = &s->dst_addrlen,
	                      .stk = &s->stk };

	for (uint32_t i = px->nconn_rules; i < plan_switch_end(px); i++) {
		const struct plan_rule *r = &p->rules[px->first_rule + i];

		if (plan_rule_applies(p, r, acl_fetch, &c))
			return r->backend;
	}
	return rt->proxies[s->frontend].backend;
}

void acl_stick(struct stream *s)
{
	struct runtime *rt = s->rt;
	struct acl_conn c = { .rt = rt, .fd = s->side[STREAM_CLI].conn.fd,
	                      .src = &s->cli_addr, .srclen = s->cli_addrlen,
	                      .dst = &s->dst_addr, .dstlen = &s->dst_addrlen,
	                      .stk = &s->stk };

	if (s->backend == PLAN_NONE ||
	    !rt->plan->proxies[s->backend].nstick_rules)
		return;
	stk_persist_rules(rt, s->backend, NULL, acl_fetch, &c, &s->stores,
	                  &s->want_srv);
}

uint32_t acl_backend(struct stream *s)
{
	struct runtime *rt = s->rt;

	if (!acl_has_switching(rt, s->frontend) ||
	    (rt->plan->listeners[s->listener].flags & PLAN_LSN_F_ACCEPT_PROXY))
		return rt->proxies[s->frontend].backend;
	return acl_switch(s);
}

void acl_backend_after_proxy(struct stream *s)
{
	struct runtime *rt = s->rt;
	uint32_t be;

	if (!acl_has_switching(rt, s->frontend))
		return;
	be = acl_switch(s);
	if (be == s->backend)
		return;
	gen_lock(rt);
	if (s->backend != PLAN_NONE)
		rt->proxies[s->backend].beconn--;
	if (be != PLAN_NONE)
		rt->proxies[be].beconn++;
	gen_unlock(rt);
	s->backend = be;
}
