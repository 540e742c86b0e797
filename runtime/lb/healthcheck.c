/*
 * healthcheck.c: health checks, one libev timer and one socket per server.
 *
 * A check runs: connect (to the server's check address, MPTCP when the
 * server is), then according to the backend's check type
 *   CONNECT  nothing more: the connection is the answer (Layer4);
 *   TCP      the tcp-check rules in order: connect [port], send, expect
 *            string/binary/regex, each possibly negated (Layer7 once an
 *            expect ran);
 *   HTTP     send "METHOD URI VERSION\r\n[Host: h\r\n]\r\n" and read the
 *            status line; a code within [lo, hi] passes.
 * The result moves the server's health (see check-t.h) and, when it
 * crosses a threshold, its state through server.c, which logs it. Checks
 * run on thread 0 only; a state change takes the generation's lock.
 *
 * Timeouts follow HAProxy: without `timeout check` the whole check must
 * finish within `inter`; with it, connecting gets min(timeout connect,
 * inter) and the rest `timeout check`.
 */
#include "config.h"

#include <errno.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include "check_proto.h"
#include "conn.h"
#include "dynsrv.h"
#include "healthcheck.h"
#include "log.h"
#include "plan.h"
#include "pool.h"
#include "server.h"
#include "sock.h"
#include "stream-t.h"
#include "thread.h"
#include "tls_server.h"

#define CHECK_RXMAX (STREAM_BUFSZ - 1)   /* bytes kept of a response */

static void check_io_cb(struct ev_loop *loop, ev_io *w, int revents);
static void check_timer_cb(struct ev_loop *loop, ev_timer *w, int revents);
static void check_run(struct check *c);
static void check_wait(struct check *c, int events);

/* ---- small helpers ------------------------------------------------------ */

static const struct plan_server *check_srv(const struct check *c)
{
	return &c->rt->plan->servers[c->srv];
}

static const struct plan_proxy *check_px(const struct check *c)
{
	return &c->rt->plan->proxies[check_srv(c)->proxy];
}

/* The backend's tcp-check rule `i` (0-based within its rules). */
static const struct plan_check_rule *check_rule(const struct check *c,
                                                uint32_t i)
{
	return &c->rt->plan->checks[check_px(c)->first_check + i];
}

/* Where checks of the server connect: check_addr, else addr. */
static struct plan_addr check_target(const struct check *c)
{
	struct plan_addr a;

	server_check_target(c->rt, c->srv, &a);
	return a;
}

/* The port of an IP plan address (host order), 0 for others. */
static unsigned check_port_of(const struct plan_addr *a)
{
	if (a->family == PLAN_FAM_INET)
		return ntohs(((const struct sockaddr_in *)a->sa)->sin_port);
	if (a->family == PLAN_FAM_INET6)
		return ntohs(((const struct sockaddr_in6 *)a->sa)->sin6_port);
	return 0;
}

static void check_set_port(struct plan_addr *a, unsigned port)
{
	if (a->family == PLAN_FAM_INET)
		((struct sockaddr_in *)a->sa)->sin_port = htons((uint16_t)port);
	else if (a->family == PLAN_FAM_INET6)
		((struct sockaddr_in6 *)a->sa)->sin6_port = htons((uint16_t)port);
}

/* Seconds until the next check, from the server's state and health. */
static double check_interval(const struct check *c)
{
	const struct plan_server *ps = check_srv(c);
	const struct rt_server *rs = &c->rt->servers[c->srv];
	uint32_t ms = ps->inter;

	if (rs->op == RT_SRV_DOWN && c->health == 0) {
		if (ps->downinter)
			ms = ps->downinter;
	} else if (!(rs->op != RT_SRV_DOWN && c->health == ps->rise + ps->fall - 1)) {
		if (ps->fastinter)
			ms = ps->fastinter;
	}
	return (ms ? ms : 2000) / 1000.0;
}

/* Close the socket of a running check and give its buffer back. */
static void check_close(struct check *c)
{
	struct ev_loop *loop = c->rt->loop;

	ev_io_stop(loop, &c->io);
	conn_close(&c->conn);
	pool_put(&c->rt->buf_pool, c->rx);
	c->rx = NULL;
	c->phase = CHECK_IDLE;
}

/* ---- results ------------------------------------------------------------ */

/*
 * The running check ended with `status` (and HTTP `code`, detail printf).
 * Moves the health, maybe the server's state, and schedules the next one.
 */
static void check_done(struct check *c, enum rt_chk_status status, int code,
                       const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static void check_done(struct check *c, enum rt_chk_status status, int code,
                       const char *fmt, ...)
{
	struct runtime *rt = c->rt;
	const struct plan_server *ps = check_srv(c);
	struct rt_server *rs = &rt->servers[c->srv];
	uint32_t full = ps->rise + ps->fall - 1;
	uint32_t was = c->health;
	uint8_t prev = c->status;
	int passed = status == RT_CHK_L4OK || status == RT_CHK_L6OK ||
	             status == RT_CHK_L7OK;
	double took = ev_now(rt->loop) - c->t_start;

	check_close(c);
	/* Streams of every thread read the server's state, and the stats
	 * page of any thread reads the result: both under the lock. */
	gen_lock(rt);
	c->status = (uint8_t)status;
	c->code = code;
	c->duration = took > 0 ? (uint32_t)(took * 1000.0) : 0;
	c->info[0] = '\0';
	if (fmt) {
		va_list ap;

		va_start(ap, fmt);
		vsnprintf(c->info, sizeof(c->info), fmt, ap);
		va_end(ap);
	}
	/* the health moves first, the line of this check (when the proxy
	 * logs them and something changed) before the state line */
	if (passed)
		c->health = rs->op != RT_SRV_DOWN || c->health + 1 >= ps->rise ?
		            full : c->health + 1;
	else
		c->health = c->health > ps->rise ? c->health - 1 : 0;
	if (c->health != was || c->status != prev)
		server_log_check(rt, c->srv, c, passed);
	if (!passed && was > 0)         /* as HAProxy: failures with health */
		rs->cnt.chkfail++;
	if (passed && c->health >= ps->rise)
		server_set_up(rt, c->srv, c);
	else if (!passed && c->health < ps->rise)
		server_set_down(rt, c->srv, c);
	gen_unlock(rt);
	ev_timer_stop(rt->loop, &c->timer);
	ev_timer_set(&c->timer, check_interval(c), 0.);
	ev_timer_start(rt->loop, &c->timer);
}

/* A passing end: Layer7 when a response was judged, else Layer4. */
static void check_pass(struct check *c, int code, const char *info)
{
	if (c->expected)
		check_done(c, RT_CHK_L7OK, code, "%s", info);
	else
		check_done(c, RT_CHK_L4OK, 0, NULL);
}

/* ---- connecting --------------------------------------------------------- */

/*
 * Open a socket to the check target, with `port` when not 0; with the
 * server's check settings (TLS when its checks use it) when `dflt`.
 * Returns 0 when connected or in progress, -1 when the check already
 * ended.
 */
static int check_connect(struct check *c, unsigned port, int dflt)
{
	struct plan_addr a = check_target(c), src;
	char err[256];
	int fd;

	if (port)
		check_set_port(&a, port);
	if (c->conn.fd >= 0) {
		ev_io_stop(c->rt->loop, &c->io);
		conn_close(&c->conn);
	}
	plan_server_source(c->rt->plan, c->srv, &src);
	fd = sock_open_from(&a, &src, err, sizeof(err));
	if (fd < 0) {
		check_done(c, RT_CHK_SOCKERR, 0, "%s", err);
		return -1;
	}
	conn_init(&c->conn, fd, &xprt_raw);
	c->tls = (uint8_t)dflt;
	c->eof = 0;
	c->rxlen = 0;
	sock_set_nodelay(fd, sock_family(&a));
	if (connect(fd, (const struct sockaddr *)a.sa, a.salen) < 0 &&
	    errno != EINPROGRESS) {
		check_done(c, RT_CHK_L4CON, 0, "%s", strerror(errno));
		return -1;
	}
	c->phase = CHECK_CONNECTING;
	ev_io_stop(c->rt->loop, &c->io);
	ev_io_set(&c->io, fd, EV_WRITE);
	ev_io_start(c->rt->loop, &c->io);
	return 0;
}

/* Connected (and over TLS, the handshake done): the check goes on, with
 * `timeout check` bounding the rest when set. */
static void check_up(struct check *c)
{
	const struct plan_proxy *px = check_px(c);
	int tls = c->phase == CHECK_HANDSHAKE;

	if (px->timeout_check) {
		/* Connected: from now on `timeout check` bounds the rest. */
		ev_timer_stop(c->rt->loop, &c->timer);
		ev_timer_set(&c->timer, px->timeout_check / 1000.0, 0.);
		ev_timer_start(c->rt->loop, &c->timer);
	}
	c->phase = CHECK_RUNNING;
	if (px->check_type == PLAN_CHECK_CONNECT) {
		check_done(c, tls ? RT_CHK_L6OK : RT_CHK_L4OK, 0, NULL);
		return;
	}
	check_run(c);
}

/* check-ssl: run the handshake as far as the socket allows. A failure is
 * Layer6 (L6RSP, with the library's reason), as HAProxy reports it. */
static void check_handshake(struct check *c)
{
	int r = conn_handshake(&c->conn);

	if (r < 0) {
		int e = errno;

		check_done(c, RT_CHK_L6RSP, 0, "TLS handshake: %s",
		           conn_error(&c->conn, e));
		return;
	}
	if (r > 0) {
		check_wait(c, c->conn.flags & CONN_F_WANT_WRITE ? EV_WRITE :
		                                                  EV_READ);
		return;
	}
	check_up(c);
}

/* The connect finished: on success the check goes on (over TLS after the
 * handshake when the server's checks use it). */
static void check_connected(struct check *c)
{
	const struct plan_tls_server *t;
	int err = 0;
	socklen_t len = sizeof(err);

	if (getsockopt(c->conn.fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0)
		err = errno;
	if (err == EINPROGRESS || err == EALREADY)
		return;
	if (err) {
		check_done(c, RT_CHK_L4CON, 0, "%s", strerror(err));
		return;
	}
	if (c->tls && (t = tls_server_of(c->rt, c->srv, 1)) != NULL) {
		const char *sni = t->check_sni.len ?
		                  plan_str_get(c->rt->plan, t->check_sni) : NULL;

		if (tls_server_attach(c->rt, c->srv, &c->conn, sni, 1) < 0) {
			check_done(c, RT_CHK_SOCKERR, 0, "out of memory");
			return;
		}
		c->phase = CHECK_HANDSHAKE;
		check_handshake(c);
		return;
	}
	check_up(c);
}

/* ---- the exchange ------------------------------------------------------- */

/* Wait for the socket to become `events` (EV_READ or EV_WRITE). */
static void check_wait(struct check *c, int events)
{
	ev_io_stop(c->rt->loop, &c->io);
	ev_io_set(&c->io, c->conn.fd, events);
	ev_io_start(c->rt->loop, &c->io);
}

/* Write data[txoff..len); 1 when all is sent, 0 to wait, -1 ended. */
static int check_send(struct check *c, const char *data, uint32_t len)
{
	while (c->txoff < len) {
		ssize_t w = conn_send1(&c->conn, data + c->txoff, len - c->txoff);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK) {
				check_wait(c, EV_WRITE);
				return 0;
			}
			check_done(c, RT_CHK_L7RSP, 0, "write error: %s",
			           strerror(errno));
			return -1;
		}
		c->txoff += (uint32_t)w;
	}
	c->txoff = 0;
	return 1;
}

/* Read what is there into rx. 0 normally, -1 when the check ended. */
static int check_recv(struct check *c)
{
	while (!c->eof && c->rxlen < CHECK_RXMAX) {
		struct iovec iov = { c->rx + c->rxlen, CHECK_RXMAX - c->rxlen };
		ssize_t r = conn_recv(&c->conn, &iov, 1);

		if (r < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				break;
			check_done(c, RT_CHK_L7RSP, 0, "read error: %s",
			           strerror(errno));
			return -1;
		}
		if (r == 0)
			c->eof = 1;
		c->rxlen += (uint32_t)r;
	}
	c->rx[c->rxlen] = '\0';
	return 0;
}

/* 1 when the data of expect rule `r` is in rx. */
static int check_match(struct check *c, uint32_t ri,
                       const struct plan_check_rule *r)
{
	const struct check_set *cs = c->rt->checks;
	uint32_t idx = check_px(c)->first_check + ri;

	if (r->op == PLAN_CHK_EXPECT_REGEX)
		return plan_regex_one_match(cs->re[idx], c->rx, c->rxlen);
	if (r->data.len == 0)
		return 1;
	return memmem(c->rx, c->rxlen,
	              plan_str_get(c->rt->plan, r->data), r->data.len) != NULL;
}

/* Printable, shortened copy of a rule's data for messages. */
static void check_printable(const char *d, uint32_t len, char *out, size_t outlen)
{
	size_t o = 0;

	for (uint32_t i = 0; i < len && o + 5 < outlen; i++) {
		unsigned char ch = (unsigned char)d[i];

		if (ch >= 0x20 && ch < 0x7f && ch != '"' && ch != '\\')
			out[o++] = (char)ch;
		else
			o += (size_t)snprintf(out + o, outlen - o, "\\x%02x", ch);
	}
	out[o] = '\0';
}

/* Judge expect rule `ri`: 1 passed, 0 wait for more, -1 ended. */
static int check_expect(struct check *c, uint32_t ri)
{
	const struct plan_check_rule *r = check_rule(c, ri);
	int neg = (r->flags & PLAN_CHK_F_NEGATE) != 0;
	int last, m;
	char shown[96];

	if (check_recv(c) < 0)
		return -1;
	last = c->eof || c->rxlen >= CHECK_RXMAX;
	m = check_match(c, ri, r);
	/* Without a match yet, more data may still bring one (or, negated,
	 * the end of the response proves there is none). */
	if (!m && !last) {
		check_wait(c, EV_READ);
		return 0;
	}
	if (m != neg) {
		c->expected = 1;
		return 1;
	}
	check_printable(plan_str_get(c->rt->plan, r->data), r->data.len, shown,
	                sizeof(shown));
	if (c->rxlen == 0 && c->eof && !neg)
		check_done(c, RT_CHK_L7RSP, 0,
		           "TCPCHK got an empty response at step %u", ri + 1);
	else
		check_done(c, RT_CHK_L7RSP, 0, "TCPCHK %s content '%s' at step %u",
		           neg ? "matched unwanted" : "did not match", shown,
		           ri + 1);
	return -1;
}

/* Judge protocol check step `ri` (check_proto.c): 1 passed and more
 * rules follow, 0 wait for more, -1 ended (passed as the last rule, or
 * failed). */
static int check_expect_proto(struct check *c, uint32_t ri,
                              const struct plan_check_rule *r)
{
	char info[CHECK_INFO];
	int status, code, rc;

	if (check_recv(c) < 0)
		return -1;
	rc = check_proto_judge(r->arg, (const unsigned char *)c->rx, c->rxlen,
	                       c->eof || c->rxlen >= CHECK_RXMAX, &status, &code,
	                       info, sizeof(info));
	if (rc == 0) {
		check_wait(c, EV_READ);
		return 0;
	}
	if (rc > 0 && ri + 1 < check_px(c)->ncheck) {
		c->expected = 1;
		return 1;
	}
	check_done(c, (enum rt_chk_status)status, code, "%s", info);
	return -1;
}

/* Go through the tcp-check rules from c->step until waiting or done. */
static void check_run_tcp(struct check *c)
{
	const struct plan_proxy *px = check_px(c);

	while (c->step < px->ncheck) {
		const struct plan_check_rule *r = check_rule(c, c->step);
		int rc;

		switch (r->op) {
		case PLAN_CHK_CONNECT:
			c->step++;
			/* check_connected() comes back here when it is done. */
			(void)check_connect(c, r->arg,
			                    (r->flags & PLAN_CHK_F_DEFAULT) != 0);
			return;
		case PLAN_CHK_SEND:
			rc = check_send(c, plan_str_get(c->rt->plan, r->data),
			                r->data.len);
			if (rc <= 0)
				return;
			c->rxlen = 0;   /* a new request: judge its answer only */
			c->step++;
			break;
		case PLAN_CHK_EXPECT_PROTO:
			rc = check_expect_proto(c, c->step, r);
			if (rc <= 0)
				return;
			c->step++;
			break;
		default:
			rc = check_expect(c, c->step);
			if (rc <= 0)
				return;
			c->step++;
			break;
		}
	}
	check_pass(c, 0, "");
}

int check_http_status(const char *buf, size_t len, int *code, char *reason,
                      size_t reasonlen)
{
	const char *eol = memchr(buf, '\n', len);
	size_t n, rl;

	if (!eol)
		return len >= CHECK_RXMAX ? -1 : 0;
	n = (size_t)(eol - buf);
	if (n && buf[n - 1] == '\r')
		n--;
	/* HTTP/d.d SP ddd [SP reason] */
	if (n < 12 || memcmp(buf, "HTTP/", 5) != 0 ||
	    buf[5] < '0' || buf[5] > '9' || buf[6] != '.' ||
	    buf[7] < '0' || buf[7] > '9' || buf[8] != ' ')
		return -1;
	for (int i = 9; i < 12; i++)
		if (buf[i] < '0' || buf[i] > '9')
			return -1;
	if (n > 12 && buf[12] != ' ')
		return -1;
	*code = (buf[9] - '0') * 100 + (buf[10] - '0') * 10 + (buf[11] - '0');
	rl = n > 13 ? n - 13 : 0;
	if (reasonlen) {
		if (rl >= reasonlen)
			rl = reasonlen - 1;
		memcpy(reason, buf + 13, rl);
		reason[rl] = '\0';
	}
	return 1;
}

/* Where the body of the HTTP response in rx starts and how long it is, once
 * it is all there: 1, or 0 to wait for more. The body ends at its
 * Content-Length, else at the end of the connection; a response larger
 * than the buffer is judged on what the buffer holds, as HAProxy does. */
static int check_http_body(const struct check *c, const char **body,
                           size_t *len)
{
	const char *rx = c->rx, *hend = strstr(rx, "\r\n\r\n");
	int full = c->eof || c->rxlen >= CHECK_RXMAX;
	size_t hlen, clen = (size_t)-1;

	if (!hend) {
		if (!full)
			return 0;
		*body = rx + c->rxlen;
		*len = 0;
		return 1;
	}
	hlen = (size_t)(hend - rx) + 4;
	for (const char *l = strstr(rx, "\r\n"); l && l < hend;
	     l = strstr(l + 2, "\r\n"))
		if (!strncasecmp(l + 2, "content-length:", 15))
			clen = strtoul(l + 17, NULL, 10);
	*body = rx + hlen;
	*len = c->rxlen - hlen;
	if (clen != (size_t)-1 && *len >= clen) {
		*len = clen;
		return 1;
	}
	return full;
}

/* http-check expect [!] string|rstring: judge the body (the status is
 * not judged then, as in HAProxy). */
static void check_http_expect_body(struct check *c, int code)
{
	const struct plan_check_rule *r = check_rule(c, 0);
	uint32_t idx = check_px(c)->first_check;
	int neg = (r->flags & PLAN_CHK_F_NEGATE) != 0, m;
	const char *body;
	size_t len;

	if (!check_http_body(c, &body, &len)) {
		check_wait(c, EV_READ);
		return;
	}
	c->expected = 1;
	if (r->op == PLAN_CHK_EXPECT_REGEX)
		m = plan_regex_one_match(c->rt->checks->re[idx], body, len);
	else
		m = memmem(body, len, plan_str_get(c->rt->plan, r->data),
		           r->data.len) != NULL;
	if (m == neg)
		/* without the code, as HAProxy words it */
		check_done(c, RT_CHK_L7RSP, 0, "%s",
		           neg ? "HTTP check matched unwanted content"
		               : "HTTP content check did not match");
	else
		/* the code without the reason, as HAProxy words it */
		check_done(c, RT_CHK_L7OK, code, NULL);
}

/* HTTP: send the request (step 0), then judge the status line (step 1). */
static void check_run_http(struct check *c)
{
	const struct plan_proxy *px = check_px(c);
	const struct check_req *req = &c->rt->checks->req[check_srv(c)->proxy];
	uint32_t lo = px->httpchk_status_lo, hi = px->httpchk_status_hi;
	char reason[CHECK_INFO];
	int code = 0, rc;

	if (c->step == 0) {
		if (check_send(c, req->data, req->len) <= 0)
			return;
		c->step = 1;
		c->rxlen = 0;
	}
	if (check_recv(c) < 0)
		return;
	rc = check_http_status(c->rx, c->rxlen, &code, reason, sizeof(reason));
	if (rc == 0 && !c->eof) {
		check_wait(c, EV_READ);
		return;
	}
	if (rc <= 0) {
		check_done(c, RT_CHK_L7RSP, 0, "%s",
		           c->rxlen ? "Invalid HTTP status line" :
		           "Empty response");
		return;
	}
	if (px->ncheck) {
		check_http_expect_body(c, code);
		return;
	}
	if (lo == 0 && hi == 0) {
		lo = 200;
		hi = 399;
	}
	c->expected = 1;
	if ((uint32_t)code < lo || (uint32_t)code > hi)
		check_done(c, RT_CHK_L7STS, code, "%s", reason);
	else
		check_pass(c, code, reason);
}

static void check_run(struct check *c)
{
	if (check_px(c)->check_type == PLAN_CHECK_HTTP)
		check_run_http(c);
	else
		check_run_tcp(c);
}

/* ---- starting ----------------------------------------------------------- */

/* Time for a check: connect, with the timeout of the connect phase. */
static void check_begin(struct check *c)
{
	struct runtime *rt = c->rt;
	const struct plan_proxy *px = check_px(c);
	const struct plan_server *ps = check_srv(c);
	double tmo = (ps->inter ? ps->inter : 2000) / 1000.0;
	unsigned port = 0;
	int dflt = 1;

	c->rx = pool_get(&rt->buf_pool);
	if (!c->rx) {
		check_done(c, RT_CHK_SOCKERR, 0, "out of memory");
		return;
	}
	c->t_start = ev_now(rt->loop);
	c->step = 0;
	c->txoff = 0;
	c->rxlen = 0;
	c->eof = 0;
	c->expected = 0;
	if (px->timeout_check && px->timeout_connect &&
	    px->timeout_connect / 1000.0 < tmo)
		tmo = px->timeout_connect / 1000.0;
	ev_timer_stop(rt->loop, &c->timer);
	ev_timer_set(&c->timer, tmo, 0.);
	ev_timer_start(rt->loop, &c->timer);
	/* A leading `tcp-check connect` gives the first connection's port
	 * and whether it takes the server's settings; the implicit connect
	 * always does. */
	if (px->check_type == PLAN_CHECK_TCP && px->ncheck &&
	    check_rule(c, 0)->op == PLAN_CHK_CONNECT) {
		port = check_rule(c, 0)->arg;
		dflt = (check_rule(c, 0)->flags & PLAN_CHK_F_DEFAULT) != 0;
		c->step = 1;
	}
	(void)check_connect(c, port, dflt);
}

static struct check *check_of(void *data)
{
	struct check *c = data;

	if (c->magic != CHECK_MAGIC) {
		log_error("internal error: check watcher fired with magic %#x",
		          c->magic);
		abort();
	}
	return c;
}

static void check_io_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct check *c = check_of(w->data);

	(void)loop;
	(void)revents;
	if (c->phase == CHECK_CONNECTING)
		check_connected(c);
	else if (c->phase == CHECK_HANDSHAKE)
		check_handshake(c);
	else if (c->phase == CHECK_RUNNING)
		check_run(c);
}

static void check_timer_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct check *c = check_of(w->data);

	(void)loop;
	(void)revents;
	switch (c->phase) {
	case CHECK_IDLE:
		if (c->stopped) {
			/* `disable health`: look again an interval later */
			ev_timer_set(&c->timer, check_interval(c), 0.);
			ev_timer_start(c->rt->loop, &c->timer);
			break;
		}
		check_begin(c);
		break;
	case CHECK_CONNECTING:
		check_done(c, RT_CHK_L4TOUT, 0, NULL);
		break;
	case CHECK_HANDSHAKE:
		check_done(c, RT_CHK_L6TOUT, 0, NULL);
		break;
	default:
		check_done(c, check_px(c)->check_type == PLAN_CHECK_CONNECT ?
		           RT_CHK_L4TOUT : RT_CHK_L7TOUT, 0, NULL);
		break;
	}
}

/* Build the HTTP request of backend `px`; -1 when out of memory. */
static int check_build_req(const struct plan *p, const struct plan_proxy *px,
                           struct check_req *req)
{
	const char *m = px->httpchk_method.len ?
	                plan_str_get(p, px->httpchk_method) : "OPTIONS";
	const char *u = px->httpchk_uri.len ?
	                plan_str_get(p, px->httpchk_uri) : "/";
	const char *v = px->httpchk_version.len ?
	                plan_str_get(p, px->httpchk_version) : "HTTP/1.0";
	const char *h = plan_str_get(p, px->httpchk_host);
	size_t n = strlen(m) + strlen(u) + strlen(v) + strlen(h) + 16;
	int len;

	req->data = malloc(n);
	if (!req->data)
		return -1;
	if (px->httpchk_host.len)
		len = snprintf(req->data, n, "%s %s %s\r\nHost: %s\r\n\r\n", m, u,
		               v, h);
	else
		len = snprintf(req->data, n, "%s %s %s\r\n\r\n", m, u, v);
	req->len = (uint32_t)len;
	return 0;
}

/* Compile the regexes of the CHECK table; -1 (message printed) on error. */
static int check_compile(struct runtime *rt, struct check_set *cs)
{
	const struct plan *p = rt->plan;

	for (uint32_t i = 0; i < p->nchecks; i++) {
		const struct plan_check_rule *r = &p->checks[i];
		char msg[200];

		if (r->op != PLAN_CHK_EXPECT_REGEX)
			continue;
		cs->re[i] = plan_regex_one_new(plan_str_get(p, r->data),
		                               r->data.len, msg, sizeof(msg));
		if (!cs->re[i]) {
			log_error("backend '%s', tcp-check rule at line %u: bad regex '%s': %s",
			          plan_str_get(p, p->proxies[r->proxy].name),
			          r->line, plan_str_get(p, r->data), msg);
			return -1;
		}
	}
	return 0;
}

/* The check set of rt with room for n checks of the plan's servers:
 * regexes compiled, HTTP requests built. NULL (message printed) on
 * failure; check_free() cleans up. */
static struct check_set *check_set_new(struct runtime *rt, uint32_t n)
{
	const struct plan *p = rt->plan;
	struct check_set *cs = calloc(1, sizeof(*cs));

	if (!cs)
		goto oom;
	rt->checks = cs;
	cs->checks = calloc(n ? n : 1, sizeof(*cs->checks));
	cs->re = calloc(p->nchecks ? p->nchecks : 1, sizeof(*cs->re));
	cs->req = calloc(p->nproxies ? p->nproxies : 1, sizeof(*cs->req));
	if (!cs->checks || !cs->re || !cs->req)
		goto oom;
	if (check_compile(rt, cs) < 0)
		return NULL;
	for (uint32_t i = 0; i < p->nproxies; i++)
		if (p->proxies[i].check_type == PLAN_CHECK_HTTP &&
		    (p->proxies[i].cap & PLAN_CAP_BE) &&
		    check_build_req(p, &p->proxies[i], &cs->req[i]) < 0)
			goto oom;
	return cs;
oom:
	log_error("out of memory for the health checks");
	return NULL;
}

/* Make c the check of server i (idle, health = rise): 0, or -1 with a
 * warning when the server has no address and port to check. */
static int check_setup(struct check *c, struct runtime *rt, uint32_t i)
{
	const struct plan *p = rt->plan;
	const struct plan_server *ps = &p->servers[i];
	const struct plan_proxy *px = &p->proxies[ps->proxy];
	struct plan_addr a;
	char name[160];

	c->magic = CHECK_MAGIC;
	c->srv = i;
	c->rt = rt;
	conn_reset(&c->conn);
	ev_init(&c->io, check_io_cb);
	ev_init(&c->timer, check_timer_cb);
	c->io.data = c->timer.data = c;
	a = check_target(c);
	if (sock_family(&a) < 0 ||
	    ((a.family == PLAN_FAM_INET || a.family == PLAN_FAM_INET6) &&
	     check_port_of(&a) == 0 &&
	     !(px->check_type == PLAN_CHECK_TCP && px->ncheck &&
	       p->checks[px->first_check].op == PLAN_CHK_CONNECT &&
	       p->checks[px->first_check].arg))) {
		sock_plan_addr_str(&a, name, sizeof(name));
		log_error("warning: server %s/%s: health check disabled: no address and port to check (%s)",
		          plan_str_get(p, px->name), plan_str_get(p, ps->name), name);
		return -1;
	}
	rt->servers[i].check = c;
	c->health = ps->rise;
	return 0;
}

int check_init_all(struct runtime *rt)
{
	const struct plan *p = rt->plan;
	struct check_set *cs;
	uint32_t n = 0;

	for (uint32_t i = 0; i < p->nservers; i++)
		if (p->servers[i].flags & PLAN_SRV_F_CHECK)
			n++;
	if (n == 0)
		return 0;
	if (!(cs = check_set_new(rt, n)))
		return -1;
	for (uint32_t i = 0; i < p->nservers; i++)
		if ((p->servers[i].flags & PLAN_SRV_F_CHECK) &&
		    check_setup(&cs->checks[cs->nchecks], rt, i) == 0)
			cs->nchecks++;
	return 0;
}

int check_add(struct runtime *rt, uint32_t srv)
{
	struct check *c;

	if (!rt->checks && !check_set_new(rt, 0))
		return -1;
	if (!(c = calloc(1, sizeof(*c))))
		return -1;
	if (check_setup(c, rt, srv) < 0) {
		free(c);
		return 0;
	}
	c->stopped = 1;
	return 0;
}

void check_start_all(struct runtime *rt)
{
	struct check_set *cs = rt->checks;
	uint32_t k = 0;

	uint32_t bound = rt->plan->ops->max_spread_checks_ms;

	/* First checks spread over each server's interval, in order, or
	 * over max-spread-checks when that is shorter. */
	for (uint32_t i = 0; cs && i < cs->nchecks; i++) {
		struct check *c = &cs->checks[i];
		uint32_t ms = check_srv(c)->inter ? check_srv(c)->inter : 2000;
		double inter = (bound && bound < ms ? bound : ms) / 1000.0;

		if (rt->servers[c->srv].admin == RT_ADMIN_MAINT)
			continue;
		ev_timer_set(&c->timer, inter * k++ / cs->nchecks, 0.);
		ev_timer_start(rt->loop, &c->timer);
	}
	/* servers added on the stats socket and kept by a reload: at once */
	for (uint32_t s = rt->plan->nservers;
	     s < rt->plan->nservers + dynsrv_used(rt); s++) {
		struct check *c = rt->servers[s].check;

		if (!c || rt->servers[s].admin == RT_ADMIN_MAINT)
			continue;
		ev_timer_set(&c->timer, 0., 0.);
		ev_timer_start(rt->loop, &c->timer);
	}
}

void check_free(struct runtime *rt)
{
	struct check_set *cs = rt->checks;

	if (!cs)
		return;
	for (uint32_t i = 0; i < cs->nchecks; i++) {
		struct check *c = &cs->checks[i];

		if (rt->loop) {
			ev_timer_stop(rt->loop, &c->timer);
			check_close(c);
		}
		rt->servers[c->srv].check = NULL;
		c->magic = 0;
	}
	/* those of the servers added at run time, one allocation each */
	for (uint32_t s = rt->plan->nservers;
	     s < rt->plan->nservers + dynsrv_used(rt); s++) {
		struct check *c = rt->servers[s].check;

		if (!c)
			continue;
		if (rt->loop) {
			ev_timer_stop(rt->loop, &c->timer);
			check_close(c);
		}
		rt->servers[s].check = NULL;
		c->magic = 0;
		free(c);
	}
	for (uint32_t i = 0; cs->re && i < rt->plan->nchecks; i++)
		plan_regex_one_free(cs->re[i]);
	for (uint32_t i = 0; cs->req && i < rt->plan->nproxies; i++)
		free(cs->req[i].data);
	free(cs->checks);
	free(cs->re);
	free(cs->req);
	free(cs);
	rt->checks = NULL;
}

void check_suspend(struct runtime *rt, uint32_t srv)
{
	struct check *c = rt->servers[srv].check;

	if (!c)
		return;
	if (c->phase != CHECK_IDLE)
		check_close(c);
	ev_timer_stop(rt->loop, &c->timer);
}

void check_resume(struct runtime *rt, uint32_t srv)
{
	struct check *c = rt->servers[srv].check;

	if (!c)
		return;
	c->health = rt->plan->servers[srv].rise;
	ev_timer_stop(rt->loop, &c->timer);
	ev_timer_set(&c->timer, 0., 0.);
	ev_timer_start(rt->loop, &c->timer);
}
