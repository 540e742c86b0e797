/*
 * runtime-t.h: the state of a running cfgrun around one mapped plan.
 *
 * The plan stays read-only; what changes while running (counters, open
 * sockets, balancing state) lives in arrays parallel to the plan's tables.
 * One `struct runtime` is one plan generation, shared by every thread
 * (thread-t.h): what more than one thread changes in it is guarded by its
 * `lock` (a no-op with one thread), and each field says so.
 */
#ifndef HAPC_RUNTIME_T_H
#define HAPC_RUNTIME_T_H

#include <ev.h>
#include <pthread.h>
#include <stdint.h>

#include "balance-t.h"
#include "plan-t.h"
#include "pool-t.h"
#include "queue-t.h"
#include "server-t.h"

#define RT_LISTENER_MAGIC   0x4c53544eu  /* "LSTN" */
#define RT_DEFAULT_MAXCONN  4096u        /* connections, when the plan says 0 */
#define RT_ACCEPT_BURST     64u          /* accepts per readable event */
#define RT_DEFAULT_BACKLOG  1024         /* listen() backlog without maxconn */
#define RT_FD_MARGIN        32u          /* descriptors kept for stdio, logs */
#define RT_ACCEPT_RETRY_S   0.1          /* seconds: pause after EMFILE & co */

struct plan;                        /* plan.h: the verified view of a plan */
struct runtime;
struct stream;
struct check;                       /* healthcheck-t.h: one server's health check */
struct check_set;                   /* healthcheck-t.h: compiled check rules */
struct plan_regex;                  /* plan.h: a plan's compiled regexes */
struct plan_live;                   /* plan_live.h: maps changed at run time */
struct http_lf_gen;                 /* http_logfmt-t.h: parsed formats */
struct http_vars;                   /* http_vars-t.h: variables */
struct stk_gen;                     /* stktable.c: a generation's tables */
struct tls_gen;                     /* tls.c: SSL contexts of a generation */
struct tls_srv_gen;                 /* tls_server.c: those of its servers */
struct dynsrv_gen;                  /* dynsrv-t.h: servers added at run time */
struct dns_gen;                     /* dns.c: servers resolved at run time */

/* One plan listener once opened (each thread watches it: thread-t.h). */
struct rt_listener {
	uint32_t magic;             /* RT_LISTENER_MAGIC */
	uint32_t index;             /* plan listener index */
	struct runtime *rt;
	int fd;                     /* listening socket, -1 = not open; changes
	                               only while no thread watches it */
	int unlink_path;            /* 1: unix path created by us, removed at exit */
	uint32_t nconn;             /* connections accepted here and alive (lock) */
	int full;                   /* 1: nconn reached the bind maxconn (lock) */
};

#define RT_TIME_SAMPLES     1024u        /* sessions the show stat time
                                            averages follow (HAProxy's) */

/* Events per second over a sliding second, read as HAProxy's rate
 * counters (stats_count.c); under the lock. */
struct rt_rate {
	uint32_t sec;               /* second of the stats clock counted in curr */
	uint32_t curr;              /* events in that second */
	uint32_t prev;              /* events in the second before it */
	uint32_t max;               /* highest rate read at an event, /s */
};

/* Traffic counters of a frontend, a backend or a server (show stat);
 * under the lock. */
struct rt_counters {
	uint64_t bytes_in;          /* bytes received from clients */
	uint64_t bytes_out;         /* bytes sent to clients */
	uint64_t mptcp_conn;        /* MPTCP asked and MPTCP_INFO answers */
	uint64_t mptcp_fallback;    /* MPTCP asked, fell back to plain TCP */
	uint64_t econ;              /* failed server connections */
	uint32_t cur_max;           /* highest concurrent connections seen */
	uint32_t reserved;          /* 0 */
	uint64_t lbtot;             /* times the balancer chose it */
	uint64_t connect;           /* server connection attempts that ended
	                               (connected or failed) */
	uint64_t retries;           /* failed attempts retried on the same server */
	uint64_t redispatches;      /* failed attempts sent back to the balancer */
	uint64_t cli_abrt;          /* data transfers the client aborted */
	uint64_t srv_abrt;          /* data transfers the server aborted */
	uint64_t q_sum, c_sum, t_sum; /* ms x samples: sliding sums of the
	                               queue, connect and total times */
	uint32_t nsamples;          /* sessions in the sums, <= RT_TIME_SAMPLES */
	uint32_t q_max, c_max, t_max; /* ms: longest queue, connect, total times */
	struct rt_rate rate;        /* sessions per second */
	uint32_t last_sess;         /* stats clock second of the last session
	                               + 1, 0 = never */
	uint32_t chkfail;           /* checks failed while the server had health */
	uint32_t chkdown;           /* transitions from UP to DOWN */
	uint32_t last_change;       /* stats clock second of the last UP/DOWN
	                               change (or of the generation's start) */
	uint32_t down_time;         /* seconds DOWN before last_change */
	uint8_t down;               /* 1: DOWN now (server: DOWN or MAINT;
	                               backend: no usable server) */
	uint8_t pad3[3];
	uint64_t comp_in;           /* HTTP: response payload bytes given to
	                               compression (atomic adds, no lock) */
	uint64_t comp_out;          /* bytes compression gave back, chunk
	                               framing excluded (atomic) */
	uint64_t comp_rsp;          /* responses compressed to their end
	                               (atomic) */
};

/* Running state of a plan proxy; changing fields under the lock. */
struct rt_proxy {
	uint32_t backend;           /* proxy serving this frontend, PLAN_NONE = none */
	uint32_t feconn;            /* connections on this frontend now */
	uint32_t beconn;            /* connections on this backend now */
	uint32_t fullconn;          /* backend: the load at which servers
	                               with a minconn reach their maxconn
	                               (plan's, else HAProxy's default) */
	int full;                   /* 1: feconn reached maxconn, not accepting */
	uint32_t maxconn;           /* frontend maxconn now: the plan's, or
	                               what `set maxconn frontend` said;
	                               0 = none (lock) */
	int stopped;                /* 1: `disable frontend`: its listeners
	                               accept nothing (lock) */
	uint64_t cum_conn;          /* connections accepted since start */
	uint64_t be_cum_conn;       /* connections sent to this backend */
	uint64_t denied_conn;       /* connections closed by a tcp-request
	                               connection reject (show stat dcon) */
	struct rt_counters fe_cnt;  /* as a frontend */
	struct rt_counters be_cnt;  /* as a backend */
	struct lb_backend *lb;      /* balance.c: backends only, else NULL */
	struct queue queue;         /* backend: streams waiting for any server */
	uint32_t dyn_first;         /* dynsrv.c: first server added through
	                               the stats socket, index + 1, 0 = none
	                               (atomic: written by thread 0 under the
	                               lock, read with acquire loads) */
	uint32_t dyn_last;          /* the last one, index + 1 (thread 0) */
	uint32_t dyn_total;         /* servers added, deleted ones too (lock) */
	uint32_t dyn_sid;           /* show stat sid of the last one added */
};

/* Running state of a plan server; under the lock (thread 0 may read
 * what only it writes: op, admin, weight, check). */
struct rt_server {
	uint32_t cur_conn;          /* connections to this server now */
	int32_t cur_weight;         /* smooth weighted round robin credit */
	uint64_t cum_conn;          /* connections sent since start */
	struct rt_counters cnt;
	uint32_t weight;            /* effective weight now, 0..256 */
	uint32_t maxconn;           /* connections at most (the plan's, or
	                               `set maxconn server`), 0 = no limit */
	uint8_t op;                 /* enum rt_srv_op */
	uint8_t admin;              /* enum rt_srv_admin */
	char kill_code;             /* first letter of the termination state
	                               of the streams kill_seq kills: 'D'
	                               (it went down) or 'U' (an active server
	                               came up); written with kill_seq */
	uint8_t dyn;                /* enum rt_srv_dyn (atomic, see dynsrv.h) */
	uint32_t kill_seq;          /* bumped (atomic store, thread 0) when its
	                               streams are to be killed: a stream
	                               connected under an older value ends
	                               (server_kill_streams()) */
	struct check *check;        /* healthcheck.c: health check, NULL = none */
	struct queue queue;         /* streams waiting for this server */
	struct rt_srv_addr *addr;   /* `set server addr`: the address now
	                               (read with an acquire load; thread 0
	                               stores a new one, the older ones stay
	                               until the generation goes), NULL: the
	                               plan's */
	uint32_t dyn_next;          /* dynsrv.c: next server added to its
	                               backend, index + 1, 0 = none (atomic) */
	uint32_t dyn_sid;           /* added ones: show stat sid, else 0 */
	uint8_t dns_maint;          /* 1: in MAINT because its name does not
	                               resolve (dns.c; HAProxy's "MAINT
	                               (resolution)"), thread 0 */
};

/* An address `set server addr` gave a server; each keeps the one it
 * replaced, all freed with the generation. */
struct rt_srv_addr {
	struct rt_srv_addr *prev;
	struct plan_srv_addr a;
};

struct runtime {
	struct ev_loop *loop;       /* thread 0's loop: health checks */
	pthread_mutex_t lock;       /* guards the shared running state */
	int mt;                     /* 1: several threads, `lock` is taken */
	int draining;               /* 1: retired or soft stop: the thread
	                               ending the last stream wakes thread 0
	                               (lock) */
	uint64_t close_end_ms;      /* gen_soft_close(): its HTTP clients are
	                               being closed, until this wall clock
	                               time in ms (ev_now() * 1000; atomic,
	                               release after close_window_ms);
	                               0 = not closing (http_stop.h) */
	uint32_t close_window_ms;   /* length of that window; 0 = at once */
	struct plan *plan;          /* verified, mapped read-only; owned */
	struct rt_listener *listeners; /* plan.nlisteners */
	struct rt_proxy *proxies;   /* plan.nproxies */
	struct rt_server *servers;  /* plan.nservers */
	uint32_t maxconn;           /* global concurrent connections (the
	                               stats socket may lower it, lock) */
	uint32_t hard_maxconn;      /* maxconn at start: `set maxconn
	                               global` stays at or below it */
	uint32_t idle_fd_low;       /* server connections kept open between
	                               requests, all threads, above which a
	                               finished one is closed instead of kept
	                               (HAProxy's tune.pool-low-fd-ratio, 20%
	                               of the descriptor limit) */
	uint32_t idle_fd_high;      /* ... above which a new connection
	                               closes an idle one of its thread
	                               (tune.pool-high-fd-ratio, 25%) */
	uint32_t actconn;           /* live streams, and accepts under way (lock) */
	int full;                   /* 1: actconn reached maxconn (lock) */
	uint64_t queue_seq;         /* last queue sequence number given (lock) */
	struct pool buf_pool;       /* STREAM_BUFSZ buffers of health checks
	                               (thread 0) */
	int quiet;                  /* 1: no start-up messages */
	uint32_t generation;        /* 1 = first plan, +1 per reload (reload.c) */
	struct runtime *older;      /* reload.c: next retired generation */
	struct check_set *checks;   /* healthcheck.c: running checks, NULL = none */
	struct plan_regex *regex;   /* http_rules.c: the plan's ACL regexes,
	                               compiled for this generation */
	struct http_lf_gen *logfmt; /* http_logfmt.c: parsed log formats */
	struct plan_live *live;     /* http_rules.c: the map files as the
	                               stats socket changed them (plan_live.h) */
	struct http_vars *proc_vars;/* http_rules.c: proc. variables of this
	                               generation (gen lock), NULL: none */
	uint64_t var_proc;          /* bit i: plan variable i is a proc. one */
	struct stk_gen *stk;        /* stktable.c: the plan's stick tables */
	struct tls_gen *tls;        /* tls.c: SSL contexts of the TLS binds,
	                               NULL = none */
	struct tls_srv_gen *tls_srv;/* tls_server.c: those of the servers
	                               using TLS, NULL = none */
	struct dynsrv_gen *dyn;     /* dynsrv.c: room for servers added
	                               through the stats socket, NULL = none */
	struct dns_gen *dns;        /* dns.c: the resolvers of the plan's
	                               servers resolved at run time, NULL =
	                               none (thread 0) */
};

#endif /* HAPC_RUNTIME_T_H */
