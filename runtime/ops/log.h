/*
 * log.h: cfgrun's messages and connection logs.
 *
 * Start-up and shutdown messages go to stderr prefixed "cfgrun: "; each
 * finished connection gives one line in HAProxy's tcplog format:
 *
 *   client_ip:port [accept_date] frontend backend/server Tw/Tc/Tt bytes \
 *     termination_state actconn/feconn/beconn/srv_conn/retries \
 *     srv_queue/backend_queue [mptcp=C/S] [(detail)]
 *
 * bytes is what the client received (as in HAProxy); Tw, Tc, Tt are in
 * milliseconds, -1 for a phase never reached. mptcp=C/S appears only when
 * a side asked for MPTCP: C for the client side, S for the server side,
 * each 1 (really MPTCP), 0 (fell back to TCP) or - (plain TCP asked). The
 * detail in parentheses appears only when the connection ended on an
 * error that has one.
 *
 * Where a line goes: the `log` targets of the frontend (plus the global
 * ones with `log global`); a frontend without any target logs to stderr,
 * bare, as before. Targets are fd@N (stdout, stderr), UDP syslog and unix
 * datagram syslog, in RFC 3164, RFC 5424 or raw format, filtered by level.
 *
 * Nothing here blocks the event loop once log_start_async() ran: syslog
 * datagrams are sent with MSG_DONTWAIT and dropped (and counted) when the
 * socket would block or the receiver is missing; descriptor output is
 * non-blocking and buffered up to LOG_OUTBUF_MAX bytes per descriptor,
 * beyond which lines are dropped and counted.
 */
#ifndef HAPC_LOG_H
#define HAPC_LOG_H

#include <ev.h>
#include <stddef.h>
#include <netinet/in.h>
#include <stdint.h>

#include "runtime-t.h"
#include "stream-t.h"
#include "thread-t.h"

#define LOG_OUTBUF_MAX  (256u * 1024u)  /* bytes buffered per descriptor */
#define LOG_LINE_MAX    2048u           /* bytes of one message, longer cut */

/* Syslog severities (RFC 5424). */
enum log_level {
	LOG_LVL_EMERG   = 0,
	LOG_LVL_ALERT   = 1,
	LOG_LVL_CRIT    = 2,
	LOG_LVL_ERR     = 3,
	LOG_LVL_WARNING = 4,
	LOG_LVL_NOTICE  = 5,
	LOG_LVL_INFO    = 6,
	LOG_LVL_DEBUG   = 7,
};

/* A start-up message, unless the runtime is quiet. */
void log_info(const struct runtime *rt, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* A warning or an error, always printed. */
void log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * The connection line of a stream that ends now into line[size] (without
 * newline, NUL-terminated, at most size - 2 bytes); counters are read as
 * they are before the stream is released (generation's lock held).
 * mp_mark[] is mptcp_mark() of the client and server sides (taken before
 * the lock). Returns its length, 0 when nothing is to be logged.
 */
size_t log_stream_line(const struct stream *s, const char mp_mark[2],
                       char *line, size_t size);
/* The same as option logasap writes it when the server is connected:
 * '+' before the total time and bytes, "--" as state; afterwards
 * log_stream_line() gives nothing for that stream. */
size_t log_stream_line_asap(const struct stream *s, const char mp_mark[2],
                            char *line, size_t size);

/* The fields every connection or request line shares, as text. */
struct log_parts {
	char client[INET6_ADDRSTRLEN + 16]; /* %ci:%cp, or unix:<listener> */
	char date[40];              /* %t of t_start */
	const char *fe, *be, *srv;  /* %f, %b ("-"), %s ("<NOSRV>") */
	long tw, tc;                /* %Tw, %Tc in ms, -1 = never */
	char counts[96];            /* %ac/%fc/%bc/%sc/%rc %sq/%bq */
	char mp[16];                /* " mptcp=c/s" or "" */
};

/* Fill lp from stream s as it is now (lock held), dates and Tc from
 * t_start (ev_now() seconds). */
void log_stream_parts(const struct stream *s, const char mp_mark[2],
                      double t_start, struct log_parts *lp);

/* "06/Feb/2009:12:12:51.443" of wall-clock time t (local time). */
void log_date(double t, char *buf, size_t len);

/* Send a line of log_stream_line() (len bytes, buffer of at least len + 2)
 * to frontend fe's log targets at `level`, or stderr without any. */
void log_stream_emit(const struct runtime *rt, uint32_t fe, char *line,
                     size_t len, enum log_level level);

/*
 * Send `msg` at `level` to the log targets of proxy `px` of rt's plan
 * (PLAN_NONE: the global targets). Returns the number of targets it was
 * given to (0: the caller may print it elsewhere).
 */
unsigned log_emit(const struct runtime *rt, uint32_t px, enum log_level level,
                  const char *msg);

/* How many log targets proxy px's lines go to (its own, and the global
 * ones with `log global`). */
unsigned log_targets(const struct runtime *rt, uint32_t px);

/*
 * Open the datagram sockets the log targets of plan `p` need (one per
 * family, kept for the life of the process, so call it before chroot and
 * before dropping privileges). Returns 0, or -1 after printing why.
 */
int log_open_targets(const struct plan *p);

/* From now on descriptor output is non-blocking and flushed from `loop`,
 * the loop of thread `main` (thread 0). Lines from any thread. */
void log_start_async(struct ev_loop *loop, struct rt_thread *main);

/* Thread 0, asked by another thread: write what the descriptors take. */
void log_flush_async(void);

/* Write what is still buffered (blocking), restore descriptor flags. */
void log_finish(void);

/* Log lines dropped so far (full buffer, unreachable or slow syslog). */
uint64_t log_dropped(void);

#endif /* HAPC_LOG_H */
