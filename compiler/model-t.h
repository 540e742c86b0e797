/*
 * model-t.h: the typed model the evaluation pass builds from the AST.
 *
 * Everything here is already checked: addresses are socket addresses,
 * times are milliseconds, defaults are applied, names are resolved to
 * indices. The emitter reads it (const) and writes a plan; it cannot find
 * new errors.
 */
#ifndef HAPC_MODEL_T_H
#define HAPC_MODEL_T_H

#include <stddef.h>
#include <stdint.h>
#include "diag-t.h"
#include "plan-t.h"

/* One health-check rule (tcp-check connect|send|expect). */
struct model_check_rule {
	uint32_t op;                /* enum plan_check_op */
	uint32_t flags;             /* PLAN_CHK_F_* */
	uint32_t arg;               /* CONNECT: port, 0 = the server's */
	char *data;                 /* owned bytes (decoded), NULL when none */
	size_t len;                 /* bytes of data (may hold NULs) */
	uint32_t line;              /* source line */
};

/* One log target (`log` line of global or of a proxy). */
struct model_log {
	uint32_t target;            /* enum plan_log_target */
	uint32_t facility;          /* 0..23 */
	uint32_t level;             /* max level 0..7 */
	uint32_t format;            /* 0 rfc3164, 1 rfc5424, 2 raw */
	uint32_t line;              /* source line */
	struct plan_addr addr;      /* fd, UDP or unix address */
};

/* TLS settings of a server line (or default-server) as written; what is
 * unset takes the global ssl-default-server-* and ssl-server-verify values
 * when the plan is written. Strings are interned in the model
 * (model_intern): copying a template copies pointers. */
struct model_server_tls {
	uint32_t flags;             /* PLAN_TLS_SRV_F_* given on the lines,
	                               SSL and CHECK_SSL included */
	uint32_t set;               /* MODEL_TLS_SET_*: what the lines gave */
	uint32_t line;              /* line of the last TLS option, for messages */
	uint16_t min_ver, max_ver;  /* version words (0x0303 = TLS 1.2), 0 =
	                               none */
	uint8_t sni;                /* enum plan_tls_sni, with SET_SNI */
	uint8_t verify;             /* 1 = required, with SET_VERIFY */
	const char *sni_name;       /* SNI STR; interned */
	const char *check_sni, *verifyhost, *alpn; /* interned or NULL */
	const char *ciphers, *ciphersuites, *curves; /* interned or NULL */
	uint32_t ca, crl, crt;      /* ca-file, crl-file, crt: index + 1 in
	                               the model's tls_files, 0 = none */
};

#define MODEL_TLS_SET_VERIFY   0x1u  /* verify none|required given */
#define MODEL_TLS_SET_SNI      0x2u  /* sni, sni-auto or no-sni-auto given */
#define MODEL_TLS_SET_MIN      0x4u  /* ssl-min-ver (or a no-/force- switch) */
#define MODEL_TLS_SET_MAX      0x8u  /* ssl-max-ver (or a no-/force- switch) */
#define MODEL_TLS_SET_TICKETS  0x10u /* no-tls-tickets / tls-tickets given */
#define MODEL_TLS_SET_REUSE    0x20u /* no-ssl-reuse / ssl-reuse given */
#define MODEL_TLS_SET_CHECK_SSL 0x40u /* check-ssl / no-check-ssl given */

/* A ca-file, crl-file or client crt file of servers, read once for all
 * the servers naming it. */
struct model_tls_file {
	char *path;                 /* owned absolute path */
	int kind;                   /* 0 CA, 1 CRL, 2 certificate and key */
	uint8_t *der;               /* owned DER (certificates, CRLs or the
	                               chain), NULL when not read (--hermetic) */
	size_t der_len;             /* bytes */
	uint8_t *key;               /* owned private key DER (kind 2) */
	size_t key_len;             /* bytes */
};

/* A server, or the default-server template its options start from. */
struct model_server {
	char *name;                 /* owned; NULL in a template */
	struct src_loc loc;         /* the name word */
	struct plan_addr addr;      /* PLAN_FAM_NONE: unresolved host (check only) */
	char *host;                 /* owned: the address word when left
	                               unresolved (init-addr none), or NULL */
	char *cookie;               /* owned `cookie VALUE`, or NULL */
	struct plan_addr source;    /* `source`: INET/INET6, or family NONE */
	const char *init_addr;      /* init-addr list as written (the AST's
	                               word, outlives evaluation), or NULL */
	uint32_t weight;            /* 0..256 */
	uint32_t maxconn;           /* connections, 0 = none */
	uint32_t minconn;           /* dynamic limit's floor, 0 = none */
	uint32_t maxqueue;          /* queued connections, 0 = unlimited */
	uint32_t flags;             /* PLAN_SRV_F_* */
	int32_t port_offset;        /* PLAN_SRV_F_OFFSET: added to the client's */
	uint32_t inter;             /* ms between checks */
	uint32_t fastinter;         /* ms, 0 = inter */
	uint32_t downinter;         /* ms, 0 = inter */
	uint32_t rise;              /* successes to go up, >= 1 */
	uint32_t fall;              /* failures to go down, >= 1 */
	uint32_t check_port;        /* `port` option, 0 = the server's port */
	struct plan_addr check_ip;  /* `addr` option (port 0), NONE = none */
	struct plan_addr check_addr;/* where checks go, computed from the
	                               two above; NONE = addr */
	struct model_server_tls tls; /* TLS to the server */
	uint32_t resolvers;         /* `resolvers NAME`: 1 + its index in
	                               model.resolvers, 0 = none */
	uint32_t res_flags;         /* PLAN_SRES_F_* (resolve-prefer/-opts) */
	char *res_host;             /* owned: the name cfgrun resolves, NULL
	                               when the address is an IP */
	uint32_t res_port;          /* the address word's port, 0 = none */
};

/* A nameserver of a resolvers section. */
struct model_nameserver {
	char *id;                   /* owned */
	uint32_t line;
	struct plan_addr addr;      /* INET/INET6 with a port */
};

/* A resolvers section (kw-resolvers.c), as struct plan_resolvers. */
struct model_resolvers {
	char *name;                 /* owned */
	uint32_t line;
	uint32_t flags;             /* PLAN_RES_F_* */
	uint32_t retries;
	uint32_t timeout_resolve, timeout_retry; /* ms */
	uint32_t hold_valid, hold_obsolete, hold_nx, hold_other,
	         hold_refused, hold_timeout; /* ms */
	uint32_t payload;           /* bytes */
	struct model_nameserver *ns; /* owned, nns entries */
	size_t nns;
};

/* Error pages (errorfile, errorfiles, http-errors sections): by index of
 * PLAN_HTTP_ERR_CODES. */
struct model_errpages {
	uint32_t mask;              /* bit i: page i is set */
	uint32_t deferred;          /* bits of mask not read (--hermetic):
	                               path only, cfgrun loads it */
	char *body[PLAN_HTTP_NERRORS];  /* owned response bytes (NULL when
	                               empty or not set) */
	size_t len[PLAN_HTTP_NERRORS];  /* bytes of body */
	char *path[PLAN_HTTP_NERRORS];  /* owned resolved file name */
};

/* A named http-errors section. */
struct model_http_errors {
	char *name;                 /* owned */
	struct model_errpages pages;
};

/* A userlist section, packed as ACL lines carry it
 * (PLAN_USERLIST_FORMAT). */
struct model_userlist {
	char *name;                 /* owned */
	char *packed;               /* owned */
};

/* HTTP settings of a proxy or defaults section, as struct plan_http
 * stores them (kw-http.c fills them). */
struct model_http {
	uint32_t flags;             /* PLAN_HTTP_F_* */
	uint32_t conn_mode;         /* enum plan_http_conn */
	uint32_t reuse;             /* enum plan_http_reuse */
	uint32_t timeout_http_request;    /* ms, 0 = unset */
	uint32_t timeout_http_keep_alive; /* ms, 0 = unset */
	uint32_t stats_refresh;     /* seconds, 0 = none */
	char *ff_header;            /* owned; NULL = "X-Forwarded-For" */
	struct plan_http_net ff_except; /* family NONE = no except */
	char *ot_header;            /* owned; NULL = "X-Original-To" */
	struct plan_http_net ot_except;
	char *stats_uri;            /* owned; NULL = "/haproxy?stats" */
	char *stats_realm;          /* owned, NULL = none */
	char *stats_auth;           /* owned "user:pass\n" entries, NULL = none */
	char *stats_scope;          /* owned "NAME\n" entries, NULL = none */
	char *stats_node;           /* owned, NULL = host name */
	char *stats_desc;           /* owned, NULL = global description */
	char *monitor_uri;          /* owned, NULL = none */
	char *log_format;           /* owned, NULL = none */
	char *unique_id_format;     /* owned, NULL = none */
	char *unique_id_header;     /* owned, NULL = none */
	struct src_loc log_format_loc; /* the log-format word, line 0 = none */
	struct src_loc unique_id_loc;  /* the unique-id-format word */
	char *cookie_name;          /* owned, NULL = no cookie persistence */
	char *cookie_domains;       /* owned "d\n" entries, NULL = none */
	char *cookie_attrs;         /* owned "v\n" entries, NULL = none */
	uint32_t cookie_mode;       /* enum plan_cookie_mode */
	uint32_t cookie_flags;      /* PLAN_COOKIE_F_* */
	uint32_t cookie_maxidle;    /* s, 0 = none */
	uint32_t cookie_maxlife;    /* s, 0 = none */
	struct model_errpages errors; /* errorfile / errorfiles */
	struct model_capture {
		uint32_t kind;          /* enum plan_capture_kind */
		uint32_t len;           /* bytes */
		char *name;             /* owned */
	} caps[PLAN_HTTP_MAX_CAPTURES]; /* in order (frontends only) */
	size_t ncaps;
	struct src_loc httplog_loc; /* where option httplog (httpslog) was
	                               set (for the TCP-mode warning); line
	                               0 = not set */
	int httpslog;               /* 1: log_format is option httpslog's */
	uint8_t comp_algos[PLAN_COMP_MAX_ALGOS]; /* as plan_http's: the
	                               order HAProxy tries them */
	uint32_t comp_flags;        /* PLAN_COMP_F_* */
	uint32_t comp_minsize;      /* minsize-res: bytes, 0 = none */
	char *comp_types;           /* owned "type\n" entries, NULL = any */
	uint32_t retry_on;          /* PLAN_RETRY_* (retry-on) */
	uint32_t bal_len;           /* balance uri len, 0 = none */
	uint32_t bal_depth;         /* balance uri depth, 0 = none */
	uint32_t bal_flags;         /* PLAN_BAL_F_* */
	char *bal_name;             /* owned: url_param / hdr name, hash
	                               expression, or NULL */
	int bal_checked;            /* hash: the expression was linted where
	                               written (not in defaults) */
	struct src_loc balance_loc; /* balance's algorithm word (hash: its
	                               expression word) */
};

/* The settings a defaults section hands down to the proxies using it. */
struct model_settings {
	uint32_t load_state;        /* load-server-state-from-file:
	                               PLAN_LOAD_STATE_*, 0 = unset (none) */
	uint32_t mode;              /* enum plan_mode */
	uint32_t mode_other;        /* 1: `mode log` or `mode spop`, which
	                               cfgc does not compile (mode is then
	                               meaningless; xref.c judges pairs) */
	uint32_t balance;           /* enum plan_balance */
	uint32_t hash_type;         /* enum plan_hash_type */
	uint32_t hash_func;         /* enum plan_hash_func (avalanche: flags) */
	uint32_t random_draws;      /* balance random(N), >= 1 */
	uint32_t maxconn;           /* connections, 0 = none */
	uint32_t timeout_connect;   /* ms, 0 = none */
	uint32_t timeout_client;    /* ms, 0 = none */
	uint32_t timeout_server;    /* ms, 0 = none */
	uint32_t timeout_queue;     /* ms, 0 = timeout connect */
	uint32_t timeout_tarpit;    /* ms, 0 = timeout connect */
	uint32_t timeout_tunnel;    /* ms, 0 = none */
	uint32_t timeout_client_fin;/* ms, 0 = timeout client */
	uint32_t timeout_server_fin;/* ms, 0 = timeout server */
	uint32_t timeout_check;     /* ms, 0 = inter */
	uint32_t retries;           /* attempts after the first (HAProxy: 3) */
	uint32_t fullconn;          /* backend fullconn, 0 = HAProxy's default */
	struct plan_addr source;    /* backend `source`, family NONE = none */
	uint32_t usesrc;            /* its usesrc: PLAN_SRV_F_USESRC_*, 0 */
	uint32_t flags;             /* PLAN_PX_F_* */
	uint32_t check_type;        /* enum plan_check_type */
	uint32_t inspect_delay;     /* ms, tcp-request inspect-delay, 0 = none */
	uint32_t res_inspect_delay; /* ms, tcp-response inspect-delay */
	struct model_check_rule *checks; /* owned array of tcp-check rules */
	size_t nchecks, checks_cap;
	int checks_inherited;       /* the rules came from defaults: a rule of
	                               the proxy's own replaces them */
	char *httpchk_method;       /* owned; NULL = "OPTIONS" */
	char *httpchk_uri;          /* owned; NULL = "/" */
	char *httpchk_version;      /* owned; NULL = "HTTP/1.0" */
	char *httpchk_host;         /* owned; NULL = no Host header */
	uint32_t status_lo;         /* http-check expect status range; */
	uint32_t status_hi;         /*  200..399 unless set */
	int http_rules;             /* http-check rules: 0 none, 1 inherited
	                               from defaults, 2 the section's own */
	int http_expect;            /* the section has its own expect rule */
	struct model_check_rule http_body; /* http-check expect [!] string|
	                               rstring: op EXPECT_STRING or
	                               EXPECT_REGEX (then the status is not
	                               judged), 0 = none; data owned */
	struct model_log *logs;     /* owned array of log targets */
	size_t nlogs, logs_cap;
	struct model_server defsrv; /* default-server template (name NULL) */
	struct model_http http;     /* HTTP settings (kw-http.c) */
	char *default_backend;      /* owned backend name, or NULL */
	struct src_loc default_backend_loc; /* where that name was written */
};

struct model_defaults {
	char *name;                 /* owned; NULL for an anonymous section */
	struct src_loc loc;         /* the section keyword */
	struct model_settings set;  /* as the section leaves them */
	int used_explicitly;        /* some proxy named it with `from` */
	int used_implicitly;        /* some proxy took it as the last one */
	struct src_loc implicit_loc;/* first proxy that took it implicitly */
};

struct model_listener {
	struct plan_addr addr;      /* one port: ranges are expanded */
	uint32_t line;              /* line of the bind statement */
	uint32_t flags;             /* PLAN_LSN_F_* */
	uint32_t backlog;           /* listen() backlog, 0 = from maxconn */
	uint32_t maxconn;           /* bind maxconn, 0 = none */
	uint32_t tls;               /* index + 1 in model.tls_binds, 0 = plain */
};

/* One certificate of a `bind ... ssl` line (crt, or a crt-list line). */
struct model_tls_cert {
	char *path;                 /* owned: the file as resolved */
	char *sni;                  /* owned: crt-list filters, NULL = none */
	char *list;                 /* owned: its crt-list file, NULL = crt */
	char *base;                 /* owned: crt-list: the directory its
	                               line's file was found under, NULL =
	                               none (the path as written found it) */
	char *key_path;             /* owned: the key's own file (crt-store
	                               `key`), NULL = in path or path.key */
	uint8_t *der;               /* owned: chain, DER back to back; NULL
	                               under --hermetic */
	size_t der_len;             /* bytes */
	uint8_t *key;               /* owned: private key, DER */
	size_t key_len;             /* bytes */
	uint32_t flags;             /* PLAN_TLS_CERT_F_* */
	int64_t not_after;          /* Unix seconds, 0 = not known */
	/* Its crt-list line's [...] settings (see struct plan_tls_cert) */
	uint32_t set;               /* PLAN_TLS_CERT_S_* */
	uint32_t verify;            /* enum plan_tls_verify */
	uint16_t min_ver, max_ver;  /* S_VERS: the line's range */
	uint16_t line_min, line_max; /* as written on the line, 0 = not */
	uint32_t list_line;         /* its line in the crt-list, 0 = crt */
	struct src_loc vers_loc;    /* its line's last version option */
	struct src_loc verify_loc;  /* its line's verify option */
	char *alpn;                 /* owned: wire form, NULL = no-alpn */
	char *ciphers, *curves;     /* owned, NULL = the bind's */
	char *ca_path, *crl_path;   /* owned: as resolved */
	uint8_t *ca, *crl;          /* owned: DER back to back */
	size_t ca_len, crl_len;     /* bytes */
};

/* The TLS settings of one bind line, or the global defaults
 * (ssl-default-bind-*: only the settings, no certificate). */
struct model_tls_bind {
	struct model_tls_cert *certs; /* owned array, the first is the default */
	size_t ncerts, certs_cap;
	uint64_t ca_ignore;         /* see struct plan_tls_bind */
	uint64_t crt_ignore;
	uint32_t flags;             /* PLAN_TLS_F_* */
	uint32_t verify;            /* enum plan_tls_verify */
	uint32_t no_vers;           /* bit (v & 0xff): version v disabled
	                               (no-tlsv1x), from SSLv3 = 0 */
	uint16_t min_ver, max_ver;  /* ssl-min-ver/max-ver or force-*, 0 =
	                               not given */
	uint32_t line;              /* the bind line */
	char *alpn;                 /* owned: wire form, NULL = none */
	char *ciphers, *ciphersuites, *curves, *sigalgs; /* owned, NULL = default */
	char *ca_path, *crl_path;   /* owned: as resolved, NULL = none */
	uint8_t *ca, *crl;          /* owned: DER back to back */
	size_t ca_len, crl_len;     /* bytes */
	char *cav_path;             /* owned: ca-verify-file, NULL = none */
	uint8_t *cav;               /* owned: its certificates, DER */
	size_t cav_len;             /* bytes */
};

/* One ACL line (`acl NAME ...`), or the anonymous ACL of a condition
 * term (`{ ... }`, name NULL). */
struct model_acl {
	char *name;                 /* owned; NULL: anonymous */
	uint32_t fetch;             /* enum plan_fetch */
	struct src_loc fetch_loc;   /* the fetch word */
	char *arg;                  /* owned: nbsrv(NAME)'s backend, or NULL */
	struct src_loc arg_loc;     /* where NAME was written */
	uint32_t arg_idx;           /* resolved arg: a backend, or PLAN_NONE */
	uint32_t match;             /* enum plan_match */
	uint32_t flags;             /* PLAN_ACL_F_ICASE (SORTED: emit's) */
	char *sarg;                 /* owned: header, parameter or cookie
	                               name, or NULL */
	int32_t occ;                /* header occurrence (plan_acl.occ);
	                               payload fetches: length */
	uint32_t off;               /* payload fetches: offset (plan_acl.arg) */
	int32_t arg2;               /* payload_lv: plan_acl.arg2 */
	struct plan_pattern *pats;  /* owned array, as the plan stores them
	                               but for the text of STR/REG ones */
	char **texts;               /* owned, parallel to pats: the text of
	                               a STR/REG pattern, else NULL */
	size_t npats, pats_cap;
	uint32_t line;              /* source line */
	int unsupported;            /* declared but not compiled (1), or
	                               invalid (2, reported elsewhere): a
	                               rule using it is not compiled either */
	struct model_conv *convs;   /* owned array: converters, in order */
	size_t nconvs, convs_cap;
	char *files[8];             /* owned: -f files as written; a pattern
	                               read from files[k] has file_off k + 1
	                               until emit names it in the blob */
	size_t nfiles;
};

/* One converter after a fetch (plan_conv_step but for its texts). */
struct model_conv {
	uint32_t conv;              /* enum plan_conv */
	uint32_t flags;             /* PLAN_CS_F_* but LAST (emit's) */
	int64_t a, b;               /* number arguments, or a variable (A_VAR) */
	char *s1, *s2;              /* owned text arguments, or NULL */
	size_t set;                 /* MAP, REGSUB: index in the model's
	                               pattern sets; else SIZE_MAX */
	uint32_t match;             /* MAP: enum plan_match of its keys */
	uint32_t out;               /* MAP: enum smp_out of its values */
};

/* A map file (or a regsub's one regex) read at compile time: its keys
 * as patterns and its values; shared by the converters naming it. */
struct model_patset {
	char *path;                 /* owned: the file, NULL for a regex */
	uint32_t match;             /* enum plan_match of the keys */
	uint32_t out;               /* enum smp_out of the values (maps) */
	int icase;                  /* keys compared ignoring case */
	struct plan_pattern *pats;  /* owned array: keys as patterns */
	char **keys;                /* owned, parallel: STR/REG key text */
	char **values;              /* owned, parallel: value text (maps) */
	size_t n, cap;
};

/* One term of a rule's condition. */
struct model_term {
	char *name;                 /* owned: named ACL, NULL: anonymous */
	size_t anon;                /* anonymous: index in the proxy's acls */
	uint32_t flags;             /* PLAN_TERM_F_* */
	struct src_loc loc;         /* the term as written */
};

/* A use_backend or TCP rule (tcp-request, tcp-response). */
struct model_rule {
	uint32_t action;            /* enum plan_rule_action */
	uint32_t arg;               /* plan_rule.arg: set-mark, set-tos */
	char *backend;              /* owned: use_backend's backend name,
	                               use-server's server name, else NULL */
	struct src_loc backend_loc;
	uint32_t backend_idx;       /* resolved at the end, PLAN_NONE = not */
	size_t expr_acl;            /* use_backend %[...]: 1 + the line in
	                               the proxy's acls naming the backend
	                               (backend NULL then); 0: none */
	uint32_t cond;              /* enum plan_cond */
	struct model_term *terms;   /* owned array */
	size_t nterms;
	uint32_t line;              /* source line */
	struct src_loc loc;         /* the statement (TCP rules' messages) */
	int dropped;                /* not compiled (an error was queued) */
	size_t track;               /* PLAN_RULE_STICK: index in the proxy's
	                               tracks */
};

/* One node of a parsed log-format value (plan_lf_node). */
struct model_lf {
	uint32_t kind;              /* enum plan_lf_kind */
	uint32_t ref;               /* FETCH: index in the proxy's acls;
	                               VAR: enum plan_lf_var */
	uint8_t conv[PLAN_LF_MAX_CONV]; /* enum plan_conv */
	char *text;                 /* owned: LIT text, else NULL */
	size_t len;                 /* LIT: bytes */
};

/* An http-request, http-response or http-after-response rule, or a
 * proxy-level redirect. */
struct model_http_rule {
	uint32_t set;               /* enum plan_hr_set */
	uint32_t action;            /* enum plan_hr_action */
	uint32_t status;            /* see struct plan_http_rule */
	uint32_t arg;               /* redirect type, del-header match */
	uint32_t flags;             /* PLAN_HR_F_* */
	int proxy_redirect;         /* 1: the `redirect` keyword: runs after
	                               every http-request rule (HAProxy) */
	char *name;                 /* owned: header name / content-type */
	struct model_lf *lf;        /* owned: the value */
	size_t nlf, lf_cap;
	struct model_rule cond;     /* its condition (action, backend unused) */
};

/* A proxy's stick-table line (kw-stick.c). */
struct model_table {
	struct plan_stktable rec;      /* as the plan stores it, proxy aside */
	struct src_loc loc;         /* the stick-table keyword */
};

/* A stick counter action (track-sc*, sc-inc-gpc*...) of a rule. */
struct model_track {
	struct plan_track rec;      /* as the plan stores it; key is an index
	                               in the proxy's acls, table resolved at
	                               the end (PLAN_NONE until then) */
	char *table;                /* owned `table NAME`, NULL: the proxy's */
	struct src_loc table_loc;   /* where the name (or action) is */
};

struct model_proxy {
	char *name;                 /* owned */
	char *description;          /* owned `description`, NULL = none */
	uint32_t cap;               /* PLAN_CAP_* */
	struct src_loc loc;         /* the name word of the header */
	struct model_settings set;  /* defaults applied, then own statements */
	uint32_t default_backend;   /* proxy index, or PLAN_NONE */
	struct model_listener *listeners; /* owned array */
	size_t nlisteners, listeners_cap;
	struct model_server *servers;     /* owned array */
	size_t nservers, servers_cap;
	struct model_acl *acls;     /* owned array: ACL lines in source order,
	                               anonymous ones where their rule is */
	size_t nacls, acls_cap;
	struct model_rule *conn_rules;    /* tcp-request connection, in order */
	size_t nconn_rules, conn_rules_cap;
	struct model_rule *switch_rules;  /* use_backend, in order */
	size_t nswitch_rules, switch_rules_cap;
	size_t logfmt_acl;          /* 1 + index in acls of the first line of
	                               the log-format's %[...] items (the
	                               others follow), 0: none */
	struct src_loc compression_loc; /* `filter compression`, line 0 = none
	                               (kw-filter.c) */
	struct src_loc trace_loc;   /* `filter trace`, line 0 = none */
	struct src_loc comp_loc;    /* the section's first `compression`
	                               line, line 0 = none (kw-comp.c) */
	size_t bal_acl;             /* balance hash: 1 + index in acls of its
	                               expression's line, 0 = none */
	int logfmt_bad;             /* 1: an item was not compiled: the
	                               format is left out of the plan */
	struct model_rule *tcp_rules[PLAN_TCP_SET_MAX]; /* by enum plan_tcp_set:
	                               SESSION, CONTENT and RESPONSE used */
	size_t ntcp_rules[PLAN_TCP_SET_MAX], tcp_rules_cap[PLAN_TCP_SET_MAX];
	struct model_http_rule *http_rules; /* every set, in source order */
	size_t nhttp_rules, http_rules_cap;
	struct model_table *table;  /* owned stick-table, NULL = none */
	struct model_track *tracks; /* owned: stick counter actions, named
	                               by rules (rule.track, http rule arg) */
	size_t ntracks, tracks_cap;
};

/* One `stats socket` line of the global section. */
struct model_stats {
	uint32_t level;             /* enum plan_stats_level */
	uint32_t mode;              /* permission bits, 0 = umask */
	uint32_t line;              /* source line */
	uint32_t uid, gid;          /* owner of a unix path, PLAN_STATS_NO_ID =
	                               unchanged */
	char *user, *group;         /* or their names (owned), NULL = none;
	                               the last of a name and an id wins */
	struct plan_addr addr;      /* UNIX path or INET/INET6 */
};

/* A file cfgc --hermetic did not check: cfgrun checks it (PRECOND). */
struct model_precond {
	uint32_t kind;              /* enum plan_precond_kind */
	uint32_t line;              /* the word naming the file */
	uint32_t col;               /* its column */
	char *path;                 /* owned: resolved, absolute */
	char *source;               /* owned: configuration file */
	char *keyword;              /* owned: "crt", "errorfile", ... */
};

struct model {
	uint32_t maxconn;           /* global maxconn, 0 = runtime default */
	uint32_t nbthread;          /* threads, 0 = 1 */
	uint32_t global_flags;      /* PLAN_GLB_F_* */
	uint32_t ulimit_n;          /* ulimit-n, 0 = unset */
	uint32_t maxconnrate;       /* maxconnrate, 0 = none */
	uint32_t maxsessrate;       /* maxsessrate, 0 = none */
	uint32_t uid, gid;          /* numeric uid/gid, 0 = unset */
	char *source;               /* owned: first configuration file */
	char *pidfile;              /* owned, NULL = none */
	char *user;                 /* owned user name, NULL = none */
	char *group;                /* owned group name, NULL = none */
	char *chroot;               /* owned directory, NULL = none */
	char *description;          /* owned global description, NULL = none */
	char *unix_prefix;          /* owned unix-bind prefix, NULL = none:
	                               put before the unix paths of the bind
	                               lines read after it */
	uint32_t unix_flags;        /* unix-bind: PLAN_UXB_F_* */
	uint32_t unix_mode, unix_uid, unix_gid; /* with their flags */
	struct model_log *logs;     /* owned array: global log targets */
	size_t nlogs, logs_cap;
	struct model_stats *stats;  /* owned array: stats sockets */
	size_t nstats, stats_cap;
	uint32_t stats_timeout;     /* global `stats timeout`, ms, 0 = unset */
	uint32_t stats_maxconn;     /* global `stats maxconn`, 0 = unset */
	uint32_t hard_stop_after;   /* hard-stop-after, ms, 0 = unset */
	uint32_t grace;             /* grace, ms, 0 = unset */
	uint32_t close_spread;      /* close-spread-time, ms, 0 = unset */
	uint32_t close_spread_infinite; /* 1: close-spread-time infinite */
	uint32_t max_spread_checks; /* max-spread-checks, ms, 0 = unset */
	char *server_state_file;    /* owned path, NULL = none */
	uint32_t ca_base_line;      /* line of the global ca-base, 0 = none */
	uint32_t crt_base_line;     /* line of the global crt-base, 0 = none */
	struct model_precond *preconds; /* owned array, in source order */
	size_t npreconds, preconds_cap;
	struct model_proxy *proxies;     /* owned array, in source order */
	size_t nproxies, proxies_cap;
	struct model_defaults *defaults; /* owned array, in source order */
	size_t ndefaults, defaults_cap;
	uint32_t tune_bufsize;      /* bytes, multiple of 16; 0 = default */
	uint32_t bufsize_http_said; /* 1: the 256 MB limit for HTTP was said */
	int64_t tune_maxrewrite;    /* bytes as written, -1 = not given (the
	                               emitter caps it at half the buffer) */
	uint32_t tune_http_maxhdr;  /* 1..32767; 0 = default */
	uint32_t tune_comp_maxlevel;/* 1..9; 0 = default (1) */
	uint32_t tune_zlib_memlevel;/* 1..9; 0 = default (8) */
	uint32_t tune_zlib_windowsize; /* 8..15; 0 = default (15) */
	struct model_tls_bind *tls_binds; /* owned: bind ... ssl lines */
	size_t ntls_binds, tls_binds_cap;
	struct model_tls_bind tls_def; /* ssl-default-bind-* settings */
	uint32_t tls_cachesize;     /* tune.ssl.cachesize, sessions */
	uint32_t tls_lifetime;      /* tune.ssl.lifetime, seconds */
	uint8_t tls_cachesize_set;  /* 1: tune.ssl.cachesize given */
	uint8_t tls_lifetime_set;   /* 1: tune.ssl.lifetime given */
	struct model_http_errors *http_errors; /* owned: http-errors sections */
	size_t nhttp_errors;
	struct model_userlist *userlists; /* owned: userlist sections */
	size_t nuserlists;
	struct model_resolvers *resolvers; /* owned: resolvers sections */
	size_t nresolvers;
	struct model_patset *patsets; /* owned array: maps and regsub regexes */
	size_t npatsets, patsets_cap;
	char *vars[PLAN_MAX_VARS];  /* owned: variable names by index
	                               ("txn.x"), as rules name them */
	uint32_t nvars;
	struct model_server_tls tls_defaults; /* global ssl-default-server-*
	                               and ssl-server-verify (flags, set,
	                               versions, verify, ciphers, curves) */
	struct model_tls_file *tls_files; /* owned: files of ca-file and
	                               crl-file, each read once */
	size_t ntls_files, tls_files_cap;
	char **interned;            /* owned strings of model_intern() */
	size_t ninterned, interned_cap;
};

#endif /* HAPC_MODEL_T_H */
