/*
 * kw-checkproto.c: the protocol health checks, `option mysql-check`,
 * `option pgsql-check`, `option redis-check`, `option smtpchk` and
 * `option ldap-check`.
 *
 * As in HAProxy, each becomes a fixed tcp-check rule list replacing the
 * proxy's: a connect, the bytes the protocol's client sends (built here,
 * from the user name when one is given), and expect rules of kind
 * PLAN_CHK_EXPECT_PROTO that cfgrun judges with its own code for that
 * protocol (runtime/lb/check_proto.c). The expect rules carry the option's
 * words as compiled, so that `cfgc --dump` can print the option back.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "diag.h"
#include "kw.h"
#include "model.h"
#include "sema.h"

#define PROTO_MAX_USER 255     /* bytes of a user name we send */

/* Append a rule to the proxy's fresh list; NULL without memory. */
static struct model_check_rule *proto_rule(struct sema *s, uint32_t line,
                                           uint32_t op, uint32_t arg,
                                           const void *data, size_t len)
{
	struct model_check_rule *r = model_add_check(s->set);

	if (!r || (len && !(r->data = malloc(len + 1)))) {
		s->oom = 1;
		return NULL;
	}
	r->op = op;
	r->arg = arg;
	r->line = line;
	if (len) {
		memcpy(r->data, data, len);
		r->data[len] = 0;
		r->len = len;
	}
	return r;
}

/* Replace the proxy's check rules by: an optional connect, `send` (when
 * len > 0), then one expect rule per step of `steps` (nsteps), each with
 * the option's text `text`. */
static int proto_rules(struct sema *s, const struct ast_stmt *st, int connect,
                       const void *send, size_t len, const uint32_t *steps,
                       size_t nsteps, const char *text)
{
	uint32_t line = st->args[0].loc.line;

	model_checks_clear(s->set);
	/* a tcp-check rule written after the option replaces these */
	s->set->checks_inherited = 1;
	s->set->check_type = PLAN_CHECK_TCP;
	if (connect && !proto_rule(s, line, PLAN_CHK_CONNECT, 0, NULL, 0))
		return -1;
	if (len && !proto_rule(s, line, PLAN_CHK_SEND, 0, send, len))
		return -1;
	for (size_t i = 0; i < nsteps; i++)
		if (!proto_rule(s, line, PLAN_CHK_EXPECT_PROTO, steps[i], text,
		                strlen(text)))
			return -1;
	return 0;
}

/* The `user NAME` of a check option at args[at]: NAME, or NULL after an
 * error. `what` names the option. */
static const char *proto_user(struct sema *s, const struct ast_stmt *st,
                              size_t at, const char *what)
{
	const struct ast_word *w = &st->args[at];

	if (strcmp(w->text, "user")) {
		diag_error(s->dc, &w->loc, "invalid-value",
		           "'option %s' expects 'user <name>', found '%s'", what,
		           w->text);
		return NULL;
	}
	if (at + 1 >= st->nargs || !st->args[at + 1].text[0]) {
		diag_error(s->dc, &w->loc, "missing-argument",
		           "'option %s user' expects a user name, found nothing",
		           what);
		return NULL;
	}
	if (strlen(st->args[at + 1].text) > PROTO_MAX_USER) {
		diag_error(s->dc, &st->args[at + 1].loc, "out-of-range",
		           "'option %s user' expects a name of at most %d bytes",
		           what, PROTO_MAX_USER);
		return NULL;
	}
	return st->args[at + 1].text;
}

/*
 * option mysql-check [user NAME [post-41|pre-41]]
 * Without a user, the greeting alone is judged. With one, a login packet
 * for it (the 4.1 form unless pre-41) and a COM_QUIT are sent at once and
 * both the greeting and the answer to the login are judged.
 */
int kw_option_mysql_check(struct sema *s, const struct ast_stmt *st,
                          size_t args, int negate)
{
	static const uint32_t hello[] = { PLAN_CHKP_MYSQL_HELLO };
	static const uint32_t both[] = { PLAN_CHKP_MYSQL_HELLO,
	                                 PLAN_CHKP_MYSQL_OK };
	unsigned char pkt[64 + PROTO_MAX_USER];
	char text[64 + PROTO_MAX_USER];
	const char *user;
	size_t ulen, n = 0, body;
	int pre41 = 0;

	(void)negate;
	if (args >= st->nargs)
		return proto_rules(s, st, 1, NULL, 0, hello, 1, "mysql-check");
	if (!(user = proto_user(s, st, args, "mysql-check")))
		return -1;
	if (args + 2 < st->nargs) {
		const struct ast_word *v = &st->args[args + 2];

		if (!strcmp(v->text, "pre-41"))
			pre41 = 1;
		else if (strcmp(v->text, "post-41")) {
			diag_error(s->dc, &v->loc, "invalid-value",
			           "'option mysql-check user' expects 'post-41' or "
			           "'pre-41' after the name, found '%s'", v->text);
			return -1;
		}
	}
	ulen = strlen(user);
	/* login packet: capabilities, max packet size, (4.1: charset and 23
	 * reserved bytes), the user NUL-terminated, an empty password */
	body = pre41 ? ulen + 7 : ulen + 34;
	pkt[n++] = (unsigned char)(body & 0xff);
	pkt[n++] = (unsigned char)(body >> 8 & 0xff);
	pkt[n++] = (unsigned char)(body >> 16 & 0xff);
	pkt[n++] = 1;                             /* sequence number */
	if (pre41) {
		memcpy(pkt + n, "\x00\x80" "\x00\x00\x01", 5);
		n += 5;
	} else {
		memcpy(pkt + n, "\x00\x82\x00\x00" "\x00\x80\x00\x01" "\x21", 9);
		n += 9;
		memset(pkt + n, 0, 23);
		n += 23;
	}
	memcpy(pkt + n, user, ulen);
	n += ulen;
	pkt[n++] = 0;                             /* end of the name */
	pkt[n++] = 0;                             /* no password */
	/* then COM_QUIT: length 1, sequence 0, command 1 */
	memcpy(pkt + n, "\x01\x00\x00\x00\x01", 5);
	n += 5;
	snprintf(text, sizeof(text), "mysql-check user %s%s", user,
	         pre41 ? " pre-41" : "");
	return proto_rules(s, st, 1, pkt, n, both, 2, text);
}

/* option pgsql-check user NAME: a startup message (protocol 3.0) for NAME;
 * the server must ask for authentication or accept, not refuse. */
int kw_option_pgsql_check(struct sema *s, const struct ast_stmt *st,
                          size_t args, int negate)
{
	static const uint32_t steps[] = { PLAN_CHKP_PGSQL };
	unsigned char pkt[32 + PROTO_MAX_USER];
	char text[32 + PROTO_MAX_USER];
	const char *user;
	size_t ulen, n = 0, total;

	(void)negate;
	if (args >= st->nargs) {
		diag_error(s->dc, &st->args[args - 1].loc, "missing-argument",
		           "'option pgsql-check' expects 'user <name>', found "
		           "nothing");
		return -1;
	}
	if (!(user = proto_user(s, st, args, "pgsql-check")))
		return -1;
	ulen = strlen(user);
	total = 15 + ulen;  /* length, version, "user\0", NAME\0, final \0 */
	pkt[n++] = (unsigned char)(total >> 24);
	pkt[n++] = (unsigned char)(total >> 16);
	pkt[n++] = (unsigned char)(total >> 8);
	pkt[n++] = (unsigned char)total;
	memcpy(pkt + n, "\x00\x03\x00\x00" "user", 9);   /* with its NUL */
	n += 9;
	memcpy(pkt + n, user, ulen + 1);
	n += ulen + 1;
	pkt[n++] = 0;
	snprintf(text, sizeof(text), "pgsql-check user %s", user);
	return proto_rules(s, st, 1, pkt, n, steps, 1, text);
}

/* option redis-check: PING, expecting +PONG. */
int kw_option_redis_check(struct sema *s, const struct ast_stmt *st,
                          size_t args, int negate)
{
	static const uint32_t steps[] = { PLAN_CHKP_REDIS };
	static const char ping[] = "*1\r\n$4\r\nPING\r\n";

	(void)args;
	(void)negate;
	return proto_rules(s, st, 0, ping, sizeof(ping) - 1, steps, 1,
	                   "redis-check");
}

/* option ldap-check: an anonymous LDAPv3 simple bind (messageID 1),
 * expecting a successful bind response. */
int kw_option_ldap_check(struct sema *s, const struct ast_stmt *st,
                         size_t args, int negate)
{
	static const uint32_t steps[] = { PLAN_CHKP_LDAP };
	static const unsigned char bind[] = {
		0x30, 0x0c,                 /* LDAPMessage, 12 bytes */
		0x02, 0x01, 0x01,           /* messageID 1 */
		0x60, 0x07,                 /* bindRequest, 7 bytes */
		0x02, 0x01, 0x03,           /* version 3 */
		0x04, 0x00,                 /* name "" */
		0x80, 0x00,                 /* simple authentication "" */
	};

	(void)args;
	(void)negate;
	return proto_rules(s, st, 0, bind, sizeof(bind), steps, 1,
	                   "ldap-check");
}

/*
 * option smtpchk [HELO|EHLO DOMAIN]: the greeting must be 2xx, then
 * "HELO localhost" (or the command given) must be answered 2xx. Another
 * command than HELO or EHLO falls back to the default, as in HAProxy.
 */
int kw_option_smtpchk(struct sema *s, const struct ast_stmt *st,
                      size_t args, int negate)
{
	uint32_t line = st->args[0].loc.line;
	char cmd[300], text[320];
	const char *c = "HELO", *dom = "localhost";
	uint32_t step;

	(void)negate;
	if (args + 1 < st->nargs && (!strcmp(st->args[args].text, "HELO") ||
	                             !strcmp(st->args[args].text, "EHLO"))) {
		c = st->args[args].text;
		dom = st->args[args + 1].text;
	}
	if (strlen(dom) > PROTO_MAX_USER || strpbrk(dom, "\r\n")) {
		diag_error(s->dc, &st->args[args + 1].loc, "invalid-value",
		           "'option smtpchk' expects a domain of at most %d bytes "
		           "on one line", PROTO_MAX_USER);
		return -1;
	}
	snprintf(cmd, sizeof(cmd), "%s %s\r\n", c, dom);
	if (!strcmp(c, "HELO") && !strcmp(dom, "localhost"))
		snprintf(text, sizeof(text), "smtpchk");
	else
		snprintf(text, sizeof(text), "smtpchk %s %s", c, dom);
	step = PLAN_CHKP_SMTP_HELLO;
	if (proto_rules(s, st, 1, NULL, 0, &step, 1, text) < 0 ||
	    !proto_rule(s, line, PLAN_CHK_SEND, 0, cmd, strlen(cmd)) ||
	    !proto_rule(s, line, PLAN_CHK_EXPECT_PROTO, PLAN_CHKP_SMTP_REPLY,
	                text, strlen(text)))
		return -1;
	return 0;
}
