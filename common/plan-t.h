/*
 * plan-t.h: the plan file format, in one place.
 *
 * A plan is what cfgc writes and cfgrun maps. It is position independent
 * (offsets and indices only, never pointers), deterministic (the same model
 * gives the same bytes), and distrusted by its reader: nothing in it is used
 * before plan_verify() has proved it in range.
 *
 * Layout of a file:
 *
 *   struct plan_header                      (offset 0, PLAN_HEADER_SIZE = 72 bytes)
 *   struct plan_section dir[nsections]      (right after the header, 24 bytes each)
 *   table data, each table 8-byte aligned, in directory order
 *
 * cfgc writes the tables in kind order (blob, global, proxy, listener,
 * server, check, log, stats, precond, checkaddr, acl, pattern, rule,
 * term, http, http_rule, lf, tls_cert, tls_bind, tls_server, table,
 * track, tcp, conv, ops), each at the next 8-byte
 * boundary, and pads the file to a multiple of 8. A reader accepts any order, but the tables may
 * not overlap each other, the header or the directory (an empty table may
 * sit at any aligned offset in [end of directory, file size] that is not
 * inside another table), and every byte that belongs to no table (padding)
 * must be zero.
 *
 * All integers are little-endian (the byte order of every host we build for;
 * the verifier refuses to run on a big-endian host rather than misread).
 * Addresses of listeners, logs and stats sockets are stored as ready
 * `struct sockaddr_*` bytes (struct plan_addr), so ports inside them are in
 * network order, as the kernel wants them. Servers, which can be a hundred
 * thousand, store theirs compactly (struct plan_srv_addr: family, port in
 * host order, IP bytes, unix paths in the blob); readers rebuild a struct
 * plan_addr with plan_server_addr()/plan_server_check_addr() (plan.h).
 *
 * The digest is SHA-256 over the whole file with the 32 digest bytes taken
 * as zero. It is the plan's identity, printed by `cfgc --digest` and logged
 * by cfgrun at start.
 *
 * Strings live in the blob table (kind PLAN_SEC_BLOB, element size 1) and
 * are referenced by struct plan_str: offset and length, the byte at
 * offset+len being a NUL terminator that the verifier checks. cfgc starts
 * the blob with one NUL byte, so a zeroed plan_str {0, 0} is the empty
 * string; identical strings are stored once, in first-use order. The blob is
 * at most UINT32_MAX bytes. A string may not be referenced when the blob is
 * empty.
 *
 * Every record has a fixed size that is a multiple of 8; unused bytes and
 * padding are zero, and the verifier insists on it for reserved fields.
 *
 * Version rules: a change that an older reader would misread bumps MAJOR
 * (the reader refuses other majors by name and number); a change that only
 * adds sections an older reader can ignore bumps MINOR. Readers are strict
 * for now: a section kind they do not know is refused whatever the minor
 * version (relax this together with the first minor bump). Version 2
 * replaced the 304-byte server record of version 1 (two struct plan_addr)
 * by the 80-byte compact one below and added the CHECKADDR table.
 * Version 3 added the ACL, PATTERN, RULE and TERM tables (content
 * switching: use_backend, tcp-request connection) and their ranges in
 * struct plan_proxy (160 -> 184 bytes).
 * Version 4 added the HTTP table (one struct plan_http per proxy), the
 * tune.* buffer settings in struct plan_global (72 -> 88 bytes) and the
 * server's cookie value in struct plan_server (80 -> 88 bytes).
 * It also added HTTP sample fetches and string matching to ACL lines
 * (struct plan_acl 40 -> 56 bytes, struct plan_pattern 40 -> 48), and the
 * HTTP_RULE and LF tables (http-request, http-response and
 * http-after-response rules, their log-format values).
 *
 * The verifier (common/plan_verify.c) checks, in order: size >= header,
 * magic, byte order, major version, header size, file size, size limit,
 * reserved header fields, digest; then the directory (count, known and
 * unrepeated kinds, element sizes, alignment, bounds, no overlap), the
 * required tables (every kind; global has exactly one record), counts within
 * the limits below, zero padding; then every record, as the field comments
 * below state. Each failure has a reason (PLAN_ERRORS in plan.h) and a
 * detail naming the record and field.
 */
#ifndef HAPC_PLAN_T_H
#define HAPC_PLAN_T_H

#include <stdint.h>

#define PLAN_MAGIC          "HAPCPLAN"   /* 8 bytes, no terminator in file */
#define PLAN_MAGIC_LEN      8
#define PLAN_VERSION_MAJOR  5           /* 5: TLS, stick tables, TCP rules,
                                           converters, operations */
#define PLAN_VERSION_MINOR  2
#define PLAN_BOM            0x01020304u  /* reads 04 03 02 01 on disk */

/* Named limits: the verifier refuses a plan beyond them. */
#define PLAN_MAX_FILE_SIZE  (1ULL << 32)  /* bytes */
#define PLAN_MAX_SECTIONS   64
#define PLAN_MAX_PROXIES    (1u << 20)
#define PLAN_MAX_LISTENERS  (1u << 20)
#define PLAN_MAX_SERVERS    (1u << 24)
#define PLAN_MAX_CHECKS     (1u << 20)
#define PLAN_MAX_LOGS       (1u << 16)
#define PLAN_MAX_STATS      256
#define PLAN_MAX_PRECONDS   (1u << 20)
#define PLAN_MAX_CHECKADDRS PLAN_MAX_SERVERS
#define PLAN_MAX_ACLS       (1u << 20)
#define PLAN_MAX_PATTERNS   (1u << 24)
#define PLAN_MAX_RULES      (1u << 20)
#define PLAN_MAX_TERMS      (1u << 22)
#define PLAN_MAX_TLS_CERTS  (1u << 20)
#define PLAN_MAX_TLS_BINDS  (1u << 16)
#define PLAN_MAX_HTTP_RULES (1u << 20)
#define PLAN_MAX_LF_NODES   (1u << 22)
#define PLAN_MAX_CONV_STEPS (1u << 22)
#define PLAN_MAX_PAYLOAD_OFF (1u << 20)   /* payload fetch offsets, bytes */
#define PLAN_MAX_INSPECT_DELAY 86400000u /* inspect-delay, ms (one day) */
#define PLAN_MAX_TABLES     PLAN_MAX_PROXIES /* at most one per proxy */
#define PLAN_MAX_TRACKS     (1u << 20)
#define PLAN_MAX_TLS_SERVERS PLAN_MAX_SERVERS
#define PLAN_MAX_RESOLVERS  1024u
#define PLAN_MAX_NAMESERVERS 4096u
#define PLAN_MAX_SRV_RESOLVES PLAN_MAX_SERVERS
#define PLAN_NONE           0xffffffffu  /* "no index" in a u32 reference */

#define PLAN_DIGEST_LEN     32
#define PLAN_HEADER_SIZE    72           /* sizeof(struct plan_header) */

struct plan_header {
	char     magic[PLAN_MAGIC_LEN];  /* PLAN_MAGIC */
	uint16_t major;                  /* PLAN_VERSION_MAJOR */
	uint16_t minor;                  /* PLAN_VERSION_MINOR */
	uint32_t bom;                    /* PLAN_BOM */
	uint64_t file_size;              /* bytes, whole file */
	uint32_t header_size;            /* sizeof(struct plan_header) */
	uint32_t nsections;              /* directory entries after the header */
	uint32_t flags;                  /* PLAN_F_*, reserved: 0 */
	uint32_t reserved;               /* 0 */
	uint8_t  digest[PLAN_DIGEST_LEN];/* SHA-256, see above */
};                                       /* 72 bytes */

enum plan_section_kind {
	PLAN_SEC_NONE     = 0,  /* never valid */
	PLAN_SEC_BLOB     = 1,  /* bytes: strings and variable data; required */
	PLAN_SEC_GLOBAL   = 2,  /* exactly one struct plan_global; required */
	PLAN_SEC_PROXY    = 3,  /* struct plan_proxy[]; required, may be empty */
	PLAN_SEC_LISTENER = 4,  /* struct plan_listener[]; required, may be empty */
	PLAN_SEC_SERVER   = 5,  /* struct plan_server[]; required, may be empty */
	PLAN_SEC_CHECK    = 6,  /* struct plan_check_rule[]; required, may be empty */
	PLAN_SEC_LOG      = 7,  /* struct plan_log[]; required, may be empty */
	PLAN_SEC_STATS    = 8,  /* struct plan_stats_socket[]; required, may be empty */
	PLAN_SEC_PRECOND  = 9,  /* struct plan_precond[]; required, may be empty */
	PLAN_SEC_CHECKADDR = 10,/* struct plan_srv_addr[]: servers' own check
	                           addresses; required, may be empty */
	PLAN_SEC_ACL      = 11, /* struct plan_acl[]; required, may be empty */
	PLAN_SEC_PATTERN  = 12, /* struct plan_pattern[]; required, may be empty */
	PLAN_SEC_RULE     = 13, /* struct plan_rule[]; required, may be empty */
	PLAN_SEC_TERM     = 14, /* struct plan_term[]; required, may be empty */
	PLAN_SEC_HTTP     = 15, /* struct plan_http[]: one per proxy, same
	                           index; required, count = nproxies */
	PLAN_SEC_HTTP_RULE = 16,/* struct plan_http_rule[]; required, may be empty */
	PLAN_SEC_LF       = 17, /* struct plan_lf_node[]; required, may be empty */
	PLAN_SEC_TLS_CERT = 18, /* struct plan_tls_cert[]; required, may be empty */
	PLAN_SEC_TLS_BIND = 19, /* struct plan_tls_bind[]; required, may be empty */
	PLAN_SEC_TLS_SERVER = 20,/* struct plan_tls_server[]: TLS to servers,
	                           one per server with PLAN_SRV_F_TLS, in
	                           server order; required, may be empty */
	PLAN_SEC_TABLE    = 21, /* struct plan_stktable[]: stick tables; required,
	                           may be empty */
	PLAN_SEC_TRACK    = 22, /* struct plan_track[]: stick counter actions;
	                           required, may be empty */
	PLAN_SEC_TCP      = 23, /* struct plan_tcp[]: one per proxy, same
	                           index; required, count = nproxies */
	PLAN_SEC_CONV     = 24, /* struct plan_conv_step[]; required, may be empty */
	PLAN_SEC_OPS      = 25, /* struct plan_ops: 0 or 1 record (0 = every
	                           field 0); required */
	PLAN_SEC_RESOLVERS = 26,/* struct plan_resolvers[]: resolvers
	                           sections; required, may be empty */
	PLAN_SEC_NAMESERVER = 27,/* struct plan_nameserver[]: by resolvers
	                           section, in order; required, may be empty */
	PLAN_SEC_SRV_RESOLVE = 28,/* struct plan_srv_resolve[]: servers
	                           resolved at run time, in server order;
	                           required, may be empty */
	PLAN_SEC_KIND_MAX       /* first unknown kind; a kind below it with
	                           no record size in a reader is unknown to it */
};

struct plan_section {
	uint32_t kind;       /* enum plan_section_kind; each kind at most once */
	uint32_t elem_size;  /* bytes per record; must equal the reader's size */
	uint64_t offset;     /* from file start; 8-byte aligned, after the directory */
	uint64_t count;      /* records; offset + count * elem_size <= file size */
};                           /* 24 bytes */

/* A string in the blob: blob[off .. off+len) then a NUL at blob[off+len]. */
struct plan_str {
	uint32_t off;        /* bytes into the blob */
	uint32_t len;        /* bytes, without the terminator */
};

/* Address families a listener or server can have. */
enum plan_family {
	PLAN_FAM_NONE     = 0,  /* no address (server with no address) */
	PLAN_FAM_INET     = 1,  /* sockaddr_in */
	PLAN_FAM_INET6    = 2,  /* sockaddr_in6 */
	PLAN_FAM_UNIX     = 3,  /* sockaddr_un, path */
	PLAN_FAM_ABNS     = 4,  /* sockaddr_un, abstract, padded to full size */
	PLAN_FAM_ABNSZ    = 5,  /* sockaddr_un, abstract, exact length */
	PLAN_FAM_FD       = 6,  /* inherited descriptor, see plan_addr.fd */
	PLAN_FAM_SOCKPAIR = 7,  /* descriptor of a socketpair end */
	PLAN_FAM_MAX
};

/* Transport protocol on top of the family. */
enum plan_proto {
	PLAN_PROTO_TCP    = 0,  /* SOCK_STREAM, protocol 0 (unix: stream) */
	PLAN_PROTO_MPTCP  = 1,  /* SOCK_STREAM, IPPROTO_MPTCP; INET/INET6 only */
	PLAN_PROTO_MAX
};

#define PLAN_SOCKADDR_MAX 112  /* >= sizeof(struct sockaddr_un) (110) */

/*
 * What the verifier accepts in a plan_addr (sa_family is read from sa[] in
 * host order, as the kernel stores it):
 *   INET     salen == sizeof(struct sockaddr_in),  sa_family AF_INET
 *   INET6    salen == sizeof(struct sockaddr_in6), sa_family AF_INET6
 *   UNIX     sa_family AF_UNIX, a non-empty path with its NUL inside salen
 *            (canonical: salen = offsetof(sun_path) + strlen(path) + 1),
 *            salen <= sizeof(struct sockaddr_un)
 *   ABNS     sa_family AF_UNIX, sun_path[0] == 0,
 *            salen == sizeof(struct sockaddr_un)
 *   ABNSZ    sa_family AF_UNIX, sun_path[0] == 0,
 *            offsetof(sun_path) + 1 <= salen <= sizeof(struct sockaddr_un)
 *   FD, SOCKPAIR  salen == 0; the descriptor in fd
 *   NONE     salen == 0 (a server's left unresolved, as plan_server_addr()
 *            gives it; listeners, logs and stats sockets need an address)
 * fd is 0 unless the family is FD or SOCKPAIR; bytes of sa[] at and after
 * salen are zero; MPTCP only with INET and INET6.
 */
struct plan_addr {
	uint8_t  family;     /* enum plan_family */
	uint8_t  proto;      /* enum plan_proto */
	uint16_t salen;      /* bytes of sa[] in use; 0 for FD/SOCKPAIR/NONE */
	uint32_t fd;         /* FD/SOCKPAIR: descriptor number, else 0 */
	uint8_t  sa[PLAN_SOCKADDR_MAX]; /* struct sockaddr bytes, zero padded */
};                           /* 120 bytes */

enum plan_mode {
	PLAN_MODE_TCP  = 0,
	PLAN_MODE_HTTP = 1,
	PLAN_MODE_MAX
};

enum plan_balance {
	PLAN_BALANCE_ROUNDROBIN = 0,  /* smooth weighted, dynamic weights */
	PLAN_BALANCE_STATIC_RR  = 1,  /* weighted, weights fixed at start */
	PLAN_BALANCE_LEASTCONN  = 2,  /* fewest connections per weight */
	PLAN_BALANCE_FIRST      = 3,  /* first server with a free slot */
	PLAN_BALANCE_SOURCE     = 4,  /* hash of the client address */
	PLAN_BALANCE_RANDOM     = 5,  /* power of `random_draws` choices */
	PLAN_BALANCE_URI        = 6,  /* hash of the request URI (HTTP mode;
	                                 plan_http.bal_*) */
	PLAN_BALANCE_URL_PARAM  = 7,  /* hash of a query parameter's value */
	PLAN_BALANCE_HDR        = 8,  /* hash of a request header's value */
	PLAN_BALANCE_HASH       = 9,  /* hash of a sample expression (HTTP
	                                 mode; plan_http.bal_acl) */
	PLAN_BALANCE_MAX
};

enum plan_hash_type {
	PLAN_HASH_MAP_BASED  = 0,     /* modulo over the weighted server map */
	PLAN_HASH_CONSISTENT = 1,     /* ring of weighted points */
	PLAN_HASH_MAX
};

/* hash-type's <function>: how uri, url_param and hdr turn their key into
 * a number (HAProxy's hash.c functions; `source` keeps its own). */
enum plan_hash_func {
	PLAN_HASH_FN_SDBM  = 0,       /* the default */
	PLAN_HASH_FN_DJB2  = 1,
	PLAN_HASH_FN_WT6   = 2,
	PLAN_HASH_FN_CRC32 = 3,
	PLAN_HASH_FN_NONE  = 4,       /* the key read as a decimal integer */
	PLAN_HASH_FN_MAX
};

/* How a backend's servers are health-checked (when a server has `check`). */
enum plan_check_type {
	PLAN_CHECK_CONNECT = 0,       /* TCP connect only */
	PLAN_CHECK_TCP     = 1,       /* option tcp-check: the rule list */
	PLAN_CHECK_HTTP    = 2,       /* option httpchk: request, expect status */
	PLAN_CHECK_MAX
};

enum plan_log_format {
	PLAN_LOGFMT_TCPLOG = 0,       /* HAProxy's tcplog line */
	PLAN_LOGFMT_MAX
};

/* Proxy capabilities: a listen section has both. */
#define PLAN_CAP_FE  0x1u
#define PLAN_CAP_BE  0x2u
#define PLAN_CAP_ALL (PLAN_CAP_FE | PLAN_CAP_BE)

#define PLAN_GLB_F_DAEMON   0x1u     /* daemon: fork into the background */
#define PLAN_GLB_F_MAXREWRITE 0x2u   /* tune.maxrewrite given (may be 0) */
#define PLAN_GLB_F_STRICT_LIMITS 0x4u /* strict-limits: a descriptor limit
                                        that cannot be had stops cfgrun (a
                                        reload is refused) instead of
                                        lowering maxconn */

struct plan_global {
	uint32_t maxconn;           /* connections, 0 = runtime default */
	uint32_t flags;             /* PLAN_GLB_F_*; other bits 0 */
	uint32_t nproxies;          /* = PROXY section count */
	uint32_t nbthread;          /* threads, 0 = 1 */
	struct plan_str source;     /* first configuration file, for logs */
	struct plan_str pidfile;    /* path, empty = none */
	struct plan_str user;       /* user name to switch to, empty = none */
	struct plan_str group;      /* group name to switch to, empty = none */
	struct plan_str chroot;     /* directory, empty = none */
	uint32_t first_log;         /* index into LOG: global log targets */
	uint32_t nlogs;             /* global log targets, contiguous */
	uint32_t first_stats;       /* index into STATS */
	uint32_t nstats;            /* stats sockets, contiguous */
	uint32_t tune_bufsize;      /* tune.bufsize: bytes per buffer, 0 =
	                               HAProxy's 16384, else a multiple of 16
	                               in PLAN_BUFSIZE_MIN..PLAN_BUFSIZE_MAX */
	uint32_t tune_maxrewrite;   /* tune.maxrewrite: bytes of a buffer kept
	                               for rewrites, with PLAN_GLB_F_MAXREWRITE
	                               (<= the buffer size / 2; HAProxy lowers a
	                               larger value to that); without it 0, and
	                               the value is 1024 or half the buffer */
	uint32_t tune_http_maxhdr;  /* tune.http.maxhdr: headers per message,
	                               0 = HAProxy's 101, else 1..32767 */
	uint32_t ulimit_n;          /* ulimit-n: RLIMIT_NOFILE to set,
	                               1..PLAN_MAX_ULIMIT_N, 0 = computed from
	                               maxconn */
	uint32_t uid;               /* uid: numeric user id to switch to,
	                               0 = none (as in HAProxy), at most
	                               PLAN_MAX_ID; with a non-empty `user`
	                               it must be 0 */
	uint32_t gid;               /* gid: numeric group id, same rules
	                               with `group` */
	struct plan_str description;/* global `description` (words joined by
	                               spaces), empty = none: `show info`,
	                               and the stats page's `stats show-desc`
	                               without text */
	uint32_t unix_bind_flags;   /* PLAN_UXB_F_*: which of the three next
	                               `unix-bind` gave; other bits 0 */
	uint32_t unix_bind_mode;    /* permission bits (<= 07777) cfgrun
	                               sets on the unix sockets of proxies'
	                               bind lines; 0 without the flag */
	uint32_t unix_bind_uid;     /* their owner (<= PLAN_MAX_ID), 0
	                               without the flag */
	uint32_t unix_bind_gid;     /* their group, same rules */
	uint32_t maxconnrate;       /* maxconnrate: connections accepted per
	                               second, all frontends, 0 = no limit,
	                               at most PLAN_MAX_RATE */
	uint32_t maxsessrate;       /* maxsessrate: sessions per second (the
	                               connections tcp-request connection
	                               rules keep), same rules */
	uint32_t tune_comp_maxlevel;/* tune.comp.maxlevel: the zlib level of
	                               HTTP compression, 1..9; 0 = HAProxy's
	                               default, 1 */
	uint32_t tune_zlib_memlevel;/* tune.zlib.memlevel: zlib's memLevel,
	                               1..9; 0 = HAProxy's default, 8 */
	uint32_t tune_zlib_windowsize; /* tune.zlib.windowsize: zlib's
	                               windowBits, 8..15; 0 = 15 */
	uint32_t reserved;          /* 0 */
};                                  /* 144 bytes */

#define PLAN_UXB_F_MODE 0x1u        /* unix-bind mode given */
#define PLAN_UXB_F_UID  0x2u        /* unix-bind uid given */
#define PLAN_UXB_F_GID  0x4u        /* unix-bind gid given */

#define PLAN_MAX_ID 0xfffffffeu     /* (uid_t)-1 means "unchanged" */

#define PLAN_MAX_ULIMIT_N 0x7fffffffu /* HAProxy reads ulimit-n as an int */
#define PLAN_MAX_RATE 0x7fffffffu   /* maxconnrate, maxsessrate: the stats
                                       socket's `set rate-limit` takes an int */

#define PLAN_BUFSIZE_MIN 256u       /* smallest tune.bufsize cfgc takes (below,
                                       HAProxy cannot load its error pages) */
#define PLAN_BUFSIZE_MAX 0x7ffffff0u /* largest: HAProxy's INT_MAX - 16,
                                        rounded up to 16 */

struct plan_proxy {
	struct plan_str name;       /* proxy name */
	uint32_t cap;               /* PLAN_CAP_* (non-zero, within ALL) */
	uint32_t mode;              /* enum plan_mode */
	uint32_t balance;           /* enum plan_balance */
	uint32_t maxconn;           /* frontend concurrent connections, 0 = none */
	uint32_t timeout_connect;   /* ms, 0 = none */
	uint32_t timeout_client;    /* ms, 0 = none */
	uint32_t timeout_server;    /* ms, 0 = none */
	uint32_t default_backend;   /* proxy index with CAP_BE, or PLAN_NONE */
	uint32_t first_listener;    /* index into LISTENER */
	uint32_t nlisteners;        /* listeners of this proxy, contiguous:
	                               [first, first+n) inside the table, and
	                               exactly the listeners whose proxy is
	                               this one (so ranges never overlap and
	                               together cover the table) */
	uint32_t first_server;      /* index into SERVER */
	uint32_t nservers;          /* servers of this proxy, same rules */
	uint32_t line;              /* line of the section header in source */
	uint32_t flags;             /* PLAN_PX_F_*; other bits 0 */
	uint32_t hash_type;         /* enum plan_hash_type */
	uint32_t random_draws;      /* balance random(N): N >= 1 */
	uint32_t timeout_queue;     /* ms, 0 = timeout connect */
	uint32_t timeout_tunnel;    /* ms, 0 = none */
	uint32_t timeout_client_fin;/* ms, 0 = timeout client */
	uint32_t timeout_server_fin;/* ms, 0 = timeout server */
	uint32_t timeout_check;     /* ms, 0 = inter */
	uint32_t retries;           /* connection attempts after the first */
	uint32_t check_type;        /* enum plan_check_type */
	uint32_t first_check;       /* index into CHECK: tcp-check rules */
	uint32_t ncheck;            /* rules, contiguous */
	struct plan_str httpchk_method; /* option httpchk method, "OPTIONS" default */
	struct plan_str httpchk_uri;    /* "/" default */
	struct plan_str httpchk_version;/* "HTTP/1.0" default */
	struct plan_str httpchk_host;   /* http-check send hdr host, empty = none */
	uint32_t httpchk_status_lo; /* http-check expect status: range, */
	uint32_t httpchk_status_hi; /*  2xx-3xx when not given */
	uint32_t log_format;        /* enum plan_log_format */
	uint32_t first_log;         /* index into LOG: this proxy's targets */
	uint32_t nlogs;             /* contiguous; with LOG_GLOBAL, global ones too */
	uint32_t first_acl;         /* index into ACL: this proxy's ACL lines;
	                               proxies use the table in order (first_acl
	                               is the sum of the nacls before it) */
	uint32_t nacls;             /* ACL lines, contiguous */
	uint32_t first_rule;        /* index into RULE, in order as ACLs */
	uint32_t nrules;            /* rules, contiguous: the first nconn_rules
	                               are tcp-request connection rules, the
	                               rest use_backend rules (frontends only) */
	uint32_t nconn_rules;       /* <= nrules */
	uint32_t timeout_tarpit;    /* ms a tarpit rule of this proxy holds
	                               the request: timeout tarpit, else (a
	                               proxy with a backend side) timeout
	                               connect, as cfgc resolved it; 0
	                               without such a rule, or no hold (as
	                               HAProxy answers at once then) (was
	                               `reserved`) */
	uint32_t fullconn;          /* backend `fullconn`: the backend load at
	                               which servers with a minconn reach their
	                               maxconn; 0 = HAProxy's default, 10% of
	                               the sum of the maxconn of the frontends
	                               that may branch here (cfgrun computes it,
	                               as a frontend without maxconn counts the
	                               global one); 0 without CAP_BE */
	uint32_t hash_func;         /* enum plan_hash_func; 0 without CAP_BE
	                               (was `reserved2`) */
	struct plan_str description;/* the proxy's `description`, empty =
	                               none: shown in its stats page table */
};                                  /* 192 bytes */

#define PLAN_PX_F_REDISPATCH  0x1u  /* option redispatch */
#define PLAN_PX_F_ALLBACKUPS  0x2u  /* option allbackups */
#define PLAN_PX_F_LOG_GLOBAL  0x4u  /* log global */
#define PLAN_PX_F_DONTLOGNULL 0x8u  /* option dontlognull */
#define PLAN_PX_F_LOG         0x10u /* option tcplog (or any log line) */
#define PLAN_PX_F_LOG_HEALTH_CHECKS 0x20u /* option log-health-checks */
#define PLAN_PX_F_CLITCPKA    0x40u /* option clitcpka (or tcpka): TCP
                                       keepalive on client connections
                                       (frontends) */
#define PLAN_PX_F_SRVTCPKA    0x80u /* option srvtcpka (or tcpka): the same
                                       on server connections (backends) */
#define PLAN_PX_F_PREFER_LAST 0x100u /* option prefer-last-server (backends
                                       in HTTP mode): a request on a client
                                       connection goes to the server its
                                       previous request used, if usable */
#define PLAN_PX_F_LOGASAP     0x200u /* option logasap (frontends): a
                                       stream's line is written when the
                                       server is connected (TCP) or the
                                       response head is forwarded (HTTP),
                                       total time and bytes with a '+' */
#define PLAN_PX_F_HASH_AVALANCHE 0x400u /* hash-type ... avalanche (or
                                       consistent without a function):
                                       the hash is mixed before use
                                       (backends) */
#define PLAN_PX_F_NO_CONN_RETRY 0x800u /* retry-on without conn-failure:
                                       a failed connection is not retried,
                                       in TCP mode too, as in HAProxy
                                       (backends) */

#define PLAN_LSN_F_ACCEPT_PROXY 0x1u /* accept-proxy: PROXY v1/v2 header first */
#define PLAN_LSN_F_V4V6        0x2u /* v4v6: an IPv6 socket takes IPv4 too */
#define PLAN_LSN_F_V6ONLY      0x4u /* v6only: an IPv6 socket takes IPv6
                                       only (never with V4V6) */
#define PLAN_LSN_F_TFO         0x8u /* tfo: TCP Fast Open accepted (inet
                                       and inet6 only) */

struct plan_listener {
	uint32_t proxy;             /* owning proxy index (CAP_FE) */
	uint32_t line;              /* line of the bind statement */
	struct plan_str name;       /* address as written, for logs */
	struct plan_addr addr;      /* one port: ranges are expanded */
	uint32_t flags;             /* PLAN_LSN_F_*; other bits 0 */
	uint32_t backlog;           /* listen() backlog, 0 = from maxconn */
	uint32_t maxconn;           /* bind maxconn, 0 = none */
	uint32_t tls;               /* (was reserved) bind ... ssl: index + 1
	                               of its struct plan_tls_bind, 0 = plain */
};                                  /* 152 bytes */

#define PLAN_SRV_F_NOPORT      0x1u  /* no port given: use the client's */
#define PLAN_SRV_F_BACKUP      0x2u  /* backup server */
#define PLAN_SRV_F_DISABLED    0x4u  /* starts in maintenance */
#define PLAN_SRV_F_CHECK       0x8u  /* health-checked */
#define PLAN_SRV_F_SEND_PROXY  0x10u /* PROXY protocol v1 header to it */
#define PLAN_SRV_F_SEND_PROXY2 0x20u /* PROXY protocol v2 header to it */
#define PLAN_SRV_F_OFFSET      0x40u /* port is an offset from the client's */
#define PLAN_SRV_F_SHUT_DOWN   0x4000u /* on-marked-down shutdown-sessions:
                                          its streams are killed when it
                                          goes DOWN or into maintenance */
#define PLAN_SRV_F_SHUT_BACKUP 0x8000u /* on-marked-up shutdown-backup-
                                          sessions: coming UP (not a backup,
                                          weight > 0) kills the streams of
                                          its backend's backup servers */
#define PLAN_SRV_F_USESRC_CLIENT   0x100u /* source ... usesrc client: traffic
                                        connections bind to the client's
                                        IP and port (transparent; needs
                                        a source address, for checks) */
#define PLAN_SRV_F_USESRC_CLIENTIP 0x200u /* usesrc clientip: the client's
                                        IP, any port; not with CLIENT */
#define PLAN_SRV_F_TFO         0x400u /* tfo: connect with TCP Fast Open
                                        (inet and inet6 only) */
#define PLAN_SRV_F_TLS         0x80u /* has a TLS_SERVER record (ssl or
                                        check-ssl), see plan_tls_server */

/*
 * A server's address, compactly (servers are many; see plan_server_addr()
 * for the struct plan_addr it stands for). The verifier accepts:
 *   NONE      port 0, ip zero; aux is the blob offset of the address word
 *             left unresolved (init-addr none), 0 = none
 *   INET      ip[0..4) the address, ip[4..16) zero; aux 0
 *   INET6     ip the address; aux the scope id (sin6_scope_id)
 *   UNIX      aux the blob offset of the path: 1..107 bytes up to its NUL
 *   ABNS      aux the blob offset of the abstract name without its leading
 *   ABNSZ     NUL: 0..107 bytes up to its NUL; ABNS pads the sockaddr to
 *             its full size, ABNSZ gives the name's exact length
 *   FD, SOCKPAIR  aux the descriptor (0..INT_MAX)
 * port is 0 for every family but INET and INET6, ip zero but for them;
 * MPTCP only with INET and INET6. A blob offset is inside the blob and a
 * NUL follows it within the blob.
 */
struct plan_srv_addr {
	uint8_t  family;     /* enum plan_family */
	uint8_t  proto;      /* enum plan_proto */
	uint16_t port;       /* INET/INET6: port in host order, else 0 */
	uint32_t aux;        /* by family, see above */
	uint8_t  ip[16];     /* INET: 4 bytes then zeros; INET6: 16 bytes */
};                           /* 24 bytes */

struct plan_server {
	uint32_t proxy;             /* owning proxy index (CAP_BE) */
	uint32_t line;              /* line of the server statement */
	struct plan_str name;       /* server name */
	uint16_t weight;            /* 0..256 */
	uint16_t flags;             /* PLAN_SRV_F_*; other bits 0 */
	uint32_t maxconn;           /* concurrent connections, 0 = none */
	uint32_t maxqueue;          /* queued connections, 0 = unlimited */
	int32_t  port_offset;       /* SRV_F_OFFSET: added to the client's port */
	uint32_t inter;             /* ms between checks */
	uint32_t fastinter;         /* ms, while going up or down; 0 = inter */
	uint32_t downinter;         /* ms, while down; 0 = inter */
	uint32_t rise;              /* successes to go up, >= 1 */
	uint32_t fall;              /* failures to go down, >= 1 */
	uint32_t check_addr;        /* index into CHECKADDR: where checks go
	                               (INET/INET6, `addr`/`port` applied), or
	                               PLAN_NONE: to addr. The servers having
	                               one use the table in server order:
	                               0, 1, 2... with none left over */
	struct plan_srv_addr addr;  /* where to connect; NONE with a host word
	                               when left unresolved */
	struct plan_str cookie;     /* `cookie VALUE`: the server's persistence
	                               cookie value, empty = none (HAProxy's
	                               default: the server takes no part in
	                               cookie persistence) */
	struct plan_srv_addr source; /* `source` (the server's, else its
	                               backend's): the address connections
	                               and checks to it are bound to; NONE
	                               (all zero) = the system's choice, else
	                               INET or INET6 over TCP, port 0 = any */
	uint32_t minconn;           /* `minconn`: the limit follows the
	                               backend's load from minconn up to
	                               maxconn (reached at the backend's
	                               fullconn); 0 = a fixed maxconn, else
	                               1..maxconn-1 (cfgc folds the rest into
	                               maxconn as HAProxy does) */
	uint32_t reserved;          /* 0 */
};                                  /* 120 bytes */

enum plan_check_op {
	PLAN_CHK_CONNECT       = 0,  /* tcp-check connect [port N]; arg = port */
	PLAN_CHK_SEND          = 1,  /* send data (escapes decoded) */
	PLAN_CHK_EXPECT_STRING = 2,  /* expect string: data must appear */
	PLAN_CHK_EXPECT_BINARY = 3,  /* expect binary: data (decoded hex) */
	PLAN_CHK_EXPECT_REGEX  = 4,  /* expect rstring: POSIX ERE in data */
	PLAN_CHK_EXPECT_PROTO  = 5,  /* a protocol check's answer, judged by
	                                cfgrun's code for step `arg` (enum
	                                plan_check_proto); data: the option's
	                                words after `option`, as compiled */
	PLAN_CHK_OP_MAX
};

/* The steps of the protocol checks (`arg` of PLAN_CHK_EXPECT_PROTO). */
enum plan_check_proto {
	PLAN_CHKP_MYSQL_HELLO  = 0,  /* MySQL's greeting, not an error packet */
	PLAN_CHKP_MYSQL_OK     = 1,  /* the packet after it (login answer) */
	PLAN_CHKP_PGSQL        = 2,  /* authentication request or OK, not 'E' */
	PLAN_CHKP_REDIS        = 3,  /* "+PONG\r\n" */
	PLAN_CHKP_SMTP_HELLO   = 4,  /* a 2xx greeting line */
	PLAN_CHKP_SMTP_REPLY   = 5,  /* a 2xx answer to HELO/EHLO */
	PLAN_CHKP_LDAP         = 6,  /* a successful LDAPv3 bind response */
	PLAN_CHKP_MAX
};

#define PLAN_CHK_F_NEGATE 0x1u      /* expect ! ... */
#define PLAN_CHK_F_DEFAULT 0x2u     /* tcp-check connect default: the
                                       server's check settings (TLS with
                                       check-ssl); else a plain connection */

struct plan_check_rule {
	uint32_t proxy;             /* owning backend */
	uint32_t op;                /* enum plan_check_op */
	uint32_t flags;             /* PLAN_CHK_F_* */
	uint32_t arg;               /* CONNECT: port (0 = server's) */
	struct plan_str data;       /* bytes to send or expect */
	uint32_t line;              /* source line */
	uint32_t reserved;          /* 0 */
};                                  /* 32 bytes */

enum plan_log_target {
	PLAN_LOGT_FD   = 0,         /* fd@1 / stdout, fd@2 / stderr: fd in addr.fd */
	PLAN_LOGT_UDP  = 1,         /* syslog over UDP to addr (INET/INET6) */
	PLAN_LOGT_UNIX = 2,         /* syslog to a unix datagram socket */
	PLAN_LOGT_MAX
};

struct plan_log {
	uint32_t owner;             /* proxy index, or PLAN_NONE for global */
	uint32_t target;            /* enum plan_log_target */
	uint32_t facility;          /* syslog facility 0..23 */
	uint32_t level;             /* max level 0 (emerg) .. 7 (debug) */
	uint32_t format;            /* 0 rfc3164, 1 rfc5424, 2 raw */
	uint32_t line;              /* source line */
	struct plan_addr addr;      /* where to send */
};                                  /* 144 bytes */

enum plan_stats_level {
	PLAN_STATS_USER     = 0,
	PLAN_STATS_OPERATOR = 1,
	PLAN_STATS_ADMIN    = 2,
	PLAN_STATS_LEVEL_MAX
};

struct plan_stats_socket {
	uint32_t level;             /* enum plan_stats_level */
	uint32_t mode;              /* unix socket permission bits, 0 = umask */
	uint32_t line;              /* source line */
	uint32_t timeout_ms;        /* global `stats timeout`: a client idle
	                               this long is closed; 0 = 10 s (HAProxy's
	                               default); the same in every record */
	uint32_t uid;               /* `uid N`: owner given to the unix socket
	                               file (<= PLAN_MAX_ID); PLAN_STATS_NO_ID =
	                               unchanged, always so for other forms */
	uint32_t gid;               /* `gid N`: its group, same rules */
	struct plan_addr addr;      /* UNIX path or INET/INET6 */
	struct plan_str user;       /* `user NAME`: owner of the unix socket
	                               file, looked up by cfgrun when it
	                               makes the socket; empty = none, else
	                               uid is PLAN_STATS_NO_ID */
	struct plan_str group;      /* `group NAME`: its group, same rules
	                               with gid */
};                                  /* 160 bytes */

#define PLAN_STATS_NO_ID 0xffffffffu /* stats socket owner left as made */

/*
 * How the process is operated (section OPS, one record): stopping,
 * the stats sockets' connection limit, server state loaded at start.
 * Times are at most INT32_MAX ms; `load_state` is empty or holds one
 * character per proxy (same index): PLAN_LOAD_STATE_NONE, or
 * PLAN_LOAD_STATE_GLOBAL for a backend that reads its servers' state
 * from `server_state_file` at start, which is then non-empty.
 */
#define PLAN_LOAD_STATE_NONE   'n'  /* load-server-state-from-file none */
#define PLAN_LOAD_STATE_GLOBAL 'g'  /* load-server-state-from-file global */
#define PLAN_MAX_STATS_MAXCONN 65536u /* stats maxconn at most */

/* plan_ops.flags */
#define PLAN_OPS_F_SPREAD_INFINITE 0x1u /* close-spread-time infinite: a
                                           soft stop closes no client
                                           connection early (close_spread_ms
                                           is 0) */

struct plan_ops {
	uint32_t hard_stop_after_ms; /* hard-stop-after: a soft stop ends the
	                               connections left after this long;
	                               0 = never */
	uint32_t grace_ms;          /* grace: a soft stop keeps the listeners
	                               this long first; 0 = none */
	uint32_t close_spread_ms;   /* close-spread-time: window over which a
	                               soft stop closes idle connections;
	                               0 = at once */
	uint32_t stats_maxconn;     /* stats maxconn: stats socket clients
	                               served at once, 1..PLAN_MAX_STATS_MAXCONN;
	                               0 = cfgrun's default */
	uint32_t max_spread_checks_ms; /* max-spread-checks: the first checks
	                               start within this long (or within each
	                               server's interval when shorter);
	                               0 = within the interval */
	uint32_t flags;             /* PLAN_OPS_F_* */
	struct plan_str server_state_file; /* server-state-file: path, empty =
	                               none */
	struct plan_str load_state; /* per proxy: PLAN_LOAD_STATE_* chars, or
	                               empty = none anywhere */
};                                  /* 40 bytes */

/*
 * Preconditions: files the configuration refers to that cfgc did not
 * check because it ran with --hermetic. cfgrun applies the kind's check
 * (common/precond.h) to each before it starts or switches to the plan.
 * Without --hermetic the table is empty: the files were checked when the
 * plan was compiled.
 */
enum plan_precond_kind {
	PLAN_PRE_CERT      = 0,  /* crt: a PEM file with a block, or a directory */
	PLAN_PRE_PEM       = 1,  /* key, issuer, DH parameters: a PEM file */
	PLAN_PRE_CA        = 2,  /* ca-file, crl-file: PEM file or directory */
	PLAN_PRE_CRT_LIST  = 3,  /* crt-list: readable text */
	PLAN_PRE_ERRORFILE = 4,  /* an HTTP response starting with a status line */
	PLAN_PRE_PATTERNS  = 5,  /* ACL pattern or map file: readable text */
	PLAN_PRE_TEXT      = 6,  /* other text files (lua, ticket keys, ...) */
	PLAN_PRE_DATA      = 7,  /* any readable regular file (OCSP, databases) */
	PLAN_PRE_KIND_MAX
};

struct plan_precond {
	uint32_t kind;              /* enum plan_precond_kind */
	uint32_t line;              /* line of the word naming the file, >= 1 */
	uint32_t col;               /* its column, >= 1 */
	uint32_t reserved;          /* 0 */
	struct plan_str path;       /* resolved path, absolute, non-empty */
	struct plan_str source;     /* configuration file holding the line */
	struct plan_str keyword;    /* option or keyword naming it ("crt") */
};                                  /* 40 bytes */

/*
 * Content switching (version 3). An ACL line (`acl NAME FETCH ... VALUES`,
 * or one anonymous `{ FETCH ... }`) is one struct plan_acl with its
 * patterns; the lines of one named ACL are adjacent (cfgc groups them in
 * declaration order), and a condition term names such a group by its
 * first line and count: the term is true when one of the lines matches.
 * A rule's condition is in disjunctive form, as HAProxy reads it: its
 * terms in order, each AND-ed to the previous one unless it carries
 * PLAN_TERM_F_OR, which starts a new alternative; the condition holds
 * when one alternative has all its terms true (`unless` negates it).
 */
enum plan_fetch {
	PLAN_FETCH_ALWAYS_FALSE = 0, /* boolean false */
	PLAN_FETCH_ALWAYS_TRUE  = 1, /* boolean true */
	PLAN_FETCH_SRC          = 2, /* client address (ip; none on unix) */
	PLAN_FETCH_DST          = 3, /* address the client reached (ip) */
	PLAN_FETCH_SRC_PORT     = 4, /* client port (int) */
	PLAN_FETCH_DST_PORT     = 5, /* port the client reached (int) */
	PLAN_FETCH_NBSRV        = 6, /* usable servers of backend `arg` (int) */
	/* HTTP (version 4); the registry (sample-reg.c) gives each its
	   argument, output type and where it is valid */
	PLAN_FETCH_METHOD       = 7, /* request method token (str) */
	PLAN_FETCH_PATH         = 8, /* path of the request target (str) */
	PLAN_FETCH_URL          = 9, /* request target as received (str) */
	PLAN_FETCH_QUERY        = 10,/* after '?', none without one (str) */
	PLAN_FETCH_BASE         = 11,/* Host value then path (str) */
	PLAN_FETCH_URL_PARAM    = 12,/* value of query parameter `sarg` (str) */
	PLAN_FETCH_REQ_HDR      = 13,/* values of header `sarg`, split at
	                                commas; occurrence `occ` (str) */
	PLAN_FETCH_REQ_FHDR     = 14,/* whole lines of header `sarg` (str) */
	PLAN_FETCH_REQ_HDR_CNT  = 15,/* comma-split values of `sarg` (int) */
	PLAN_FETCH_REQ_FHDR_CNT = 16,/* lines of header `sarg` (int) */
	PLAN_FETCH_REQ_COOK     = 17,/* value of cookie `sarg` (str) */
	PLAN_FETCH_RES_HDR      = 18,/* as REQ_HDR, in the response (str) */
	PLAN_FETCH_RES_FHDR     = 19,/* as REQ_FHDR, in the response (str) */
	PLAN_FETCH_RES_HDR_CNT  = 20,/* as REQ_HDR_CNT, response (int) */
	PLAN_FETCH_STATUS       = 21,/* response status code (int) */
	PLAN_FETCH_REQ_VER      = 22,/* request version "1.1" (str) */
	PLAN_FETCH_RES_VER      = 23,/* response version "1.1" (str) */
	PLAN_FETCH_PATHQ        = 24,/* path and query (str) */
	PLAN_FETCH_VAR          = 25,/* variable `arg` (an index below
	                                PLAN_MAX_VARS), sarg its name with
	                                its scope ("txn.x"); any type */
	PLAN_FETCH_STR          = 26,/* the text of sarg, maybe empty (str) */
	PLAN_FETCH_INT          = 27,/* sarg read as an integer (int) */
	PLAN_FETCH_BOOL         = 28,/* sarg read as an integer != 0 (bool) */
	PLAN_FETCH_STKCTR       = 29,/* a stick counter fetch (sc*_, src_*):
	                                what it reads is packed in `occ`
	                                (PLAN_STK_* below), the table in
	                                `arg` (int) */
	PLAN_FETCH_DATE         = 30,/* the time since the epoch, in the unit
	                                `occ` (PLAN_DATE_*), plus `arg2` of
	                                it (int) */
	PLAN_FETCH_BE_NAME      = 31,/* the stream's backend's name, its
	                                frontend's before it has one (str) */
	PLAN_FETCH_ACL          = 33,/* acl(NAME,...): true when every named
	                                ACL matches (a '!' before one: does
	                                not); sarg lists them as text,
	                                "[!]FIRST:N" ranges of ACL lines of
	                                the owner, none an ACL line itself
	                                (bool) */
	PLAN_FETCH_FE_NAME      = 34,/* the frontend's name (str) */
	PLAN_FETCH_FC_ERR       = 32,/* the client connection's error code:
	                                0, cfgrun runs fetches only on
	                                connections that work (int) */
	/* The PROXY header the client began with (accept-proxy), numbered
	 * from 40: its v2 TLVs, kept with the connection. */
	PLAN_FETCH_FC_PP_AUTHORITY = 40,/* first AUTHORITY TLV (str) */
	PLAN_FETCH_FC_PP_UNIQUE_ID = 41,/* first UNIQUE_ID TLV (str) */
	PLAN_FETCH_FC_PP_TLV    = 42,/* each TLV of type `arg` (0..255; SSL
	                                sub-types looked for inside the SSL
	                                TLVs) (str) */
	PLAN_FETCH_FC_RCVD_PROXY = 43,/* a PROXY header was received (bool) */
	/* TLS of the client connection (numbered from 48, clear of the
	 * fetches other pieces add). */
	PLAN_FETCH_SSL_FC       = 48,/* the connection is TLS (bool) */
	PLAN_FETCH_SSL_FC_SNI   = 49,/* server name the client sent (str) */
	PLAN_FETCH_SSL_FC_PROTOCOL = 50,/* "TLSv1.3"... (str) */
	PLAN_FETCH_SSL_FC_CIPHER = 51,/* cipher suite name (str) */
	PLAN_FETCH_SSL_FC_ALPN  = 52,/* ALPN protocol chosen (str) */
	PLAN_FETCH_SSL_C_USED   = 53,/* a client certificate was given (bool) */
	PLAN_FETCH_SSL_C_VERIFY = 54,/* its verification result, 0 = ok (int) */
	PLAN_FETCH_SSL_C_S_DN   = 55,/* its subject DN, or entry `sarg` (str) */
	PLAN_FETCH_SSL_C_I_DN   = 56,/* its issuer DN, or entry `sarg` (str) */
	PLAN_FETCH_SSL_C_SERIAL = 57,/* its serial number, hex (bin) */
	PLAN_FETCH_SSL_C_SHA1   = 58,/* SHA-1 of its DER, hex (bin) */
	PLAN_FETCH_SSL_FC_ERR   = 59,/* the handshake's TLS error: 0 once it
	                                succeeded (int) */
	PLAN_FETCH_SSL_C_ERR    = 60,/* first verification error of the
	                                client's certificate, 0 none (int) */
	PLAN_FETCH_SSL_C_CA_ERR = 61,/* the same for its chain (int) */
	PLAN_FETCH_SSL_FC_IS_RESUMED = 62,/* the TLS session was resumed
	                                (bool) */
	/* layer 6: the first bytes of the request or response as received
	   (TCP rules, use_backend in TCP mode); numbered from 96 so other
	   fetch families can grow below them */
	PLAN_FETCH_REQ_LEN      = 96,/* bytes of the request buffer (int) */
	PLAN_FETCH_REQ_PAYLOAD  = 97,/* bytes [arg, arg + occ) of the request
	                                (occ 0: to the end) (bin) */
	PLAN_FETCH_REQ_PAYLOAD_LV = 98,/* the block whose big-endian length is
	                                the occ bytes at arg; it starts
	                                `arg2` bytes after that length (bin) */
	PLAN_FETCH_SSL_HELLO_TYPE = 99,/* TLS handshake type of the first
	                                record (1 = ClientHello) (int) */
	PLAN_FETCH_SSL_SNI      = 100,/* ClientHello server_name (str) */
	PLAN_FETCH_SSL_VER      = 101,/* record version, major * 65536 +
	                                minor (int) */
	PLAN_FETCH_SSL_ST_EXT   = 102,/* session ticket extension: 0 none,
	                                1 empty, 2 with a ticket (int) */
	PLAN_FETCH_SSL_ALPN     = 103,/* ClientHello ALPN protocols, one per
	                                value (str) */
	PLAN_FETCH_SSL_EC_EXT   = 104,/* supported_groups extension (bool) */
	PLAN_FETCH_PROTO_HTTP   = 105,/* the request starts as HTTP/1 (bool) */
	PLAN_FETCH_WAIT_END     = 106,/* the inspection delay is over (bool) */
	PLAN_FETCH_RES_LEN      = 107,/* bytes of the response buffer (int) */
	PLAN_FETCH_RES_PAYLOAD  = 108,/* as REQ_PAYLOAD, response (bin) */
	PLAN_FETCH_RES_PAYLOAD_LV = 109,/* as REQ_PAYLOAD_LV, response (bin) */
	PLAN_FETCH_HTTP_AUTH    = 110,/* the Basic credentials of the request
	                                match a user of the userlist packed
	                                in sarg (PLAN_USERLIST_FORMAT) (bool) */
	PLAN_FETCH_HTTP_AUTH_GROUP = 111,/* the same; one sample per group
	                                of the user they name (str) */
	PLAN_FETCH_MAX
};

enum plan_match {
	PLAN_MATCH_FOUND = 0,        /* the sample exists; no pattern */
	PLAN_MATCH_BOOL  = 1,        /* boolean or integer != 0; no pattern */
	PLAN_MATCH_INT   = 2,        /* integer in one of the ranges (INT);
	                                a string sample is read as a decimal */
	PLAN_MATCH_IP    = 3,        /* address in one of the networks (IPV4,
	                                IPV6), v4/v6 mapped as HAProxy does;
	                                a string sample is read as an address */
	PLAN_MATCH_STR   = 4,        /* string equal to a pattern (STR) */
	PLAN_MATCH_BEG   = 5,        /* string starts with a pattern (STR) */
	PLAN_MATCH_END   = 6,        /* string ends with a pattern (STR) */
	PLAN_MATCH_SUB   = 7,        /* string contains a pattern (STR) */
	PLAN_MATCH_REG   = 8,        /* PCRE2 regex finds a match (REG) */
	PLAN_MATCH_DOM   = 9,        /* pattern is a '/', '?', '.' or ':'
	                                delimited run of the string (STR) */
	PLAN_MATCH_DIR   = 10,       /* pattern is a '/' delimited run (STR) */
	PLAN_MATCH_LEN   = 11,       /* string length in a range (INT) */
	PLAN_MATCH_BIN   = 12,       /* bytes equal to a pattern written in
	                                hex (STR: an even number of hex
	                                digits) */
	PLAN_MATCH_MAX
};

#define PLAN_ACL_F_ICASE  0x1u      /* -i: strings compared ignoring ASCII
                                       case (regex: caseless) */
#define PLAN_ACL_F_SORTED 0x2u      /* MATCH_STR: the patterns are sorted
                                       (bytewise, lowercase with ICASE) and
                                       unique: binary search */

/*
 * The verifier accepts: fetch known; arg PLAN_NONE but for NBSRV, where it
 * is PLAN_NONE (the owner has no servers: always 0) or a backend; sarg
 * non-empty exactly for the fetches taking a name (URL_PARAM, the header
 * and cookie fetches); occ 0 unless the fetch takes an occurrence; match
 * known and fitting the fetch's output type (sample_reg_match_fits());
 * FOUND and BOOL without patterns; patterns of the kind the match takes;
 * SORTED only on STR with patterns in strictly increasing order; flags
 * known; the owner's range holding the line; patterns used in ACL order.
 */
/* date(offset,unit): the unit, in a DATE line's occ. */
enum plan_date_unit {
	PLAN_DATE_S  = 0,
	PLAN_DATE_MS = 1,
	PLAN_DATE_US = 2,
	PLAN_DATE_MAX
};

struct plan_acl {
	uint32_t proxy;             /* owning proxy */
	uint32_t fetch;             /* enum plan_fetch */
	uint32_t arg;               /* NBSRV: backend index or PLAN_NONE;
	                               *_PAYLOAD, *_PAYLOAD_LV: offset in
	                               bytes; others PLAN_NONE */
	uint32_t match;             /* enum plan_match */
	uint32_t first_pattern;     /* index into PATTERN; ACLs use the
	                               table in order, as proxies use ACLs */
	uint32_t npatterns;         /* patterns, contiguous */
	uint32_t line;              /* source line of the acl (or of the rule
	                               holding an anonymous one) */
	uint32_t flags;             /* PLAN_ACL_F_* */
	struct plan_str name;       /* ACL name; empty: anonymous */
	struct plan_str sarg;       /* header, parameter or cookie name;
	                               empty for the other fetches */
	int32_t  occ;               /* header occurrence: 0 every one (ACLs)
	                               or the last (values), n > 0 the nth,
	                               n < 0 the nth from the end;
	                               *_PAYLOAD: length (0 = to the end),
	                               *_PAYLOAD_LV: length field bytes 1..4 */
	uint32_t conv;              /* 0: the fetch's sample as it is; else
	                               1 + the index in CONV of the first
	                               converter applied to it, the chain
	                               running to a step with
	                               PLAN_CS_F_LAST */
	int32_t  arg2;              /* *_PAYLOAD_LV: where the block starts,
	                               relative to the end of the length
	                               field; DATE: the offset; else 0 */
	uint32_t reserved;          /* 0 */
};                                  /* 64 bytes */

/*
 * PLAN_USERLIST_FORMAT: the sarg of an HTTP_AUTH or HTTP_AUTH_GROUP line
 * is its userlist section, packed as text: a first line "NAME<TAB>GROUPS"
 * (the groups the section declares, comma-separated, maybe none), then
 * one line per user "K<USER><TAB><GROUPS><TAB><PASSWORD>", K being 'I'
 * for an insecure-password (compared as it is) or 'C' for a crypt(3)
 * hash (password); GROUPS are the user's, each a declared group. Every
 * line ends with '\n'; names hold no TAB, ',', '\n' or NUL, passwords
 * no '\n' or NUL; a user appears once. The verifier checks this shape.
 */

enum plan_pat_kind {
	PLAN_PAT_IPV4 = 0,          /* ip[0..4) under prefix 0..32 */
	PLAN_PAT_IPV6 = 1,          /* ip under prefix 0..128 */
	PLAN_PAT_INT  = 2,          /* lo <= value <= hi */
	PLAN_PAT_STR  = 3,          /* the bytes of str (lowercase with
	                               PLAN_ACL_F_ICASE) */
	PLAN_PAT_REG  = 4,          /* str: a PCRE2 pattern cfgc compiled */
	PLAN_PAT_KIND_MAX
};

/* One pattern. IP kinds: the address with every bit past the prefix
 * zero, lo = hi = 0; INT: lo <= hi, prefix 0 and ip zero; STR, REG: str,
 * everything else zero. str is empty for the IP and INT kinds.
 * An ACL line's pattern read from a `-f` file names that file as the
 * line wrote it: the blob string at file_off of file_len bytes (what the
 * stats socket's `add acl FILE` names); both 0 for a value written on the
 * line, and in map keys. */
struct plan_pattern {
	uint8_t  kind;              /* enum plan_pat_kind */
	uint8_t  prefix;            /* network bits (IP kinds), else 0 */
	uint16_t file_len;          /* -f file name: bytes (was reserved) */
	uint32_t file_off;          /* -f file name: blob offset, 0 = none
	                               (was reserved2) */
	int64_t  lo;                /* INT: lowest value matched */
	int64_t  hi;                /* INT: highest value matched */
	uint8_t  ip[16];            /* IPV4: 4 bytes then zeros; IPV6: 16 */
	struct plan_str str;        /* STR, REG: the pattern text */
};                                  /* 48 bytes */

enum plan_rule_action {
	PLAN_RULE_ACCEPT      = 0,  /* tcp-request connection accept */
	PLAN_RULE_REJECT      = 1,  /* tcp-request connection reject */
	PLAN_RULE_USE_BACKEND = 2,  /* use_backend `backend` */
	/* TCP rules (struct plan_tcp): accept and reject above, and */
	PLAN_RULE_SILENT_DROP = 3,  /* close without telling the client */
	PLAN_RULE_SET_MARK    = 4,  /* SO_MARK of the client socket := arg */
	PLAN_RULE_SET_TOS     = 5,  /* IP TOS / IPv6 tclass := arg (0..255) */
	PLAN_RULE_EXPECT_PROXY = 6, /* connection rules: a PROXY header
	                               comes first (expect-proxy layer4) */
	PLAN_RULE_CLOSE       = 7,  /* tcp-response: close the server side
	                               once what was received is sent */
	PLAN_RULE_STICK       = 8,  /* tcp-request connection track-sc*,
	                               sc-*, and stick on|match|store-request
	                               (set STICK): the TRACK record in `arg` */
	PLAN_RULE_SET_VAR     = 9,  /* hook: set-var* (variables); cfgc
	                               does not emit it yet */
	PLAN_RULE_USE_SERVER  = 10, /* use-server: server first_server +
	                               arg of the owning backend, when it
	                               is usable */
	PLAN_RULE_ACTION_MAX
};

enum plan_cond {
	PLAN_COND_NONE   = 0,       /* always applies; no terms */
	PLAN_COND_IF     = 1,       /* applies when the terms hold */
	PLAN_COND_UNLESS = 2,       /* applies when they do not */
	PLAN_COND_MAX
};

struct plan_rule {
	uint32_t proxy;             /* owning frontend */
	uint32_t action;            /* enum plan_rule_action */
	uint32_t backend;           /* USE_BACKEND: a backend, else PLAN_NONE */
	uint32_t cond;              /* enum plan_cond */
	uint32_t first_term;        /* index into TERM; rules use the table
	                               in order */
	uint32_t nterms;            /* 0 exactly when cond is NONE */
	uint32_t line;              /* source line */
	uint32_t arg;               /* by action: SET_MARK the mark; SET_TOS
	                               0..255; STICK the TRACK record (of
	                               the same proxy); USE_BACKEND with backend
	                               PLAN_NONE: 1 + the ACL line
	                               (anonymous, FOUND, of the owner) whose
	                               sample names the backend at run time
	                               (use_backend %[...]; no such backend:
	                               the rule does not apply); USE_SERVER
	                               the server, counted from the
	                               backend's first_server; else 0 */
};                                  /* 32 bytes */

/*
 * TCP rules (PLAN_SEC_TCP, one record per proxy at the proxy's index).
 * A proxy's range of RULE records is, in this order: its nconn_rules
 * tcp-request connection rules, nsession tcp-request session rules,
 * ncontent tcp-request content rules, its use_backend rules, then
 * nresponse tcp-response content rules, nstick stick persistence rules
 * and nuse_server use-server rules (plan_tcp_rules_of() in plan.h). Connection, session and use_backend
 * rules are a frontend's; content rules a frontend's (cfgc refuses them
 * in a backend); response and stick rules a backend's; stick rules are
 * all STICK, naming TRACK records of op MATCH, STORE or ON; use-server
 * rules a backend's, all USE_SERVER. Actions by set: connection: ACCEPT, REJECT, SILENT_DROP,
 * SET_MARK, SET_TOS, EXPECT_PROXY; session and content: ACCEPT, REJECT,
 * SILENT_DROP, SET_MARK, SET_TOS; response: ACCEPT, REJECT, CLOSE.
 */
enum plan_tcp_set {
	PLAN_TCP_CONNECTION = 0,    /* tcp-request connection */
	PLAN_TCP_SESSION    = 1,    /* tcp-request session */
	PLAN_TCP_CONTENT    = 2,    /* tcp-request content */
	PLAN_TCP_SWITCH     = 3,    /* use_backend */
	PLAN_TCP_RESPONSE   = 4,    /* tcp-response content */
	PLAN_TCP_STICK      = 5,    /* stick on|match|store-request */
	PLAN_TCP_USE_SERVER = 6,    /* use-server */
	PLAN_TCP_SET_MAX
};

struct plan_tcp {
	uint32_t inspect_delay;     /* ms: tcp-request inspect-delay, 0 = the
	                               content rules decide on what is there */
	uint32_t res_inspect_delay; /* ms: tcp-response inspect-delay */
	uint32_t nsession;          /* tcp-request session rules */
	uint32_t ncontent;          /* tcp-request content rules */
	uint32_t nresponse;         /* tcp-response content rules */
	uint32_t nstick;            /* stick on|match|store-request rules */
	uint32_t nuse_server;       /* use-server rules (was reserved) */
	uint32_t reserved;          /* 0 */
};                                  /* 32 bytes */

#define PLAN_TERM_F_NEGATE 0x1u     /* '!' before the ACL */
#define PLAN_TERM_F_OR     0x2u     /* starts a new alternative (never on
                                       a rule's first term) */

struct plan_term {
	uint32_t first_acl;         /* ACL lines of the named (or anonymous)
	                               ACL: inside the rule owner's range */
	uint32_t nacls;             /* >= 1; the term holds when one matches */
	uint32_t flags;             /* PLAN_TERM_F_* */
	uint32_t reserved;          /* 0 */
};                                  /* 16 bytes */

/* The statuses `errorfile` may replace, in the order of the errorfile
 * arrays of struct plan_http (plan_http_err_index() in plan.h). */
#define PLAN_HTTP_ERR_CODES { 200, 400, 401, 403, 404, 405, 407, 408, 410, \
                              413, 414, 425, 429, 431, 500, 501, 502, 503, \
                              504 }
#define PLAN_HTTP_NERRORS 19

/*
 * HTTP settings (version 4): PLAN_SEC_HTTP holds one record per proxy, at
 * the proxy's index. A proxy in `mode tcp` has an all-zero record (HAProxy
 * ignores these settings there; cfgc warns where HAProxy does). Settings
 * come from the proxy's defaults section, then its own statements, as
 * HAProxy inherits them; cfgc stores each proxy's result, so a reader
 * never looks at defaults.
 *
 * When a frontend and a backend disagree, the reader combines them as
 * HAProxy does: connection mode: the more closing one wins (CLOSE over
 * SERVER_CLOSE over KEEPALIVE); forwardfor/originalto: added when either
 * side asks, with the backend's header name when both do, if-none only
 * when every side that asks says if-none; http-reuse and abortonclose are
 * the backend's; httplog, dontlog-normal, log-separate-errors,
 * http-ignore-probes, monitor-uri and timeout http-request / http-keep-alive
 * the frontend's.
 */
enum plan_http_conn {
	PLAN_HTTP_CONN_KEEPALIVE    = 0, /* default, option http-keep-alive */
	PLAN_HTTP_CONN_SERVER_CLOSE = 1, /* option http-server-close */
	PLAN_HTTP_CONN_CLOSE        = 2, /* option httpclose */
	PLAN_HTTP_CONN_MAX
};

enum plan_http_reuse {
	PLAN_HTTP_REUSE_SAFE       = 0, /* default */
	PLAN_HTTP_REUSE_NEVER      = 1,
	PLAN_HTTP_REUSE_AGGRESSIVE = 2,
	PLAN_HTTP_REUSE_ALWAYS     = 3,
	PLAN_HTTP_REUSE_MAX
};

#define PLAN_HTTP_F_HTTPLOG        0x1u     /* option httplog */
#define PLAN_HTTP_F_HTTPLOG_CLF    0x2u     /* ... clf (only with HTTPLOG) */
#define PLAN_HTTP_F_FORWARDFOR     0x4u     /* option forwardfor */
#define PLAN_HTTP_F_FF_IF_NONE     0x8u     /* ... if-none (only with it) */
#define PLAN_HTTP_F_ORIGINALTO     0x10u    /* option originalto */
#define PLAN_HTTP_F_BUFFER_REQUEST 0x20u    /* option http-buffer-request */
#define PLAN_HTTP_F_DONTLOG_NORMAL 0x40u    /* option dontlog-normal */
#define PLAN_HTTP_F_LOG_SEPARATE_ERRORS 0x80u /* option log-separate-errors */
#define PLAN_HTTP_F_IGNORE_PROBES  0x100u   /* option http-ignore-probes */
#define PLAN_HTTP_F_NO_DELAY       0x200u   /* option http-no-delay */
#define PLAN_HTTP_F_ABORTONCLOSE   0x400u   /* option abortonclose */
#define PLAN_HTTP_F_STATS          0x800u   /* the stats page is served (stats
                                               enable, or any stats keyword
                                               below, as in HAProxy) */
#define PLAN_HTTP_F_STATS_ADMIN    0x1000u  /* stats admin if TRUE (the
                                               unconditional form only) */
#define PLAN_HTTP_F_STATS_HIDE_VERSION 0x2000u /* stats hide-version */
#define PLAN_HTTP_F_STATS_SHOW_NODE 0x4000u /* stats show-node [name] */
#define PLAN_HTTP_F_STATS_SHOW_LEGENDS 0x8000u /* stats show-legends */
#define PLAN_HTTP_F_STATS_SHOW_DESC 0x10000u /* stats show-desc [desc] */
#define PLAN_HTTP_F_ALL            0x1ffffu /* every known flag */

#define PLAN_COMP_MAX_ALGOS 4      /* distinct compression algorithms */
#define PLAN_HTTP_F_STATS_SUB      0x1f000u /* flags needing F_STATS */

/* capture request header / capture response header / capture cookie. */
enum plan_capture_kind {
	PLAN_CAPTURE_NONE   = 0,    /* unused slot */
	PLAN_CAPTURE_REQ    = 1,    /* capture request header NAME len N */
	PLAN_CAPTURE_RES    = 2,    /* capture response header NAME len N */
	PLAN_CAPTURE_COOKIE = 3,    /* capture cookie NAME len N (at most one) */
	PLAN_CAPTURE_KIND_MAX
};

#define PLAN_HTTP_MAX_CAPTURES 16   /* per frontend (cfgc refuses more) */

struct plan_http_capture {
	uint8_t  kind;              /* enum plan_capture_kind */
	uint8_t  reserved;          /* 0 */
	uint16_t reserved2;         /* 0 */
	uint32_t len;               /* bytes kept of the value (as HAProxy
	                               reads `len`: any u32) */
	struct plan_str name;       /* header name, or cookie name prefix;
	                               not empty */
};                                  /* 16 bytes */

/* An `except` network of forwardfor/originalto: the address with every
 * bit past the prefix zero. family NONE (no except): everything zero. */
struct plan_http_net {
	uint8_t  family;            /* PLAN_FAM_NONE, INET or INET6 */
	uint8_t  prefix;            /* INET 0..32, INET6 0..128, NONE 0 */
	uint16_t reserved;          /* 0 */
	uint32_t reserved2;         /* 0 */
	uint8_t  ip[16];            /* INET: 4 bytes then zeros; INET6: 16 */
};                                  /* 24 bytes */

/*
 * The verifier accepts: flags within PLAN_HTTP_F_ALL, HTTPLOG_CLF only
 * with HTTPLOG, FF_IF_NONE only with FORWARDFOR, the STATS_SUB flags only
 * with STATS; conn_mode and reuse known; ff_header non-empty exactly with
 * FORWARDFOR, ot_header with ORIGINALTO, their networks canonical and
 * NONE without the flag; stats_uri non-empty exactly with STATS and the
 * other stats fields empty (refresh 0) without it; every string in the
 * blob; reserved fields 0; a TCP proxy's record all zero.
 */
struct plan_http {
	uint32_t flags;             /* PLAN_HTTP_F_* */
	uint32_t conn_mode;         /* enum plan_http_conn */
	uint32_t reuse;             /* enum plan_http_reuse */
	uint32_t timeout_http_request;   /* ms, 0 = unset: HAProxy then waits
	                                    for the request under timeout
	                                    client */
	uint32_t timeout_http_keep_alive;/* ms, 0 = unset: timeout
	                                    http-request, then timeout client */
	uint32_t stats_refresh;     /* stats refresh: seconds, 0 = none */
	struct plan_str ff_header;  /* forwardfor header name
	                               ("X-Forwarded-For" by default) */
	struct plan_http_net ff_except; /* forwardfor except NET */
	struct plan_str ot_header;  /* originalto header ("X-Original-To") */
	struct plan_http_net ot_except; /* originalto except NET */
	struct plan_str stats_uri;  /* stats uri prefix ("/haproxy?stats") */
	struct plan_str stats_realm;/* stats realm, empty = HAProxy's
	                               "HAProxy Statistics" when auth is set */
	struct plan_str stats_auth; /* stats auth "user:password" entries in
	                               order, each ended by '\n'; empty = none */
	struct plan_str stats_node; /* stats show-node name, empty = host name */
	struct plan_str stats_desc; /* stats show-desc text, empty = global
	                               description */
	struct plan_str monitor_uri;/* monitor-uri, empty = none */
	struct plan_str log_format; /* log-format text as written (cfgc
	                               checked its %-items), empty = none;
	                               set with HTTPLOG clear: the last of
	                               log-format / option httplog wins */
	struct plan_str unique_id_format; /* unique-id-format text, empty =
	                               none (checked as log_format) */
	struct plan_str unique_id_header; /* unique-id-header name, empty =
	                               none */
	struct plan_str cookie_name;/* cookie NAME (backends), empty = no
	                               cookie persistence (then every other
	                               cookie field is 0) */
	struct plan_str cookie_domains; /* cookie domain D...: each ended by
	                               '\n', in order; empty = none */
	struct plan_str cookie_attrs;   /* cookie attr V...: the same */
	uint32_t cookie_mode;       /* enum plan_cookie_mode */
	uint32_t cookie_flags;      /* PLAN_COOKIE_F_* */
	uint32_t cookie_maxidle;    /* s, 0 = none (INSERT only) */
	uint32_t cookie_maxlife;    /* s, 0 = none (INSERT only) */
	uint32_t errorfile_mask;    /* bit i: status PLAN_HTTP_ERR_CODES[i]
	                               has a page of its own (errorfile,
	                               errorfiles); other bits 0 */
	uint32_t errorfile_deferred;/* bits of errorfile_mask whose page
	                               cfgc did not read (--hermetic): the
	                               reader loads errorfile_path when it
	                               starts (a PRECOND record makes cfgrun
	                               check the file first); their
	                               errorfile[] is empty */
	struct plan_str errorfile[PLAN_HTTP_NERRORS]; /* the whole HTTP
	                               response sent for that status, as the
	                               file holds it (cfgc checked it parses
	                               as one); empty with the bit set and not
	                               deferred: an empty reply (/dev/null or
	                               an empty file); empty without the bit */
	struct plan_str errorfile_path[PLAN_HTTP_NERRORS]; /* the file it was
	                               read from, resolved (for dumps and
	                               messages); empty exactly without the
	                               bit */
	uint32_t ncaptures;         /* captures[0..ncaptures) in use, in
	                               configuration order (frontends only);
	                               the others all zero */
	uint32_t log_format_acl;    /* 1 + the ACL line (anonymous, FOUND,
	                               of this proxy) of log_format's first
	                               %[...] item, the k-th item's line
	                               following it by k; 0: none (was
	                               `reserved`) */
	struct plan_http_capture captures[PLAN_HTTP_MAX_CAPTURES];
	struct plan_str stats_scope;/* stats scope NAME entries in order,
	                               each ended by '\n' ("." = the proxy
	                               serving the page); empty = every
	                               proxy is shown */
	uint8_t comp_algos[PLAN_COMP_MAX_ALGOS]; /* compression algo / algo-res:
	                               enum plan_comp_algo in the order
	                               HAProxy tries them (the reverse of the
	                               configuration's: its list grows at the
	                               front), each at most once, then 0s;
	                               all 0 = this proxy compresses nothing */
	uint32_t comp_flags;        /* PLAN_COMP_F_*; other bits 0 */
	struct plan_str comp_types; /* compression type / type-res entries,
	                               each ended by '\n', in HAProxy's order;
	                               empty = every type (but multipart) */
	uint32_t comp_minsize;      /* compression minsize-res: bytes, 0 =
	                               none; a response with a smaller
	                               Content-Length is not compressed */
	uint32_t comp_reserved;     /* 0 */
	uint32_t retry_on;          /* PLAN_RETRY_* (backends; retry-on, HAProxy's
	                               default CONN_FAILURE) */
	uint32_t bal_len;           /* balance uri len N: bytes of the URI
	                               hashed, 0 = all */
	uint32_t bal_depth;         /* balance uri depth N: directory levels
	                               hashed, 0 = all */
	uint32_t bal_flags;         /* PLAN_BAL_F_* */
	struct plan_str bal_name;   /* balance url_param's parameter or hdr's
	                               header name, or hash's expression as
	                               written; empty for other algorithms */
	uint32_t bal_acl;           /* balance hash: 1 + the ACL line
	                               (anonymous, of this proxy) that
	                               evaluates its expression; 0 otherwise */
	uint32_t reserved3;         /* 0 */
};                                  /* 840 bytes */

/* HTTP response compression algorithms (`compression algo`). */
enum plan_comp_algo {
	PLAN_COMP_NONE        = 0,  /* end of the list */
	PLAN_COMP_IDENTITY    = 1,  /* identity: body unchanged */
	PLAN_COMP_GZIP        = 2,  /* gzip (RFC 1952) */
	PLAN_COMP_DEFLATE     = 3,  /* deflate: zlib format (RFC 1950) */
	PLAN_COMP_RAW_DEFLATE = 4,  /* raw-deflate: RFC 1951, sent as
	                               "deflate" */
	PLAN_COMP_ALGO_MAX
};

#define PLAN_COMP_F_OFFLOAD 0x1u    /* compression offload: Accept-Encoding
                                       removed from a request that will be
                                       compressed (not in defaults) */
#define PLAN_COMP_F_ALL     0x1u

/* balance arguments (plan_http.bal_flags), only with their algorithm */
#define PLAN_BAL_F_WHOLE        0x1u /* uri whole: the query too */
#define PLAN_BAL_F_PATH_ONLY    0x2u /* uri path-only: from the path's '/' */
#define PLAN_BAL_F_CHECK_POST   0x4u /* url_param check_post: a POST body too */
#define PLAN_BAL_F_DOMAIN_ONLY  0x8u /* hdr use_domain_only: the main domain */
#define PLAN_BAL_F_ALL          0xfu

/* retry-on (plan_http.retry_on): what makes a request be sent again */
#define PLAN_RETRY_CONN_FAILURE  0x1u  /* the connection failed */
#define PLAN_RETRY_EMPTY_RESPONSE 0x2u /* closed without a byte of answer */
#define PLAN_RETRY_JUNK_RESPONSE 0x4u  /* an answer that is not HTTP */
#define PLAN_RETRY_RESPONSE_TIMEOUT 0x8u /* timeout server before the head */
#define PLAN_RETRY_0RTT_REJECTED 0x10u /* early data refused (never: no 0-RTT) */
#define PLAN_RETRY_STATUS_SHIFT  8     /* bit SHIFT+i: status PLAN_RETRY_CODES[i] */
#define PLAN_RETRY_CODES { 401, 403, 404, 408, 421, 425, 429, 500, 501, \
                           502, 503, 504 }
#define PLAN_RETRY_NCODES 12
#define PLAN_RETRY_ALL   (0x1fu | (((1u << PLAN_RETRY_NCODES) - 1) << \
                          PLAN_RETRY_STATUS_SHIFT))

/* How the persistence cookie is handled (`cookie NAME MODE`). */
enum plan_cookie_mode {
	PLAN_COOKIE_PASSIVE = 0,    /* no mode word: read only */
	PLAN_COOKIE_REWRITE = 1,    /* rewrite the server's cookie */
	PLAN_COOKIE_INSERT  = 2,    /* insert one in responses */
	PLAN_COOKIE_PREFIX  = 3,    /* prefix the server's cookie value */
	PLAN_COOKIE_MODE_MAX
};

#define PLAN_COOKIE_F_INDIRECT 0x1u
#define PLAN_COOKIE_F_NOCACHE  0x2u
#define PLAN_COOKIE_F_POSTONLY 0x4u
#define PLAN_COOKIE_F_PRESERVE 0x8u  /* only with INSERT or INDIRECT */
#define PLAN_COOKIE_F_HTTPONLY 0x10u
#define PLAN_COOKIE_F_SECURE   0x20u
#define PLAN_COOKIE_F_ALL      0x3fu

/*
 * HTTP rules (version 4): http-request, http-response and
 * http-after-response rules, and the proxy-level `redirect`, one struct
 * plan_http_rule each. The table is in proxy order, and within a proxy
 * in rule-set order (request, response, after-response), each set in
 * configuration order; proxy-level `redirect` rules are http-request
 * rules after the others (HAProxy runs them after the http-request
 * rules, whatever their place in the section). Conditions are terms of the TERM table as for
 * struct plan_rule: a proxy's http rules take their terms right after
 * its connection and use_backend rules' ones.
 *
 * Values (header values, return bodies, redirect targets, set-path...)
 * are log-format strings, stored parsed as a run of struct plan_lf_node
 * [first_lf, first_lf + nlf): the rules use the LF table in order.
 */
enum plan_hr_set {
	PLAN_HR_REQUEST  = 0,       /* http-request (and redirect) */
	PLAN_HR_RESPONSE = 1,       /* http-response */
	PLAN_HR_AFTER    = 2,       /* http-after-response */
	PLAN_HR_SET_MAX
};

enum plan_hr_action {
	PLAN_HA_ALLOW          = 0, /* stop this proxy's rules of the set */
	PLAN_HA_DENY           = 1, /* answer `status` (403), close; with a
	                               content-type (name) or value, as
	                               RETURN does */
	PLAN_HA_RETURN         = 2, /* answer `status` (200) with name =
	                               content-type and the value as body */
	PLAN_HA_REDIRECT       = 3, /* answer `status` (302) to arg
	                               (enum plan_redir), value the target */
	PLAN_HA_SET_HEADER     = 4, /* name: value, replacing every `name` */
	PLAN_HA_ADD_HEADER     = 5, /* name: value, appended */
	PLAN_HA_DEL_HEADER     = 6, /* remove headers whose name matches
	                               `name` by arg (enum plan_match: STR,
	                               BEG, END, SUB; REG unsupported) */
	PLAN_HA_SET_STATUS     = 7, /* response status `status`, reason in
	                               the value (empty: the standard one) */
	PLAN_HA_SET_PATH       = 8, /* path of the target := value */
	PLAN_HA_SET_QUERY      = 9, /* query := value (empty: removed) */
	PLAN_HA_SET_URI        = 10,/* whole target := value */
	PLAN_HA_SET_METHOD     = 11,/* method := value */
	PLAN_HA_REPLACE_HEADER = 12,/* each received line `name` whose whole
	                               value the regex of ACL line `arg`
	                               matches: value := the value (\N: groups) */
	PLAN_HA_REPLACE_VALUE  = 13,/* the same on each comma-separated value */
	PLAN_HA_SET_VAR        = 14,/* variable `arg` (name: its name) := the
	                               sample of the value's one FETCH node,
	                               typed */
	PLAN_HA_SET_VAR_FMT    = 15,/* variable `arg` := the value as text */
	PLAN_HA_UNSET_VAR      = 16,/* variable `arg` removed */
	PLAN_HA_STICK          = 17,/* track-sc*, sc-inc-gpc*, sc-set-gpt*,
	                               sc-add-gpc: the TRACK record `arg` */
	PLAN_HA_USE_SERVICE    = 18,/* answer with the built-in service
	                               `arg` (enum plan_service); final */
	PLAN_HA_REPLACE_PATH   = 19,/* the path, when the regex of ACL line
	                               `arg` (anonymous, one REG pattern, on
	                               `path`) matches it, := the value, its
	                               \N groups filled in (request only) */
	PLAN_HA_AUTH           = 20,/* answer 401 with WWW-Authenticate:
	                               Basic, realm = name (empty: the
	                               owning proxy's name), status 401 */
	PLAN_HA_TARPIT         = 21,/* hold the request for timeout tarpit
	                               (else timeout connect), then answer
	                               `status` (500) as DENY does, with
	                               its content-type, body and lines */
	PLAN_HA_STATS_ADMIN    = 22,/* stats admin if|unless COND (request
	                               set, STATS flag, never final): the
	                               stats page grants admin when the
	                               first such rule's condition holds */
	PLAN_HA_NORMALIZE_URI  = 23,/* normalize-uri: normalizer `arg`
	                               (enum plan_uri_norm) on the path and
	                               query of the target, with the flags
	                               PLAN_HR_F_NORM_* it takes; an invalid
	                               %-sequence under STRICT answers 400
	                               (request only) */
	PLAN_HA_ACTION_MAX
};

/* The normalizers of `http-request normalize-uri`. */
enum plan_uri_norm {
	PLAN_URINORM_FRAGMENT_ENCODE = 0, /* '#' -> %23 */
	PLAN_URINORM_FRAGMENT_STRIP  = 1, /* '#' and what follows dropped */
	PLAN_URINORM_MERGE_SLASHES   = 2, /* runs of '/' in the path -> one */
	PLAN_URINORM_DOT             = 3, /* "." segments of the path dropped */
	PLAN_URINORM_DOTDOT          = 4, /* ".." segments merged with the one
	                                     before them (FULL: leading ones
	                                     dropped too) */
	PLAN_URINORM_PCT_DECODE      = 5, /* %XX of unreserved bytes decoded */
	PLAN_URINORM_PCT_UPPER       = 6, /* hex digits of %xx uppercased */
	PLAN_URINORM_QUERY_SORT      = 7, /* query parameters sorted by name,
	                                     stable */
	PLAN_URINORM_MAX
};

/* The services `http-request use-service` can name. */
enum plan_service {
	PLAN_SVC_PROMEX = 0,        /* prometheus-exporter: the metrics in
	                               the Prometheus text format */
	PLAN_SVC_MAX
};

enum plan_redir {
	PLAN_REDIR_LOCATION = 0,    /* Location: the value */
	PLAN_REDIR_PREFIX   = 1,    /* Location: the value then the target */
	PLAN_REDIR_SCHEME   = 2,    /* Location: value "://" host target */
	PLAN_REDIR_MAX
};

#define PLAN_HR_F_DROP_QUERY   0x1u /* redirect: without the query */
#define PLAN_HR_F_APPEND_SLASH 0x2u /* redirect: '/' after a path that
                                       has none at its end */
#define PLAN_HR_F_STATS        0x4u /* stats http-request (allow, deny,
                                       auth; request set): runs only for
                                       a request to this proxy's stats
                                       page, before the page, and the
                                       other request rules skip it */
#define PLAN_HR_F_NORM_FULL    0x8u /* normalize-uri DOTDOT: "full" */
#define PLAN_HR_F_NORM_STRICT  0x10u/* normalize-uri PCT_DECODE,
                                       PCT_UPPER: "strict" */
#define PLAN_HR_F_IGNORE_EMPTY 0x20u/* redirect: skip the rule when its
                                       format gives an empty string */

/*
 * The verifier accepts: set and action known, the action allowed in the
 * set (plan_http_action_allowed(): request: all but set-status;
 * response: allow, deny, return, redirect (LOCATION only), the header
 * actions and set-status;
 * after-response: set/add/del-header and set-status); status 0
 * unless the action takes one (DENY, RETURN, TARPIT 200..599, REDIRECT
 * 301, 302, 303, 307, 308, SET_STATUS 100..999, AUTH 401); AUTH, TARPIT
 * and USE_SERVICE in request rules only; AUTH's name the realm, maybe
 * empty; arg known for REDIRECT, USE_SERVICE and
 * DEL_HEADER (a match STR..SUB), for REPLACE_* an ACL line of the owner
 * (anonymous, REG with one pattern, fetch REQ_FHDR in request rules and
 * RES_FHDR in response ones, named as the rule), else 0; name non-empty
 * for the header actions; flags only on REDIRECT; values only on the actions using one;
 * terms as struct plan_rule's; the proxy order above.
 */
struct plan_http_rule {
	uint32_t proxy;             /* owning proxy */
	uint8_t  set;               /* enum plan_hr_set */
	uint8_t  action;            /* enum plan_hr_action */
	uint16_t status;            /* see above, else 0 */
	uint32_t cond;              /* enum plan_cond */
	uint32_t first_term;        /* index into TERM */
	uint32_t nterms;            /* 0 exactly when cond is NONE */
	uint32_t line;              /* source line */
	uint32_t arg;               /* REDIRECT: enum plan_redir; DEL_HEADER:
	                               enum plan_match; REPLACE_*: the ACL
	                               line holding the regex; STICK: index
	                               into TRACK; USE_SERVICE: enum
	                               plan_service; else 0 */
	uint32_t flags;             /* PLAN_HR_F_* */
	struct plan_str name;       /* header name; RETURN: content-type */
	uint32_t first_lf;          /* index into LF: the value */
	uint32_t nlf;               /* nodes; 0: empty value */
};                                  /* 48 bytes */

enum plan_lf_kind {
	PLAN_LF_LIT   = 0,          /* the bytes of str */
	PLAN_LF_FETCH = 1,          /* %[fetch,conv...]: the sample of ACL
	                               line `ref` (anonymous, match FOUND,
	                               in the owner's range) as text */
	PLAN_LF_VAR   = 2,          /* a %-variable: ref is enum plan_lf_var */
	PLAN_LF_HDR   = 3,          /* DENY, RETURN, REDIRECT: the nodes after
	                               it, up to the next HDR, are the value
	                               of a header line named str added to the
	                               answer; the nodes before the first HDR
	                               are the body or the location */
	PLAN_LF_GROUP = 4,          /* REPLACE_* only: capture group `ref`
	                               (0..9) of the rule's regex */
	PLAN_LF_KIND_MAX
};

enum plan_lf_var {
	PLAN_LFV_CI = 0,            /* %ci client address */
	PLAN_LFV_CP = 1,            /* %cp client port */
	PLAN_LFV_FI = 2,            /* %fi address the client reached */
	PLAN_LFV_FP = 3,            /* %fp its port */
	PLAN_LFV_FT = 4,            /* %ft frontend name */
	PLAN_LFV_B  = 5,            /* %b backend name */
	PLAN_LFV_S  = 6,            /* %s server name */
	PLAN_LFV_MAX
};

enum plan_conv {
	PLAN_CONV_NONE   = 0,       /* end of the list */
	PLAN_CONV_LOWER  = 1,       /* ASCII lowercase */
	PLAN_CONV_UPPER  = 2,       /* ASCII uppercase */
	PLAN_CONV_BASE64 = 3,       /* RFC 4648 base64 */
	/* converter steps (section CONV) only; doc/samples.md */
	PLAN_CONV_B64DEC = 4,       /* base64 decoded (bin) */
	PLAN_CONV_HEX    = 5,       /* uppercase hex of the bytes (str) */
	PLAN_CONV_LENGTH = 6,       /* bytes of the string (int) */
	PLAN_CONV_BYTES  = 7,       /* bytes from a, b of them (b < 0: all) */
	PLAN_CONV_FIELD  = 8,       /* field a (< 0: from the end) split at
	                               any byte of s1, b fields (0: to end) */
	PLAN_CONV_WORD   = 9,       /* the same, empty fields skipped */
	PLAN_CONV_REGSUB = 10,      /* regex of pattern first_pattern
	                               replaced by s1 (\N groups); flag
	                               GLOBAL: every match */
	PLAN_CONV_URL_DEC = 11,     /* %XX decoded, '+' kept */
	PLAN_CONV_JSON   = 12,      /* escaped for a JSON string */
	PLAN_CONV_CRC32  = 13,      /* CRC-32 (IEEE) of the bytes (int) */
	PLAN_CONV_SDBM   = 14,      /* sdbm hash (int) */
	PLAN_CONV_DJB2   = 15,      /* djb2 hash (int) */
	PLAN_CONV_WT6    = 16,      /* wt6 hash (int) */
	PLAN_CONV_IPMASK = 17,      /* address masked: a v4 bits, b v6 bits
	                               (b < 0: an IPv6 address is lost) */
	PLAN_CONV_ADD    = 18,      /* int + a (flag A_VAR: variable a) */
	PLAN_CONV_SUB    = 19,
	PLAN_CONV_MUL    = 20,
	PLAN_CONV_DIV    = 21,      /* by 0: INT64_MAX (MOD: 0) */
	PLAN_CONV_MOD    = 22,
	PLAN_CONV_NEG    = 23,
	PLAN_CONV_NOT    = 24,      /* bool: int == 0 */
	PLAN_CONV_BOOL   = 25,      /* bool: int != 0 */
	PLAN_CONV_AND    = 26,      /* int & a */
	PLAN_CONV_OR     = 27,
	PLAN_CONV_XOR    = 28,
	PLAN_CONV_CONCAT = 29,      /* s1, variable a (flag A_VAR), s2
	                               appended */
	PLAN_CONV_STRCMP = 30,      /* compared with variable a: <0, 0, >0 */
	PLAN_CONV_MAP    = 31,      /* keys [first_pattern, +npatterns)
	                               looked up by `match`, the value of the
	                               hit typed `out`; none: s1 with flag
	                               DEFAULT, else the sample is lost */
	PLAN_CONV_ODD    = 32,      /* bool: int is odd */
	PLAN_CONV_EVEN   = 33,      /* bool: int is even */
	PLAN_CONV_LTRIM  = 34,      /* leading bytes found in s1 removed */
	PLAN_CONV_RTRIM  = 35,      /* trailing bytes found in s1 removed */
	PLAN_CONV_HOST_ONLY = 36,   /* a Host value without its port,
	                               lowercased (str) */
	PLAN_CONV_PORT_ONLY = 37,   /* the port of a Host value, 0 if
	                               none (int) */
	PLAN_CONV_SHA1   = 38,      /* SHA-1 of the bytes (bin, 20 bytes) */
	PLAN_CONV_SHA2   = 39,      /* SHA-2 of a bits (224, 256, 384, 512)
	                               of the bytes (bin) */
	PLAN_CONV_HEX2I  = 40,      /* hex digits read as an int; one that
	                               is not hex loses the sample */
	PLAN_CONV_MAX
};

#define PLAN_LF_MAX_CONV 4          /* converters after one fetch */

/* One node of a log-format value. The verifier accepts: kind known; LIT
 * with a non-empty str, ref 0, no converter; FETCH with ref an ACL line
 * of the rule's owner (anonymous, FOUND, no pattern); VAR with ref a
 * known variable, str empty; HDR only in a DENY, RETURN or REDIRECT rule
 * (a redirect's set-cookie / clear-cookie line), with a non-empty
 * str and ref 0; GROUP only in a REPLACE_* rule, ref 0..9, str empty;
 * converters known, packed from the low byte
 * (PLAN_CONV_NONE ends the list) and only on FETCH. */
struct plan_lf_node {
	uint32_t kind;              /* enum plan_lf_kind */
	uint32_t ref;               /* FETCH: ACL index; VAR: plan_lf_var */
	uint8_t  conv[PLAN_LF_MAX_CONV]; /* enum plan_conv, in order */
	uint32_t reserved;          /* 0 */
	struct plan_str str;        /* LIT: the text */
};                                  /* 24 bytes */

/*
 * Converter steps (section CONV): the converters after a fetch, in
 * order, one record each; an ACL line whose `conv` is non-zero names its
 * first step, and the ACL lines use the table in order, each chain
 * ending with PLAN_CS_F_LAST. The patterns a step names (map keys, a
 * regsub regex) sit after every ACL line's patterns in PATTERN; steps
 * naming the same map file share them.
 *
 * A map's values: `values` is an array of npatterns struct plan_str in
 * the blob (8 bytes each, native byte order as everything else), value i
 * for key first_pattern + i. Keys of MATCH_STR maps are sorted and
 * unique (binary search), IP keys are in the file's order and the
 * longest prefix wins, other kinds the first key in file order that
 * matches wins (MATCH_BEG: the longest).
 *
 * The verifier accepts: conv known and not NONE; flags known, LAST
 * ending each chain; patterns only on REGSUB (one REG pattern) and MAP
 * (match STR..DIR, IP or INT, keys of the kind it takes, out STR, INT or
 * IP, `values` inside the blob with each value a blob string); A_VAR
 * with a < PLAN_MAX_VARS; the strings inside the blob.
 */
#define PLAN_CS_F_LAST    0x1u      /* last step of its chain */
#define PLAN_CS_F_A_VAR   0x2u      /* a is a variable index, not a value */
#define PLAN_CS_F_ICASE   0x4u      /* regsub "i", map keys -i */
#define PLAN_CS_F_GLOBAL  0x8u      /* regsub "g" */
#define PLAN_CS_F_DEFAULT 0x10u     /* map: s1 is the default value */
#define PLAN_CS_F_ALL     0x1fu

#define PLAN_MAX_VARS     64u       /* distinct variable names in a plan */

struct plan_conv_step {
	uint32_t conv;              /* enum plan_conv */
	uint32_t flags;             /* PLAN_CS_F_* */
	int64_t  a;                 /* first number (or variable) argument */
	int64_t  b;                 /* second number argument */
	struct plan_str s1;         /* first text argument */
	struct plan_str s2;         /* second text argument; MAP: its file
	                               as written (dumps, messages) */
	uint32_t first_pattern;     /* MAP, REGSUB: first key / the regex */
	uint32_t npatterns;         /* MAP: keys; REGSUB: 1; else 0 */
	uint32_t match;             /* MAP: enum plan_match of the keys */
	uint32_t out;               /* MAP: enum smp_out of the values */
	struct plan_str values;     /* MAP: the value array (see above) */
};                                  /* 64 bytes */

/*
 * Stick tables (kinds 21 and 22). A proxy's `stick-table` line is one
 * struct plan_stktable (at most one per proxy, in proxy order). The entries
 * live in cfgrun's memory, not in the plan: the record says how to size
 * and shape them. The data types are numbered as HAProxy numbers them
 * (the order `show table` prints them in); a table stores type d when
 * bit d of `store` is set; rate types keep their period in period_ms[d].
 */
enum plan_tbl_type {
	PLAN_TBL_IP      = 0,       /* IPv4 address, 4 bytes */
	PLAN_TBL_IPV6    = 1,       /* IPv6 address, 16 bytes */
	PLAN_TBL_INTEGER = 2,       /* 32-bit signed integer, 4 bytes */
	PLAN_TBL_STRING  = 3,       /* up to key_len bytes */
	PLAN_TBL_BINARY  = 4,       /* key_len bytes, zero padded */
	PLAN_TBL_TYPE_MAX
};

enum plan_tbl_data {
	PLAN_TD_SERVER_ID      = 0,  /* int: server (stick on/store) */
	PLAN_TD_GPT0           = 1,  /* uint */
	PLAN_TD_GPC0           = 2,  /* uint */
	PLAN_TD_GPC0_RATE      = 3,  /* rate over period_ms */
	PLAN_TD_CONN_CNT       = 4,
	PLAN_TD_CONN_RATE      = 5,
	PLAN_TD_CONN_CUR       = 6,
	PLAN_TD_SESS_CNT       = 7,
	PLAN_TD_SESS_RATE      = 8,
	PLAN_TD_HTTP_REQ_CNT   = 9,
	PLAN_TD_HTTP_REQ_RATE  = 10,
	PLAN_TD_HTTP_ERR_CNT   = 11,
	PLAN_TD_HTTP_ERR_RATE  = 12,
	PLAN_TD_BYTES_IN_CNT   = 13,
	PLAN_TD_BYTES_IN_RATE  = 14,
	PLAN_TD_BYTES_OUT_CNT  = 15,
	PLAN_TD_BYTES_OUT_RATE = 16,
	PLAN_TD_GPC1           = 17,
	PLAN_TD_GPC1_RATE      = 18,
	PLAN_TD_SERVER_KEY     = 19, /* never stored by cfgc (reserved) */
	PLAN_TD_HTTP_FAIL_CNT  = 20,
	PLAN_TD_HTTP_FAIL_RATE = 21,
	PLAN_TD_GPT            = 22, /* array of ngpt uints */
	PLAN_TD_GPC            = 23, /* array of ngpc uints */
	PLAN_TD_GPC_RATE       = 24, /* array of ngpc rates, one period */
	PLAN_TD_MAX
};

#define PLAN_TBL_F_NOPURGE 0x1u     /* nopurge: a full table refuses new
                                       entries instead of dropping the
                                       oldest unused one */
#define PLAN_TBL_MAX_KEY   1024u    /* bytes of a string/binary key */
#define PLAN_TBL_MAX_ARRAY 100u     /* gpc(N), gpt(N): N <= this */

/*
 * The verifier accepts: proxy in range, tables in increasing proxy order
 * (so at most one per proxy); type known; key_len 4 (IP, INTEGER), 16
 * (IPV6), 1..PLAN_TBL_MAX_KEY (STRING, BINARY); size >= 1; store within
 * the known types, SERVER_KEY never; period_ms > 0 exactly for the rate
 * types stored (GPC_RATE's period for every index), else 0; ngpt > 0
 * exactly with GPT, ngpc > 0 exactly with GPC or GPC_RATE (the same
 * count), both <= PLAN_TBL_MAX_ARRAY; flags known; reserved 0.
 */
struct plan_stktable {
	uint32_t proxy;             /* owning proxy; the table's name is its */
	uint32_t type;              /* enum plan_tbl_type */
	uint32_t key_len;           /* bytes of a key (see above) */
	uint32_t size;              /* entries at most */
	uint32_t expire_ms;         /* an entry unused this long goes away;
	                               0 = never */
	uint32_t flags;             /* PLAN_TBL_F_* */
	uint32_t store;             /* bit d: data type d is stored */
	uint32_t ngpt;              /* gpt(N): N, else 0 */
	uint32_t ngpc;              /* gpc(N) / gpc_rate(N): N, else 0 */
	uint32_t line;              /* line of the stick-table statement */
	uint32_t period_ms[PLAN_TD_MAX]; /* rate types: the period, else 0 */
	uint32_t reserved;          /* 0 */
};                                  /* 144 bytes */

/* What a PLAN_FETCH_STKCTR ACL line reads, packed in its `occ`:
 * bits 0..3 the counter (0..2: sc0..sc2, PLAN_STK_SRC: the entry of the
 * client's address, looked up without tracking), 4..7 the operation,
 * 8..15 the data type (enum plan_tbl_data) for GET/INC/CLR, 16..23 the
 * array index for GPT/GPC/GPC_RATE. `arg` is the table (index into
 * TABLE), or PLAN_NONE for a counter's own tracked table. */
#define PLAN_STK_SRC       3u
enum plan_stk_op {
	PLAN_STK_GET      = 0,      /* the value of the data type */
	PLAN_STK_INC      = 1,      /* increment gpc*, then its value */
	PLAN_STK_CLR      = 2,      /* set gpc* to 0, its former value */
	PLAN_STK_TRACKED  = 3,      /* bool: the counter tracks an entry */
	PLAN_STK_TRACKERS = 4,      /* int: streams tracking the entry */
	PLAN_STK_OP_MAX
};
#define PLAN_STK_OCC(ctr, op, data, idx) \
	((int32_t)((ctr) | ((uint32_t)(op) << 4) | ((uint32_t)(data) << 8) | \
	           ((uint32_t)(idx) << 16)))
#define PLAN_STK_CTR(occ)  ((uint32_t)(occ) & 0xfu)
#define PLAN_STK_OPOF(occ) (((uint32_t)(occ) >> 4) & 0xfu)
#define PLAN_STK_DATA(occ) (((uint32_t)(occ) >> 8) & 0xffu)
#define PLAN_STK_IDX(occ)  (((uint32_t)(occ) >> 16) & 0xffu)

/* A stick counter action (http-request or tcp-request connection), or
 * a stick persistence rule (backend). */
enum plan_trk_op {
	PLAN_TRK_TRACK   = 0,       /* track-scN KEY [table T] */
	PLAN_TRK_INC_GPC = 1,       /* sc-inc-gpc0/1(N), sc-inc-gpc(I,N) */
	PLAN_TRK_ADD_GPC = 2,       /* sc-add-gpc(I,N) VALUE */
	PLAN_TRK_SET_GPT = 3,       /* sc-set-gpt0(N) VALUE, sc-set-gpt(I,N) */
	/* persistence (stick rules of a backend): the entry of KEY in the
	   table holds the server_id (1-based position in the backend) of the
	   server the stream went to */
	PLAN_TRK_MATCH   = 4,       /* stick match KEY [table T] */
	PLAN_TRK_STORE   = 5,       /* stick store-request KEY [table T] */
	PLAN_TRK_ON      = 6,       /* stick on KEY [table T]: both */
	PLAN_TRK_STORE_RES = 7,     /* stick store-response KEY [table T]:
	                               the response's key (HTTP) */
	PLAN_TRK_OP_MAX
};

/*
 * The verifier accepts: proxy in range and the record named by exactly
 * one rule of that proxy; op known (MATCH, STORE and ON exactly for the
 * proxy's stick rules); sc 0..2 (0 for MATCH, STORE, ON); TRACK, MATCH,
 * STORE, ON: table a TABLE index (storing server_id for the last three),
 * key an anonymous FOUND ACL line of the proxy; other ops: table and key
 * PLAN_NONE; data GPC0, GPC1 or GPC (INC, ADD), GPT0 or GPT (SET), 0 for
 * TRACK, MATCH, STORE, ON; idx 0 unless data is an array type
 * (< PLAN_TBL_MAX_ARRAY); value 0 for TRACK, INC, MATCH, STORE, ON.
 */
struct plan_track {
	uint32_t proxy;             /* owning proxy */
	uint32_t op;                /* enum plan_trk_op */
	uint32_t sc;                /* stick counter 0..2 */
	uint32_t table;             /* TRACK: index into TABLE */
	uint32_t key;               /* TRACK: ACL line whose sample is the
	                               key (converted to the table's type) */
	uint32_t data;              /* enum plan_tbl_data touched (not TRACK) */
	uint32_t idx;               /* array index (GPC, GPT), else 0 */
	uint32_t line;              /* source line */
	int64_t  value;             /* ADD, SET: the operand */
};                                  /* 40 bytes */

/*
 * TLS termination (`bind ... ssl`). A listener with TLS names its struct
 * plan_tls_bind (PLAN_SEC_TLS_BIND; every listener of one bind line names
 * the same record); the record owns a run of struct plan_tls_cert
 * (PLAN_SEC_TLS_CERT) in the order the configuration gives them: the
 * first is the default certificate. Certificates, keys, CA and CRL files
 * are stored in the blob as DER (cfgc read and checked them), so cfgrun
 * opens no file; under --hermetic their lengths are 0 and cfgrun reads
 * the files named by `path` (recorded as preconditions too). The plan
 * file holds private keys then: cfgc writes it with mode 0600.
 * Blob ranges (off, len) lie inside the blob; len 0 means "none" and
 * then off is 0.
 */
#define PLAN_TLS_F_STRICT_SNI   0x1u  /* no certificate for the name: refuse */
#define PLAN_TLS_F_NO_TICKETS   0x2u  /* no-tls-tickets */
#define PLAN_TLS_F_PREFER_CLIENT 0x4u /* prefer-client-ciphers */
#define PLAN_TLS_F_ALL          0x7u  /* every defined bit */

enum plan_tls_verify {
	PLAN_TLS_VERIFY_NONE     = 0,  /* no client certificate asked */
	PLAN_TLS_VERIFY_OPTIONAL = 1,  /* asked; a valid one if given */
	PLAN_TLS_VERIFY_REQUIRED = 2,  /* asked and required */
	PLAN_TLS_VERIFY_MAX
};

#define PLAN_TLS_VER_MIN  0x0300u    /* SSLv3: lowest version word */
#define PLAN_TLS_VER_MAX  0x0304u    /* TLS 1.3: highest */

struct plan_tls_bind {
	uint64_t ca_ignore;         /* ca-ignore-err: bit n ignores X509 error
	                               n (< 64) on a CA of the client's chain;
	                               all ones = all */
	uint64_t crt_ignore;        /* crt-ignore-err: the same for the
	                               client's own certificate */
	uint32_t first_cert;        /* index of its first plan_tls_cert */
	uint32_t ncert;             /* >= 1; the run belongs to this record */
	uint32_t flags;             /* PLAN_TLS_F_* */
	uint32_t verify;            /* enum plan_tls_verify */
	uint16_t min_ver;           /* lowest TLS version word (0x0301 = TLS
	                               1.0), 0 = library default */
	uint16_t max_ver;           /* highest, 0 = library default; >= min */
	uint32_t cache_size;        /* session cache entries, 0 = no cache */
	uint32_t lifetime;          /* session lifetime, seconds, >= 1 */
	uint32_t line;              /* the bind line */
	struct plan_str alpn;       /* ALPN list in wire form (length-prefixed
	                               names), "" = none */
	struct plan_str ciphers;    /* TLS <= 1.2 cipher list, "" = default */
	struct plan_str ciphersuites; /* TLS 1.3 suites as written, "" =
	                               default (BoringSSL's are fixed) */
	struct plan_str curves;     /* groups, "" = default */
	struct plan_str sigalgs;    /* signature algorithms, "" = default */
	struct plan_str ca_path;    /* ca-file as resolved, "" = none */
	uint32_t ca_off, ca_len;    /* its certificates, DER back to back */
	struct plan_str crl_path;   /* crl-file as resolved, "" = none */
	uint32_t crl_off, crl_len;  /* its CRLs, DER back to back */
	struct plan_str ca_verify_path; /* ca-verify-file as resolved, "" =
	                               none: CAs that verify client
	                               certificates without being named to
	                               clients as acceptable issuers */
	uint32_t ca_verify_off, ca_verify_len; /* its certificates, DER back to
	                               back (0 with a path: --hermetic) */
};                                  /* 136 bytes */

#define PLAN_TLS_CERT_F_ECDSA  0x1u   /* its key is ECDSA (else RSA) */

struct plan_tls_cert {
	uint32_t bind;              /* index of its plan_tls_bind */
	uint32_t flags;             /* PLAN_TLS_CERT_F_* */
	struct plan_str path;       /* the file as resolved (non-empty) */
	struct plan_str sni;        /* crt-list filters, space-separated,
	                               '!' = excluded; "" = the certificate's
	                               own names */
	uint32_t der_off, der_len;  /* chain, DER back to back, leaf first;
	                               len 0 = not in the plan (--hermetic) */
	uint32_t key_off, key_len;  /* private key, DER; 0 iff der_len is */
	int64_t not_after;          /* leaf's expiry, Unix seconds, 0 =
	                               not known (--hermetic) */
	struct plan_str list;       /* the crt-list file it came from, ""
	                               = a crt option (--dump says which) */
	struct plan_str base;       /* crt-list: the directory its line was
	                               found under (crt-base as resolved),
	                               "" = none; --dump writes it back as
	                               crt-base */
	struct plan_str key_path;   /* the key's own file (a crt-store
	                               `key`), as resolved; "" = the key was
	                               in `path` or `path`.key. --dump writes
	                               it back as a crt-store load line */
	/* Settings its crt-list line gives ([...] options): they replace
	 * the bind's for a connection whose SNI selects this certificate;
	 * what `set` does not name is the bind's. */
	uint32_t set;               /* PLAN_TLS_CERT_S_* */
	uint32_t verify;            /* S_VERIFY: enum plan_tls_verify */
	uint16_t min_ver, max_ver;  /* S_VERS: the line's whole range, bind's
	                               bounds filled in; both set, min <= max */
	uint32_t reserved;          /* 0 */
	struct plan_str alpn;       /* S_ALPN: wire form, "" = no-alpn */
	struct plan_str ciphers;    /* S_CIPHERS: non-empty */
	struct plan_str curves;     /* S_CURVES: non-empty */
	struct plan_str ca_path;    /* S_CA: ca-file as resolved */
	uint32_t ca_off, ca_len;    /* S_CA: its certificates, DER */
	struct plan_str crl_path;   /* S_CRL: crl-file as resolved */
	uint32_t crl_off, crl_len;  /* S_CRL: its CRLs, DER */
};                                  /* 144 bytes */

#define PLAN_TLS_CERT_S_ALPN    0x01u /* alpn / no-alpn */
#define PLAN_TLS_CERT_S_VERS    0x02u /* ssl-min-ver / ssl-max-ver */
#define PLAN_TLS_CERT_S_CIPHERS 0x04u /* ciphers */
#define PLAN_TLS_CERT_S_CURVES  0x08u /* curves */
#define PLAN_TLS_CERT_S_VERIFY  0x10u /* verify */
#define PLAN_TLS_CERT_S_CA      0x20u /* ca-file */
#define PLAN_TLS_CERT_S_CRL     0x40u /* crl-file */
#define PLAN_TLS_CERT_S_ALL     0x7fu

/*
 * TLS to servers (PLAN_SEC_TLS_SERVER). A server whose traffic or checks go
 * over TLS (`ssl`, `check-ssl`, or `check` on an `ssl` server) has the
 * PLAN_SRV_F_TLS flag and exactly one record here; the records follow the
 * servers' order (`server` strictly increasing), so a reader finds a
 * server's record by walking both tables together. Settings that HAProxy
 * takes from the global ssl-default-server-* lines are already applied.
 *
 * The verifier accepts: `server` in range with PLAN_SRV_F_TLS, one record
 * per such server; flags within PLAN_TLS_SRV_F_*, with SSL or CHECK_SSL
 * set; versions 0 or PLAN_TLS_VER_MIN..PLAN_TLS_VER_MAX (the version
 * words of the TLS bind records) and min <= max when both are set; `sni` a known
 * kind with sni_name non-empty exactly for STR; every string in the blob;
 * alpn a comma list of 1..255-byte names; DER ranges inside the blob
 * (as the TLS bind records'), present only with their file name, a key
 * exactly with a certificate; reserved fields 0.
 */
enum plan_tls_sni {
	PLAN_TLS_SNI_NONE   = 0,  /* no SNI sent (TCP mode, or no-sni-auto) */
	PLAN_TLS_SNI_STR    = 1,  /* sni str(NAME): sni_name */
	PLAN_TLS_SNI_HOST   = 2,  /* sni req.hdr(host): the request's Host
	                             header as it is, port included */
	PLAN_TLS_SNI_HOST_NOPORT = 3, /* sni-auto (HAProxy's default in HTTP
	                             mode) or req.hdr(host),field(1,:): the
	                             Host header without its port */
	PLAN_TLS_SNI_FC_SNI = 4,  /* sni ssl_fc_sni: the client's own SNI */
	PLAN_TLS_SNI_MAX
};

#define PLAN_TLS_SRV_F_SSL        0x1u  /* `ssl`: traffic over TLS */
#define PLAN_TLS_SRV_F_CHECK_SSL  0x2u  /* health checks over TLS (check-ssl,
                                           or `ssl` with checks going to the
                                           server's own address) */
#define PLAN_TLS_SRV_F_VERIFY     0x4u  /* verify required: the chain
                                           against the CA, the name against
                                           the SNI or verifyhost */
#define PLAN_TLS_SRV_F_NO_REUSE   0x8u  /* no-ssl-reuse: no session resumption */
#define PLAN_TLS_SRV_F_NO_TICKETS 0x10u /* no-tls-tickets */
#define PLAN_TLS_SRV_F_SYSTEM_CA  0x20u /* ca-file @system-ca: the system's
                                           trust store (ca_file empty) */
#define PLAN_TLS_SRV_F_KNOWN      0x3fu

struct plan_tls_server {
	uint32_t server;            /* index into SERVER (has PLAN_SRV_F_TLS) */
	uint32_t flags;             /* PLAN_TLS_SRV_F_* */
	uint16_t min_ver;           /* lowest version word (0x0303 = TLS
	                               1.2), 0 = library default */
	uint16_t max_ver;           /* highest, 0 = library default */
	uint8_t  sni;               /* enum plan_tls_sni */
	uint8_t  reserved;          /* 0 */
	uint16_t reserved2;         /* 0 */
	struct plan_str sni_name;   /* SNI STR: the name */
	struct plan_str check_sni;  /* check-sni: SNI of health checks, empty
	                               = none */
	struct plan_str verifyhost; /* name checked when no SNI is sent,
	                               empty = none */
	struct plan_str alpn;       /* "h2,http/1.1", empty = no ALPN */
	struct plan_str ciphers;    /* TLS <= 1.2 cipher list, empty = default */
	struct plan_str ciphersuites; /* TLS 1.3 suites, empty = default */
	struct plan_str curves;     /* key exchange groups, empty = default */
	struct plan_str ca_file;    /* ca-file as resolved, empty = none */
	uint32_t ca_off, ca_len;    /* its certificates, DER back to back in
	                               the blob; 0, 0 when not read
	                               (--hermetic): cfgrun reads ca_file */
	struct plan_str crl_file;   /* crl-file as resolved, empty = none */
	uint32_t crl_off, crl_len;  /* its CRLs, DER, as ca_off/ca_len */
	struct plan_str crt_file;   /* crt: client certificate, empty = none */
	uint32_t crt_off, crt_len;  /* its chain, DER, leaf first */
	uint32_t key_off, key_len;  /* its private key, DER; 0 iff crt_len
	                               is (the plan file is then 0600) */
};                                  /* 128 bytes */

/*
 * DNS resolution of servers' names at run time (HAProxy's `resolvers`
 * sections, manual section 5.3). A resolvers section is one record with
 * its nameservers following in PLAN_SEC_NAMESERVER (ns_first .. +
 * ns_count, contiguous, sections in order, none left over). The verifier
 * accepts: a non-empty name; times in 0..INT32_MAX ms (HAProxy takes 0;
 * cfgrun waits a minimum); retries 0..1000; payload 12..65535 (EDNS0
 * announced above 512); PLAN_RES_F_* flags only;
 * a section without nameservers only with PLAN_RES_F_RESOLV_CONF; a
 * nameserver's address INET or INET6 with a port (UDP).
 */
#define PLAN_RES_F_RESOLV_CONF 0x1u /* parse-resolv-conf: cfgrun reads the
                                       nameservers of /etc/resolv.conf when
                                       it loads the plan */

struct plan_resolvers {
	struct plan_str name;       /* section name */
	uint32_t flags;             /* PLAN_RES_F_* */
	uint32_t retries;           /* resolve_retries: tries per round,
	                               0..1000 (0 sends one all the same) */
	uint32_t timeout_resolve;   /* ms between two resolutions */
	uint32_t timeout_retry;     /* ms before a query is sent again */
	uint32_t hold_valid;        /* ms an answer is kept */
	uint32_t hold_obsolete;     /* ms an address is kept once the name
	                               no longer gives it */
	uint32_t hold_nx;           /* ms an address is kept after NXDOMAIN */
	uint32_t hold_other;        /* ... after another error */
	uint32_t hold_refused;      /* ... after REFUSED */
	uint32_t hold_timeout;      /* ... after no answer at all */
	uint32_t payload;           /* accepted_payload_size, bytes */
	uint32_t ns_first;          /* first NAMESERVER record */
	uint32_t ns_count;          /* nameservers written in the section */
	uint32_t line;              /* line of the section header */
};                                  /* 64 bytes */

struct plan_nameserver {
	uint32_t resolvers;         /* owning RESOLVERS record */
	uint32_t line;              /* line of the nameserver statement */
	struct plan_str id;         /* its name */
	struct plan_srv_addr addr;  /* INET/INET6 with a port, UDP */
};                                  /* 40 bytes */

/* resolve-prefer and resolve-opts of a server (PLAN_SRES_F_*). */
#define PLAN_SRES_F_PREFER_V4  0x1u  /* resolve-prefer ipv4 (else ipv6) */
#define PLAN_SRES_F_ALLOW_DUP  0x2u  /* resolve-opts allow-dup-ip */
#define PLAN_SRES_F_MAINT_NONE 0x4u  /* started without an address (in
                                        maintenance until resolved) */

/*
 * A server whose name cfgrun resolves (server option `resolvers`). The
 * verifier accepts: servers in range, strictly increasing, without
 * PLAN_SRV_F_OFFSET ... only INET/INET6/NONE addresses; resolvers in
 * range; a non-empty host name of at most 253 bytes; PLAN_SRES_F_* only.
 */
struct plan_srv_resolve {
	uint32_t server;            /* index into SERVER */
	uint32_t resolvers;         /* index into RESOLVERS */
	struct plan_str host;       /* the name to resolve */
	uint32_t flags;             /* PLAN_SRES_F_* */
	uint32_t port;              /* port of the address word, 0 = none
	                               (the server takes the client's) */
};                                  /* 24 bytes */

/* The sizes above are part of the format: a change is a major version. */
_Static_assert(sizeof(struct plan_header) == PLAN_HEADER_SIZE, "plan_header size");
_Static_assert(sizeof(struct plan_section) == 24, "plan_section size");
_Static_assert(sizeof(struct plan_str) == 8, "plan_str size");
_Static_assert(sizeof(struct plan_addr) == 120, "plan_addr size");
_Static_assert(sizeof(struct plan_global) == 144, "plan_global size");
_Static_assert(sizeof(struct plan_proxy) == 200, "plan_proxy size");
_Static_assert(sizeof(struct plan_listener) == 152, "plan_listener size");
_Static_assert(sizeof(struct plan_srv_addr) == 24, "plan_srv_addr size");
_Static_assert(sizeof(struct plan_server) == 120, "plan_server size");
_Static_assert(sizeof(struct plan_check_rule) == 32, "plan_check_rule size");
_Static_assert(sizeof(struct plan_log) == 144, "plan_log size");
_Static_assert(sizeof(struct plan_stats_socket) == 160, "plan_stats_socket size");
_Static_assert(sizeof(struct plan_ops) == 40, "plan_ops size");
_Static_assert(sizeof(struct plan_precond) == 40, "plan_precond size");
_Static_assert(sizeof(struct plan_acl) == 64, "plan_acl size");
_Static_assert(sizeof(struct plan_pattern) == 48, "plan_pattern size");
_Static_assert(sizeof(struct plan_rule) == 32, "plan_rule size");
_Static_assert(sizeof(struct plan_term) == 16, "plan_term size");
_Static_assert(sizeof(struct plan_http_net) == 24, "plan_http_net size");
_Static_assert(sizeof(struct plan_http_capture) == 16, "plan_http_capture size");
_Static_assert(sizeof(struct plan_http) == 840, "plan_http size");
_Static_assert(sizeof(struct plan_http_rule) == 48, "plan_http_rule size");
_Static_assert(sizeof(struct plan_lf_node) == 24, "plan_lf_node size");
_Static_assert(sizeof(struct plan_conv_step) == 64, "plan_conv_step size");
_Static_assert(sizeof(struct plan_tcp) == 32, "plan_tcp size");
_Static_assert(sizeof(struct plan_stktable) == 144, "plan_stktable size");
_Static_assert(sizeof(struct plan_track) == 40, "plan_track size");
_Static_assert(sizeof(struct plan_tls_cert) == 144, "plan_tls_cert size");
_Static_assert(sizeof(struct plan_tls_bind) == 136, "plan_tls_bind size");
_Static_assert(sizeof(struct plan_tls_server) == 128, "plan_tls_server size");
_Static_assert(sizeof(struct plan_resolvers) == 64, "plan_resolvers size");
_Static_assert(sizeof(struct plan_nameserver) == 40, "plan_nameserver size");
_Static_assert(sizeof(struct plan_srv_resolve) == 24, "plan_srv_resolve size");

#endif /* HAPC_PLAN_T_H */
