/*
 * plan.h: building, writing, mapping and verifying plans.
 *
 * The format itself is described in plan-t.h. This header is the only door
 * to it: cfgc builds with plan_builder_*, cfgrun and `cfgc --dump` read with
 * plan_open()/plan_verify(), and both use the same verifier.
 */
#ifndef HAPC_PLAN_H
#define HAPC_PLAN_H

#include <stddef.h>
#include <stdint.h>
#include <sys/un.h>
#include "plan-t.h"

/* Verifier reasons: one list, giving the enum and the message. */
#define PLAN_ERRORS(X) \
	X(OK,            "valid plan") \
	X(IO,            "cannot read the plan file") \
	X(TOO_SMALL,     "file is smaller than a plan header (truncated or not a plan)") \
	X(MAGIC,         "not a hapc plan (bad magic)") \
	X(BYTE_ORDER,    "plan was written with another byte order") \
	X(MAJOR,         "plan format major version is not supported by this reader") \
	X(HEADER_SIZE,   "header size field is wrong") \
	X(FILE_SIZE,     "file size does not match the size recorded in the header (truncated or extended)") \
	X(TOO_LARGE,     "plan is larger than the format allows") \
	X(FLAGS,         "reserved header fields are not zero") \
	X(DIGEST,        "content digest does not match (file corrupted)") \
	X(SECTIONS,      "section directory is out of bounds or has too many entries") \
	X(SECTION_KIND,  "section kind is unknown or repeated") \
	X(SECTION_ELEM,  "section element size does not match this reader") \
	X(SECTION_RANGE, "section data is out of bounds, misaligned or overlapping") \
	X(MISSING,       "a required section is missing") \
	X(COUNT,         "a record count is beyond the format's limits") \
	X(STRING,        "a string reference is out of bounds or not terminated") \
	X(INDEX,         "a cross-reference index is out of range") \
	X(ENUM,          "an enumerated field has an unknown value") \
	X(ADDRESS,       "a socket address record is malformed") \
	X(RESERVED,      "a reserved field is not zero") \
	X(LAYOUT,        "records are not grouped as the format requires") \
	X(VALUE,         "a numeric field is outside its allowed range")

#define PLAN_ERR_ENUM(name, text) PLAN_E_##name,
enum plan_err { PLAN_ERRORS(PLAN_ERR_ENUM) PLAN_E_MAX /* number of reasons */ };
#undef PLAN_ERR_ENUM

/* Static message for a reason; never NULL. */
const char *plan_strerror(enum plan_err err);

/*
 * A verified view of a plan. Every pointer points into the caller's buffer
 * (or the mapping); nothing is copied. Only valid while that memory is.
 */
struct plan {
	const uint8_t *base;                 /* start of the file bytes */
	size_t size;                         /* bytes */
	const struct plan_header *hdr;
	const struct plan_global *global;
	const struct plan_ops *ops;          /* never NULL: the OPS record, or
	                                        an all-zero one */
	const struct plan_proxy *proxies;    /* nproxies records */
	uint32_t nproxies;
	const struct plan_listener *listeners;
	uint32_t nlisteners;
	const struct plan_server *servers;
	uint32_t nservers;
	const struct plan_check_rule *checks;
	uint32_t nchecks;
	const struct plan_log *logs;
	uint32_t nlogs;
	const struct plan_stats_socket *stats;
	uint32_t nstats;
	const struct plan_precond *preconds; /* files to check before running */
	uint32_t npreconds;
	const struct plan_srv_addr *check_addrs; /* servers' own check addresses */
	uint32_t ncheck_addrs;
	const struct plan_acl *acls;         /* ACL lines, by proxy */
	uint32_t nacls;
	const struct plan_pattern *patterns; /* their patterns, by ACL line */
	uint32_t npatterns;
	const struct plan_rule *rules;       /* use_backend, tcp-request
	                                        connection, by proxy */
	uint32_t nrules;
	const struct plan_term *terms;       /* the rules' conditions */
	uint32_t nterms;
	const struct plan_http *http;        /* HTTP settings, by proxy index */
	uint32_t nhttp;                      /* = nproxies */
	const struct plan_http_rule *http_rules; /* by proxy, then rule set */
	uint32_t nhttp_rules;
	const struct plan_lf_node *lf;       /* the http rules' values */
	uint32_t nlf;
	const struct plan_conv_step *steps;  /* converter chains of ACL lines */
	uint32_t nsteps;
	const struct plan_tcp *tcp;          /* TCP rule sets, by proxy index */
	uint32_t ntcp;                       /* = nproxies */
	const struct plan_stktable *tables;     /* stick tables, by proxy */
	uint32_t ntables;
	const struct plan_track *tracks;     /* stick counter actions */
	uint32_t ntracks;
	const struct plan_tls_cert *tls_certs; /* by TLS bind, in order */
	uint32_t ntls_certs;
	const struct plan_tls_bind *tls_binds; /* bind ... ssl lines */
	uint32_t ntls_binds;
	const struct plan_tls_server *tls_servers; /* by server index */
	uint32_t ntls_servers;
	const struct plan_resolvers *resolvers; /* resolvers sections */
	uint32_t nresolvers;
	const struct plan_nameserver *nameservers; /* by resolvers section */
	uint32_t nnameservers;
	const struct plan_srv_resolve *srv_resolves; /* by server index */
	uint32_t nsrv_resolves;
	const char *blob;                    /* blob_len bytes */
	uint32_t blob_len;
	int mapped;                          /* 1 if plan_open() mapped it */
	size_t map_len;                      /* bytes mapped (file + tail) */
	uint8_t *tail;                       /* plan_open_tail(): tail_len
	                                        writable bytes after the file's
	                                        (read-only) pages, in the same
	                                        mapping, so a plan_str may
	                                        point there; NULL = none */
	size_t tail_len;
};

/*
 * Verify `len` bytes at `buf` as a plan and fill `out` on success.
 * Checks, in order: size, magic, byte order, version, sizes, digest, the
 * directory, every section's bounds and alignment, counts, then every
 * string, index, enum, address and reserved field. On failure returns the
 * reason and writes a detail ("proxy 3: default_backend 9 >= 4") into
 * `detail` (may be NULL). Never reads outside [buf, buf+len).
 * `buf` must be 8-byte aligned (malloc and mmap give that); an unaligned
 * buffer is refused with PLAN_E_IO. `out` is only written on success.
 */
enum plan_err plan_verify(const void *buf, size_t len, struct plan *out,
                          char *detail, size_t detail_len);

/*
 * plan_verify() for a caller that has just computed plan_digest() of these
 * very bytes (plan_open() hashes each piece as it reads it): `digest` is
 * compared with the recorded one instead of hashing the image again.
 */
enum plan_err plan_verify_digested(const void *buf, size_t len,
                                   const uint8_t digest[PLAN_DIGEST_LEN],
                                   struct plan *out, char *detail,
                                   size_t detail_len);

/*
 * Copy `path` into a private mapping, make it read-only and verify it;
 * writing or truncating the file afterwards cannot change or take away the
 * verified bytes. On failure nothing stays mapped and
 * errno-style I/O problems come back as PLAN_E_IO with strerror in detail.
 */
enum plan_err plan_open(const char *path, struct plan *out,
                        char *detail, size_t detail_len);

/*
 * plan_open() with `tail` writable bytes (rounded up to pages) mapped
 * after the file's pages: cfgrun writes there the strings it makes at run
 * time (names of servers added through the stats socket), which
 * plan_str_get() then reads like the plan's own (an offset from the blob
 * into the same mapping). The verified bytes stay read-only.
 */
enum plan_err plan_open_tail(const char *path, size_t tail, struct plan *out,
                             char *detail, size_t detail_len);

/* Unmap a plan from plan_open(); harmless on a zeroed struct. */
void plan_close(struct plan *p);

/*
 * `len` bytes of zeroed private memory, the way plan_open() holds a plan
 * and the way to hold an array parallel to a big plan table (state per
 * server): from 2 MiB on transparent huge pages, populated at once, since
 * first-touch faults of 4 KiB pages are most of the cost of setting up
 * megabytes on some virtual machines. NULL with errno on failure (len 0
 * included). Release with plan_mem_free(p, len), never free().
 */
void *plan_mem_alloc(size_t len);
void plan_mem_free(void *p, size_t len);

/*
 * Bytes of the sockaddr_un of a unix (path and its NUL), abstract (the
 * whole structure, zero padded) or abstract-z (exactly the name) address
 * whose name is n bytes: the one form of each that cfgc writes and the
 * server address packing accepts.
 */
static inline uint16_t plan_sun_len(unsigned family, size_t n)
{
	const size_t off = offsetof(struct sockaddr_un, sun_path);

	if (family == PLAN_FAM_UNIX)
		return (uint16_t)(off + n + 1);
	if (family == PLAN_FAM_ABNS)
		return sizeof(struct sockaddr_un);
	return (uint16_t)(off + 1 + n);
}

/* The NUL-terminated text of a verified string reference. */
static inline const char *plan_str_get(const struct plan *p, struct plan_str s)
{
	return p->blob + s.off;
}

/*
 * The address to connect to for server `i` of a verified plan, and where
 * its health checks go (its check address when it has one, else the
 * same). Callers get a full struct plan_addr whatever way the plan stores
 * it, so the server record can be laid out compactly.
 */
void plan_server_addr(const struct plan *p, uint32_t i, struct plan_addr *out);
/* The address server i's connections are bound to (`source`): family
 * PLAN_FAM_NONE when none. */
void plan_server_source(const struct plan *p, uint32_t i,
                        struct plan_addr *out);
void plan_server_check_addr(const struct plan *p, uint32_t i,
                            struct plan_addr *out);
/* A compact server address of plan p (a record's, or one made at run
 * time by `set server addr`) as a full struct plan_addr. */
void plan_srv_addr_to(const struct plan *p, const struct plan_srv_addr *c,
                      struct plan_addr *out);

/* The address word of server `i` left unresolved (init-addr none), or ""
 * when it has an address. */
const char *plan_server_host(const struct plan *p, uint32_t i);

/* 1 when server `i` sends its checks to an address of its own (`addr` or
 * `port`), 0 when they go to its address. */
static inline int plan_server_has_check_addr(const struct plan *p, uint32_t i)
{
	return p->servers[i].check_addr != PLAN_NONE;
}

/* The TLS settings of server `i` of a verified plan (binary search of the
 * TLS_SERVER table, which follows server order), or NULL when it has no
 * PLAN_SRV_F_TLS. */
const struct plan_tls_server *plan_server_tls(const struct plan *p,
                                              uint32_t i);

/* The tune.* values of a verified plan, HAProxy's defaults applied. */
static inline uint32_t plan_tune_bufsize(const struct plan_global *g)
{
	return g->tune_bufsize ? g->tune_bufsize : 16384;
}

static inline uint32_t plan_tune_maxrewrite(const struct plan_global *g)
{
	uint32_t half = plan_tune_bufsize(g) / 2;

	if (g->flags & PLAN_GLB_F_MAXREWRITE)
		return g->tune_maxrewrite;
	return half < 1024 ? half : 1024;
}

static inline uint32_t plan_tune_http_maxhdr(const struct plan_global *g)
{
	return g->tune_http_maxhdr ? g->tune_http_maxhdr : 101;
}

/* Index of `status` in the errorfile arrays of struct plan_http, or -1
 * when errorfile cannot replace it. */
static inline int plan_http_err_index(unsigned status)
{
	static const uint16_t codes[PLAN_HTTP_NERRORS] = PLAN_HTTP_ERR_CODES;

	for (int i = 0; i < PLAN_HTTP_NERRORS; i++)
		if (codes[i] == status)
			return i;
	return -1;
}

/* The status of errorfile index i (0 <= i < PLAN_HTTP_NERRORS). */
static inline unsigned plan_http_err_status(int i)
{
	static const uint16_t codes[PLAN_HTTP_NERRORS] = PLAN_HTTP_ERR_CODES;

	return codes[i];
}

/* SHA-256 of a plan image with its digest field taken as zero. */
void plan_digest(const void *buf, size_t len, uint8_t out[PLAN_DIGEST_LEN]);

/* The same digest over an image fed in order, in pieces of any size (so a
 * reader can hash each piece while it is still in the cache). */
struct plan_digest_ctx {
	uint64_t pos;                 /* bytes of the image fed so far */
	_Alignas(8) unsigned char sha[128]; /* SHA-256 state (opaque) */
};
void plan_digest_init(struct plan_digest_ctx *c);
void plan_digest_update(struct plan_digest_ctx *c, const void *buf, size_t len);
void plan_digest_final(struct plan_digest_ctx *c, uint8_t out[PLAN_DIGEST_LEN]);

/* Lowercase hex of a digest into `hex` (at least 65 bytes). */
void plan_digest_hex(const uint8_t d[PLAN_DIGEST_LEN], char hex[65]);

/* ---- ACLs and rules (plan_acl.c) ---------------------------------------- */

enum plan_sample_type {
	PLAN_SMP_NONE = 0,            /* not found (src of a unix client) */
	PLAN_SMP_BOOL = 1,            /* i is 0 or 1 */
	PLAN_SMP_INT  = 2,            /* i */
	PLAN_SMP_IPV4 = 3,            /* ip[0..4), network order */
	PLAN_SMP_IPV6 = 4,            /* ip, network order */
	PLAN_SMP_STR  = 5,            /* str[0..len), not NUL-terminated */
	PLAN_SMP_BIN  = 6,            /* str[0..len): bytes (converters) */
};

/*
 * What a fetch gave for one ACL line. A fetch with several values (the
 * comma-separated values of a header, in an ACL) gives them one per call:
 * it reads `iter` (0 at the first call; the matcher leaves the struct as
 * the fetch left it between calls) and sets `more` when another value
 * may follow.
 */
struct plan_sample {
	enum plan_sample_type type;
	int64_t i;                    /* BOOL, INT */
	uint8_t ip[16];               /* IPV4, IPV6 */
	const char *str;              /* STR: bytes owned by the fetch's
	                                 context, valid until its next call */
	size_t len;                   /* STR: bytes */
	uint32_t iter;                /* fetch's own cursor, 0 at first */
	int more;                     /* 1: call again for the next value */
	int may_change;               /* 1: more bytes may change the answer
	                                 (content inspection before its end):
	                                 a line that does not match yet is
	                                 undecided, not false */
};

/* A test's three outcomes (HAProxy's ACL_TEST_*), ordered so that AND is
 * the minimum and OR the maximum. */
enum plan_test {
	PLAN_TEST_FAIL = 0,           /* false, for good */
	PLAN_TEST_MISS = 1,           /* not decided yet: wait for bytes */
	PLAN_TEST_PASS = 2,           /* true */
};

/* Compiled regexes of a verified plan's REG patterns (plan_regex.c). */
struct plan_regex;

/*
 * Compile every REG pattern of verified plan `p` (once per plan
 * generation: compiled code never sits in a plan). NULL with a message
 * in err when one does not compile (cfgc checked them, so only a plan
 * from elsewhere or memory exhaustion gets there); a plan without
 * regexes gives a valid empty set. Free with plan_regex_free().
 */
struct plan_regex *plan_regex_build(const struct plan *p, char *err,
                                    size_t errlen);
void plan_regex_free(struct plan_regex *rx);

/* The generation's changeable pattern files (plan_live.h) that map
 * lookups through rx consult; NULL (the default): the plan's alone. */
struct plan_live;
void plan_regex_set_live(struct plan_regex *rx, const struct plan_live *lv);
const struct plan_live *plan_regex_live(const struct plan_regex *rx);

/*
 * Check regex pat[0..len) as cfgc compiles it (caseless with icase).
 * 0, or -1 with PCRE2's message in err and the byte offset of the error
 * in *erroff.
 */
int plan_regex_check(const char *pat, size_t len, int icase, size_t *erroff,
                     char *err, size_t errlen);

/* 1 when REG pattern `pattern` (PATTERN index) of rx's plan finds a match
 * in s[0..len); 0 when not, or when rx is NULL. */
int plan_regex_match(const struct plan_regex *rx, uint32_t pattern,
                     const char *s, size_t len);

/*
 * One regex outside the pattern tables (a tcp-check or http-check
 * `rstring`), compiled as plan_regex_check() checks it: NULL with PCRE2's
 * message in err when it does not compile or memory runs out. Matching
 * is safe from several threads; free with plan_regex_one_free().
 */
struct plan_regex_one;
struct plan_regex_one *plan_regex_one_new(const char *pat, size_t len,
                                          char *err, size_t errlen);
/* The same, caseless with icase (a map_reg -i key, an ACL -i -m reg
 * value added at run time); *erroff: where PCRE2 stopped. */
struct plan_regex_one *plan_regex_one_new_case(const char *pat, size_t len,
                                               int icase, size_t *erroff,
                                               char *err, size_t errlen);
/* 1 when rx finds a match in s[0..len), else 0. */
int plan_regex_one_match(const struct plan_regex_one *rx, const char *s,
                         size_t len);
void plan_regex_one_free(struct plan_regex_one *rx);

#define PLAN_REGEX_GROUPS 10          /* \0..\9 of a replacement */

/*
 * Run REG pattern `pattern` on s[0..len) keeping its groups: -1 when it
 * does not match, else the groups captured; ovec[2g], ovec[2g + 1] are
 * the bounds of group g < npairs (npairs <= PLAN_REGEX_GROUPS), both
 * (size_t)-1 for a group that took no part.
 */
int plan_regex_groups(const struct plan_regex *rx, uint32_t pattern,
                      const char *s, size_t len, size_t *ovec,
                      uint32_t npairs);

/* 1 when `smp` matches pattern `pt` (kinds and v4/v6 mapping as HAProxy:
 * an IPv4 pattern takes an IPv6 sample in ::ffff:, :: or 2002: form, an
 * IPv6 pattern takes an IPv4 sample as ::ffff:a.b.c.d). Integer and
 * address patterns read a string sample as a decimal / an address. */
int plan_pattern_match(const struct plan_pattern *pt,
                       const struct plan_sample *smp);

/* 1 when pattern text pat[0..pl) matches s[0..sl) by string method
 * `match` (STR, BEG, END, SUB, DOM, DIR; ASCII case ignored with icase);
 * 0 for the other methods. */
int plan_text_match(uint32_t match, int icase, const char *pat, size_t pl,
                    const char *s, size_t sl);

/* Compare a[0..al) (lowercased when icase) with b[0..bl) bytewise:
 * < 0, 0, > 0 (the order of sorted patterns and map keys). */
int plan_str_cmp(const char *a, size_t al, const char *b, size_t bl,
                 int icase);

/* 1 when `smp` matches ACL line `acl` of verified plan `p` by its match
 * method; a sample not found never matches. Regexes need `rx` (NULL: a
 * REG line never matches). */
int plan_acl_match(const struct plan *p, const struct plan_regex *rx,
                   const struct plan_acl *acl, const struct plan_sample *smp);

/* Fill `out` with the sample ACL line `acl` fetches in the caller's
 * context `ctx` (type PLAN_SMP_NONE when there is none). */
typedef void (*plan_fetch_fn)(void *ctx, const struct plan_acl *acl,
                              struct plan_sample *out);

/* ---- typed samples and converters (plan_conv.c) ------------------------ */

/*
 * Cast smp to type `to` as HAProxy does (int <-> text, address <-> text,
 * IPv4 <-> int, bool <-> int, str <-> bin; to IPV4 means "an address":
 * an IPv6 one stays). Text made by a cast lives in a per-thread buffer
 * until the next converter chain. 0, or -1 when it does not convert.
 */
int plan_sample_cast(struct plan_sample *smp, enum plan_sample_type to);

/*
 * The converter chain of ACL line `acl` (its `conv`) on smp, in place;
 * `fetch` in ctx reads the variables converters name. 0, or -1 when the
 * sample is lost on the way (type NONE then). Allocates nothing.
 */
int plan_conv_apply(const struct plan *p, const struct plan_regex *rx,
                    const struct plan_acl *acl, plan_fetch_fn fetch,
                    void *ctx, struct plan_sample *smp);

/* The name of variable `var` ("txn.x") from a line or rule naming it,
 * or NULL (a converter argument alone does not keep it in the plan). */
const char *plan_var_name(const struct plan *p, uint32_t var);

/* The fetches that need no connection (str(), int(), bool(), date())
 * of line a into out; other fetches leave out as it is. */
void plan_fetch_const(const struct plan *p, const struct plan_acl *a,
                      struct plan_sample *out);

/* Offset in t (from p, just after a "%[") of the ']' closing the
 * expression, brackets and parentheses inside balanced, quoted and
 * escaped bytes skipped; -1 if none. */
long plan_expr_end(const char *t, size_t p);

/* The next %[...] item of log format t from byte *pos ("%%" skipped,
 * "%{flags}[" taken): the offset of its expression, its length in *len,
 * *pos moved past its ']'. -1 when there is none (or it is not closed). */
long plan_lf_next_expr(const char *t, size_t *pos, size_t *len);

/* The backend (or listen) named by sample smp (as text), or PLAN_NONE:
 * what a use_backend %[...] rule picks. */
uint32_t plan_backend_named(const struct plan *p, const struct plan_sample *smp);

/* The sample of ACL line `acl` as a value: its fetch's first value,
 * then its converters. 0, or -1 (none; type NONE). */
int plan_sample_eval(const struct plan *p, const struct plan_regex *rx,
                     const struct plan_acl *acl, plan_fetch_fn fetch,
                     void *ctx, struct plan_sample *smp);

/*
 * 1 when ACL line `acl` matches in ctx: every value `fetch` gives is
 * tried until one matches, after the line's converters.
 */
int plan_acl_eval(const struct plan *p, const struct plan_regex *rx,
                  const struct plan_acl *acl, plan_fetch_fn fetch, void *ctx);

/*
 * 1 when a condition holds: `cond` (enum plan_cond) over terms
 * [first_term, first_term + nterms) in disjunctive form (plan-t.h): NONE
 * holds, IF when the terms do, UNLESS when they do not. Terms are
 * evaluated left to right and an alternative stops at its first false
 * term, so `fetch` is called only for the ACL lines that decide, as
 * HAProxy does. Allocates nothing.
 */
int plan_cond_holds(const struct plan *p, const struct plan_regex *rx,
                    uint32_t cond, uint32_t first_term, uint32_t nterms,
                    plan_fetch_fn fetch, void *ctx);

/*
 * ACL line `acl` as a three-valued test: PASS when a value matches, MISS
 * when none does but a fetch said more bytes may change that
 * (sample.may_change), else FAIL.
 */
int plan_acl_eval3(const struct plan *p, const struct plan_regex *rx,
                   const struct plan_acl *acl, plan_fetch_fn fetch, void *ctx);

/*
 * A condition as plan_cond_holds(), three-valued (enum plan_test): the
 * terms combine as HAProxy's do (AND: the least, OR: the greatest; '!'
 * and `unless` leave MISS as it is). A fetch that never sets may_change
 * gives PASS or FAIL only.
 */
int plan_cond_eval(const struct plan *p, const struct plan_regex *rx,
                   uint32_t cond, uint32_t first_term, uint32_t nterms,
                   plan_fetch_fn fetch, void *ctx);

/* The value of hex digit c, or -1. */
int plan_hex_digit(int c);

/*
 * acl(NAME,...) of line a (PLAN_FETCH_ACL): the AND of the named ACLs its
 * sarg lists, each the OR of its lines, on the samples `fetch` gives
 * from ctx. A boolean into out; none while one is undecided (content
 * inspection), with may_change set.
 */
void plan_fetch_acl(const struct plan *p, const struct plan_regex *rx,
                    const struct plan_acl *a, plan_fetch_fn fetch, void *ctx,
                    struct plan_sample *out);

/* Next "[!]FIRST:N" range of an acl() line's list s[*pos..len): 1 with
 * its fields, 0 at the end, -1 when malformed. */
int plan_acl_ref_next(const char *s, size_t len, size_t *pos, int *neg,
                      uint32_t *first, uint32_t *n);

/* plan_cond_holds() for rule `r`, without regexes (TCP rules). */
int plan_rule_applies(const struct plan *p, const struct plan_rule *r,
                      plan_fetch_fn fetch, void *ctx);

struct sockaddr_storage;

/* The sample of src/dst (port 0) or src_port/dst_port (port 1) from
 * address ss of len bytes (NULL or another family: none). */
void plan_sample_addr(const struct sockaddr_storage *ss, size_t len, int port,
                      struct plan_sample *out);

/* The rules of set `set` (enum plan_tcp_set) of proxy `px` in verified
 * plan p: [*first, *first + return value) of the RULE table. */
uint32_t plan_tcp_rules_of(const struct plan *p, uint32_t px, uint32_t set,
                           uint32_t *first);

/* 1 when TCP rule set `set` takes action `action` (plan-t.h). */
int plan_tcp_action_allowed(uint32_t set, uint32_t action);

/* 1 when rule set `set` (enum plan_hr_set) takes action `action` (enum
 * plan_hr_action): what cfgc compiles and the verifier accepts. */
int plan_http_action_allowed(uint32_t set, uint32_t action);

/* The PLAN_HR_F_NORM_* flags normalize-uri normalizer `norm` (enum
 * plan_uri_norm) takes: what cfgc writes and the verifier accepts. */
uint32_t plan_uri_norm_flags(uint32_t norm);

/* The keyword of normalizer `norm` ("path-strip-dot"...), NULL past
 * PLAN_URINORM_MAX. */
const char *plan_uri_norm_name(uint32_t norm);

/* The http rules of proxy `px` in set `set` (enum plan_hr_set) of a
 * verified plan: [*first, *first + return value). */
uint32_t plan_http_rules_of(const struct plan *p, uint32_t px, uint32_t set,
                            uint32_t *first);

/* ---- stick tables (plan_table.c) --------------------------------------- */

/* The TABLE and TRACK records, the STKCTR ACL lines and the rules naming
 * TRACK records of plan `p`, whose other tables plan_verify() proved
 * (plan-t.h says what is accepted). PLAN_E_OK, or a reason with a
 * detail. */
enum plan_err plan_table_check(const struct plan *p, char *detail,
                               size_t detail_len);

/* Write the formatted detail of a failure into detail[len] (when not
 * NULL) and return `e`: the checks outside plan_verify.c use it. */
enum plan_err plan_detail_fail(char *detail, size_t len, enum plan_err e,
                               const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* The RESOLVERS, NAMESERVER and SRV_RESOLVE records of plan `p`, whose
 * servers and blob plan_verify() proved (plan_resolve.c). PLAN_E_OK, or a
 * reason with a detail. */
/* A host name as cfgc takes one (dot-separated labels of letters, digits,
 * '-' and '_'), h[0..n); and a server's unresolved address word: an
 * optional ipv4@/ipv6@/tcp@/tcp4@/tcp6@, such a name, then nothing, ':',
 * ':PORT' or ':+N'/':-N' (up to 65535). 1 when it is one. */
int plan_host_name_ok(const char *h, size_t n);
int plan_host_word_ok(const char *w, size_t n);

enum plan_err plan_resolve_check(const struct plan *p, char *detail,
                                 size_t detail_len);

/* The SRV_RESOLVE record of server `srv`, or NULL (binary search). */
const struct plan_srv_resolve *plan_srv_resolve_of(const struct plan *p,
                                                   uint32_t srv);

/* HAProxy's name of data type `d` ("http_req_rate"), NULL when unknown. */
const char *plan_tbl_data_name(uint32_t d);
/* Data type named name[0..len), PLAN_TD_MAX when none. */
uint32_t plan_tbl_data_find(const char *name, size_t len);
/* 1 when data type d is a rate (has a period). */
int plan_tbl_data_is_rate(uint32_t d);
/* "ip", "ipv6", "integer", "string", "binary"; NULL when unknown. */
const char *plan_tbl_type_name(uint32_t type);
/* The table of proxy px, or PLAN_NONE. */
uint32_t plan_table_of_proxy(const struct plan *p, uint32_t px);
/* 1 when TRACK op `op` is a stick persistence rule's (match, store,
 * on, store-response). */
static inline int plan_trk_is_persist(uint32_t op)
{
	return op == PLAN_TRK_MATCH || op == PLAN_TRK_STORE ||
	       op == PLAN_TRK_ON || op == PLAN_TRK_STORE_RES;
}

/* ---- building ---------------------------------------------------------- */

struct plan_builder;

/* A new empty builder; NULL when out of memory. */
struct plan_builder *plan_builder_new(void);
void plan_builder_free(struct plan_builder *b);

/*
 * Append one zeroed record of `kind` (any kind but BLOB) and
 * return its index. Records of a kind are laid out in the order they were
 * added. Pointers from plan_builder_at() are invalidated by the next add of
 * the same kind. Returns PLAN_NONE when out of memory, beyond a limit of
 * plan-t.h or for another kind; the builder then remembers the failure and
 * plan_builder_finish() fails. plan_builder_at() returns NULL for an index
 * out of range; plan_builder_count(b, PLAN_SEC_BLOB) is the blob's bytes.
 */
uint32_t plan_builder_add(struct plan_builder *b, enum plan_section_kind kind);
void *plan_builder_at(struct plan_builder *b, enum plan_section_kind kind,
                      uint32_t index);
uint32_t plan_builder_count(const struct plan_builder *b,
                            enum plan_section_kind kind);

/* Copy `len` bytes of `s` (plus a NUL) into the blob; identical strings are
 * stored once. On failure (memory, blob beyond UINT32_MAX) returns {0, 0},
 * the empty string, and plan_builder_finish() fails. */
struct plan_str plan_builder_str(struct plan_builder *b, const char *s,
                                 size_t len);

/*
 * Pack `a` (with `host`, its address word when `a` is NONE and left
 * unresolved, else NULL or "") into `out`, a unix path or host word going
 * into the blob of `b`. Returns 0, or -1 when `a` is not in a form the
 * compact record holds (see plan_builder_server_addrs()).
 */
int plan_srv_addr_pack(struct plan_builder *b, const struct plan_addr *a,
                       const char *host, struct plan_srv_addr *out);

/*
 * Store the addresses of server record `server` compactly: `addr` (family
 * NONE for a server left unresolved, with its address word in `host`, else
 * `host` NULL or ""), and `check`, where its checks go when it has an
 * address of its own for them (INET or INET6), else NULL or family NONE.
 * A check address is appended to the CHECKADDR table, so call this for the
 * servers in their order. Returns 0, or -1 when an address has a form the
 * plan cannot hold (not one addr.c makes: a sockaddr that is not
 * canonical, a unix path with a NUL inside) or memory runs out; the
 * builder then remembers the failure and plan_builder_finish() fails.
 */
int plan_builder_server_addrs(struct plan_builder *b, uint32_t server,
                              const struct plan_addr *addr, const char *host,
                              const struct plan_addr *check);

/*
 * Lay the plan out (header, directory, tables in kind order, digest) into a
 * new malloc'd buffer owned by the caller. It sets global.nproxies to the
 * number of proxies; everything else is the caller's. Returns 0, or -1 when
 * out of memory, when a limit of plan-t.h is exceeded, when an earlier add
 * failed, or when there is not exactly one GLOBAL record. Same input, same
 * bytes. The builder stays usable (finish again, or add more).
 */
int plan_builder_finish(struct plan_builder *b, uint8_t **buf, size_t *len);

/*
 * Write `len` bytes to `path` through a temporary file in the same directory,
 * fsync, then rename() into place, so readers see the old file or the new
 * one, never a half. Returns 0, or -1 with a message in `err`.
 */
int plan_write_file(const char *path, const uint8_t *buf, size_t len,
                    char *err, size_t errlen);

/* The same for a plan holding private keys (bind ... ssl): the file keeps
 * mode 0600 whatever the umask. */
int plan_write_file_private(const char *path, const uint8_t *buf, size_t len,
                            char *err, size_t errlen);

#endif /* HAPC_PLAN_H */
