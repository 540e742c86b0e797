/*
 * log.h: cfgrun's messages on stderr.
 *
 * Start-up and shutdown messages are prefixed "cfgrun: "; each finished
 * connection gives one line in the spirit of HAProxy's tcplog format:
 *
 *   client_ip:port [accept_date] frontend backend/server Tw/Tc/Tt bytes \
 *     termination_state actconn/feconn/beconn/srv_conn/retries \
 *     srv_queue/backend_queue [(detail)]
 *
 * bytes is what the client received (as in HAProxy); Tw, Tc, Tt are in
 * milliseconds, -1 for a phase never reached. The detail in parentheses
 * appears only when the connection ended on an error that has one.
 */
#ifndef HAPC_LOG_H
#define HAPC_LOG_H

#include "runtime-t.h"
#include "stream-t.h"

/* A start-up message, unless the runtime is quiet. */
void log_info(const struct runtime *rt, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* A warning or an error, always printed. */
void log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The connection line of a stream that ends now; counters are read as
 * they are before the stream is released. */
void log_stream(const struct stream *s);

#endif /* HAPC_LOG_H */
