/*
 * plan_verify.c: the one verifier of plan images (cfgrun, cfgc --dump).
 *
 * It follows the order documented in plan-t.h: first the header, then the
 * digest, then the directory and the tables' bounds, then every record.
 * Each step only uses numbers an earlier step has proved, so no pointer is
 * formed from an unchecked value and nothing outside [buf, buf+len) is read.
 * Arithmetic on file values is done in uint64_t after bounding the operands
 * so that it cannot wrap.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <netinet/in.h>

#include "plan.h"
#include "plan_limits.h"
#include "plan_userlist.h"
#include "sample-reg.h"

#define PLAN_ERR_TEXT(name, text) [PLAN_E_##name] = text,
static const char *const plan_err_texts[] = { PLAN_ERRORS(PLAN_ERR_TEXT) };
#undef PLAN_ERR_TEXT

const char *plan_strerror(enum plan_err err)
{
	if ((unsigned)err >= PLAN_E_MAX)
		return "unknown plan error";
	return plan_err_texts[err];
}

struct plan_vctx {
	const uint8_t *buf;
	size_t len;
	char *detail;
	size_t detail_len;
	const uint8_t *digest;       /* the image's digest when the caller has
	                                computed it, else NULL */
	struct plan p;               /* filled as sections are proved */
	uint32_t next_step;          /* CONV: the next chain's first step */
};

/* Record the detail of a failure and return its reason. */
__attribute__((format(printf, 3, 4)))
static enum plan_err plan_fail(struct plan_vctx *v, enum plan_err err,
                               const char *fmt, ...)
{
	va_list ap;

	if (v->detail && v->detail_len) {
		va_start(ap, fmt);
		vsnprintf(v->detail, v->detail_len, fmt, ap);
		va_end(ap);
	}
	return err;
}

static const char *const plan_kind_names[PLAN_SEC_KIND_MAX] = {
	[PLAN_SEC_NONE]     = "none",
	[PLAN_SEC_BLOB]     = "blob",
	[PLAN_SEC_GLOBAL]   = "global",
	[PLAN_SEC_PROXY]    = "proxy",
	[PLAN_SEC_LISTENER] = "listener",
	[PLAN_SEC_SERVER]   = "server",
	[PLAN_SEC_CHECK]    = "check",
	[PLAN_SEC_LOG]      = "log",
	[PLAN_SEC_STATS]    = "stats",
	[PLAN_SEC_PRECOND]  = "precond",
	[PLAN_SEC_CHECKADDR] = "checkaddr",
	[PLAN_SEC_ACL]      = "acl",
	[PLAN_SEC_PATTERN]  = "pattern",
	[PLAN_SEC_RULE]     = "rule",
	[PLAN_SEC_TERM]     = "term",
	[PLAN_SEC_HTTP]     = "http",
	[PLAN_SEC_HTTP_RULE] = "http_rule",
	[PLAN_SEC_LF]       = "lf",
	[PLAN_SEC_OPS]      = "ops",
	[PLAN_SEC_CONV]     = "conv",
	[PLAN_SEC_TCP]      = "tcp",
	[PLAN_SEC_TABLE]    = "table",
	[PLAN_SEC_TRACK]    = "track",
	[PLAN_SEC_TLS_CERT] = "tls_cert",
	[PLAN_SEC_TLS_BIND] = "tls_bind",
	[PLAN_SEC_TLS_SERVER] = "tls_server",
	[PLAN_SEC_RESOLVERS] = "resolvers",
	[PLAN_SEC_NAMESERVER] = "nameserver",
	[PLAN_SEC_SRV_RESOLVE] = "srv_resolve",
};

static const uint32_t plan_kind_elem[PLAN_SEC_KIND_MAX] = {
	[PLAN_SEC_BLOB]     = 1,
	[PLAN_SEC_GLOBAL]   = sizeof(struct plan_global),
	[PLAN_SEC_PROXY]    = sizeof(struct plan_proxy),
	[PLAN_SEC_LISTENER] = sizeof(struct plan_listener),
	[PLAN_SEC_SERVER]   = sizeof(struct plan_server),
	[PLAN_SEC_CHECK]    = sizeof(struct plan_check_rule),
	[PLAN_SEC_LOG]      = sizeof(struct plan_log),
	[PLAN_SEC_STATS]    = sizeof(struct plan_stats_socket),
	[PLAN_SEC_PRECOND]  = sizeof(struct plan_precond),
	[PLAN_SEC_CHECKADDR] = sizeof(struct plan_srv_addr),
	[PLAN_SEC_ACL]      = sizeof(struct plan_acl),
	[PLAN_SEC_PATTERN]  = sizeof(struct plan_pattern),
	[PLAN_SEC_RULE]     = sizeof(struct plan_rule),
	[PLAN_SEC_TERM]     = sizeof(struct plan_term),
	[PLAN_SEC_HTTP]     = sizeof(struct plan_http),
	[PLAN_SEC_HTTP_RULE] = sizeof(struct plan_http_rule),
	[PLAN_SEC_LF]       = sizeof(struct plan_lf_node),
	[PLAN_SEC_OPS]      = sizeof(struct plan_ops),
	[PLAN_SEC_CONV]     = sizeof(struct plan_conv_step),
	[PLAN_SEC_TCP]      = sizeof(struct plan_tcp),
	[PLAN_SEC_TABLE]    = sizeof(struct plan_stktable),
	[PLAN_SEC_TRACK]    = sizeof(struct plan_track),
	[PLAN_SEC_TLS_CERT] = sizeof(struct plan_tls_cert),
	[PLAN_SEC_TLS_BIND] = sizeof(struct plan_tls_bind),
	[PLAN_SEC_TLS_SERVER] = sizeof(struct plan_tls_server),
	[PLAN_SEC_RESOLVERS] = sizeof(struct plan_resolvers),
	[PLAN_SEC_NAMESERVER] = sizeof(struct plan_nameserver),
	[PLAN_SEC_SRV_RESOLVE] = sizeof(struct plan_srv_resolve),
};

static const uint64_t plan_kind_max[PLAN_SEC_KIND_MAX] = {
	[PLAN_SEC_BLOB]     = UINT32_MAX,
	[PLAN_SEC_GLOBAL]   = 1,
	[PLAN_SEC_PROXY]    = PLAN_MAX_PROXIES,
	[PLAN_SEC_LISTENER] = PLAN_MAX_LISTENERS,
	[PLAN_SEC_SERVER]   = PLAN_MAX_SERVERS,
	[PLAN_SEC_CHECK]    = PLAN_MAX_CHECKS,
	[PLAN_SEC_LOG]      = PLAN_MAX_LOGS,
	[PLAN_SEC_STATS]    = PLAN_MAX_STATS,
	[PLAN_SEC_PRECOND]  = PLAN_MAX_PRECONDS,
	[PLAN_SEC_CHECKADDR] = PLAN_MAX_CHECKADDRS,
	[PLAN_SEC_ACL]      = PLAN_MAX_ACLS,
	[PLAN_SEC_PATTERN]  = PLAN_MAX_PATTERNS,
	[PLAN_SEC_RULE]     = PLAN_MAX_RULES,
	[PLAN_SEC_TERM]     = PLAN_MAX_TERMS,
	[PLAN_SEC_HTTP]     = PLAN_MAX_PROXIES,
	[PLAN_SEC_HTTP_RULE] = PLAN_MAX_HTTP_RULES,
	[PLAN_SEC_LF]       = PLAN_MAX_LF_NODES,
	[PLAN_SEC_OPS]      = 1,
	[PLAN_SEC_CONV]     = PLAN_MAX_CONV_STEPS,
	[PLAN_SEC_TCP]      = PLAN_MAX_PROXIES,
	[PLAN_SEC_TABLE]    = PLAN_MAX_TABLES,
	[PLAN_SEC_TRACK]    = PLAN_MAX_TRACKS,
	[PLAN_SEC_TLS_CERT] = PLAN_MAX_TLS_CERTS,
	[PLAN_SEC_TLS_BIND] = PLAN_MAX_TLS_BINDS,
	[PLAN_SEC_TLS_SERVER] = PLAN_MAX_TLS_SERVERS,
	[PLAN_SEC_RESOLVERS] = PLAN_MAX_RESOLVERS,
	[PLAN_SEC_NAMESERVER] = PLAN_MAX_NAMESERVERS,
	[PLAN_SEC_SRV_RESOLVE] = PLAN_MAX_SRV_RESOLVES,
};

static int plan_host_is_little_endian(void)
{
	const uint32_t one = 1;

	return *(const uint8_t *)&one == 1;
}

/* Step 1: the header, field by field, before anything else is trusted. */
static enum plan_err plan_check_header(struct plan_vctx *v)
{
	const struct plan_header *h = (const void *)v->buf;
	uint8_t d[PLAN_DIGEST_LEN];

	if (v->len < sizeof(*h))
		return plan_fail(v, PLAN_E_TOO_SMALL,
		                 "%zu bytes, a plan header is %zu", v->len,
		                 sizeof(*h));
	if (memcmp(h->magic, PLAN_MAGIC, PLAN_MAGIC_LEN) != 0)
		return plan_fail(v, PLAN_E_MAGIC,
		                 "first 8 bytes are not \"" PLAN_MAGIC "\"");
	if (!plan_host_is_little_endian())
		return plan_fail(v, PLAN_E_BYTE_ORDER,
		                 "this reader runs on a big-endian host; plans are little-endian");
	if (h->bom != PLAN_BOM)
		return plan_fail(v, PLAN_E_BYTE_ORDER,
		                 "byte-order mark 0x%08x, expected 0x%08x",
		                 (unsigned)h->bom, PLAN_BOM);
	if (h->major != PLAN_VERSION_MAJOR)
		return plan_fail(v, PLAN_E_MAJOR,
		                 "plan format %u.%u, this reader knows %u.x: compile "
		                 "the configuration again with the cfgc of this "
		                 "version", (unsigned)h->major, (unsigned)h->minor,
		                 PLAN_VERSION_MAJOR);
	if (h->header_size != sizeof(*h))
		return plan_fail(v, PLAN_E_HEADER_SIZE,
		                 "header_size %u, expected %zu",
		                 (unsigned)h->header_size, sizeof(*h));
	if (h->file_size != v->len)
		return plan_fail(v, PLAN_E_FILE_SIZE,
		                 "header says %llu bytes, the file has %zu",
		                 (unsigned long long)h->file_size, v->len);
	if (h->file_size > PLAN_MAX_FILE_SIZE)
		return plan_fail(v, PLAN_E_TOO_LARGE, "%llu bytes, at most %llu",
		                 (unsigned long long)h->file_size,
		                 (unsigned long long)PLAN_MAX_FILE_SIZE);
	if (h->flags || h->reserved)
		return plan_fail(v, PLAN_E_FLAGS, "flags 0x%x, reserved 0x%x",
		                 (unsigned)h->flags, (unsigned)h->reserved);
	if (v->digest)
		memcpy(d, v->digest, PLAN_DIGEST_LEN);
	else
		plan_digest(v->buf, v->len, d);
	if (memcmp(d, h->digest, PLAN_DIGEST_LEN) != 0) {
		char want[65], got[65];

		plan_digest_hex(h->digest, want);
		plan_digest_hex(d, got);
		return plan_fail(v, PLAN_E_DIGEST, "recorded %.16s..., computed %.16s...",
		                 want, got);
	}
	v->p.hdr = h;
	return PLAN_E_OK;
}

/* Step 2: the directory and every table's bounds. */
static enum plan_err plan_check_sections(struct plan_vctx *v)
{
	const struct plan_section *dir, *by_kind[PLAN_SEC_KIND_MAX] = { NULL };
	uint32_t order[PLAN_MAX_SECTIONS];
	uint64_t dir_end, pos;
	uint32_t n = v->p.hdr->nsections, i, j, k;

	if (n > PLAN_MAX_SECTIONS)
		return plan_fail(v, PLAN_E_SECTIONS, "%u sections, at most %u",
		                 (unsigned)n, PLAN_MAX_SECTIONS);
	dir_end = PLAN_HEADER_SIZE + (uint64_t)n * sizeof(struct plan_section);
	if (dir_end > v->len)
		return plan_fail(v, PLAN_E_SECTIONS,
		                 "directory of %u entries ends at %llu, past the end (%zu)",
		                 (unsigned)n, (unsigned long long)dir_end, v->len);
	dir = (const void *)(v->buf + PLAN_HEADER_SIZE);

	for (i = 0; i < n; i++) {
		const struct plan_section *s = &dir[i];

		if (s->kind == PLAN_SEC_NONE || s->kind >= PLAN_SEC_KIND_MAX ||
		    !plan_kind_elem[s->kind])
			return plan_fail(v, PLAN_E_SECTION_KIND,
			                 "section %u: unknown kind %u", (unsigned)i,
			                 (unsigned)s->kind);
		if (by_kind[s->kind])
			return plan_fail(v, PLAN_E_SECTION_KIND,
			                 "section %u: kind %u (%s) repeated",
			                 (unsigned)i, (unsigned)s->kind,
			                 plan_kind_names[s->kind]);
		by_kind[s->kind] = s;
		if (s->elem_size != plan_kind_elem[s->kind])
			return plan_fail(v, PLAN_E_SECTION_ELEM,
			                 "section %u (%s): elem_size %u, this reader's is %u",
			                 (unsigned)i, plan_kind_names[s->kind],
			                 (unsigned)s->elem_size,
			                 (unsigned)plan_kind_elem[s->kind]);
		if (s->offset % 8)
			return plan_fail(v, PLAN_E_SECTION_RANGE,
			                 "section %u (%s): offset %llu is not 8-byte aligned",
			                 (unsigned)i, plan_kind_names[s->kind],
			                 (unsigned long long)s->offset);
		if (s->offset < dir_end)
			return plan_fail(v, PLAN_E_SECTION_RANGE,
			                 "section %u (%s): offset %llu overlaps the header or directory (ending at %llu)",
			                 (unsigned)i, plan_kind_names[s->kind],
			                 (unsigned long long)s->offset,
			                 (unsigned long long)dir_end);
		if (s->offset > v->len ||
		    s->count > (v->len - s->offset) / s->elem_size)
			return plan_fail(v, PLAN_E_SECTION_RANGE,
			                 "section %u (%s): %llu records at offset %llu run past the end (%zu)",
			                 (unsigned)i, plan_kind_names[s->kind],
			                 (unsigned long long)s->count,
			                 (unsigned long long)s->offset, v->len);
	}

	/* Sort by (offset, end): then tables overlap iff one starts before
	 * the previous one ends. */
	for (i = 0; i < n; i++) {
		uint64_t off = dir[i].offset;
		uint64_t end = off + dir[i].count * dir[i].elem_size;

		for (j = i; j > 0; j--) {
			const struct plan_section *o = &dir[order[j - 1]];
			uint64_t oend = o->offset + o->count * o->elem_size;

			if (o->offset < off || (o->offset == off && oend <= end))
				break;
			order[j] = order[j - 1];
		}
		order[j] = i;
	}
	pos = dir_end;
	for (i = 0; i < n; i++) {
		const struct plan_section *s = &dir[order[i]];

		if (s->offset < pos)
			return plan_fail(v, PLAN_E_SECTION_RANGE,
			                 "section %u (%s) at %llu overlaps data ending at %llu",
			                 (unsigned)order[i], plan_kind_names[s->kind],
			                 (unsigned long long)s->offset,
			                 (unsigned long long)pos);
		pos = s->offset + s->count * s->elem_size;
	}

	for (k = PLAN_SEC_BLOB; k < PLAN_SEC_KIND_MAX; k++)
		if (plan_kind_elem[k] && !by_kind[k])
			return plan_fail(v, PLAN_E_MISSING, "no %s section",
			                 plan_kind_names[k]);
	if (by_kind[PLAN_SEC_GLOBAL]->count != 1)
		return plan_fail(v, PLAN_E_COUNT,
		                 "global section has %llu records, expected 1",
		                 (unsigned long long)by_kind[PLAN_SEC_GLOBAL]->count);
	for (k = PLAN_SEC_BLOB; k < PLAN_SEC_KIND_MAX; k++)
		if (by_kind[k] && by_kind[k]->count > plan_kind_max[k])
			return plan_fail(v, PLAN_E_COUNT,
			                 "%llu %s records, at most %llu",
			                 (unsigned long long)by_kind[k]->count,
			                 plan_kind_names[k],
			                 (unsigned long long)plan_kind_max[k]);

	/* Bytes that belong to no table (alignment padding) must be zero. */
	pos = dir_end;
	for (i = 0; i <= n; i++) {
		uint64_t start = i < n ? dir[order[i]].offset : v->len, b;

		for (b = pos; b < start; b++)
			if (v->buf[b])
				return plan_fail(v, PLAN_E_RESERVED,
				                 "padding byte at offset %llu is 0x%02x, not zero",
				                 (unsigned long long)b,
				                 (unsigned)v->buf[b]);
		if (i < n)
			pos = start + dir[order[i]].count * dir[order[i]].elem_size;
	}

	v->p.blob = (const char *)v->buf + by_kind[PLAN_SEC_BLOB]->offset;
	v->p.blob_len = (uint32_t)by_kind[PLAN_SEC_BLOB]->count;
	v->p.global = (const void *)(v->buf + by_kind[PLAN_SEC_GLOBAL]->offset);
	v->p.proxies = (const void *)(v->buf + by_kind[PLAN_SEC_PROXY]->offset);
	v->p.nproxies = (uint32_t)by_kind[PLAN_SEC_PROXY]->count;
	v->p.listeners = (const void *)(v->buf + by_kind[PLAN_SEC_LISTENER]->offset);
	v->p.nlisteners = (uint32_t)by_kind[PLAN_SEC_LISTENER]->count;
	v->p.servers = (const void *)(v->buf + by_kind[PLAN_SEC_SERVER]->offset);
	v->p.nservers = (uint32_t)by_kind[PLAN_SEC_SERVER]->count;
	v->p.checks = (const void *)(v->buf + by_kind[PLAN_SEC_CHECK]->offset);
	v->p.nchecks = (uint32_t)by_kind[PLAN_SEC_CHECK]->count;
	v->p.logs = (const void *)(v->buf + by_kind[PLAN_SEC_LOG]->offset);
	v->p.nlogs = (uint32_t)by_kind[PLAN_SEC_LOG]->count;
	v->p.stats = (const void *)(v->buf + by_kind[PLAN_SEC_STATS]->offset);
	v->p.nstats = (uint32_t)by_kind[PLAN_SEC_STATS]->count;
	v->p.preconds = (const void *)(v->buf + by_kind[PLAN_SEC_PRECOND]->offset);
	v->p.npreconds = (uint32_t)by_kind[PLAN_SEC_PRECOND]->count;
	v->p.check_addrs = (const void *)(v->buf + by_kind[PLAN_SEC_CHECKADDR]->offset);
	v->p.ncheck_addrs = (uint32_t)by_kind[PLAN_SEC_CHECKADDR]->count;
	v->p.acls = (const void *)(v->buf + by_kind[PLAN_SEC_ACL]->offset);
	v->p.nacls = (uint32_t)by_kind[PLAN_SEC_ACL]->count;
	v->p.patterns = (const void *)(v->buf + by_kind[PLAN_SEC_PATTERN]->offset);
	v->p.npatterns = (uint32_t)by_kind[PLAN_SEC_PATTERN]->count;
	v->p.rules = (const void *)(v->buf + by_kind[PLAN_SEC_RULE]->offset);
	v->p.nrules = (uint32_t)by_kind[PLAN_SEC_RULE]->count;
	v->p.terms = (const void *)(v->buf + by_kind[PLAN_SEC_TERM]->offset);
	v->p.nterms = (uint32_t)by_kind[PLAN_SEC_TERM]->count;
	v->p.http = (const void *)(v->buf + by_kind[PLAN_SEC_HTTP]->offset);
	v->p.nhttp = (uint32_t)by_kind[PLAN_SEC_HTTP]->count;
	v->p.http_rules = (const void *)(v->buf + by_kind[PLAN_SEC_HTTP_RULE]->offset);
	v->p.nhttp_rules = (uint32_t)by_kind[PLAN_SEC_HTTP_RULE]->count;
	v->p.lf = (const void *)(v->buf + by_kind[PLAN_SEC_LF]->offset);
	v->p.nlf = (uint32_t)by_kind[PLAN_SEC_LF]->count;
	{
		static const struct plan_ops no_ops;

		v->p.ops = by_kind[PLAN_SEC_OPS]->count ?
		           (const void *)(v->buf + by_kind[PLAN_SEC_OPS]->offset) :
		           &no_ops;
	}
	v->p.steps = (const void *)(v->buf + by_kind[PLAN_SEC_CONV]->offset);
	v->p.nsteps = (uint32_t)by_kind[PLAN_SEC_CONV]->count;
	v->p.tcp = (const void *)(v->buf + by_kind[PLAN_SEC_TCP]->offset);
	v->p.ntcp = (uint32_t)by_kind[PLAN_SEC_TCP]->count;
	v->p.tables = (const void *)(v->buf + by_kind[PLAN_SEC_TABLE]->offset);
	v->p.ntables = (uint32_t)by_kind[PLAN_SEC_TABLE]->count;
	v->p.tracks = (const void *)(v->buf + by_kind[PLAN_SEC_TRACK]->offset);
	v->p.ntracks = (uint32_t)by_kind[PLAN_SEC_TRACK]->count;
	v->p.tls_certs = (const void *)(v->buf + by_kind[PLAN_SEC_TLS_CERT]->offset);
	v->p.ntls_certs = (uint32_t)by_kind[PLAN_SEC_TLS_CERT]->count;
	v->p.tls_binds = (const void *)(v->buf + by_kind[PLAN_SEC_TLS_BIND]->offset);
	v->p.ntls_binds = (uint32_t)by_kind[PLAN_SEC_TLS_BIND]->count;
	v->p.tls_servers = (const void *)(v->buf + by_kind[PLAN_SEC_TLS_SERVER]->offset);
	v->p.ntls_servers = (uint32_t)by_kind[PLAN_SEC_TLS_SERVER]->count;
	v->p.resolvers = (const void *)(v->buf + by_kind[PLAN_SEC_RESOLVERS]->offset);
	v->p.nresolvers = (uint32_t)by_kind[PLAN_SEC_RESOLVERS]->count;
	v->p.nameservers = (const void *)(v->buf + by_kind[PLAN_SEC_NAMESERVER]->offset);
	v->p.nnameservers = (uint32_t)by_kind[PLAN_SEC_NAMESERVER]->count;
	v->p.srv_resolves = (const void *)(v->buf + by_kind[PLAN_SEC_SRV_RESOLVE]->offset);
	v->p.nsrv_resolves = (uint32_t)by_kind[PLAN_SEC_SRV_RESOLVE]->count;
	return PLAN_E_OK;
}

/* A variable name as cfgc writes it (kw_var_index): a scope, then a name.
 * The string itself is checked by plan_check_str(). */
static int plan_var_name_ok(const struct plan_vctx *v, struct plan_str s)
{
	static const char *const scopes[] = { "proc.", "sess.", "txn.",
	                                      "req.", "res." };
	const char *t;

	if (s.len == 0 || s.off >= v->p.blob_len || s.len > v->p.blob_len - s.off)
		return 0;
	t = (const char *)v->p.blob + s.off;
	for (size_t i = 0; i < sizeof(scopes) / sizeof(scopes[0]); i++) {
		size_t l = strlen(scopes[i]);

		if (s.len > l && !memcmp(t, scopes[i], l))
			return 1;
	}
	return 0;
}

/* A string reference: inside the blob with its NUL. `what` names it. */
static enum plan_err plan_check_str(struct plan_vctx *v, struct plan_str s,
                                    const char *what, uint32_t idx,
                                    const char *field)
{
	if (v->p.blob_len == 0)
		return plan_fail(v, PLAN_E_STRING,
		                 "%s %u: %s refers to %u+%u but the blob is empty",
		                 what, (unsigned)idx, field, (unsigned)s.off,
		                 (unsigned)s.len);
	if ((uint64_t)s.off + s.len >= v->p.blob_len)
		return plan_fail(v, PLAN_E_STRING,
		                 "%s %u: %s at %u+%u is past the blob (%u bytes)",
		                 what, (unsigned)idx, field, (unsigned)s.off,
		                 (unsigned)s.len, (unsigned)v->p.blob_len);
	if (v->p.blob[(size_t)s.off + s.len] != '\0')
		return plan_fail(v, PLAN_E_STRING,
		                 "%s %u: %s at %u+%u is not NUL-terminated",
		                 what, (unsigned)idx, field, (unsigned)s.off,
		                 (unsigned)s.len);
	return PLAN_E_OK;
}

/*
 * A string cfgc took from one configuration word: checked, and without a
 * NUL inside (cfgc ends a word at one; the runtime reads it as a C string,
 * so bytes after a NUL would be dumped but never used).
 */
static enum plan_err plan_check_text(struct plan_vctx *v, struct plan_str s,
                                     const char *what, uint32_t idx,
                                     const char *field)
{
	enum plan_err e;

	if ((e = plan_check_str(v, s, what, idx, field)))
		return e;
	if (memchr(v->p.blob + s.off, '\0', s.len))
		return plan_fail(v, PLAN_E_STRING, "%s %u: %s holds a NUL byte",
		                 what, (unsigned)idx, field);
	return PLAN_E_OK;
}

/*
 * Free text shown on one line (descriptions): a text without CR or LF,
 * which would forge lines in `show info` and --dump.
 */
static enum plan_err plan_check_line(struct plan_vctx *v, struct plan_str s,
                                     const char *what, uint32_t idx,
                                     const char *field)
{
	enum plan_err e;

	if ((e = plan_check_text(v, s, what, idx, field)))
		return e;
	if (memchr(v->p.blob + s.off, '\r', s.len) ||
	    memchr(v->p.blob + s.off, '\n', s.len))
		return plan_fail(v, PLAN_E_VALUE, "%s %u: %s holds a CR or LF",
		                 what, (unsigned)idx, field);
	return PLAN_E_OK;
}

/*
 * A name as cfgc writes it (proxies, servers, ACLs): a checked
 * string without control characters (a newline in a name would forge
 * lines in --dump, --diff and the logs), non-empty when `required`, and,
 * with `strict` (server names), only the characters cfgc permits there:
 * letters, digits, '-', '_', '.' and ':'.
 */
static enum plan_err plan_check_name(struct plan_vctx *v, struct plan_str s,
                                     const char *what, uint32_t idx,
                                     int required, int strict)
{
	enum plan_err e;
	const uint8_t *n;

	if ((e = plan_check_str(v, s, what, idx, "name")))
		return e;
	if (required && s.len == 0)
		return plan_fail(v, PLAN_E_VALUE, "%s %u: empty name", what,
		                 (unsigned)idx);
	n = (const uint8_t *)v->p.blob + s.off;
	for (uint32_t k = 0; k < s.len; k++) {
		uint8_t c = n[k];
		int ok = strict ? (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		                  (c >= '0' && c <= '9') || c == '-' || c == '_' ||
		                  c == '.' || c == ':'
		                : c >= 0x20 && c != 0x7f;

		if (!ok)
			return plan_fail(v, PLAN_E_VALUE,
			                 "%s %u: name has the byte 0x%02x at %u",
			                 what, (unsigned)idx, (unsigned)c, (unsigned)k);
	}
	return PLAN_E_OK;
}

/* FNV-1a of a blob string, mixed with the scope it must be unique in. */
static uint64_t plan_name_hash(const struct plan_vctx *v, struct plan_str s,
                               uint32_t scope)
{
	uint64_t h = 0xcbf29ce484222325ull ^ scope;

	for (uint32_t k = 0; k < s.len; k++)
		h = (h ^ (uint8_t)v->p.blob[(size_t)s.off + k]) * 0x100000001b3ull;
	return h;
}

/* Names of records [0, n) given by name_of(), scope_of(); checked strings. */
struct plan_names {
	const char *what;                   /* "proxy", "server" */
	uint32_t n;
	struct plan_str (*name_of)(const struct plan_vctx *v, uint32_t i);
	uint32_t (*scope_of)(const struct plan_vctx *v, uint32_t i);
};

/*
 * No two records of `nm` in one scope share a name, as cfgc requires
 * (proxies among all proxies, servers within their backend). A hash
 * table of 2n slots keeps it linear; the only allocation of the verifier,
 * freed before returning.
 */
static enum plan_err plan_check_unique(struct plan_vctx *v,
                                       const struct plan_names *nm)
{
	size_t cap = 16;
	uint32_t *slot;
	enum plan_err e = PLAN_E_OK;

	while (cap < (size_t)nm->n * 2)
		cap *= 2;
	if (!(slot = malloc(cap * sizeof(*slot))))
		return plan_fail(v, PLAN_E_IO, "out of memory");
	memset(slot, 0xff, cap * sizeof(*slot));
	for (uint32_t i = 0; i < nm->n && !e; i++) {
		struct plan_str s = nm->name_of(v, i);
		uint32_t sc = nm->scope_of(v, i);
		size_t h = (size_t)plan_name_hash(v, s, sc) & (cap - 1);

		for (; slot[h] != UINT32_MAX; h = (h + 1) & (cap - 1)) {
			struct plan_str o = nm->name_of(v, slot[h]);

			if (nm->scope_of(v, slot[h]) == sc && o.len == s.len &&
			    !memcmp(v->p.blob + o.off, v->p.blob + s.off, s.len)) {
				e = plan_fail(v, PLAN_E_VALUE,
				              "%s %u: same name as %s %u", nm->what,
				              (unsigned)i, nm->what, (unsigned)slot[h]);
				break;
			}
		}
		slot[h] = i;
	}
	free(slot);
	return e;
}

static struct plan_str plan_proxy_name(const struct plan_vctx *v, uint32_t i)
{
	return v->p.proxies[i].name;
}

static struct plan_str plan_server_name(const struct plan_vctx *v, uint32_t i)
{
	return v->p.servers[i].name;
}

static uint32_t plan_no_scope(const struct plan_vctx *v, uint32_t i)
{
	(void)v;
	(void)i;
	return 0;
}

static uint32_t plan_server_scope(const struct plan_vctx *v, uint32_t i)
{
	return v->p.servers[i].proxy;
}

/* Value `val` of field `field` of record `what` `idx` within limit `l`. */
static enum plan_err plan_check_limit(struct plan_vctx *v, enum plan_limit l,
                                      uint64_t val, const char *what,
                                      uint32_t idx, const char *field)
{
	if (plan_limit_ok(l, val))
		return PLAN_E_OK;
	return plan_fail(v, PLAN_E_VALUE, "%s %u: %s %llu outside %u..%u%s%s",
	                 what, (unsigned)idx, field, (unsigned long long)val,
	                 (unsigned)plan_limits[l].min,
	                 (unsigned)plan_limits[l].max,
	                 plan_limits[l].unit[0] ? " " : "", plan_limits[l].unit);
}

/* 1 for an inet address record whose port is 0 (the port is at the same
 * place in sockaddr_in and sockaddr_in6). */
static int plan_inet_port0(const struct plan_addr *a)
{
	size_t at = offsetof(struct sockaddr_in, sin_port);

	return (a->family == PLAN_FAM_INET || a->family == PLAN_FAM_INET6) &&
	       !a->sa[at] && !a->sa[at + 1];
}

/* An http frontend `fe` sends to backend `be` only in http mode, as cfgc
 * requires (mode-mismatch); a tcp frontend may use an http backend. */
static enum plan_err plan_check_modes(struct plan_vctx *v, uint32_t fe,
                                      uint32_t be)
{
	if (v->p.proxies[fe].mode == PLAN_MODE_HTTP &&
	    v->p.proxies[be].mode != PLAN_MODE_HTTP)
		return plan_fail(v, PLAN_E_VALUE,
		                 "proxy %u: http, sends to tcp backend %u",
		                 (unsigned)fe, (unsigned)be);
	return PLAN_E_OK;
}

/* A socket address record, by the table in plan-t.h. */
static enum plan_err plan_check_addr(struct plan_vctx *v,
                                     const struct plan_addr *a,
                                     const char *what, uint32_t idx)
{
	const size_t sun_off = offsetof(struct sockaddr_un, sun_path);
	uint16_t sa_family;
	size_t i;

	if (a->family >= PLAN_FAM_MAX)
		return plan_fail(v, PLAN_E_ENUM, "%s %u: address family %u unknown",
		                 what, (unsigned)idx, (unsigned)a->family);
	if (a->proto >= PLAN_PROTO_MAX)
		return plan_fail(v, PLAN_E_ENUM, "%s %u: protocol %u unknown",
		                 what, (unsigned)idx, (unsigned)a->proto);
	if (a->salen > PLAN_SOCKADDR_MAX)
		return plan_fail(v, PLAN_E_ADDRESS, "%s %u: salen %u > %u",
		                 what, (unsigned)idx, (unsigned)a->salen,
		                 PLAN_SOCKADDR_MAX);
	for (i = a->salen; i < PLAN_SOCKADDR_MAX; i++)
		if (a->sa[i])
			return plan_fail(v, PLAN_E_ADDRESS,
			                 "%s %u: sa[%zu] beyond salen %u is not zero",
			                 what, (unsigned)idx, i, (unsigned)a->salen);
	if (a->proto == PLAN_PROTO_MPTCP && a->family != PLAN_FAM_INET &&
	    a->family != PLAN_FAM_INET6)
		return plan_fail(v, PLAN_E_ADDRESS,
		                 "%s %u: MPTCP on family %u (only inet and inet6)",
		                 what, (unsigned)idx, (unsigned)a->family);
	if (a->fd && a->family != PLAN_FAM_FD && a->family != PLAN_FAM_SOCKPAIR)
		return plan_fail(v, PLAN_E_ADDRESS,
		                 "%s %u: fd %u on a family without a descriptor",
		                 what, (unsigned)idx, (unsigned)a->fd);

	memcpy(&sa_family, a->sa, sizeof(sa_family));
	switch (a->family) {
	case PLAN_FAM_NONE:
	case PLAN_FAM_FD:
	case PLAN_FAM_SOCKPAIR:
		if (a->salen != 0)
			return plan_fail(v, PLAN_E_ADDRESS,
			                 "%s %u: salen %u, expected 0 for family %u",
			                 what, (unsigned)idx, (unsigned)a->salen,
			                 (unsigned)a->family);
		return PLAN_E_OK;
	case PLAN_FAM_INET:
		if (a->salen != sizeof(struct sockaddr_in) || sa_family != AF_INET)
			return plan_fail(v, PLAN_E_ADDRESS,
			                 "%s %u: inet address with salen %u and sa_family %u, expected %zu and %u",
			                 what, (unsigned)idx, (unsigned)a->salen,
			                 (unsigned)sa_family, sizeof(struct sockaddr_in),
			                 (unsigned)AF_INET);
		return PLAN_E_OK;
	case PLAN_FAM_INET6:
		if (a->salen != sizeof(struct sockaddr_in6) || sa_family != AF_INET6)
			return plan_fail(v, PLAN_E_ADDRESS,
			                 "%s %u: inet6 address with salen %u and sa_family %u, expected %zu and %u",
			                 what, (unsigned)idx, (unsigned)a->salen,
			                 (unsigned)sa_family, sizeof(struct sockaddr_in6),
			                 (unsigned)AF_INET6);
		return PLAN_E_OK;
	default:
		break;
	}

	/* The three AF_UNIX families. */
	if (sa_family != AF_UNIX || a->salen < sun_off + 1 ||
	    a->salen > sizeof(struct sockaddr_un))
		return plan_fail(v, PLAN_E_ADDRESS,
		                 "%s %u: unix address with salen %u and sa_family %u, expected %zu..%zu and %u",
		                 what, (unsigned)idx, (unsigned)a->salen,
		                 (unsigned)sa_family, sun_off + 1,
		                 sizeof(struct sockaddr_un), (unsigned)AF_UNIX);
	if (a->family == PLAN_FAM_UNIX) {
		if (a->sa[sun_off] == '\0')
			return plan_fail(v, PLAN_E_ADDRESS,
			                 "%s %u: unix address with an empty path",
			                 what, (unsigned)idx);
		if (!memchr(a->sa + sun_off, '\0', a->salen - sun_off))
			return plan_fail(v, PLAN_E_ADDRESS,
			                 "%s %u: unix path not NUL-terminated within salen %u",
			                 what, (unsigned)idx, (unsigned)a->salen);
		return PLAN_E_OK;
	}
	if (a->sa[sun_off] != '\0')
		return plan_fail(v, PLAN_E_ADDRESS,
		                 "%s %u: abstract address does not start with NUL",
		                 what, (unsigned)idx);
	if (a->family == PLAN_FAM_ABNS && a->salen != sizeof(struct sockaddr_un))
		return plan_fail(v, PLAN_E_ADDRESS,
		                 "%s %u: abns address with salen %u, expected %zu",
		                 what, (unsigned)idx, (unsigned)a->salen,
		                 sizeof(struct sockaddr_un));
	return PLAN_E_OK;
}

/* The global record. */
static enum plan_err plan_check_global(struct plan_vctx *v)
{
	const struct plan_global *g = v->p.global;
	enum plan_err e;

	if (g->flags & ~(PLAN_GLB_F_DAEMON | PLAN_GLB_F_MAXREWRITE |
	                 PLAN_GLB_F_STRICT_LIMITS))
		return plan_fail(v, PLAN_E_RESERVED, "global: unknown flags 0x%x",
		                 (unsigned)g->flags);
	if (g->nproxies != v->p.nproxies)
		return plan_fail(v, PLAN_E_COUNT,
		                 "global: nproxies %u, the proxy section has %u",
		                 (unsigned)g->nproxies, (unsigned)v->p.nproxies);
	if ((e = plan_check_text(v, g->source, "global", 0, "source")) ||
	    (e = plan_check_text(v, g->pidfile, "global", 0, "pidfile")) ||
	    (e = plan_check_text(v, g->user, "global", 0, "user")) ||
	    (e = plan_check_text(v, g->group, "global", 0, "group")) ||
	    (e = plan_check_text(v, g->chroot, "global", 0, "chroot")) ||
	    (e = plan_check_line(v, g->description, "global", 0, "description")))
		return e;
	if (g->unix_bind_flags & ~(PLAN_UXB_F_MODE | PLAN_UXB_F_UID |
	                           PLAN_UXB_F_GID))
		return plan_fail(v, PLAN_E_RESERVED,
		                 "global: unknown unix_bind_flags 0x%x",
		                 (unsigned)g->unix_bind_flags);
	if (g->unix_bind_mode > 07777 || g->unix_bind_uid > PLAN_MAX_ID ||
	    g->unix_bind_gid > PLAN_MAX_ID ||
	    (!(g->unix_bind_flags & PLAN_UXB_F_MODE) && g->unix_bind_mode) ||
	    (!(g->unix_bind_flags & PLAN_UXB_F_UID) && g->unix_bind_uid) ||
	    (!(g->unix_bind_flags & PLAN_UXB_F_GID) && g->unix_bind_gid))
		return plan_fail(v, PLAN_E_VALUE,
		                 "global: unix-bind mode %o uid %u gid %u with flags 0x%x (mode <= 07777, ids <= %u, 0 unless given)",
		                 (unsigned)g->unix_bind_mode,
		                 (unsigned)g->unix_bind_uid,
		                 (unsigned)g->unix_bind_gid,
		                 (unsigned)g->unix_bind_flags, (unsigned)PLAN_MAX_ID);
	if ((uint64_t)g->first_log + g->nlogs > v->p.nlogs)
		return plan_fail(v, PLAN_E_INDEX,
		                 "global: logs [%u, %llu) past the table (%u)",
		                 (unsigned)g->first_log,
		                 (unsigned long long)g->first_log + g->nlogs,
		                 (unsigned)v->p.nlogs);
	if ((uint64_t)g->first_stats + g->nstats > v->p.nstats)
		return plan_fail(v, PLAN_E_INDEX,
		                 "global: stats sockets [%u, %llu) past the table (%u)",
		                 (unsigned)g->first_stats,
		                 (unsigned long long)g->first_stats + g->nstats,
		                 (unsigned)v->p.nstats);
	if (g->nstats != v->p.nstats)
		return plan_fail(v, PLAN_E_LAYOUT,
		                 "global: stats range covers %u records, the table has %u",
		                 (unsigned)g->nstats, (unsigned)v->p.nstats);
	if (g->tune_bufsize && (g->tune_bufsize < PLAN_BUFSIZE_MIN ||
	    g->tune_bufsize > PLAN_BUFSIZE_MAX || g->tune_bufsize % 16))
		return plan_fail(v, PLAN_E_VALUE,
		                 "global: tune_bufsize %u (expected 0 or a multiple of 16 in %u..%u)",
		                 (unsigned)g->tune_bufsize, PLAN_BUFSIZE_MIN,
		                 PLAN_BUFSIZE_MAX);
	if (!(g->flags & PLAN_GLB_F_MAXREWRITE) && g->tune_maxrewrite)
		return plan_fail(v, PLAN_E_VALUE,
		                 "global: tune_maxrewrite %u without its flag",
		                 (unsigned)g->tune_maxrewrite);
	if (g->tune_maxrewrite > plan_tune_bufsize(g) / 2)
		return plan_fail(v, PLAN_E_VALUE,
		                 "global: tune_maxrewrite %u is more than half of the buffer size %u",
		                 (unsigned)g->tune_maxrewrite,
		                 (unsigned)plan_tune_bufsize(g));
	if (g->tune_http_maxhdr > 32767)
		return plan_fail(v, PLAN_E_VALUE,
		                 "global: tune_http_maxhdr %u (expected 0..32767)",
		                 (unsigned)g->tune_http_maxhdr);
	if (g->maxconnrate > PLAN_MAX_RATE || g->maxsessrate > PLAN_MAX_RATE)
		return plan_fail(v, PLAN_E_VALUE,
		                 "global: maxconnrate %u, maxsessrate %u (expected 0..%u)",
		                 (unsigned)g->maxconnrate, (unsigned)g->maxsessrate,
		                 (unsigned)PLAN_MAX_RATE);
	if (g->tune_comp_maxlevel > 9 || g->tune_zlib_memlevel > 9 ||
	    (g->tune_zlib_windowsize &&
	     (g->tune_zlib_windowsize < 8 || g->tune_zlib_windowsize > 15)) ||
	    g->reserved)
		return plan_fail(v, PLAN_E_VALUE,
		                 "global: tune_comp_maxlevel %u (expected 0..9), "
		                 "tune_zlib_memlevel %u (0..9), "
		                 "tune_zlib_windowsize %u (0 or 8..15), "
		                 "reserved %u (0)",
		                 (unsigned)g->tune_comp_maxlevel,
		                 (unsigned)g->tune_zlib_memlevel,
		                 (unsigned)g->tune_zlib_windowsize,
		                 (unsigned)g->reserved);
	if (g->nbthread &&
	    (e = plan_check_limit(v, PLAN_LIM_NBTHREAD, g->nbthread, "global",
	                          0, "nbthread")))
		return e;
	if (g->ulimit_n > PLAN_MAX_ULIMIT_N)
		return plan_fail(v, PLAN_E_VALUE, "global: ulimit-n %u above %u",
		                 (unsigned)g->ulimit_n, PLAN_MAX_ULIMIT_N);
	if (g->uid > PLAN_MAX_ID || g->gid > PLAN_MAX_ID)
		return plan_fail(v, PLAN_E_VALUE, "global: uid %u / gid %u above %u",
		                 (unsigned)g->uid, (unsigned)g->gid, PLAN_MAX_ID);
	if ((g->uid && g->user.len) || (g->gid && g->group.len))
		return plan_fail(v, PLAN_E_VALUE,
		                 "global: both a numeric uid/gid and a user/group name");
	return PLAN_E_OK;
}

/* The TCP-engine fields of proxy `i`: enums, flags, ranges, strings. */
static enum plan_err plan_check_proxy_engine(struct plan_vctx *v,
                                             const struct plan_proxy *px,
                                             uint32_t i)
{
	const uint32_t known = PLAN_PX_F_REDISPATCH | PLAN_PX_F_ALLBACKUPS |
	                       PLAN_PX_F_LOG_GLOBAL | PLAN_PX_F_DONTLOGNULL |
	                       PLAN_PX_F_LOG | PLAN_PX_F_LOG_HEALTH_CHECKS |
	                       PLAN_PX_F_CLITCPKA | PLAN_PX_F_SRVTCPKA |
	                       PLAN_PX_F_PREFER_LAST |
	                       PLAN_PX_F_LOGASAP | PLAN_PX_F_HASH_AVALANCHE |
	                       PLAN_PX_F_NO_CONN_RETRY;

	const uint32_t be_only = PLAN_PX_F_REDISPATCH | PLAN_PX_F_ALLBACKUPS |
	                         PLAN_PX_F_LOG_HEALTH_CHECKS | PLAN_PX_F_SRVTCPKA |
	                         PLAN_PX_F_PREFER_LAST | PLAN_PX_F_HASH_AVALANCHE |
	                         PLAN_PX_F_NO_CONN_RETRY;
	const uint32_t fe_only = PLAN_PX_F_DONTLOGNULL | PLAN_PX_F_LOG |
	                         PLAN_PX_F_CLITCPKA | PLAN_PX_F_LOGASAP;
	enum plan_err e;

	if (px->flags & ~known)
		return plan_fail(v, PLAN_E_RESERVED, "proxy %u: unknown flags 0x%x",
		                 (unsigned)i, (unsigned)(px->flags & ~known));
	/* as emit.c keeps them: each flag only where it applies, and a
	 * frontend that logs anywhere logs its connections */
	if (((px->flags & be_only) && !(px->cap & PLAN_CAP_BE)) ||
	    ((px->flags & fe_only) && !(px->cap & PLAN_CAP_FE)))
		return plan_fail(v, PLAN_E_VALUE,
		                 "proxy %u: flags 0x%x on a proxy without their side",
		                 (unsigned)i, (unsigned)px->flags);
	if ((px->flags & PLAN_PX_F_PREFER_LAST) && px->mode != PLAN_MODE_HTTP)
		return plan_fail(v, PLAN_E_VALUE,
		                 "proxy %u: prefer-last-server outside HTTP mode",
		                 (unsigned)i);
	if (px->fullconn && !(px->cap & PLAN_CAP_BE))
		return plan_fail(v, PLAN_E_VALUE,
		                 "proxy %u: fullconn %u without a backend side",
		                 (unsigned)i, (unsigned)px->fullconn);
	if (px->hash_func >= PLAN_HASH_FN_MAX)
		return plan_fail(v, PLAN_E_ENUM, "proxy %u: hash_func %u unknown",
		                 (unsigned)i, (unsigned)px->hash_func);
	if (px->hash_func && !(px->cap & PLAN_CAP_BE))
		return plan_fail(v, PLAN_E_VALUE,
		                 "proxy %u: hash_func %u without a backend side",
		                 (unsigned)i, (unsigned)px->hash_func);
	if ((px->balance == PLAN_BALANCE_URI ||
	     px->balance == PLAN_BALANCE_URL_PARAM ||
	     px->balance == PLAN_BALANCE_HDR ||
	     px->balance == PLAN_BALANCE_HASH) && px->mode != PLAN_MODE_HTTP)
		return plan_fail(v, PLAN_E_VALUE,
		                 "proxy %u: balance %u needs HTTP mode",
		                 (unsigned)i, (unsigned)px->balance);
	if ((px->cap & PLAN_CAP_FE) &&
	    (px->nlogs || (px->flags & PLAN_PX_F_LOG_GLOBAL)) &&
	    !(px->flags & PLAN_PX_F_LOG))
		return plan_fail(v, PLAN_E_VALUE,
		                 "proxy %u: a frontend with logs but without the LOG flag",
		                 (unsigned)i);
	if (px->hash_type >= PLAN_HASH_MAX)
		return plan_fail(v, PLAN_E_ENUM, "proxy %u: hash_type %u unknown",
		                 (unsigned)i, (unsigned)px->hash_type);
	if (px->check_type >= PLAN_CHECK_MAX)
		return plan_fail(v, PLAN_E_ENUM, "proxy %u: check_type %u unknown",
		                 (unsigned)i, (unsigned)px->check_type);
	if (px->log_format >= PLAN_LOGFMT_MAX)
		return plan_fail(v, PLAN_E_ENUM, "proxy %u: log_format %u unknown",
		                 (unsigned)i, (unsigned)px->log_format);
	if (px->balance == PLAN_BALANCE_RANDOM &&
	    (e = plan_check_limit(v, PLAN_LIM_RANDOM_DRAWS, px->random_draws,
	                          "proxy", i, "random_draws")))
		return e;
	if (px->balance != PLAN_BALANCE_RANDOM && px->random_draws)
		return plan_fail(v, PLAN_E_VALUE,
		                 "proxy %u: random_draws %u without balance random",
		                 (unsigned)i, (unsigned)px->random_draws);
	{
		const struct { uint32_t ms; const char *name; } t[] = {
			{ px->timeout_connect, "timeout_connect" },
			{ px->timeout_client, "timeout_client" },
			{ px->timeout_server, "timeout_server" },
			{ px->timeout_queue, "timeout_queue" },
			{ px->timeout_tunnel, "timeout_tunnel" },
			{ px->timeout_client_fin, "timeout_client_fin" },
			{ px->timeout_server_fin, "timeout_server_fin" },
			{ px->timeout_check, "timeout_check" },
		};

		for (size_t k = 0; k < sizeof(t) / sizeof(t[0]); k++)
			if ((e = plan_check_limit(v, PLAN_LIM_TIME_MS, t[k].ms,
			                          "proxy", i, t[k].name)))
				return e;
	}
	if (px->httpchk_status_lo > px->httpchk_status_hi ||
	    px->httpchk_status_hi > 599)
		return plan_fail(v, PLAN_E_VALUE,
		                 "proxy %u: httpchk status range %u..%u (expected lo <= hi <= 599)",
		                 (unsigned)i, (unsigned)px->httpchk_status_lo,
		                 (unsigned)px->httpchk_status_hi);
	if ((e = plan_check_text(v, px->httpchk_method, "proxy", i, "httpchk_method")) ||
	    (e = plan_check_text(v, px->httpchk_uri, "proxy", i, "httpchk_uri")) ||
	    (e = plan_check_text(v, px->httpchk_version, "proxy", i, "httpchk_version")) ||
	    (e = plan_check_text(v, px->httpchk_host, "proxy", i, "httpchk_host")) ||
	    (e = plan_check_line(v, px->description, "proxy", i, "description")))
		return e;
	if (memchr(v->p.blob + px->httpchk_version.off, '\r',
	           px->httpchk_version.len) ||
	    memchr(v->p.blob + px->httpchk_version.off, '\n',
	           px->httpchk_version.len))
		/* cfgc refuses headers glued to the version (kw-check.c) */
		return plan_fail(v, PLAN_E_VALUE,
		                 "proxy %u: httpchk_version holds a CR or LF",
		                 (unsigned)i);
	if ((uint64_t)px->first_check + px->ncheck > v->p.nchecks)
		return plan_fail(v, PLAN_E_INDEX,
		                 "proxy %u: check rules [%u, %llu) past the table (%u)",
		                 (unsigned)i, (unsigned)px->first_check,
		                 (unsigned long long)px->first_check + px->ncheck,
		                 (unsigned)v->p.nchecks);
	if (px->ncheck && !(px->cap & PLAN_CAP_BE))
		return plan_fail(v, PLAN_E_INDEX,
		                 "proxy %u: check rules on a proxy that is not a backend",
		                 (unsigned)i);
	if (px->ncheck && px->check_type != PLAN_CHECK_TCP &&
	    !(px->check_type == PLAN_CHECK_HTTP && px->ncheck == 1))
		return plan_fail(v, PLAN_E_VALUE,
		                 "proxy %u: %u check rules with check_type %u (rules are for tcp-check, or one body rule for an http check)",
		                 (unsigned)i, (unsigned)px->ncheck,
		                 (unsigned)px->check_type);
	if (px->ncheck && px->check_type == PLAN_CHECK_HTTP &&
	    px->first_check < v->p.nchecks) {
		/* http-check expect [!] string|rstring: the status is then
		 * not judged, so it keeps the default range */
		const struct plan_check_rule *r = &v->p.checks[px->first_check];

		if ((r->op != PLAN_CHK_EXPECT_STRING &&
		     r->op != PLAN_CHK_EXPECT_REGEX) || !r->data.len ||
		    px->httpchk_status_lo != 200 || px->httpchk_status_hi != 399)
			return plan_fail(v, PLAN_E_VALUE,
			                 "proxy %u: http check body rule op %u (%u bytes) with statuses %u..%u (expected string or rstring, non-empty, 200..399)",
			                 (unsigned)i, (unsigned)r->op,
			                 (unsigned)r->data.len,
			                 (unsigned)px->httpchk_status_lo,
			                 (unsigned)px->httpchk_status_hi);
	}
	if (px->check_type == PLAN_CHECK_HTTP &&
	    (!px->httpchk_method.len || !px->httpchk_uri.len ||
	     !px->httpchk_version.len || px->httpchk_status_lo < 100))
		return plan_fail(v, PLAN_E_VALUE,
		                 "proxy %u: http check needs a method, a URI, a version and statuses from 100 (has %u, %u, %u bytes, %u..%u)",
		                 (unsigned)i, (unsigned)px->httpchk_method.len,
		                 (unsigned)px->httpchk_uri.len,
		                 (unsigned)px->httpchk_version.len,
		                 (unsigned)px->httpchk_status_lo,
		                 (unsigned)px->httpchk_status_hi);
	if ((uint64_t)px->first_log + px->nlogs > v->p.nlogs)
		return plan_fail(v, PLAN_E_INDEX,
		                 "proxy %u: logs [%u, %llu) past the table (%u)",
		                 (unsigned)i, (unsigned)px->first_log,
		                 (unsigned long long)px->first_log + px->nlogs,
		                 (unsigned)v->p.nlogs);
	return PLAN_E_OK;
}

static enum plan_err plan_check_proxies(struct plan_vctx *v)
{
	uint64_t nl = 0, ns = 0, nc = 0, ng = v->p.global->nlogs;
	enum plan_err e;
	uint32_t i;

	for (i = 0; i < v->p.nproxies; i++) {
		const struct plan_proxy *px = &v->p.proxies[i];

		if ((e = plan_check_name(v, px->name, "proxy", i, 1, 0)))
			return e;
		if (px->cap == 0 || (px->cap & ~PLAN_CAP_ALL))
			return plan_fail(v, PLAN_E_ENUM, "proxy %u: cap 0x%x",
			                 (unsigned)i, (unsigned)px->cap);
		if (px->mode >= PLAN_MODE_MAX)
			return plan_fail(v, PLAN_E_ENUM, "proxy %u: mode %u unknown",
			                 (unsigned)i, (unsigned)px->mode);
		if (px->balance >= PLAN_BALANCE_MAX)
			return plan_fail(v, PLAN_E_ENUM,
			                 "proxy %u: balance %u unknown",
			                 (unsigned)i, (unsigned)px->balance);
		if (px->default_backend != PLAN_NONE) {
			if (px->default_backend >= v->p.nproxies)
				return plan_fail(v, PLAN_E_INDEX,
				                 "proxy %u: default_backend %u >= %u",
				                 (unsigned)i,
				                 (unsigned)px->default_backend,
				                 (unsigned)v->p.nproxies);
			if (!(v->p.proxies[px->default_backend].cap & PLAN_CAP_BE))
				return plan_fail(v, PLAN_E_INDEX,
				                 "proxy %u: default_backend %u is not a backend",
				                 (unsigned)i,
				                 (unsigned)px->default_backend);
			/* cfgc: only a frontend has one, never itself */
			if (!(px->cap & PLAN_CAP_FE) || px->default_backend == i)
				return plan_fail(v, PLAN_E_VALUE,
				                 "proxy %u: default_backend %u on a proxy that is not a frontend, or itself",
				                 (unsigned)i,
				                 (unsigned)px->default_backend);
			if ((e = plan_check_modes(v, i, px->default_backend)))
				return e;
		}
		if ((uint64_t)px->first_listener + px->nlisteners > v->p.nlisteners)
			return plan_fail(v, PLAN_E_INDEX,
			                 "proxy %u: listeners [%u, %llu) past the table (%u)",
			                 (unsigned)i, (unsigned)px->first_listener,
			                 (unsigned long long)px->first_listener +
			                 px->nlisteners, (unsigned)v->p.nlisteners);
		if ((uint64_t)px->first_server + px->nservers > v->p.nservers)
			return plan_fail(v, PLAN_E_INDEX,
			                 "proxy %u: servers [%u, %llu) past the table (%u)",
			                 (unsigned)i, (unsigned)px->first_server,
			                 (unsigned long long)px->first_server +
			                 px->nservers, (unsigned)v->p.nservers);
		if ((e = plan_check_proxy_engine(v, px, i)))
			return e;
		nl += px->nlisteners;
		ns += px->nservers;
		nc += px->ncheck;
		ng += px->nlogs;
	}
	if (nc != v->p.nchecks)
		return plan_fail(v, PLAN_E_LAYOUT,
		                 "proxies' check rule ranges cover %llu records, the table has %u",
		                 (unsigned long long)nc, (unsigned)v->p.nchecks);
	if (ng != v->p.nlogs)
		return plan_fail(v, PLAN_E_LAYOUT,
		                 "global and proxies' log ranges cover %llu records, the table has %u",
		                 (unsigned long long)ng, (unsigned)v->p.nlogs);
	/* With every record inside its owner's range (checked next), ranges
	 * summing to the table size cannot overlap: see plan_check_owner(). */
	if (nl != v->p.nlisteners)
		return plan_fail(v, PLAN_E_LAYOUT,
		                 "proxies' listener ranges cover %llu records, the table has %u",
		                 (unsigned long long)nl, (unsigned)v->p.nlisteners);
	if (ns != v->p.nservers)
		return plan_fail(v, PLAN_E_LAYOUT,
		                 "proxies' server ranges cover %llu records, the table has %u",
		                 (unsigned long long)ns, (unsigned)v->p.nservers);
	{
		const struct plan_names nm = { "proxy", v->p.nproxies,
		                               plan_proxy_name, plan_no_scope };

		return plan_check_unique(v, &nm);
	}
}

/*
 * Record `idx` of a listener or server table names `owner`: it must exist,
 * have `cap`, and list `idx` in its range. If every record lies in its
 * owner's range and the ranges' sizes sum to the table size, each range
 * holds exactly its owner's records, so ranges are disjoint; this keeps the
 * check linear however the ranges are drawn.
 */
static enum plan_err plan_check_owner(struct plan_vctx *v, const char *what,
                                      uint32_t idx, uint32_t owner,
                                      uint32_t cap, int servers)
{
	const struct plan_proxy *px;
	uint32_t first, n;

	if (owner >= v->p.nproxies)
		return plan_fail(v, PLAN_E_INDEX, "%s %u: proxy %u >= %u", what,
		                 (unsigned)idx, (unsigned)owner,
		                 (unsigned)v->p.nproxies);
	px = &v->p.proxies[owner];
	if (!(px->cap & cap))
		return plan_fail(v, PLAN_E_INDEX, "%s %u: proxy %u is not a %s",
		                 what, (unsigned)idx, (unsigned)owner,
		                 cap == PLAN_CAP_FE ? "frontend" : "backend");
	first = servers ? px->first_server : px->first_listener;
	n = servers ? px->nservers : px->nlisteners;
	if (idx < first || idx - first >= n)
		return plan_fail(v, PLAN_E_LAYOUT,
		                 "%s %u: owned by proxy %u, whose %ss are [%u, %llu)",
		                 what, (unsigned)idx, (unsigned)owner, what,
		                 (unsigned)first, (unsigned long long)first + n);
	return PLAN_E_OK;
}

/* A blob range (off, len): inside the blob; len 0 only with off 0. */
static enum plan_err plan_check_range(struct plan_vctx *v, uint32_t off,
                                      uint32_t len, const char *what,
                                      uint32_t idx, const char *field)
{
	if (len == 0 && off == 0)
		return PLAN_E_OK;
	if (len == 0 || (uint64_t)off + len > v->p.blob_len)
		return plan_fail(v, PLAN_E_STRING,
		                 "%s %u: %s at %u+%u is outside the blob (%u bytes)",
		                 what, (unsigned)idx, field, (unsigned)off,
		                 (unsigned)len, (unsigned)v->p.blob_len);
	return PLAN_E_OK;
}

/*
 * DER items back to back filling [off, off+len) exactly: each a SEQUENCE
 * (0x30) with a definite length whose end stays inside the range. The
 * library parses them again; this keeps a corrupt plan from reaching it
 * with lengths that do not add up.
 */
static enum plan_err plan_check_der(struct plan_vctx *v, uint32_t off,
                                    uint32_t len, const char *what,
                                    uint32_t idx, const char *field)
{
	const uint8_t *p = (const uint8_t *)v->p.blob + off;
	uint64_t pos = 0;
	enum plan_err e;

	if ((e = plan_check_range(v, off, len, what, idx, field)))
		return e;
	while (pos < len) {
		uint64_t body, hdr = 2;
		uint8_t l;

		if (len - pos < 2 || p[pos] != 0x30)
			goto bad;
		l = p[pos + 1];
		if (l < 0x80) {
			body = l;
		} else {
			unsigned nb = l & 0x7fu;

			if (nb == 0 || nb > 4 || len - pos < 2 + (uint64_t)nb)
				goto bad;
			body = 0;
			for (unsigned k = 0; k < nb; k++)
				body = body << 8 | p[pos + 2 + k];
			hdr += nb;
		}
		if (hdr + body > len - pos)
			goto bad;
		pos += hdr + body;
	}
	return PLAN_E_OK;
bad:
	return plan_fail(v, PLAN_E_VALUE,
	                 "%s %u: %s: DER item at byte %llu of %u is malformed or "
	                 "runs past its range", what, (unsigned)idx, field,
	                 (unsigned long long)pos, (unsigned)len);
}

/* A certificate's crt-list line settings: known bits, each field set
 * exactly when its bit is (ALPN may be empty: no-alpn), versions a
 * range, verify with a CA (its own or the bind's). */
static enum plan_err plan_check_tls_line(struct plan_vctx *v,
                                         const struct plan_tls_cert *c,
                                         uint32_t i)
{
	const struct plan_tls_bind *b = &v->p.tls_binds[c->bind];
	enum plan_err e;
	uint32_t s = c->set;

	if ((s & ~PLAN_TLS_CERT_S_ALL) || c->reserved)
		return plan_fail(v, PLAN_E_RESERVED, "tls cert %u: unknown "
		                 "settings 0x%x or reserved %u", (unsigned)i,
		                 (unsigned)(s & ~PLAN_TLS_CERT_S_ALL),
		                 (unsigned)c->reserved);
	if ((e = plan_check_str(v, c->alpn, "tls cert", i, "alpn")) ||
	    (e = plan_check_str(v, c->ciphers, "tls cert", i, "ciphers")) ||
	    (e = plan_check_str(v, c->curves, "tls cert", i, "curves")) ||
	    (e = plan_check_str(v, c->ca_path, "tls cert", i, "ca_path")) ||
	    (e = plan_check_str(v, c->crl_path, "tls cert", i, "crl_path")) ||
	    (e = plan_check_der(v, c->ca_off, c->ca_len, "tls cert", i,
	                        "ca")) ||
	    (e = plan_check_der(v, c->crl_off, c->crl_len, "tls cert", i,
	                        "crl")))
		return e;
	if ((!(s & PLAN_TLS_CERT_S_ALPN) && c->alpn.len) ||
	    (!(s & PLAN_TLS_CERT_S_CIPHERS) != !c->ciphers.len) ||
	    (!(s & PLAN_TLS_CERT_S_CURVES) != !c->curves.len) ||
	    (!(s & PLAN_TLS_CERT_S_CA) != !c->ca_path.len) ||
	    (!(s & PLAN_TLS_CERT_S_CRL) != !c->crl_path.len) ||
	    (c->ca_len && !c->ca_path.len) || (c->crl_len && !c->crl_path.len) ||
	    (!(s & PLAN_TLS_CERT_S_VERIFY) && c->verify) ||
	    (!(s & PLAN_TLS_CERT_S_VERS) && (c->min_ver || c->max_ver)))
		return plan_fail(v, PLAN_E_VALUE, "tls cert %u: crt-list "
		                 "settings 0x%x do not match the fields set",
		                 (unsigned)i, (unsigned)s);
	for (uint32_t a = 0; a < c->alpn.len;) {
		uint8_t n = (uint8_t)v->p.blob[c->alpn.off + a];

		if (n == 0 || (uint64_t)a + 1 + n > c->alpn.len)
			return plan_fail(v, PLAN_E_VALUE, "tls cert %u: ALPN list "
			                 "malformed at byte %u", (unsigned)i,
			                 (unsigned)a);
		a += 1u + n;
	}
	if ((s & PLAN_TLS_CERT_S_VERS) &&
	    (c->min_ver < PLAN_TLS_VER_MIN || c->max_ver > PLAN_TLS_VER_MAX ||
	     c->min_ver > c->max_ver))
		return plan_fail(v, PLAN_E_VALUE, "tls cert %u: versions "
		                 "0x%x..0x%x", (unsigned)i, (unsigned)c->min_ver,
		                 (unsigned)c->max_ver);
	if (c->verify >= PLAN_TLS_VERIFY_MAX)
		return plan_fail(v, PLAN_E_ENUM, "tls cert %u: verify %u",
		                 (unsigned)i, (unsigned)c->verify);
	if ((s & PLAN_TLS_CERT_S_VERIFY) && c->verify != PLAN_TLS_VERIFY_NONE &&
	    !(s & PLAN_TLS_CERT_S_CA) && !b->ca_len && !b->ca_path.len &&
	    !b->ca_verify_len && !b->ca_verify_path.len)
		return plan_fail(v, PLAN_E_VALUE, "tls cert %u: verify without "
		                 "a CA", (unsigned)i);
	return PLAN_E_OK;
}

/* The TLS bind records and their certificates: runs in bounds, each
 * certificate owned by the bind whose run holds it, enums and versions in
 * range, strings and DER ranges inside the blob. */
static enum plan_err plan_check_tls(struct plan_vctx *v)
{
	enum plan_err e;
	uint32_t next = 0;

	for (uint32_t i = 0; i < v->p.ntls_binds; i++) {
		const struct plan_tls_bind *t = &v->p.tls_binds[i];
		const struct plan_str *strs[] = { &t->alpn, &t->ciphers,
		        &t->ciphersuites, &t->curves, &t->sigalgs, &t->ca_path,
		        &t->crl_path, &t->ca_verify_path };
		static const char *const names[] = { "alpn", "ciphers",
		        "ciphersuites", "curves", "sigalgs", "ca_path", "crl_path",
		        "ca_verify_path" };

		if (t->first_cert != next || t->ncert == 0 ||
		    (uint64_t)t->first_cert + t->ncert > v->p.ntls_certs)
			return plan_fail(v, PLAN_E_LAYOUT,
			                 "tls bind %u: certificates %u+%u, expected "
			                 "from %u within %u", (unsigned)i,
			                 (unsigned)t->first_cert, (unsigned)t->ncert,
			                 (unsigned)next, (unsigned)v->p.ntls_certs);
		next = t->first_cert + t->ncert;
		if (t->flags & ~PLAN_TLS_F_ALL)
			return plan_fail(v, PLAN_E_RESERVED,
			                 "tls bind %u: unknown flags 0x%x", (unsigned)i,
			                 (unsigned)(t->flags & ~PLAN_TLS_F_ALL));
		if (t->verify >= PLAN_TLS_VERIFY_MAX)
			return plan_fail(v, PLAN_E_ENUM, "tls bind %u: verify %u",
			                 (unsigned)i, (unsigned)t->verify);
		if ((t->min_ver && (t->min_ver < PLAN_TLS_VER_MIN ||
		                    t->min_ver > PLAN_TLS_VER_MAX)) ||
		    (t->max_ver && (t->max_ver < PLAN_TLS_VER_MIN ||
		                    t->max_ver > PLAN_TLS_VER_MAX)) ||
		    (t->min_ver && t->max_ver && t->min_ver > t->max_ver) ||
		    t->lifetime == 0)
			return plan_fail(v, PLAN_E_VALUE,
			                 "tls bind %u: versions 0x%x..0x%x, lifetime %u",
			                 (unsigned)i, (unsigned)t->min_ver,
			                 (unsigned)t->max_ver, (unsigned)t->lifetime);
		for (size_t k = 0; k < sizeof(strs) / sizeof(strs[0]); k++)
			if ((e = plan_check_str(v, *strs[k], "tls bind", i, names[k])))
				return e;
		for (uint32_t a = 0; a < t->alpn.len;) {
			uint8_t n = (uint8_t)v->p.blob[t->alpn.off + a];

			if (n == 0 || (uint64_t)a + 1 + n > t->alpn.len)
				return plan_fail(v, PLAN_E_VALUE,
				                 "tls bind %u: ALPN list malformed at "
				                 "byte %u", (unsigned)i, (unsigned)a);
			a += 1u + n;
		}
		if ((e = plan_check_der(v, t->ca_off, t->ca_len, "tls bind", i,
		                        "ca")) ||
		    (e = plan_check_der(v, t->crl_off, t->crl_len, "tls bind", i,
		                        "crl")) ||
		    (e = plan_check_der(v, t->ca_verify_off, t->ca_verify_len,
		                        "tls bind", i, "ca_verify")))
			return e;
		if (t->ca_verify_len && t->ca_verify_path.len == 0)
			return plan_fail(v, PLAN_E_VALUE,
			                 "tls bind %u: ca-verify-file certificates "
			                 "without a path", (unsigned)i);
		if (t->verify != PLAN_TLS_VERIFY_NONE && t->ca_len == 0 &&
		    t->ca_path.len == 0 && t->ca_verify_len == 0 &&
		    t->ca_verify_path.len == 0)
			return plan_fail(v, PLAN_E_VALUE,
			                 "tls bind %u: verify without a CA", (unsigned)i);
		for (uint32_t c = t->first_cert; c < next; c++)
			if (v->p.tls_certs[c].bind != i)
				return plan_fail(v, PLAN_E_INDEX,
				                 "tls cert %u: bind %u, inside the run of "
				                 "tls bind %u", (unsigned)c,
				                 (unsigned)v->p.tls_certs[c].bind,
				                 (unsigned)i);
	}
	if (next != v->p.ntls_certs)
		return plan_fail(v, PLAN_E_LAYOUT,
		                 "%u tls certs, but the binds own %u",
		                 (unsigned)v->p.ntls_certs, (unsigned)next);
	for (uint32_t i = 0; i < v->p.ntls_certs; i++) {
		const struct plan_tls_cert *c = &v->p.tls_certs[i];

		if (c->flags & ~PLAN_TLS_CERT_F_ECDSA)
			return plan_fail(v, PLAN_E_RESERVED,
			                 "tls cert %u: unknown flags 0x%x", (unsigned)i,
			                 (unsigned)c->flags);
		if ((e = plan_check_str(v, c->path, "tls cert", i, "path")) ||
		    (e = plan_check_str(v, c->sni, "tls cert", i, "sni")) ||
		    (e = plan_check_str(v, c->list, "tls cert", i, "list")) ||
		    (e = plan_check_str(v, c->base, "tls cert", i, "base")) ||
		    (e = plan_check_str(v, c->key_path, "tls cert", i,
		                        "key_path")))
			return e;
		if (c->key_path.len && (c->list.len || !c->key_len))
			return plan_fail(v, PLAN_E_VALUE, "tls cert %u: a key "
			                 "file of its own outside the plan or in a "
			                 "crt-list", (unsigned)i);
		if (c->path.len == 0)
			return plan_fail(v, PLAN_E_STRING, "tls cert %u: empty path",
			                 (unsigned)i);
		if ((c->der_len == 0) != (c->key_len == 0))
			return plan_fail(v, PLAN_E_VALUE,
			                 "tls cert %u: chain of %u bytes with a key of %u",
			                 (unsigned)i, (unsigned)c->der_len,
			                 (unsigned)c->key_len);
		if ((e = plan_check_der(v, c->der_off, c->der_len, "tls cert", i,
		                        "chain")) ||
		    (e = plan_check_der(v, c->key_off, c->key_len, "tls cert", i,
		                        "key")) ||
		    (e = plan_check_tls_line(v, c, i)))
			return e;
	}
	return PLAN_E_OK;
}

static enum plan_err plan_check_listeners(struct plan_vctx *v)
{
	enum plan_err e;
	uint32_t i;

	for (i = 0; i < v->p.nlisteners; i++) {
		const struct plan_listener *l = &v->p.listeners[i];

		if ((e = plan_check_owner(v, "listener", i, l->proxy,
		                          PLAN_CAP_FE, 0)))
			return e;
		/* the name is the address as text (a unix path may hold any
		 * byte): not a name cfgc checks */
		if ((e = plan_check_str(v, l->name, "listener", i, "name")) ||
		    (e = plan_check_limit(v, PLAN_LIM_BIND_COUNT, l->backlog,
		                          "listener", i, "backlog")) ||
		    (e = plan_check_limit(v, PLAN_LIM_BIND_COUNT, l->maxconn,
		                          "listener", i, "maxconn")))
			return e;
		if (l->addr.family == PLAN_FAM_NONE)
			return plan_fail(v, PLAN_E_ADDRESS,
			                 "listener %u: no address", (unsigned)i);
		if ((e = plan_check_addr(v, &l->addr, "listener", i)))
			return e;
		if (plan_inet_port0(&l->addr))
			/* cfgc requires a port (1..65535) on a bind */
			return plan_fail(v, PLAN_E_ADDRESS,
			                 "listener %u: inet address without a port",
			                 (unsigned)i);
		if (l->flags & ~(PLAN_LSN_F_ACCEPT_PROXY | PLAN_LSN_F_V4V6 |
		                 PLAN_LSN_F_V6ONLY | PLAN_LSN_F_TFO))
			return plan_fail(v, PLAN_E_RESERVED,
			                 "listener %u: unknown flags 0x%x", (unsigned)i,
			                 (unsigned)(l->flags & ~(PLAN_LSN_F_ACCEPT_PROXY |
			                 PLAN_LSN_F_V4V6 | PLAN_LSN_F_V6ONLY |
			                 PLAN_LSN_F_TFO)));
		if ((l->flags & PLAN_LSN_F_V4V6) && (l->flags & PLAN_LSN_F_V6ONLY))
			return plan_fail(v, PLAN_E_VALUE,
			                 "listener %u: both v4v6 and v6only", (unsigned)i);
		if (l->tls > v->p.ntls_binds)
			return plan_fail(v, PLAN_E_INDEX,
			                 "listener %u: tls bind %u > %u records",
			                 (unsigned)i, (unsigned)l->tls,
			                 (unsigned)v->p.ntls_binds);
	}
	return PLAN_E_OK;
}

#define PLAN_SRV_F_KNOWN (PLAN_SRV_F_NOPORT | PLAN_SRV_F_BACKUP | \
                          PLAN_SRV_F_DISABLED | PLAN_SRV_F_CHECK | \
                          PLAN_SRV_F_SEND_PROXY | PLAN_SRV_F_SEND_PROXY2 | \
                          PLAN_SRV_F_OFFSET | PLAN_SRV_F_SHUT_DOWN | \
                          PLAN_SRV_F_SHUT_BACKUP | PLAN_SRV_F_TLS | \
                          PLAN_SRV_F_USESRC_CLIENT | \
                          PLAN_SRV_F_USESRC_CLIENTIP | PLAN_SRV_F_TFO)

/*
 * A blob string given by its offset alone (compact server addresses): the
 * offset is inside the blob and a NUL follows within it. Its length goes
 * to `*len`.
 */
static enum plan_err plan_check_cstr(struct plan_vctx *v, uint32_t off,
                                     const char *what, uint32_t idx,
                                     size_t *len)
{
	const char *nul;

	if (off >= v->p.blob_len)
		return plan_fail(v, PLAN_E_STRING,
		                 "%s %u: address text at %u is past the blob (%u bytes)",
		                 what, (unsigned)idx, (unsigned)off,
		                 (unsigned)v->p.blob_len);
	nul = memchr(v->p.blob + off, '\0', v->p.blob_len - off);
	if (!nul)
		return plan_fail(v, PLAN_E_STRING,
		                 "%s %u: address text at %u is not NUL-terminated",
		                 what, (unsigned)idx, (unsigned)off);
	*len = (size_t)(nul - (v->p.blob + off));
	return PLAN_E_OK;
}

/* A compact server address, by the table above struct plan_srv_addr. */
static enum plan_err plan_check_srv_addr(struct plan_vctx *v,
                                         const struct plan_srv_addr *a,
                                         const char *what, uint32_t idx)
{
	const size_t sun_max = sizeof(((struct sockaddr_un *)0)->sun_path) - 1;
	enum plan_err e;
	size_t i, n, ipn = 0;

	switch (a->family) {
	case PLAN_FAM_INET:
		ipn = 4;
		break;
	case PLAN_FAM_INET6:
		ipn = 16;
		break;
	default:
		if (a->family >= PLAN_FAM_MAX)
			return plan_fail(v, PLAN_E_ENUM,
			                 "%s %u: address family %u unknown", what,
			                 (unsigned)idx, (unsigned)a->family);
		if (a->port)
			return plan_fail(v, PLAN_E_ADDRESS,
			                 "%s %u: port %u on family %u (only inet and inet6 have one)",
			                 what, (unsigned)idx, (unsigned)a->port,
			                 (unsigned)a->family);
		break;
	}
	if (a->proto >= PLAN_PROTO_MAX)
		return plan_fail(v, PLAN_E_ENUM, "%s %u: protocol %u unknown",
		                 what, (unsigned)idx, (unsigned)a->proto);
	if (a->proto == PLAN_PROTO_MPTCP && !ipn)
		return plan_fail(v, PLAN_E_ADDRESS,
		                 "%s %u: MPTCP on family %u (only inet and inet6)",
		                 what, (unsigned)idx, (unsigned)a->family);
	for (i = ipn; i < sizeof(a->ip); i++)
		if (a->ip[i])
			return plan_fail(v, PLAN_E_ADDRESS,
			                 "%s %u: ip[%zu] is not zero for family %u",
			                 what, (unsigned)idx, i, (unsigned)a->family);
	switch (a->family) {
	case PLAN_FAM_INET:
		if (a->aux)
			return plan_fail(v, PLAN_E_ADDRESS,
			                 "%s %u: aux 0x%x on an inet address (expected 0)",
			                 what, (unsigned)idx, (unsigned)a->aux);
		return PLAN_E_OK;
	case PLAN_FAM_INET6:                  /* aux: any scope id */
		return PLAN_E_OK;
	case PLAN_FAM_FD:
	case PLAN_FAM_SOCKPAIR:
		if (a->aux > INT32_MAX)
			return plan_fail(v, PLAN_E_ADDRESS,
			                 "%s %u: descriptor %u > %d", what,
			                 (unsigned)idx, (unsigned)a->aux, INT32_MAX);
		return PLAN_E_OK;
	case PLAN_FAM_NONE:                   /* aux: the host word, or 0 */
		if ((e = plan_check_cstr(v, a->aux, what, idx, &n)))
			return e;
		/* what cfgc keeps (a host name, as written): --dump writes
		 * it back, so it must be one cfgc takes */
		if (a->aux && !plan_host_word_ok((const char *)v->p.blob + a->aux, n))
			return plan_fail(v, PLAN_E_ADDRESS,
			                 "%s %u: '%.*s' is not a host name with an "
			                 "optional port", what, (unsigned)idx,
			                 (int)(n > 64 ? 64 : n),
			                 (const char *)v->p.blob + a->aux);
		return PLAN_E_OK;
	default:                              /* UNIX, ABNS, ABNSZ */
		if ((e = plan_check_cstr(v, a->aux, what, idx, &n)))
			return e;
		if (n > sun_max || (n == 0 && a->family == PLAN_FAM_UNIX))
			return plan_fail(v, PLAN_E_ADDRESS,
			                 "%s %u: unix %s of %zu bytes (expected %u..%zu)",
			                 what, (unsigned)idx,
			                 a->family == PLAN_FAM_UNIX ? "path" : "name",
			                 n, a->family == PLAN_FAM_UNIX ? 1u : 0u,
			                 sun_max);
		return PLAN_E_OK;
	}
}

/* The TCP-engine fields of server `i` (its address already proved);
 * `*next_check` is the CHECKADDR record the next one must use. */
static enum plan_err plan_check_server_engine(struct plan_vctx *v,
                                              const struct plan_server *s,
                                              uint32_t i, uint32_t *next_check)
{
	int inet = s->addr.family == PLAN_FAM_INET ||
	           s->addr.family == PLAN_FAM_INET6;

	if (inet && (s->addr.port == 0) !=
	    !!(s->flags & (PLAN_SRV_F_NOPORT | PLAN_SRV_F_OFFSET)))
		/* cfgc reads a port of 0 as none (NOPORT), and writes port 0
		 * with no port or an offset */
		return plan_fail(v, PLAN_E_VALUE,
		                 "server %u: port %u %s NOPORT or OFFSET",
		                 (unsigned)i, (unsigned)s->addr.port,
		                 s->addr.port ? "with" : "without");
	if ((s->flags & (PLAN_SRV_F_USESRC_CLIENT | PLAN_SRV_F_USESRC_CLIENTIP)) &&
	    ((s->flags & PLAN_SRV_F_USESRC_CLIENT) &&
	     (s->flags & PLAN_SRV_F_USESRC_CLIENTIP) ? 1 :
	     s->source.family == PLAN_FAM_NONE))
		return plan_fail(v, PLAN_E_VALUE, "server %u: usesrc flags 0x%x "
		                 "(one of client/clientip, with a source)",
		                 (unsigned)i, (unsigned)s->flags);
	if (s->reserved)
		return plan_fail(v, PLAN_E_RESERVED, "server %u: reserved %u",
		                 (unsigned)i, (unsigned)s->reserved);
	if (s->minconn && s->minconn >= s->maxconn)
		return plan_fail(v, PLAN_E_VALUE, "server %u: minconn %u with "
		                 "maxconn %u (expected 0 or below maxconn)",
		                 (unsigned)i, (unsigned)s->minconn,
		                 (unsigned)s->maxconn);
	if ((s->flags & PLAN_SRV_F_NOPORT) && (s->flags & PLAN_SRV_F_OFFSET))
		return plan_fail(v, PLAN_E_VALUE,
		                 "server %u: both NOPORT and OFFSET", (unsigned)i);
	/* an unresolved name (init-addr none) keeps its offset for the
	 * address it gets at run time */
	if ((s->flags & PLAN_SRV_F_OFFSET) && !inet &&
	    s->addr.family != PLAN_FAM_NONE)
		return plan_fail(v, PLAN_E_VALUE,
		                 "server %u: port offset on a non-inet address",
		                 (unsigned)i);
	if (s->port_offset && !(s->flags & PLAN_SRV_F_OFFSET))
		return plan_fail(v, PLAN_E_VALUE,
		                 "server %u: port_offset %d without the OFFSET flag",
		                 (unsigned)i, (int)s->port_offset);
	if (s->port_offset < -65535 || s->port_offset > 65535)
		return plan_fail(v, PLAN_E_VALUE,
		                 "server %u: port_offset %d beyond +-65535",
		                 (unsigned)i, (int)s->port_offset);
	if (s->check_addr == PLAN_NONE)
		return PLAN_E_OK;
	if (s->check_addr != *next_check || *next_check >= v->p.ncheck_addrs)
		return plan_fail(v, PLAN_E_LAYOUT,
		                 "server %u: check_addr %u, expected %u (the next of %u check addresses)",
		                 (unsigned)i, (unsigned)s->check_addr,
		                 (unsigned)*next_check, (unsigned)v->p.ncheck_addrs);
	(*next_check)++;
	return PLAN_E_OK;
}

/*
 * A checked inet server whose port comes from the client (no port, or an
 * offset) needs a port to check, as cfgc requires (sema.c, check-port):
 * a check address with a port, or its backend's first tcp-check rule a
 * `connect port N`. Its check address, if any, is already proved.
 */
static enum plan_err plan_check_server_port(struct plan_vctx *v,
                                            const struct plan_server *s,
                                            uint32_t i)
{
	const struct plan_proxy *px = &v->p.proxies[s->proxy];

	if (!(s->flags & PLAN_SRV_F_CHECK) ||
	    !(s->flags & (PLAN_SRV_F_NOPORT | PLAN_SRV_F_OFFSET)) ||
	    (s->addr.family != PLAN_FAM_INET && s->addr.family != PLAN_FAM_INET6))
		return PLAN_E_OK;
	if (s->check_addr != PLAN_NONE && v->p.check_addrs[s->check_addr].port)
		return PLAN_E_OK;
	if (px->check_type == PLAN_CHECK_TCP && px->ncheck &&
	    v->p.checks[px->first_check].op == PLAN_CHK_CONNECT &&
	    v->p.checks[px->first_check].arg)
		return PLAN_E_OK;
	return plan_fail(v, PLAN_E_VALUE,
	                 "server %u: checked with no port to check", (unsigned)i);
}

static enum plan_err plan_check_servers(struct plan_vctx *v)
{
	uint32_t i, next_check = 0;
	enum plan_err e;

	for (i = 0; i < v->p.nservers; i++) {
		const struct plan_server *s = &v->p.servers[i];

		if ((e = plan_check_owner(v, "server", i, s->proxy,
		                          PLAN_CAP_BE, 1)))
			return e;
		if ((e = plan_check_name(v, s->name, "server", i, 1, 1)) ||
		    (e = plan_check_limit(v, PLAN_LIM_WEIGHT, s->weight, "server",
		                          i, "weight")) ||
		    (e = plan_check_limit(v, PLAN_LIM_INTER_MS, s->inter, "server",
		                          i, "inter")) ||
		    (e = plan_check_limit(v, PLAN_LIM_TIME_MS, s->fastinter,
		                          "server", i, "fastinter")) ||
		    (e = plan_check_limit(v, PLAN_LIM_TIME_MS, s->downinter,
		                          "server", i, "downinter")) ||
		    (e = plan_check_limit(v, PLAN_LIM_RISE_FALL, s->rise, "server",
		                          i, "rise")) ||
		    (e = plan_check_limit(v, PLAN_LIM_RISE_FALL, s->fall, "server",
		                          i, "fall")))
			return e;
		if (s->flags & ~PLAN_SRV_F_KNOWN)
			return plan_fail(v, PLAN_E_RESERVED,
			                 "server %u: unknown flags 0x%x", (unsigned)i,
			                 (unsigned)(s->flags & ~PLAN_SRV_F_KNOWN));
		static const struct plan_srv_addr no_source;

		if (s->source.family == PLAN_FAM_NONE ?
		    memcmp(&s->source, &no_source, sizeof(no_source)) != 0 :
		    ((s->source.family != PLAN_FAM_INET &&
		      s->source.family != PLAN_FAM_INET6) ||
		     s->source.proto != PLAN_PROTO_TCP))
			return plan_fail(v, PLAN_E_VALUE, "server %u: source family "
			                 "%u proto %u (expected none, or INET/INET6 "
			                 "over TCP)", (unsigned)i,
			                 (unsigned)s->source.family,
			                 (unsigned)s->source.proto);
		if (s->source.family != PLAN_FAM_NONE &&
		    (e = plan_check_srv_addr(v, &s->source, "server source", i)))
			return e;
		if ((e = plan_check_srv_addr(v, &s->addr, "server", i)))
			return e;
		if ((e = plan_check_server_engine(v, s, i, &next_check)) ||
		    (e = plan_check_server_port(v, s, i)))
			return e;
	}
	if (next_check != v->p.ncheck_addrs)
		return plan_fail(v, PLAN_E_LAYOUT,
		                 "servers use %u check addresses, the table has %u",
		                 (unsigned)next_check, (unsigned)v->p.ncheck_addrs);
	{
		const struct plan_names nm = { "server", v->p.nservers,
		                               plan_server_name, plan_server_scope };

		if ((e = plan_check_unique(v, &nm)))
			return e;
	}
	for (i = 0; i < v->p.ncheck_addrs; i++) {
		const struct plan_srv_addr *a = &v->p.check_addrs[i];

		if ((e = plan_check_srv_addr(v, a, "checkaddr", i)))
			return e;
		if (a->family != PLAN_FAM_INET && a->family != PLAN_FAM_INET6)
			return plan_fail(v, PLAN_E_ADDRESS,
			                 "checkaddr %u: family %u (expected inet or inet6)",
			                 (unsigned)i, (unsigned)a->family);
	}
	return PLAN_E_OK;
}

/*
 * The CHECK, LOG and STATS tables. Ownership is proved like listeners':
 * each record lies in its owner's range and the ranges' sizes sum to the
 * table size (checked with the proxies), so the ranges are exact.
 */
static enum plan_err plan_check_rules(struct plan_vctx *v)
{
	enum plan_err e;
	uint32_t i;

	for (i = 0; i < v->p.nchecks; i++) {
		const struct plan_check_rule *r = &v->p.checks[i];
		const struct plan_proxy *px;

		if (r->proxy >= v->p.nproxies)
			return plan_fail(v, PLAN_E_INDEX, "check %u: proxy %u >= %u",
			                 (unsigned)i, (unsigned)r->proxy,
			                 (unsigned)v->p.nproxies);
		px = &v->p.proxies[r->proxy];
		if (i < px->first_check || i - px->first_check >= px->ncheck)
			return plan_fail(v, PLAN_E_LAYOUT,
			                 "check %u: owned by proxy %u, whose checks are [%u, %llu)",
			                 (unsigned)i, (unsigned)r->proxy,
			                 (unsigned)px->first_check,
			                 (unsigned long long)px->first_check + px->ncheck);
		if (r->op >= PLAN_CHK_OP_MAX)
			return plan_fail(v, PLAN_E_ENUM, "check %u: op %u unknown",
			                 (unsigned)i, (unsigned)r->op);
		if (r->flags & ~(PLAN_CHK_F_NEGATE | PLAN_CHK_F_DEFAULT))
			return plan_fail(v, PLAN_E_RESERVED,
			                 "check %u: unknown flags 0x%x", (unsigned)i,
			                 (unsigned)(r->flags & ~(PLAN_CHK_F_NEGATE |
			                                         PLAN_CHK_F_DEFAULT)));
		if ((r->flags & PLAN_CHK_F_DEFAULT) && r->op != PLAN_CHK_CONNECT)
			return plan_fail(v, PLAN_E_VALUE,
			                 "check %u: 'default' on a rule that is not a "
			                 "connect", (unsigned)i);
		if ((r->flags & PLAN_CHK_F_NEGATE) &&
		    r->op < PLAN_CHK_EXPECT_STRING)
			return plan_fail(v, PLAN_E_VALUE,
			                 "check %u: negation on a connect or send rule",
			                 (unsigned)i);
		if (r->op == PLAN_CHK_CONNECT ? r->arg > 65535 :
		    r->op == PLAN_CHK_EXPECT_PROTO ? r->arg >= PLAN_CHKP_MAX :
		    r->arg != 0)
			return plan_fail(v, PLAN_E_VALUE,
			                 "check %u: arg %u (a connect port 0..65535, a "
			                 "protocol step, else 0)",
			                 (unsigned)i, (unsigned)r->arg);
		if ((r->flags & PLAN_CHK_F_NEGATE) && r->op == PLAN_CHK_EXPECT_PROTO)
			return plan_fail(v, PLAN_E_VALUE,
			                 "check %u: negation on a protocol check",
			                 (unsigned)i);
		if ((e = plan_check_str(v, r->data, "check", i, "data")))
			return e;
		if (r->op != PLAN_CHK_CONNECT && r->data.len == 0)
			return plan_fail(v, PLAN_E_VALUE, "check %u: empty data",
			                 (unsigned)i);
		if (r->op == PLAN_CHK_CONNECT && r->data.len)
			return plan_fail(v, PLAN_E_VALUE,
			                 "check %u: data on a connect rule", (unsigned)i);
		if (r->reserved)
			return plan_fail(v, PLAN_E_RESERVED, "check %u: reserved 0x%x",
			                 (unsigned)i, (unsigned)r->reserved);
	}
	return PLAN_E_OK;
}

static enum plan_err plan_check_logs(struct plan_vctx *v)
{
	const struct plan_global *g = v->p.global;
	enum plan_err e;
	uint32_t i;

	for (i = 0; i < v->p.nlogs; i++) {
		const struct plan_log *l = &v->p.logs[i];
		uint32_t first = g->first_log, n = g->nlogs;
		int fam = l->addr.family;

		if (l->owner != PLAN_NONE) {
			if (l->owner >= v->p.nproxies)
				return plan_fail(v, PLAN_E_INDEX, "log %u: proxy %u >= %u",
				                 (unsigned)i, (unsigned)l->owner,
				                 (unsigned)v->p.nproxies);
			first = v->p.proxies[l->owner].first_log;
			n = v->p.proxies[l->owner].nlogs;
		}
		if (i < first || i - first >= n)
			return plan_fail(v, PLAN_E_LAYOUT,
			                 "log %u: owned by %s, whose logs are [%u, %llu)",
			                 (unsigned)i, l->owner == PLAN_NONE ? "global" :
			                 "a proxy", (unsigned)first,
			                 (unsigned long long)first + n);
		if (l->target >= PLAN_LOGT_MAX)
			return plan_fail(v, PLAN_E_ENUM, "log %u: target %u unknown",
			                 (unsigned)i, (unsigned)l->target);
		if (l->facility > 23)
			return plan_fail(v, PLAN_E_ENUM, "log %u: facility %u > 23",
			                 (unsigned)i, (unsigned)l->facility);
		if (l->level > 7)
			return plan_fail(v, PLAN_E_ENUM, "log %u: level %u > 7",
			                 (unsigned)i, (unsigned)l->level);
		if (l->format > 2)
			return plan_fail(v, PLAN_E_ENUM, "log %u: format %u > 2",
			                 (unsigned)i, (unsigned)l->format);
		if ((e = plan_check_addr(v, &l->addr, "log", i)))
			return e;
		if (plan_inet_port0(&l->addr))
			/* cfgc writes 514 when no port is given */
			return plan_fail(v, PLAN_E_ADDRESS,
			                 "log %u: inet address without a port",
			                 (unsigned)i);
		if (l->addr.proto != PLAN_PROTO_TCP ||
		    (l->target == PLAN_LOGT_FD && fam != PLAN_FAM_FD) ||
		    (l->target == PLAN_LOGT_UDP && fam != PLAN_FAM_INET &&
		     fam != PLAN_FAM_INET6) ||
		    (l->target == PLAN_LOGT_UNIX && fam != PLAN_FAM_UNIX &&
		     fam != PLAN_FAM_ABNS && fam != PLAN_FAM_ABNSZ))
			return plan_fail(v, PLAN_E_ADDRESS,
			                 "log %u: address family %u, protocol %u do not fit target %u",
			                 (unsigned)i, (unsigned)fam,
			                 (unsigned)l->addr.proto, (unsigned)l->target);
	}
	return PLAN_E_OK;
}

static enum plan_err plan_check_stats(struct plan_vctx *v)
{
	enum plan_err e;
	uint32_t i;

	for (i = 0; i < v->p.nstats; i++) {
		const struct plan_stats_socket *st = &v->p.stats[i];
		int fam = st->addr.family;

		if (st->level >= PLAN_STATS_LEVEL_MAX)
			return plan_fail(v, PLAN_E_ENUM, "stats %u: level %u unknown",
			                 (unsigned)i, (unsigned)st->level);
		if (st->mode > 07777)
			return plan_fail(v, PLAN_E_VALUE, "stats %u: mode 0%o > 07777",
			                 (unsigned)i, (unsigned)st->mode);
		if (st->timeout_ms > INT32_MAX ||
		    st->timeout_ms != v->p.stats[0].timeout_ms)
			return plan_fail(v, PLAN_E_VALUE, "stats %u: timeout %u ms "
			                 "(above INT32_MAX, or not the first socket's)",
			                 (unsigned)i, (unsigned)st->timeout_ms);
		if ((e = plan_check_addr(v, &st->addr, "stats", i)))
			return e;
		if (st->addr.proto != PLAN_PROTO_TCP ||
		    (fam != PLAN_FAM_UNIX && fam != PLAN_FAM_ABNS &&
		     fam != PLAN_FAM_ABNSZ && fam != PLAN_FAM_INET &&
		     fam != PLAN_FAM_INET6 && fam != PLAN_FAM_FD))
			return plan_fail(v, PLAN_E_ADDRESS,
			                 "stats %u: address family %u, protocol %u (expected a unix path, a TCP address or an inherited descriptor)",
			                 (unsigned)i, (unsigned)fam,
			                 (unsigned)st->addr.proto);
		if (fam != PLAN_FAM_UNIX &&
		    (st->uid != PLAN_STATS_NO_ID || st->gid != PLAN_STATS_NO_ID ||
		     st->user.len || st->group.len))
			return plan_fail(v, PLAN_E_VALUE, "stats %u: an owner "
			                 "(uid %u, gid %u, or a name) for a socket "
			                 "that is no unix path", (unsigned)i,
			                 (unsigned)st->uid, (unsigned)st->gid);
		if ((e = plan_check_text(v, st->user, "stats", i, "user")) ||
		    (e = plan_check_text(v, st->group, "stats", i, "group")))
			return e;
		if ((st->user.len && st->uid != PLAN_STATS_NO_ID) ||
		    (st->group.len && st->gid != PLAN_STATS_NO_ID))
			return plan_fail(v, PLAN_E_VALUE, "stats %u: both a numeric "
			                 "id and a name for its owner or group",
			                 (unsigned)i);
	}
	return PLAN_E_OK;
}

/* Preconditions: a known kind, a position, a non-empty absolute path
 * without NUL inside, strings in the blob, reserved zero. */
/* The OPS record: times within INT32_MAX ms, limits, reserved words 0,
 * strings in the blob without NUL inside, one load_state character per
 * proxy (only backends may load) and a file to load from. */
static enum plan_err plan_check_ops(struct plan_vctx *v)
{
	const struct plan_ops *o = v->p.ops;
	const char *ls;
	enum plan_err e;

	if (o->hard_stop_after_ms > INT32_MAX || o->grace_ms > INT32_MAX ||
	    o->close_spread_ms > INT32_MAX || o->max_spread_checks_ms > INT32_MAX)
		return plan_fail(v, PLAN_E_VALUE,
		                 "ops: a time above INT32_MAX ms (hard-stop-after %u, grace %u, close-spread-time %u, max-spread-checks %u)",
		                 (unsigned)o->hard_stop_after_ms,
		                 (unsigned)o->grace_ms, (unsigned)o->close_spread_ms,
		                 (unsigned)o->max_spread_checks_ms);
	if (o->stats_maxconn > PLAN_MAX_STATS_MAXCONN)
		return plan_fail(v, PLAN_E_VALUE, "ops: stats maxconn %u above %u",
		                 (unsigned)o->stats_maxconn, PLAN_MAX_STATS_MAXCONN);
	if (o->flags & ~PLAN_OPS_F_SPREAD_INFINITE)
		return plan_fail(v, PLAN_E_RESERVED, "ops: unknown flags 0x%x",
		                 (unsigned)o->flags);
	if ((o->flags & PLAN_OPS_F_SPREAD_INFINITE) && o->close_spread_ms)
		return plan_fail(v, PLAN_E_VALUE, "ops: close-spread-time both "
		                 "infinite and %u ms", (unsigned)o->close_spread_ms);
	if (v->p.ops->server_state_file.len == 0 && v->p.ops->load_state.len == 0 &&
	    v->p.ops->server_state_file.off == 0 && v->p.ops->load_state.off == 0 &&
	    v->p.blob_len == 0)
		return PLAN_E_OK;       /* no blob: nothing refers to it */
	if ((e = plan_check_str(v, o->server_state_file, "ops", 0, "server_state_file")) ||
	    (e = plan_check_str(v, o->load_state, "ops", 0, "load_state")))
		return e;
	if (strlen(plan_str_get(&v->p, o->server_state_file)) != o->server_state_file.len)
		return plan_fail(v, PLAN_E_STRING, "ops: server_state_file holds a NUL");
	if (o->load_state.len && o->load_state.len != v->p.nproxies)
		return plan_fail(v, PLAN_E_LAYOUT,
		                 "ops: load_state has %u characters for %u proxies",
		                 (unsigned)o->load_state.len, (unsigned)v->p.nproxies);
	ls = plan_str_get(&v->p, o->load_state);
	for (uint32_t i = 0; i < o->load_state.len; i++) {
		if (ls[i] != PLAN_LOAD_STATE_NONE && ls[i] != PLAN_LOAD_STATE_GLOBAL)
			return plan_fail(v, PLAN_E_ENUM,
			                 "ops: load_state of proxy %u is 0x%02x",
			                 (unsigned)i, (unsigned)(unsigned char)ls[i]);
		if (ls[i] == PLAN_LOAD_STATE_GLOBAL &&
		    (!(v->p.proxies[i].cap & PLAN_CAP_BE) ||
		     !o->server_state_file.len))
			return plan_fail(v, PLAN_E_VALUE,
			                 "ops: proxy %u loads server state without being a backend or without a server-state-file",
			                 (unsigned)i);
	}
	return PLAN_E_OK;
}

static enum plan_err plan_check_preconds(struct plan_vctx *v)
{
	enum plan_err e;
	uint32_t i;

	for (i = 0; i < v->p.npreconds; i++) {
		const struct plan_precond *pc = &v->p.preconds[i];

		if (pc->kind >= PLAN_PRE_KIND_MAX)
			return plan_fail(v, PLAN_E_ENUM, "precond %u: kind %u unknown",
			                 (unsigned)i, (unsigned)pc->kind);
		if (pc->reserved)
			return plan_fail(v, PLAN_E_RESERVED,
			                 "precond %u: reserved 0x%x", (unsigned)i,
			                 (unsigned)pc->reserved);
		if (pc->line == 0 || pc->col == 0)
			return plan_fail(v, PLAN_E_VALUE,
			                 "precond %u: line %u, column %u (expected >= 1)",
			                 (unsigned)i, (unsigned)pc->line,
			                 (unsigned)pc->col);
		if ((e = plan_check_text(v, pc->path, "precond", i, "path")) ||
		    (e = plan_check_text(v, pc->source, "precond", i, "source")) ||
		    (e = plan_check_text(v, pc->keyword, "precond", i, "keyword")))
			return e;
		if (pc->path.len == 0 || v->p.blob[pc->path.off] != '/' ||
		    memchr(v->p.blob + pc->path.off, 0, pc->path.len))
			return plan_fail(v, PLAN_E_VALUE,
			                 "precond %u: path is not a non-empty absolute path",
			                 (unsigned)i);
	}
	return PLAN_E_OK;
}

/* A pattern of an ACL whose match is `match`: kind fitting it, prefix in
 * range with no address bit set past it, range ordered, a string in the
 * blob (lowercase under ICASE for STR), the rest zero. */
static enum plan_err plan_check_pattern(struct plan_vctx *v, uint32_t i,
                                        uint32_t match, uint32_t aflags)
{
	const struct plan_pattern *pt = &v->p.patterns[i];
	const struct sample_match_def *md = sample_match_by_id(match);
	unsigned ipn = 0, bits = 0;
	enum plan_err e;
	int want = md ? md->pat : -1;

	if (pt->kind >= PLAN_PAT_KIND_MAX)
		return plan_fail(v, PLAN_E_ENUM, "pattern %u: kind %u unknown",
		                 (unsigned)i, (unsigned)pt->kind);
	if ((pt->file_len == 0) != (pt->file_off == 0))
		return plan_fail(v, PLAN_E_RESERVED, "pattern %u: file name at %u "
		                 "of %u bytes", (unsigned)i, (unsigned)pt->file_off,
		                 (unsigned)pt->file_len);
	if (pt->file_off) {
		struct plan_str fs = { pt->file_off, pt->file_len };

		if ((e = plan_check_str(v, fs, "pattern", i, "file")) != PLAN_E_OK)
			return e;
	}
	if (want == PLAN_PAT_IPV4 ? pt->kind != PLAN_PAT_IPV4 &&
	                            pt->kind != PLAN_PAT_IPV6
	                          : pt->kind != want)
		return plan_fail(v, PLAN_E_VALUE,
		                 "pattern %u: kind %u under match %u",
		                 (unsigned)i, (unsigned)pt->kind, (unsigned)match);
	if ((e = plan_check_text(v, pt->str, "pattern", i, "str")))
		return e;
	if (pt->kind == PLAN_PAT_STR || pt->kind == PLAN_PAT_REG) {
		static const uint8_t zero[16];

		if (pt->prefix || pt->lo || pt->hi || memcmp(pt->ip, zero, 16))
			return plan_fail(v, PLAN_E_VALUE,
			                 "pattern %u: string pattern with numbers set",
			                 (unsigned)i);
		if (match == PLAN_MATCH_BIN) {
			const char *hex = v->p.blob + pt->str.off;

			if (pt->str.len % 2)
				return plan_fail(v, PLAN_E_VALUE,
				                 "pattern %u: odd number of hex digits",
				                 (unsigned)i);
			for (uint32_t c = 0; c < pt->str.len; c++)
				if (plan_hex_digit((unsigned char)hex[c]) < 0)
					return plan_fail(v, PLAN_E_VALUE,
					                 "pattern %u: '%c' is not a hex digit",
					                 (unsigned)i, hex[c]);
		}
		if (pt->kind == PLAN_PAT_STR && (aflags & PLAN_ACL_F_ICASE))
			for (uint32_t c = 0; c < pt->str.len; c++) {
				char ch = v->p.blob[pt->str.off + c];

				if (ch >= 'A' && ch <= 'Z')
					return plan_fail(v, PLAN_E_VALUE,
					                 "pattern %u: uppercase in a -i pattern",
					                 (unsigned)i);
			}
		return PLAN_E_OK;
	}
	if (pt->str.len || pt->str.off)
		return plan_fail(v, PLAN_E_VALUE, "pattern %u: text on kind %u",
		                 (unsigned)i, (unsigned)pt->kind);
	if (pt->kind == PLAN_PAT_INT) {
		if (pt->lo > pt->hi || pt->prefix)
			return plan_fail(v, PLAN_E_VALUE,
			                 "pattern %u: integer range %lld..%lld, prefix %u",
			                 (unsigned)i, (long long)pt->lo,
			                 (long long)pt->hi, (unsigned)pt->prefix);
	} else {
		ipn = pt->kind == PLAN_PAT_IPV4 ? 4 : 16;
		bits = pt->prefix;
		if (bits > ipn * 8 || pt->lo || pt->hi)
			return plan_fail(v, PLAN_E_VALUE,
			                 "pattern %u: prefix %u of %u bits, lo/hi %lld/%lld",
			                 (unsigned)i, bits, ipn * 8,
			                 (long long)pt->lo, (long long)pt->hi);
	}
	for (unsigned b = 0; b < 16; b++) {
		unsigned keep = b < ipn ? (bits >= (b + 1) * 8 ? 8 :
		                           bits > b * 8 ? bits - b * 8 : 0) : 0;
		uint8_t mask = (uint8_t)(0xffu << (8 - keep));

		if (keep == 0)
			mask = 0;
		if (pt->ip[b] & ~mask)
			return plan_fail(v, PLAN_E_VALUE,
			                 "pattern %u: ip byte %u has bits past prefix %u",
			                 (unsigned)i, b, bits);
	}
	return PLAN_E_OK;
}

/* Patterns k-1 and k of a SORTED line in strictly increasing order. */
static int plan_pat_before(const struct plan_vctx *v, uint32_t a, uint32_t b)
{
	struct plan_str x = v->p.patterns[a].str, y = v->p.patterns[b].str;
	uint32_t n = x.len < y.len ? x.len : y.len;
	int c = memcmp(v->p.blob + x.off, v->p.blob + y.off, n);

	return c < 0 || (c == 0 && x.len < y.len);
}

/* The map value array of step `i`: npatterns blob strings. */
static enum plan_err plan_check_values(struct plan_vctx *v, uint32_t i,
                                       const struct plan_conv_step *st)
{
	enum plan_err e;

	if (st->values.len != st->npatterns * 8u ||
	    (uint64_t)st->values.off + st->values.len > v->p.blob_len)
		return plan_fail(v, PLAN_E_STRING,
		                 "conv %u: value array of %u bytes at %u for %u keys",
		                 (unsigned)i, (unsigned)st->values.len,
		                 (unsigned)st->values.off, (unsigned)st->npatterns);
	for (uint32_t k = 0; k < st->npatterns; k++) {
		struct plan_str vs;

		memcpy(&vs, v->p.blob + st->values.off + 8u * k, sizeof(vs));
		if ((e = plan_check_str(v, vs, "conv", i, "value")))
			return e;
	}
	return PLAN_E_OK;
}

/*
 * The converter chain of ACL line `acl` starting at step conv - 1: the
 * next one in order, each step as plan-t.h says, the last flagged LAST.
 * Step patterns lie after the ACL lines' ones: checked against the
 * table's end here and for kind against the map's match.
 */
static enum plan_err plan_check_chain(struct plan_vctx *v, uint32_t acl,
                                      uint32_t conv)
{
	uint32_t i = conv - 1;
	enum plan_err e;

	if (i != v->next_step || i >= v->p.nsteps)
		return plan_fail(v, PLAN_E_LAYOUT,
		                 "acl %u: converters at %u, expected %u of %u",
		                 (unsigned)acl, (unsigned)i,
		                 (unsigned)v->next_step, (unsigned)v->p.nsteps);
	for (;; i++) {
		const struct plan_conv_step *st;
		int pats;

		if (i >= v->p.nsteps)
			return plan_fail(v, PLAN_E_LAYOUT,
			                 "acl %u: converter chain without its last step",
			                 (unsigned)acl);
		st = &v->p.steps[i];
		if (st->conv == PLAN_CONV_NONE || st->conv >= PLAN_CONV_MAX)
			return plan_fail(v, PLAN_E_ENUM, "conv %u: converter %u",
			                 (unsigned)i, (unsigned)st->conv);
		if (st->flags & ~PLAN_CS_F_ALL)
			return plan_fail(v, PLAN_E_RESERVED, "conv %u: flags 0x%x",
			                 (unsigned)i, (unsigned)st->flags);
		if ((st->flags & PLAN_CS_F_A_VAR) &&
		    (st->a < 0 || st->a >= (int64_t)PLAN_MAX_VARS))
			return plan_fail(v, PLAN_E_INDEX, "conv %u: variable %lld",
			                 (unsigned)i, (long long)st->a);
		if (st->conv == PLAN_CONV_SHA2 && st->a != 224 && st->a != 256 &&
		    st->a != 384 && st->a != 512)
			return plan_fail(v, PLAN_E_VALUE, "conv %u: sha2 of %lld bits",
			                 (unsigned)i, (long long)st->a);
		if ((e = plan_check_str(v, st->s1, "conv", i, "s1")) ||
		    (e = plan_check_str(v, st->s2, "conv", i, "s2")))
			return e;
		pats = st->conv == PLAN_CONV_MAP || st->conv == PLAN_CONV_REGSUB;
		if (!pats && (st->npatterns || st->first_pattern || st->match ||
		              st->out || st->values.off || st->values.len))
			return plan_fail(v, PLAN_E_VALUE,
			                 "conv %u: patterns on converter %u",
			                 (unsigned)i, (unsigned)st->conv);
		if (pats && (st->first_pattern > v->p.npatterns ||
		             st->npatterns > v->p.npatterns - st->first_pattern))
			return plan_fail(v, PLAN_E_INDEX, "conv %u: patterns [%u, +%u)",
			                 (unsigned)i, (unsigned)st->first_pattern,
			                 (unsigned)st->npatterns);
		if (st->conv == PLAN_CONV_REGSUB &&
		    (st->npatterns != 1 ||
		     v->p.patterns[st->first_pattern].kind != PLAN_PAT_REG))
			return plan_fail(v, PLAN_E_VALUE,
			                 "conv %u: regsub without its one regex",
			                 (unsigned)i);
		if (st->conv == PLAN_CONV_MAP) {
			const struct sample_match_def *md =
				sample_match_by_id(st->match);

			if (!md || st->match < PLAN_MATCH_INT ||
			    st->match == PLAN_MATCH_LEN ||
			    (st->out != SMP_OUT_STR && st->out != SMP_OUT_INT &&
			     st->out != SMP_OUT_IP))
				return plan_fail(v, PLAN_E_VALUE,
				                 "conv %u: map match %u, output %u",
				                 (unsigned)i, (unsigned)st->match,
				                 (unsigned)st->out);
			for (uint32_t k = 0; k < st->npatterns; k++) {
				uint32_t pi = st->first_pattern + k;

				if ((e = plan_check_pattern(v, pi, st->match,
				                            st->flags & PLAN_CS_F_ICASE ?
				                            PLAN_ACL_F_ICASE : 0)))
					return e;
				if (st->match == PLAN_MATCH_STR && k &&
				    !plan_pat_before(v, pi - 1, pi))
					return plan_fail(v, PLAN_E_VALUE,
					                 "conv %u: map keys %u and %u out of order",
					                 (unsigned)i, (unsigned)(pi - 1),
					                 (unsigned)pi);
			}
			if ((e = plan_check_values(v, i, st)))
				return e;
		}
		if (st->flags & PLAN_CS_F_LAST)
			break;
	}
	v->next_step = i + 1;
	return PLAN_E_OK;
}

/* The list of an acl() line `i` of proxy `owner`: well formed, at least
 * one range, each non-empty inside the owner's ACL lines and naming no
 * acl() line (no recursion). */
static enum plan_err plan_check_acl_refs(struct plan_vctx *v, uint32_t i,
                                         uint32_t owner)
{
	const struct plan_acl *a = &v->p.acls[i];
	const struct plan_proxy *px = &v->p.proxies[owner];
	const char *s;
	size_t pos = 0;
	uint32_t first, n, count = 0;
	enum plan_err e;
	int neg, r;

	if (a->arg != PLAN_NONE)
		return plan_fail(v, PLAN_E_VALUE, "acl %u: arg on acl()",
		                 (unsigned)i);
	if ((e = plan_check_str(v, a->sarg, "acl", i, "sarg")))
		return e;
	s = plan_str_get(&v->p, a->sarg);
	while ((r = plan_acl_ref_next(s, a->sarg.len, &pos, &neg, &first,
	                              &n)) > 0) {
		count++;
		if (!n || first < px->first_acl ||
		    (uint64_t)first + n > (uint64_t)px->first_acl + px->nacls)
			return plan_fail(v, PLAN_E_INDEX,
			                 "acl %u: acl() names lines [%u, +%u) outside "
			                 "its proxy's", (unsigned)i, (unsigned)first,
			                 (unsigned)n);
		for (uint32_t k = 0; k < n; k++)
			if (v->p.acls[first + k].fetch == PLAN_FETCH_ACL)
				return plan_fail(v, PLAN_E_VALUE,
				                 "acl %u: acl() names acl() line %u",
				                 (unsigned)i, (unsigned)(first + k));
	}
	if (r < 0 || !count)
		return plan_fail(v, PLAN_E_VALUE, "acl %u: acl() list '%.*s'",
		                 (unsigned)i, (int)a->sarg.len, s);
	return PLAN_E_OK;
}

/* ACL line `i` of proxy `owner`: fetch, argument, match, patterns (whose
 * first must be `*next_pat`). */
static enum plan_err plan_check_acl(struct plan_vctx *v, uint32_t i,
                                    uint32_t owner, uint32_t *next_pat)
{
	const struct plan_acl *a = &v->p.acls[i];
	const struct sample_fetch_def *f = sample_fetch_by_id(a->fetch);
	const struct sample_match_def *md = sample_match_by_id(a->match);
	enum plan_err e;

	if (a->proxy != owner)
		return plan_fail(v, PLAN_E_LAYOUT,
		                 "acl %u: proxy %u, but it lies in proxy %u's range",
		                 (unsigned)i, (unsigned)a->proxy, (unsigned)owner);
	if (a->fetch >= PLAN_FETCH_MAX || !f)
		return plan_fail(v, PLAN_E_ENUM, "acl %u: fetch %u unknown",
		                 (unsigned)i, (unsigned)a->fetch);
	if (a->match >= PLAN_MATCH_MAX || !md)
		return plan_fail(v, PLAN_E_ENUM, "acl %u: match %u unknown",
		                 (unsigned)i, (unsigned)a->match);
	/* converters change the type: any method reads what they give */
	if (!a->conv && !sample_match_fits(a->fetch, a->match))
		return plan_fail(v, PLAN_E_VALUE,
		                 "acl %u: match %u does not fit fetch %u",
		                 (unsigned)i, (unsigned)a->match, (unsigned)a->fetch);
	if (a->fetch == PLAN_FETCH_NBSRV && a->arg != PLAN_NONE) {
		if (a->arg >= v->p.nproxies ||
		    !(v->p.proxies[a->arg].cap & PLAN_CAP_BE))
			return plan_fail(v, PLAN_E_INDEX,
			                 "acl %u: nbsrv of proxy %u, not a backend of %u proxies",
			                 (unsigned)i, (unsigned)a->arg,
			                 (unsigned)v->p.nproxies);
	} else if (a->fetch == PLAN_FETCH_VAR) {
		if (a->arg >= PLAN_MAX_VARS)
			return plan_fail(v, PLAN_E_INDEX, "acl %u: variable %u",
			                 (unsigned)i, (unsigned)a->arg);
		if (!plan_var_name_ok(v, a->sarg))
			return plan_fail(v, PLAN_E_STRING,
			                 "acl %u: variable name without a scope",
			                 (unsigned)i);
	} else if (f->arg == SMP_ARG_PAYLOAD || f->arg == SMP_ARG_PAYLOAD_LV) {
		if (a->arg > PLAN_MAX_PAYLOAD_OFF)
			return plan_fail(v, PLAN_E_VALUE,
			                 "acl %u: payload offset %u beyond %u",
			                 (unsigned)i, (unsigned)a->arg,
			                 (unsigned)PLAN_MAX_PAYLOAD_OFF);
		if (f->arg == SMP_ARG_PAYLOAD ?
		    a->occ < 0 || a->occ > (int32_t)PLAN_MAX_PAYLOAD_OFF :
		    a->occ < 1 || a->occ > 4 ||
		    a->arg2 < -(int32_t)PLAN_MAX_PAYLOAD_OFF ||
		    a->arg2 > (int32_t)PLAN_MAX_PAYLOAD_OFF)
			return plan_fail(v, PLAN_E_VALUE,
			                 "acl %u: payload length %d, offset2 %d",
			                 (unsigned)i, (int)a->occ, (int)a->arg2);
	} else if (f->arg == SMP_ARG_PP_TLV) {
		if (a->arg > 255)
			return plan_fail(v, PLAN_E_VALUE,
			                 "acl %u: TLV type %u beyond 255",
			                 (unsigned)i, (unsigned)a->arg);
	} else if (a->fetch == PLAN_FETCH_DATE) {
		if (a->arg != PLAN_NONE || a->occ < 0 || a->occ >= PLAN_DATE_MAX)
			return plan_fail(v, PLAN_E_VALUE, "acl %u: date unit %d",
			                 (unsigned)i, (int)a->occ);
	} else if (a->fetch == PLAN_FETCH_ACL) {
		if ((e = plan_check_acl_refs(v, i, owner)))
			return e;
	} else if (a->fetch == PLAN_FETCH_STKCTR) {
		/* arg and occ: plan_table_check_acl() (plan_table.c) */
	} else if (a->fetch != PLAN_FETCH_NBSRV && a->arg != PLAN_NONE) {
		return plan_fail(v, PLAN_E_VALUE, "acl %u: arg %u on fetch %u",
		                 (unsigned)i, (unsigned)a->arg, (unsigned)a->fetch);
	}
	if (a->conv && (e = plan_check_chain(v, i, a->conv)))
		return e;
	if (a->arg2 && f->arg != SMP_ARG_PAYLOAD_LV && f->arg != SMP_ARG_DATE)
		return plan_fail(v, PLAN_E_RESERVED, "acl %u: arg2 0x%x",
		                 (unsigned)i, (unsigned)a->arg2);
	if (a->reserved)
		return plan_fail(v, PLAN_E_RESERVED, "acl %u: reserved 0x%x",
		                 (unsigned)i, (unsigned)a->reserved);
	if (a->flags & ~(PLAN_ACL_F_ICASE | PLAN_ACL_F_SORTED))
		return plan_fail(v, PLAN_E_RESERVED, "acl %u: unknown flags 0x%x",
		                 (unsigned)i, (unsigned)a->flags);
	if ((e = plan_check_name(v, a->name, "acl", i, 0, 1)) ||
	    (e = plan_check_text(v, a->sarg, "acl", i, "sarg")))
		return e;
	if (f->arg != SMP_ARG_TEXT && f->arg != SMP_ARG_OPT_NAME &&
	    (f->arg == SMP_ARG_NAME || f->arg == SMP_ARG_NAME_OCC ||
	     f->arg == SMP_ARG_VAR || f->arg == SMP_ARG_ACLS) !=
	    (a->sarg.len != 0))
		return plan_fail(v, PLAN_E_VALUE,
		                 "acl %u: fetch %u with a name of %u bytes",
		                 (unsigned)i, (unsigned)a->fetch,
		                 (unsigned)a->sarg.len);
	if (a->fetch == PLAN_FETCH_HTTP_AUTH ||
	    a->fetch == PLAN_FETCH_HTTP_AUTH_GROUP) {
		const char *why = NULL;

		if (plan_userlist_check(v->p.blob + a->sarg.off, a->sarg.len,
		                        &why) < 0)
			return plan_fail(v, PLAN_E_VALUE, "acl %u: userlist with %s",
			                 (unsigned)i, why);
	}
	if (a->occ && f->arg != SMP_ARG_NAME_OCC && f->arg != SMP_ARG_PAYLOAD &&
	    f->arg != SMP_ARG_PAYLOAD_LV && a->fetch != PLAN_FETCH_STKCTR &&
	    f->arg != SMP_ARG_DATE)
		return plan_fail(v, PLAN_E_VALUE, "acl %u: occurrence %d on fetch %u",
		                 (unsigned)i, (int)a->occ, (unsigned)a->fetch);
	if (a->first_pattern != *next_pat ||
	    a->npatterns > v->p.npatterns - *next_pat)
		return plan_fail(v, PLAN_E_LAYOUT,
		                 "acl %u: patterns [%u, +%u), expected to start at %u of %u",
		                 (unsigned)i, (unsigned)a->first_pattern,
		                 (unsigned)a->npatterns, (unsigned)*next_pat,
		                 (unsigned)v->p.npatterns);
	if (a->npatterns && md->pat == SAMPLE_PAT_NONE)
		return plan_fail(v, PLAN_E_VALUE,
		                 "acl %u: %u patterns with a match taking none",
		                 (unsigned)i, (unsigned)a->npatterns);
	if ((a->flags & PLAN_ACL_F_SORTED) && a->match != PLAN_MATCH_STR)
		return plan_fail(v, PLAN_E_VALUE, "acl %u: sorted with match %u",
		                 (unsigned)i, (unsigned)a->match);
	for (uint32_t k = 0; k < a->npatterns; k++) {
		uint32_t pi = a->first_pattern + k;

		if ((e = plan_check_pattern(v, pi, a->match, a->flags)))
			return e;
		if ((a->flags & PLAN_ACL_F_SORTED) && k &&
		    !plan_pat_before(v, pi - 1, pi))
			return plan_fail(v, PLAN_E_VALUE,
			                 "acl %u: sorted patterns %u and %u out of order",
			                 (unsigned)i, (unsigned)(pi - 1), (unsigned)pi);
	}
	*next_pat += a->npatterns;
	return PLAN_E_OK;
}

/* The terms [first, first + n) of record `i` (a `what`) of proxy
 * `owner`: the next ones in order (`*next_term`), flags known, each
 * naming ACL lines of the owner. */
static enum plan_err plan_check_terms(struct plan_vctx *v, uint32_t owner,
                                      const char *what, uint32_t i,
                                      uint32_t first, uint32_t n,
                                      uint32_t *next_term)
{
	const struct plan_proxy *px = &v->p.proxies[owner];

	if (first != *next_term || n > v->p.nterms - *next_term)
		return plan_fail(v, PLAN_E_LAYOUT,
		                 "%s %u: terms [%u, +%u), expected to start at %u of %u",
		                 what, (unsigned)i, (unsigned)first, (unsigned)n,
		                 (unsigned)*next_term, (unsigned)v->p.nterms);
	for (uint32_t t = 0; t < n; t++) {
		const struct plan_term *tm = &v->p.terms[first + t];
		uint32_t ti = first + t;

		if (tm->flags & ~(PLAN_TERM_F_NEGATE | PLAN_TERM_F_OR))
			return plan_fail(v, PLAN_E_RESERVED,
			                 "term %u: unknown flags 0x%x", (unsigned)ti,
			                 (unsigned)tm->flags);
		if (t == 0 && (tm->flags & PLAN_TERM_F_OR))
			return plan_fail(v, PLAN_E_VALUE,
			                 "term %u: a rule's first term starts an alternative",
			                 (unsigned)ti);
		if (tm->reserved)
			return plan_fail(v, PLAN_E_RESERVED, "term %u: reserved 0x%x",
			                 (unsigned)ti, (unsigned)tm->reserved);
		if (tm->nacls == 0 || tm->first_acl < px->first_acl ||
		    (uint64_t)tm->first_acl + tm->nacls >
		    (uint64_t)px->first_acl + px->nacls)
			return plan_fail(v, PLAN_E_INDEX,
			                 "term %u: acls [%u, +%u) outside proxy %u's [%u, +%u)",
			                 (unsigned)ti, (unsigned)tm->first_acl,
			                 (unsigned)tm->nacls, (unsigned)owner,
			                 (unsigned)px->first_acl, (unsigned)px->nacls);
	}
	*next_term += n;
	return PLAN_E_OK;
}

/* The log-format nodes [first, first + n) of http rule `i` of `owner`:
 * the next ones in order (`*next_lf`), each as plan-t.h says. */
static enum plan_err plan_check_lf(struct plan_vctx *v, uint32_t owner,
                                   uint32_t i, uint32_t first, uint32_t n,
                                   uint32_t action, uint32_t *next_lf)
{
	const struct plan_proxy *px = &v->p.proxies[owner];
	enum plan_err e;

	if (first != *next_lf || n > v->p.nlf - *next_lf)
		return plan_fail(v, PLAN_E_LAYOUT,
		                 "http_rule %u: lf [%u, +%u), expected to start at %u of %u",
		                 (unsigned)i, (unsigned)first, (unsigned)n,
		                 (unsigned)*next_lf, (unsigned)v->p.nlf);
	for (uint32_t k = 0; k < n; k++) {
		const struct plan_lf_node *nd = &v->p.lf[first + k];
		uint32_t ni = first + k;
		int end = 0;

		if (nd->kind >= PLAN_LF_KIND_MAX)
			return plan_fail(v, PLAN_E_ENUM, "lf %u: kind %u unknown",
			                 (unsigned)ni, (unsigned)nd->kind);
		if (nd->reserved)
			return plan_fail(v, PLAN_E_RESERVED, "lf %u: reserved 0x%x",
			                 (unsigned)ni, (unsigned)nd->reserved);
		if ((e = plan_check_text(v, nd->str, "lf", ni, "str")))
			return e;
		for (unsigned c = 0; c < PLAN_LF_MAX_CONV; c++) {
			if (nd->conv[c] >= PLAN_CONV_MAX ||
			    (nd->conv[c] && (end || nd->kind != PLAN_LF_FETCH)))
				return plan_fail(v, PLAN_E_VALUE,
				                 "lf %u: converter %u at %u", (unsigned)ni,
				                 (unsigned)nd->conv[c], c);
			end |= nd->conv[c] == PLAN_CONV_NONE;
		}
		switch (nd->kind) {
		case PLAN_LF_LIT:
			if (!nd->str.len || nd->ref)
				return plan_fail(v, PLAN_E_VALUE,
				                 "lf %u: literal of %u bytes, ref %u",
				                 (unsigned)ni, (unsigned)nd->str.len,
				                 (unsigned)nd->ref);
			break;
		case PLAN_LF_FETCH:
			if (nd->str.len || nd->ref < px->first_acl ||
			    nd->ref - px->first_acl >= px->nacls ||
			    v->p.acls[nd->ref].name.len ||
			    v->p.acls[nd->ref].match != PLAN_MATCH_FOUND)
				return plan_fail(v, PLAN_E_INDEX,
				                 "lf %u: fetch of acl %u, not an anonymous found line of proxy %u",
				                 (unsigned)ni, (unsigned)nd->ref,
				                 (unsigned)owner);
			break;
		case PLAN_LF_GROUP:
			if ((action != PLAN_HA_REPLACE_HEADER &&
			     action != PLAN_HA_REPLACE_VALUE &&
			     action != PLAN_HA_REPLACE_PATH) || nd->str.len ||
			    nd->ref > 9)
				return plan_fail(v, PLAN_E_VALUE,
				                 "lf %u: group %u outside a replace rule or past 9",
				                 (unsigned)ni, (unsigned)nd->ref);
			break;
		case PLAN_LF_HDR:
			if ((action != PLAN_HA_RETURN && action != PLAN_HA_REDIRECT &&
			     action != PLAN_HA_DENY && action != PLAN_HA_TARPIT) ||
			    !nd->str.len || nd->ref)
				return plan_fail(v, PLAN_E_VALUE,
				                 "lf %u: header line of %u bytes, ref %u, outside a deny, return or redirect",
				                 (unsigned)ni, (unsigned)nd->str.len,
				                 (unsigned)nd->ref);
			break;
		default:
			if (nd->str.len || nd->ref >= PLAN_LFV_MAX)
				return plan_fail(v, PLAN_E_VALUE,
				                 "lf %u: variable %u", (unsigned)ni,
				                 (unsigned)nd->ref);
			break;
		}
	}
	*next_lf += n;
	return PLAN_E_OK;
}

/* Http rule `i` of proxy `owner`: the set order, action, its fields,
 * terms and value. */
static enum plan_err plan_check_http_rule(struct plan_vctx *v, uint32_t i,
                                          uint32_t owner, uint32_t *next_term,
                                          uint32_t *next_lf)
{
	const struct plan_http_rule *r = &v->p.http_rules[i];
	uint32_t a = r->action, st = r->status;
	int status_ok, has_value, has_name;
	enum plan_err e;

	if (r->set >= PLAN_HR_SET_MAX || a >= PLAN_HA_ACTION_MAX)
		return plan_fail(v, PLAN_E_ENUM, "http_rule %u: set %u, action %u",
		                 (unsigned)i, (unsigned)r->set, (unsigned)a);
	if (i && v->p.http_rules[i - 1].proxy == owner &&
	    v->p.http_rules[i - 1].set > r->set)
		return plan_fail(v, PLAN_E_LAYOUT,
		                 "http_rule %u: set %u after set %u",
		                 (unsigned)i, (unsigned)r->set,
		                 (unsigned)v->p.http_rules[i - 1].set);
	if (!plan_http_action_allowed(r->set, a))
		return plan_fail(v, PLAN_E_VALUE,
		                 "http_rule %u: action %u in set %u", (unsigned)i,
		                 (unsigned)a, (unsigned)r->set);
	switch (a) {
	case PLAN_HA_DENY:
	case PLAN_HA_RETURN:
	case PLAN_HA_TARPIT:
		status_ok = st >= 200 && st <= 599;
		break;
	case PLAN_HA_AUTH:
		status_ok = st == 401;
		break;
	case PLAN_HA_REDIRECT:
		status_ok = st == 301 || st == 302 || st == 303 || st == 307 ||
		            st == 308;
		break;
	case PLAN_HA_SET_STATUS:
		status_ok = st >= 100 && st <= 999;
		break;
	default:
		status_ok = st == 0;
		break;
	}
	if (!status_ok)
		return plan_fail(v, PLAN_E_VALUE, "http_rule %u: status %u, action %u",
		                 (unsigned)i, (unsigned)st, (unsigned)a);
	if ((e = plan_check_text(v, r->name, "http_rule", i, "name")))
		return e;
	if (a == PLAN_HA_REPLACE_HEADER || a == PLAN_HA_REPLACE_VALUE ||
	    a == PLAN_HA_REPLACE_PATH) {
		const struct plan_proxy *px = &v->p.proxies[owner];
		const struct plan_acl *ra = r->arg - px->first_acl < px->nacls &&
		                            r->arg >= px->first_acl ?
		                            &v->p.acls[r->arg] : NULL;
		uint32_t want = a == PLAN_HA_REPLACE_PATH ? PLAN_FETCH_PATH :
		                r->set == PLAN_HR_REQUEST ? PLAN_FETCH_REQ_FHDR :
		                PLAN_FETCH_RES_FHDR;

		if (!ra || ra->name.len || ra->match != PLAN_MATCH_REG ||
		    ra->npatterns != 1 || ra->fetch != want ||
		    ra->sarg.len != r->name.len ||
		    memcmp(v->p.blob + ra->sarg.off, v->p.blob + r->name.off,
		           r->name.len))
			return plan_fail(v, PLAN_E_INDEX,
			                 "http_rule %u: regex line %u is not an anonymous one-regex line on its header or path",
			                 (unsigned)i, (unsigned)r->arg);
	} else if (a == PLAN_HA_SET_VAR || a == PLAN_HA_SET_VAR_FMT ||
	           a == PLAN_HA_UNSET_VAR) {
		if (r->arg >= PLAN_MAX_VARS)
			return plan_fail(v, PLAN_E_INDEX, "http_rule %u: variable %u",
			                 (unsigned)i, (unsigned)r->arg);
		if (!plan_var_name_ok(v, r->name))
			return plan_fail(v, PLAN_E_STRING,
			                 "http_rule %u: variable name without a scope "
			                 "(proc., sess., txn., req. or res.)",
			                 (unsigned)i);
		if (a == PLAN_HA_SET_VAR &&
		    (r->nlf != 1 || r->first_lf >= v->p.nlf ||
		     v->p.lf[r->first_lf].kind != PLAN_LF_FETCH))
			return plan_fail(v, PLAN_E_VALUE,
			                 "http_rule %u: set-var without one sample",
			                 (unsigned)i);
	} else if (a == PLAN_HA_STICK) {
		/* the TRACK record: plan_table_check() */
	} else if (a == PLAN_HA_REDIRECT ? r->arg >= PLAN_REDIR_MAX ||
	                                   (r->set != PLAN_HR_REQUEST &&
	                                    r->arg != PLAN_REDIR_LOCATION) :
	           a == PLAN_HA_USE_SERVICE ? r->arg >= PLAN_SVC_MAX :
	           a == PLAN_HA_NORMALIZE_URI ? r->arg >= PLAN_URINORM_MAX :
	           a == PLAN_HA_DEL_HEADER ? r->arg < PLAN_MATCH_STR ||
	                                     r->arg > PLAN_MATCH_SUB : r->arg != 0) {
		return plan_fail(v, PLAN_E_VALUE, "http_rule %u: arg %u, action %u",
		                 (unsigned)i, (unsigned)r->arg, (unsigned)a);
	}
	if (r->flags & ~((a == PLAN_HA_REDIRECT ?
	                  PLAN_HR_F_DROP_QUERY | PLAN_HR_F_APPEND_SLASH |
	                  PLAN_HR_F_IGNORE_EMPTY : 0u) |
	                 (a == PLAN_HA_NORMALIZE_URI ?
	                  plan_uri_norm_flags(r->arg) : 0u) |
	                 (r->set == PLAN_HR_REQUEST && !r->nlf &&
	                  (a == PLAN_HA_ALLOW || a == PLAN_HA_DENY ||
	                   a == PLAN_HA_AUTH || a == PLAN_HA_STATS_ADMIN) ?
	                  PLAN_HR_F_STATS : 0u)) ||
	    (a == PLAN_HA_STATS_ADMIN && !(r->flags & PLAN_HR_F_STATS)))
		return plan_fail(v, PLAN_E_RESERVED, "http_rule %u: flags 0x%x",
		                 (unsigned)i, (unsigned)r->flags);
	if (r->cond >= PLAN_COND_MAX ||
	    (r->cond == PLAN_COND_NONE) != (r->nterms == 0))
		return plan_fail(v, PLAN_E_VALUE, "http_rule %u: cond %u with %u terms",
		                 (unsigned)i, (unsigned)r->cond, (unsigned)r->nterms);
	has_name = a == PLAN_HA_SET_HEADER || a == PLAN_HA_ADD_HEADER ||
	           a == PLAN_HA_DEL_HEADER || a == PLAN_HA_REPLACE_HEADER ||
	           a == PLAN_HA_REPLACE_VALUE || a == PLAN_HA_SET_VAR ||
	           a == PLAN_HA_SET_VAR_FMT || a == PLAN_HA_UNSET_VAR;
	if (has_name ? r->name.len == 0 : r->name.len && a != PLAN_HA_RETURN &&
	                                   a != PLAN_HA_DENY && a != PLAN_HA_AUTH &&
	                                   a != PLAN_HA_TARPIT)
		return plan_fail(v, PLAN_E_VALUE, "http_rule %u: name of %u bytes",
		                 (unsigned)i, (unsigned)r->name.len);
	has_value = a != PLAN_HA_ALLOW && a != PLAN_HA_DEL_HEADER &&
	            a != PLAN_HA_UNSET_VAR && a != PLAN_HA_STICK &&
	            a != PLAN_HA_USE_SERVICE && a != PLAN_HA_AUTH &&
	            a != PLAN_HA_STATS_ADMIN && a != PLAN_HA_NORMALIZE_URI;
	if (!has_value && r->nlf)
		return plan_fail(v, PLAN_E_VALUE, "http_rule %u: value on action %u",
		                 (unsigned)i, (unsigned)a);
	if ((e = plan_check_terms(v, owner, "http_rule", i, r->first_term,
	                          r->nterms, next_term)))
		return e;
	return plan_check_lf(v, owner, i, r->first_lf, r->nlf, a, next_lf);
}

/* Rule `i` of proxy `owner`, its `k`th: action allowed in the set its
 * place puts it in (plan_tcp_rules_of()), backend, argument, condition
 * and terms (whose first must be `*next_term`). */
static enum plan_err plan_check_rule(struct plan_vctx *v, uint32_t i,
                                     uint32_t owner, uint32_t k,
                                     uint32_t *next_term)
{
	const struct plan_rule *r = &v->p.rules[i];
	const struct plan_proxy *px = &v->p.proxies[owner];
	uint32_t set = 0, first, n;

	for (set = 0; set < PLAN_TCP_SET_MAX; set++) {
		n = plan_tcp_rules_of(&v->p, owner, set, &first);
		if (i >= first && i - first < n)
			break;
	}
	if (r->proxy != owner)
		return plan_fail(v, PLAN_E_LAYOUT,
		                 "rule %u: proxy %u, but it lies in proxy %u's range",
		                 (unsigned)i, (unsigned)r->proxy, (unsigned)owner);
	if (r->action >= PLAN_RULE_ACTION_MAX)
		return plan_fail(v, PLAN_E_ENUM, "rule %u: action %u unknown",
		                 (unsigned)i, (unsigned)r->action);
	if (!plan_tcp_action_allowed(set, r->action))
		return plan_fail(v, PLAN_E_LAYOUT,
		                 "rule %u: action %u at position %u of a proxy with %u connection rules (set %u)",
		                 (unsigned)i, (unsigned)r->action, (unsigned)k,
		                 (unsigned)px->nconn_rules, (unsigned)set);
	if (r->action == PLAN_RULE_USE_BACKEND && r->backend == PLAN_NONE) {
		uint32_t a = r->arg - 1;    /* use_backend %[...] */

		if (!r->arg || a < px->first_acl || a - px->first_acl >= px->nacls ||
		    v->p.acls[a].name.len || v->p.acls[a].match != PLAN_MATCH_FOUND)
			return plan_fail(v, PLAN_E_INDEX,
			                 "rule %u: backend expression on acl %u",
			                 (unsigned)i, (unsigned)a);
	} else if (r->action == PLAN_RULE_USE_BACKEND) {
		if (r->backend >= v->p.nproxies ||
		    !(v->p.proxies[r->backend].cap & PLAN_CAP_BE))
			return plan_fail(v, PLAN_E_INDEX,
			                 "rule %u: use_backend %u is not a backend of %u proxies",
			                 (unsigned)i, (unsigned)r->backend,
			                 (unsigned)v->p.nproxies);
		if (plan_check_modes(v, r->proxy, r->backend))
			return PLAN_E_VALUE;
	} else if (r->backend != PLAN_NONE) {
		return plan_fail(v, PLAN_E_VALUE,
		                 "rule %u: backend %u on a connection rule",
		                 (unsigned)i, (unsigned)r->backend);
	}
	if (r->cond >= PLAN_COND_MAX)
		return plan_fail(v, PLAN_E_ENUM, "rule %u: cond %u unknown",
		                 (unsigned)i, (unsigned)r->cond);
	if ((r->cond == PLAN_COND_NONE) != (r->nterms == 0))
		return plan_fail(v, PLAN_E_VALUE, "rule %u: cond %u with %u terms",
		                 (unsigned)i, (unsigned)r->cond,
		                 (unsigned)r->nterms);
	if (r->action == PLAN_RULE_USE_SERVER && r->arg >= px->nservers)
		return plan_fail(v, PLAN_E_INDEX,
		                 "rule %u: use-server %u of a backend of %u servers",
		                 (unsigned)i, (unsigned)r->arg,
		                 (unsigned)px->nservers);
	if (r->action == PLAN_RULE_SET_TOS ? r->arg > 255 :
	    r->action != PLAN_RULE_SET_MARK && r->action != PLAN_RULE_STICK &&
	    r->action != PLAN_RULE_USE_SERVER &&
	    (r->action != PLAN_RULE_USE_BACKEND || r->backend != PLAN_NONE) &&
	    r->arg)
		return plan_fail(v, PLAN_E_RESERVED, "rule %u: arg 0x%x on action %u",
		                 (unsigned)i, (unsigned)r->arg, (unsigned)r->action);
	return plan_check_terms(v, owner, "rule", i, r->first_term, r->nterms,
	                        next_term);
}

/* TCP record of proxy `i`: its counts fit the proxy's rules, each set
 * is on the side that runs it. */
static enum plan_err plan_check_tcp(struct plan_vctx *v, uint32_t i)
{
	const struct plan_proxy *px = &v->p.proxies[i];
	const struct plan_tcp *t = &v->p.tcp[i];
	uint64_t sum = (uint64_t)px->nconn_rules + t->nsession + t->ncontent +
	               t->nresponse + t->nstick + t->nuse_server;

	if (t->reserved)
		return plan_fail(v, PLAN_E_RESERVED, "tcp %u: reserved words",
		                 (unsigned)i);
	if (sum > px->nrules)
		return plan_fail(v, PLAN_E_VALUE,
		                 "proxy %u: %llu connection, session, content, response, stick and use-server rules of %u rules",
		                 (unsigned)i, (unsigned long long)sum,
		                 (unsigned)px->nrules);
	if (px->nrules - t->nresponse - t->nstick - t->nuse_server &&
	    !(px->cap & PLAN_CAP_FE))
		return plan_fail(v, PLAN_E_INDEX,
		                 "proxy %u: rules on a proxy that is not a frontend",
		                 (unsigned)i);
	if ((t->nresponse || t->res_inspect_delay || t->nstick ||
	     t->nuse_server) && !(px->cap & PLAN_CAP_BE))
		return plan_fail(v, PLAN_E_INDEX,
		                 "proxy %u: tcp-response, stick or use-server rules on a proxy that is not a backend",
		                 (unsigned)i);
	/* as emit.c keeps them: each delay only with the rules it delays */
	if ((t->inspect_delay && !t->ncontent) ||
	    (t->res_inspect_delay && !t->nresponse))
		return plan_fail(v, PLAN_E_VALUE,
		                 "tcp %u: an inspect delay without the rules it delays",
		                 (unsigned)i);
	if (t->inspect_delay > PLAN_MAX_INSPECT_DELAY ||
	    t->res_inspect_delay > PLAN_MAX_INSPECT_DELAY)
		return plan_fail(v, PLAN_E_VALUE,
		                 "tcp %u: inspect delay %u / %u ms beyond %u",
		                 (unsigned)i, (unsigned)t->inspect_delay,
		                 (unsigned)t->res_inspect_delay,
		                 (unsigned)PLAN_MAX_INSPECT_DELAY);
	return PLAN_E_OK;
}

/*
 * The ACL, PATTERN, RULE and TERM tables. Each is used in order by its
 * owners (proxies own ACL lines and rules, ACL lines own patterns, rules
 * own terms): an owner's range starts where the previous one ended and
 * the last ends at the table's end, so ranges are disjoint and cover the
 * table, and every record names the owner whose range holds it.
 */
static enum plan_err plan_check_switching(struct plan_vctx *v)
{
	uint32_t next_acl = 0, next_rule = 0, next_pat = 0, next_term = 0;
	uint32_t next_hr = 0, next_lf = 0;
	enum plan_err e;

	if (v->p.ntcp != v->p.nproxies)
		return plan_fail(v, PLAN_E_COUNT,
		                 "the tcp table has %u records for %u proxies",
		                 (unsigned)v->p.ntcp, (unsigned)v->p.nproxies);
	for (uint32_t i = 0; i < v->p.nproxies; i++) {
		const struct plan_proxy *px = &v->p.proxies[i];

		if (px->timeout_tarpit > INT32_MAX)
			return plan_fail(v, PLAN_E_VALUE, "proxy %u: timeout_tarpit %u",
			                 (unsigned)i, (unsigned)px->timeout_tarpit);
		if (px->timeout_tarpit) {
			/* only a proxy with a tarpit rule holds requests */
			uint32_t k = 0;

			while (k < v->p.nhttp_rules &&
			       (v->p.http_rules[k].proxy != i ||
			        v->p.http_rules[k].action != PLAN_HA_TARPIT))
				k++;
			if (k == v->p.nhttp_rules)
				return plan_fail(v, PLAN_E_VALUE,
				                 "proxy %u: timeout_tarpit %u without a tarpit rule",
				                 (unsigned)i, (unsigned)px->timeout_tarpit);
		}
		if (px->first_acl != next_acl ||
		    px->nacls > v->p.nacls - next_acl)
			return plan_fail(v, PLAN_E_LAYOUT,
			                 "proxy %u: acls [%u, +%u), expected to start at %u of %u",
			                 (unsigned)i, (unsigned)px->first_acl,
			                 (unsigned)px->nacls, (unsigned)next_acl,
			                 (unsigned)v->p.nacls);
		if (px->first_rule != next_rule ||
		    px->nrules > v->p.nrules - next_rule)
			return plan_fail(v, PLAN_E_LAYOUT,
			                 "proxy %u: rules [%u, +%u), expected to start at %u of %u",
			                 (unsigned)i, (unsigned)px->first_rule,
			                 (unsigned)px->nrules, (unsigned)next_rule,
			                 (unsigned)v->p.nrules);
		if (px->nconn_rules > px->nrules)
			return plan_fail(v, PLAN_E_VALUE,
			                 "proxy %u: %u connection rules of %u rules",
			                 (unsigned)i, (unsigned)px->nconn_rules,
			                 (unsigned)px->nrules);
		if ((e = plan_check_tcp(v, i)))
			return e;
		for (uint32_t k = 0; k < px->nacls; k++)
			if ((e = plan_check_acl(v, px->first_acl + k, i, &next_pat)))
				return e;
		for (uint32_t k = 0; k < px->nrules; k++)
			if ((e = plan_check_rule(v, px->first_rule + k, i, k,
			                         &next_term)))
				return e;
		next_acl += px->nacls;
		for (; next_hr < v->p.nhttp_rules &&
		       v->p.http_rules[next_hr].proxy == i; next_hr++)
			if ((e = plan_check_http_rule(v, next_hr, i, &next_term,
			                              &next_lf)))
				return e;
		next_rule += px->nrules;
	}
	if (next_hr != v->p.nhttp_rules || next_lf != v->p.nlf)
		return plan_fail(v, PLAN_E_LAYOUT,
		                 "http rules in proxy order cover %u of %u (lf %u of %u)",
		                 (unsigned)next_hr, (unsigned)v->p.nhttp_rules,
		                 (unsigned)next_lf, (unsigned)v->p.nlf);
	if (v->next_step != v->p.nsteps)
		return plan_fail(v, PLAN_E_LAYOUT,
		                 "ACL lines use %u of %u converter steps",
		                 (unsigned)v->next_step, (unsigned)v->p.nsteps);
	/* the patterns after the ACL lines' ones belong to converter steps:
	 * each must be named by one (checked above for its kind) */
	for (uint32_t k = next_pat; k < v->p.npatterns; k++) {
		uint32_t s;

		for (s = 0; s < v->p.nsteps; s++)
			if (v->p.steps[s].npatterns &&
			    k - v->p.steps[s].first_pattern < v->p.steps[s].npatterns &&
			    v->p.steps[s].first_pattern >= next_pat)
				break;
		if (s == v->p.nsteps)
			return plan_fail(v, PLAN_E_LAYOUT,
			                 "pattern %u belongs to no ACL line nor converter",
			                 (unsigned)k);
		if (v->p.steps[s].conv == PLAN_CONV_REGSUB &&
		    (e = plan_check_pattern(v, k, PLAN_MATCH_REG,
		                            v->p.steps[s].flags & PLAN_CS_F_ICASE ?
		                            PLAN_ACL_F_ICASE : 0)))
			return e;
	}
	for (uint32_t s = 0; s < v->p.nsteps; s++)
		if (v->p.steps[s].npatterns && v->p.steps[s].first_pattern < next_pat)
			return plan_fail(v, PLAN_E_LAYOUT,
			                 "conv %u: patterns inside the ACL lines' ones",
			                 (unsigned)s);
	if (next_acl != v->p.nacls || next_rule != v->p.nrules ||
	    next_term != v->p.nterms)
		return plan_fail(v, PLAN_E_LAYOUT,
		                 "owners use %u acls, %u rules, %u patterns, %u terms; the tables have %u, %u, %u, %u",
		                 (unsigned)next_acl, (unsigned)next_rule,
		                 (unsigned)next_pat, (unsigned)next_term,
		                 (unsigned)v->p.nacls, (unsigned)v->p.nrules,
		                 (unsigned)v->p.npatterns, (unsigned)v->p.nterms);
	return PLAN_E_OK;
}

/* An except network of record `i` (`what` names it): canonical, or NONE
 * and all zero when `on` (its option) is not set. */
static enum plan_err plan_check_http_net(struct plan_vctx *v,
                                         const struct plan_http_net *n,
                                         int on, uint32_t i, const char *what)
{
	static const struct plan_http_net zero;
	unsigned bytes = n->family == PLAN_FAM_INET ? 4 : 16;
	unsigned maxp = bytes * 8;

	if (n->family == PLAN_FAM_NONE || !on) {
		if (memcmp(n, &zero, sizeof(zero)))
			return plan_fail(v, PLAN_E_VALUE,
			                 "http %u: %s is set without %s",
			                 (unsigned)i, what,
			                 on ? "a family" : "its option");
		return PLAN_E_OK;
	}
	if (n->family != PLAN_FAM_INET && n->family != PLAN_FAM_INET6)
		return plan_fail(v, PLAN_E_ENUM, "http %u: %s family %u",
		                 (unsigned)i, what, (unsigned)n->family);
	if (n->prefix > maxp)
		return plan_fail(v, PLAN_E_VALUE, "http %u: %s prefix %u > %u",
		                 (unsigned)i, what, (unsigned)n->prefix, maxp);
	if (n->reserved || n->reserved2)
		return plan_fail(v, PLAN_E_RESERVED, "http %u: %s reserved",
		                 (unsigned)i, what);
	for (unsigned b = 0; b < 16; b++) {
		unsigned keep = b >= bytes ? 0 : n->prefix >= (b + 1) * 8 ? 8 :
		                n->prefix > b * 8 ? n->prefix - b * 8 : 0;
		uint8_t mask = keep ? (uint8_t)(0xffu << (8 - keep)) : 0;

		if (n->ip[b] & ~mask)
			return plan_fail(v, PLAN_E_VALUE,
			                 "http %u: %s has bits set past its /%u prefix (byte %u)",
			                 (unsigned)i, what, (unsigned)n->prefix, b);
	}
	return PLAN_E_OK;
}

/* A list string of `what`: empty, or entries each ended by '\n'. */
static enum plan_err plan_check_list(struct plan_vctx *v, struct plan_str s,
                                     uint32_t i, const char *what)
{
	enum plan_err e;

	if ((e = plan_check_text(v, s, "http", i, what)))
		return e;
	if (s.len && v->p.blob[s.off + s.len - 1] != '\n')
		return plan_fail(v, PLAN_E_VALUE,
		                 "http %u: %s does not end with a newline",
		                 (unsigned)i, what);
	return PLAN_E_OK;
}

/* Compression: each algorithm known and at most once, the list packed
 * (0s only at its end), known flags, a type list of '\n'-ended entries. */
static enum plan_err plan_check_comp(struct plan_vctx *v,
                                     const struct plan_http *h, uint32_t i)
{
	unsigned seen = 0;
	int ended = 0;

	for (int k = 0; k < PLAN_COMP_MAX_ALGOS; k++) {
		unsigned a = h->comp_algos[k];

		if (!a) {
			ended = 1;
			continue;
		}
		if (ended || a >= PLAN_COMP_ALGO_MAX || (seen & (1u << a)))
			return plan_fail(v, PLAN_E_VALUE,
			                 "http %u: compression algorithm %u at %d "
			                 "(unknown, repeated or after the end)",
			                 (unsigned)i, a, k);
		seen |= 1u << a;
	}
	if ((h->comp_flags & ~PLAN_COMP_F_ALL) || h->comp_reserved)
		return plan_fail(v, PLAN_E_VALUE,
		                 "http %u: compression flags 0x%x unknown, "
		                 "reserved %u (0)", (unsigned)i,
		                 (unsigned)h->comp_flags,
		                 (unsigned)h->comp_reserved);
	return plan_check_list(v, h->comp_types, i, "comp_types");
}

/* The cookie fields of HTTP record `i` (see struct plan_http). */
static enum plan_err plan_check_cookie(struct plan_vctx *v,
                                       const struct plan_http *h, uint32_t i)
{
	enum plan_err e;

	if ((e = plan_check_text(v, h->cookie_name, "http", i, "cookie_name")) ||
	    (e = plan_check_list(v, h->cookie_domains, i, "cookie_domains")) ||
	    (e = plan_check_list(v, h->cookie_attrs, i, "cookie_attrs")))
		return e;
	if (!h->cookie_name.len) {
		if (h->cookie_domains.len || h->cookie_attrs.len || h->cookie_mode ||
		    h->cookie_flags || h->cookie_maxidle || h->cookie_maxlife)
			return plan_fail(v, PLAN_E_VALUE,
			                 "http %u: cookie settings without a cookie name",
			                 (unsigned)i);
		return PLAN_E_OK;
	}
	if (!(v->p.proxies[i].cap & PLAN_CAP_BE))
		return plan_fail(v, PLAN_E_VALUE,
		                 "http %u: a cookie on a proxy that is not a backend",
		                 (unsigned)i);
	if (h->cookie_mode >= PLAN_COOKIE_MODE_MAX)
		return plan_fail(v, PLAN_E_ENUM, "http %u: cookie_mode %u unknown",
		                 (unsigned)i, (unsigned)h->cookie_mode);
	if (h->cookie_flags & ~PLAN_COOKIE_F_ALL)
		return plan_fail(v, PLAN_E_RESERVED,
		                 "http %u: unknown cookie flags 0x%x", (unsigned)i,
		                 (unsigned)(h->cookie_flags & ~PLAN_COOKIE_F_ALL));
	if ((h->cookie_flags & PLAN_COOKIE_F_PRESERVE) &&
	    h->cookie_mode != PLAN_COOKIE_INSERT &&
	    !(h->cookie_flags & PLAN_COOKIE_F_INDIRECT))
		return plan_fail(v, PLAN_E_VALUE,
		                 "http %u: cookie preserve without insert or indirect",
		                 (unsigned)i);
	if ((e = plan_check_limit(v, PLAN_LIM_TIME_S, h->cookie_maxidle, "http",
	                          i, "cookie_maxidle")) ||
	    (e = plan_check_limit(v, PLAN_LIM_TIME_S, h->cookie_maxlife, "http",
	                          i, "cookie_maxlife")))
		return e;
	if ((h->cookie_maxidle || h->cookie_maxlife) &&
	    h->cookie_mode != PLAN_COOKIE_INSERT)
		return plan_fail(v, PLAN_E_VALUE,
		                 "http %u: cookie maxidle/maxlife without insert",
		                 (unsigned)i);
	return PLAN_E_OK;
}

/* The error pages of HTTP record `i`: strings, and set exactly with
 * their bit (the path; the body may be empty). */
static enum plan_err plan_check_errorfiles(struct plan_vctx *v,
                                           const struct plan_http *h,
                                           uint32_t i)
{
	enum plan_err e;

	if (h->errorfile_mask >> PLAN_HTTP_NERRORS)
		return plan_fail(v, PLAN_E_RESERVED,
		                 "http %u: unknown errorfile bits 0x%x", (unsigned)i,
		                 (unsigned)h->errorfile_mask);
	if (h->errorfile_deferred & ~h->errorfile_mask)
		return plan_fail(v, PLAN_E_VALUE,
		                 "http %u: deferred errorfile bits 0x%x without a page",
		                 (unsigned)i, (unsigned)h->errorfile_deferred);
	for (int k = 0; k < PLAN_HTTP_NERRORS; k++) {
		int on = (h->errorfile_mask >> k) & 1;

		if ((e = plan_check_str(v, h->errorfile[k], "http", i, "errorfile")) ||
		    (e = plan_check_text(v, h->errorfile_path[k], "http", i,
		                        "errorfile_path")))
			return e;
		if ((h->errorfile_path[k].len != 0) != on ||
		    ((!on || ((h->errorfile_deferred >> k) & 1)) &&
		     h->errorfile[k].len))
			return plan_fail(v, PLAN_E_VALUE,
			                 "http %u: errorfile %u: a page or path without its bit, or a bit without a path",
			                 (unsigned)i, plan_http_err_status(k));
	}
	return PLAN_E_OK;
}

/* The lines of the %[...] items of HTTP record i's log format: one
 * anonymous FOUND line of the proxy per item, in order; none without. */
static enum plan_err plan_check_lf_acls(struct plan_vctx *v,
                                        const struct plan_http *h, uint32_t i)
{
	const struct plan_proxy *px = &v->p.proxies[i];
	const char *t = h->log_format.len ? plan_str_get(&v->p, h->log_format)
	                                  : "";
	size_t pos = 0, len;
	uint32_t n = 0, a = h->log_format_acl - 1;

	while (plan_lf_next_expr(t, &pos, &len) >= 0)
		n++;
	if (!n != !h->log_format_acl ||
	    (n && (a < px->first_acl || a - px->first_acl > px->nacls ||
	           n > px->first_acl + px->nacls - a)))
		return plan_fail(v, PLAN_E_INDEX,
		                 "http %u: log format's %u items at acl %u, proxy acls [%u, +%u)",
		                 (unsigned)i, (unsigned)n, (unsigned)a,
		                 (unsigned)px->first_acl, (unsigned)px->nacls);
	for (uint32_t k = 0; k < n; k++) {
		const struct plan_acl *l = &v->p.acls[a + k];

		if (l->name.len || l->match != PLAN_MATCH_FOUND || l->npatterns)
			return plan_fail(v, PLAN_E_VALUE,
			                 "http %u: log format item %u: acl %u is not an anonymous found line",
			                 (unsigned)i, (unsigned)k, (unsigned)(a + k));
	}
	return PLAN_E_OK;
}

/* The captures of HTTP record `i`: a frontend's, in use from 0, at most
 * one cookie capture, unused slots zero. */
static enum plan_err plan_check_captures(struct plan_vctx *v,
                                         const struct plan_http *h,
                                         uint32_t i)
{
	static const struct plan_http_capture zero;
	int cookies = 0;
	enum plan_err e;

	if ((e = plan_check_lf_acls(v, h, i)))
		return e;
	if (h->ncaptures > PLAN_HTTP_MAX_CAPTURES ||
	    (h->ncaptures && !(v->p.proxies[i].cap & PLAN_CAP_FE)))
		return plan_fail(v, PLAN_E_VALUE,
		                 "http %u: %u captures (at most %d, frontends only)",
		                 (unsigned)i, (unsigned)h->ncaptures,
		                 PLAN_HTTP_MAX_CAPTURES);
	for (uint32_t k = 0; k < PLAN_HTTP_MAX_CAPTURES; k++) {
		const struct plan_http_capture *c = &h->captures[k];

		if (k >= h->ncaptures) {
			if (memcmp(c, &zero, sizeof(zero)))
				return plan_fail(v, PLAN_E_VALUE,
				                 "http %u: capture %u is set past ncaptures",
				                 (unsigned)i, (unsigned)k);
			continue;
		}
		if (c->kind == PLAN_CAPTURE_NONE || c->kind >= PLAN_CAPTURE_KIND_MAX)
			return plan_fail(v, PLAN_E_ENUM,
			                 "http %u: capture %u kind %u unknown",
			                 (unsigned)i, (unsigned)k, (unsigned)c->kind);
		if (c->reserved || c->reserved2)
			return plan_fail(v, PLAN_E_RESERVED,
			                 "http %u: capture %u reserved", (unsigned)i,
			                 (unsigned)k);
		if ((e = plan_check_text(v, c->name, "http", i, "capture name")))
			return e;
		if (!c->name.len || (c->kind == PLAN_CAPTURE_COOKIE && cookies++))
			return plan_fail(v, PLAN_E_VALUE,
			                 "http %u: capture %u: empty name or a second cookie capture",
			                 (unsigned)i, (unsigned)k);
	}
	return PLAN_E_OK;
}

/* Servers' cookie values: strings, and only in a backend with a cookie. */
static enum plan_err plan_check_server_cookies(struct plan_vctx *v)
{
	enum plan_err e;

	for (uint32_t i = 0; i < v->p.nservers; i++) {
		const struct plan_server *sv = &v->p.servers[i];

		if ((e = plan_check_text(v, sv->cookie, "server", i, "cookie")))
			return e;
		if (sv->cookie.len && !v->p.http[sv->proxy].cookie_name.len)
			return plan_fail(v, PLAN_E_VALUE,
			                 "server %u: a cookie value in a proxy without a cookie",
			                 (unsigned)i);
	}
	return PLAN_E_OK;
}

/* The balancing and retry fields of HTTP record `i`: each argument only
 * with its algorithm, on a proxy with a backend side. */
static enum plan_err plan_check_http_balance(struct plan_vctx *v,
                                             const struct plan_http *h,
                                             uint32_t i)
{
	const struct plan_proxy *px = &v->p.proxies[i];
	uint32_t bal = px->balance, f = h->bal_flags, allowed = 0;
	enum plan_err e;

	if (h->retry_on & ~PLAN_RETRY_ALL)
		return plan_fail(v, PLAN_E_RESERVED, "http %u: unknown retry_on bits 0x%x",
		                 (unsigned)i, (unsigned)(h->retry_on & ~PLAN_RETRY_ALL));
	if (!(px->cap & PLAN_CAP_BE) &&
	    (h->retry_on || f || h->bal_len || h->bal_depth || h->bal_name.len))
		return plan_fail(v, PLAN_E_VALUE,
		                 "http %u: balance or retry settings without a backend side",
		                 (unsigned)i);
	if (bal == PLAN_BALANCE_URI)
		allowed = PLAN_BAL_F_WHOLE | PLAN_BAL_F_PATH_ONLY;
	else if (bal == PLAN_BALANCE_URL_PARAM)
		allowed = PLAN_BAL_F_CHECK_POST;
	else if (bal == PLAN_BALANCE_HDR)
		allowed = PLAN_BAL_F_DOMAIN_ONLY;
	if ((f & ~allowed) ||
	    (bal != PLAN_BALANCE_URI && (h->bal_len || h->bal_depth)))
		return plan_fail(v, PLAN_E_VALUE,
		                 "http %u: balance arguments 0x%x (len %u, depth %u) "
		                 "foreign to balance %u", (unsigned)i, (unsigned)f,
		                 (unsigned)h->bal_len, (unsigned)h->bal_depth,
		                 (unsigned)bal);
	if (!h->bal_name.len != !(bal == PLAN_BALANCE_URL_PARAM ||
	                         bal == PLAN_BALANCE_HDR ||
	                         bal == PLAN_BALANCE_HASH))
		return plan_fail(v, PLAN_E_VALUE,
		                 "http %u: a balance name goes with url_param, hdr "
		                 "and hash, and only with them", (unsigned)i);
	if (!h->bal_acl != (bal != PLAN_BALANCE_HASH) || h->reserved3 ||
	    (h->bal_acl && (h->bal_acl - 1 < px->first_acl ||
	                    h->bal_acl - 1 - px->first_acl >= px->nacls)))
		return plan_fail(v, PLAN_E_INDEX,
		                 "http %u: bal_acl %u: 1 + one of the proxy's ACL "
		                 "lines [%u, +%u) with balance hash, 0 otherwise",
		                 (unsigned)i, (unsigned)h->bal_acl,
		                 (unsigned)px->first_acl, (unsigned)px->nacls);
	if (h->bal_acl) {
		const struct plan_acl *l = &v->p.acls[h->bal_acl - 1];

		if (l->name.len || l->match != PLAN_MATCH_FOUND || l->npatterns)
			return plan_fail(v, PLAN_E_VALUE,
			                 "http %u: bal_acl %u is not an anonymous found line",
			                 (unsigned)i, (unsigned)h->bal_acl);
	}
	if ((e = plan_check_text(v, h->bal_name, "http", i, "bal_name")))
		return e;
	return PLAN_E_OK;
}

/* The HTTP records: one per proxy; see struct plan_http. */
static enum plan_err plan_check_http(struct plan_vctx *v)
{
	static const struct plan_http zero;
	enum plan_err e;

	if (v->p.nhttp != v->p.nproxies)
		return plan_fail(v, PLAN_E_COUNT,
		                 "the http table has %u records for %u proxies",
		                 (unsigned)v->p.nhttp, (unsigned)v->p.nproxies);
	for (uint32_t i = 0; i < v->p.nhttp; i++) {
		const struct plan_http *h = &v->p.http[i];
		uint32_t f = h->flags;
		int stats = (f & PLAN_HTTP_F_STATS) != 0;

		if (v->p.proxies[i].mode != PLAN_MODE_HTTP) {
			if (memcmp(h, &zero, sizeof(zero)))
				return plan_fail(v, PLAN_E_VALUE,
				                 "http %u: settings on a proxy not in mode http",
				                 (unsigned)i);
			continue;
		}
		if (f & ~PLAN_HTTP_F_ALL)
			return plan_fail(v, PLAN_E_RESERVED,
			                 "http %u: unknown flags 0x%x", (unsigned)i,
			                 (unsigned)(f & ~PLAN_HTTP_F_ALL));
		if (((f & PLAN_HTTP_F_HTTPLOG_CLF) && !(f & PLAN_HTTP_F_HTTPLOG)) ||
		    ((f & PLAN_HTTP_F_FF_IF_NONE) && !(f & PLAN_HTTP_F_FORWARDFOR)) ||
		    ((f & PLAN_HTTP_F_STATS_SUB) && !stats))
			return plan_fail(v, PLAN_E_VALUE,
			                 "http %u: flags 0x%x: a sub-flag without its option",
			                 (unsigned)i, (unsigned)f);
		if (h->conn_mode >= PLAN_HTTP_CONN_MAX)
			return plan_fail(v, PLAN_E_ENUM, "http %u: conn_mode %u unknown",
			                 (unsigned)i, (unsigned)h->conn_mode);
		if (h->reuse >= PLAN_HTTP_REUSE_MAX)
			return plan_fail(v, PLAN_E_ENUM, "http %u: reuse %u unknown",
			                 (unsigned)i, (unsigned)h->reuse);
		/* what cfgc keeps only where it applies (emit.c) */
		if (h->reuse && !(v->p.proxies[i].cap & PLAN_CAP_BE))
			return plan_fail(v, PLAN_E_VALUE,
			                 "http %u: reuse on a proxy that is not a backend",
			                 (unsigned)i);
		if (!(v->p.proxies[i].cap & PLAN_CAP_FE) &&
		    (f & (PLAN_HTTP_F_HTTPLOG | PLAN_HTTP_F_HTTPLOG_CLF |
		          PLAN_HTTP_F_DONTLOG_NORMAL |
		          PLAN_HTTP_F_LOG_SEPARATE_ERRORS |
		          PLAN_HTTP_F_IGNORE_PROBES)))
			return plan_fail(v, PLAN_E_VALUE,
			                 "http %u: frontend log options on a proxy that is not a frontend",
			                 (unsigned)i);
		if ((e = plan_check_limit(v, PLAN_LIM_TIME_MS,
		                          h->timeout_http_request, "http", i,
		                          "timeout_http_request")) ||
		    (e = plan_check_limit(v, PLAN_LIM_TIME_MS,
		                          h->timeout_http_keep_alive, "http", i,
		                          "timeout_http_keep_alive")))
			return e;
		if ((e = plan_check_text(v, h->ff_header, "http", i, "ff_header")) ||
		    (e = plan_check_text(v, h->ot_header, "http", i, "ot_header")) ||
		    (e = plan_check_text(v, h->stats_uri, "http", i, "stats_uri")) ||
		    (e = plan_check_text(v, h->stats_realm, "http", i, "stats_realm")) ||
		    (e = plan_check_text(v, h->stats_auth, "http", i, "stats_auth")) ||
		    (e = plan_check_text(v, h->stats_scope, "http", i, "stats_scope")) ||
		    (e = plan_check_text(v, h->stats_node, "http", i, "stats_node")) ||
		    (e = plan_check_text(v, h->stats_desc, "http", i, "stats_desc")) ||
		    (e = plan_check_text(v, h->monitor_uri, "http", i, "monitor_uri")) ||
		    (e = plan_check_text(v, h->log_format, "http", i, "log_format")) ||
		    (e = plan_check_text(v, h->unique_id_format, "http", i,
		                        "unique_id_format")) ||
		    (e = plan_check_text(v, h->unique_id_header, "http", i,
		                        "unique_id_header")))
			return e;
		if (h->log_format.len && (f & PLAN_HTTP_F_HTTPLOG))
			return plan_fail(v, PLAN_E_VALUE,
			                 "http %u: both a log_format and httplog",
			                 (unsigned)i);
		if (!h->ff_header.len != !(f & PLAN_HTTP_F_FORWARDFOR) ||
		    !h->ot_header.len != !(f & PLAN_HTTP_F_ORIGINALTO))
			return plan_fail(v, PLAN_E_VALUE,
			                 "http %u: a forwardfor/originalto header name goes with its flag, and only with it",
			                 (unsigned)i);
		if ((e = plan_check_http_net(v, &h->ff_except,
		                             (f & PLAN_HTTP_F_FORWARDFOR) != 0, i,
		                             "ff_except")) ||
		    (e = plan_check_http_net(v, &h->ot_except,
		                             (f & PLAN_HTTP_F_ORIGINALTO) != 0, i,
		                             "ot_except")))
			return e;
		if (!h->stats_uri.len != !stats ||
		    (!stats && (h->stats_realm.len || h->stats_auth.len ||
		                h->stats_scope.len ||
		                h->stats_node.len || h->stats_desc.len ||
		                h->stats_refresh)))
			return plan_fail(v, PLAN_E_VALUE,
			                 "http %u: stats settings without stats, or stats without a uri",
			                 (unsigned)i);
		if ((e = plan_check_limit(v, PLAN_LIM_TIME_S, h->stats_refresh,
		                          "http", i, "stats_refresh")) ||
		    (e = plan_check_list(v, h->stats_auth, i, "stats_auth")) ||
		    (e = plan_check_list(v, h->stats_scope, i, "stats_scope")) ||
		    (e = plan_check_cookie(v, h, i)) ||
		    (e = plan_check_errorfiles(v, h, i)) ||
		    (e = plan_check_captures(v, h, i)) ||
		    (e = plan_check_comp(v, h, i)) ||
		    (e = plan_check_http_balance(v, h, i)))
			return e;
	}
	return plan_check_server_cookies(v);
}

/* An ALPN list: comma-separated names of 1..255 bytes, or empty. */
static enum plan_err plan_check_alpn(struct plan_vctx *v, struct plan_str a,
                                     uint32_t i)
{
	const char *t = v->p.blob + a.off;
	size_t start = 0;

	for (size_t k = 0; a.len && k <= a.len; k++) {
		if (k < a.len && t[k] != ',')
			continue;
		if (k == start || k - start > 255)
			return plan_fail(v, PLAN_E_VALUE,
			                 "tls_server %u: alpn name of %zu bytes at %zu "
			                 "(expected 1..255)", (unsigned)i, k - start,
			                 start);
		start = k + 1;
	}
	return PLAN_E_OK;
}

/* TLS to servers: one record per PLAN_SRV_F_TLS server, in server order
 * (plan-t.h, struct plan_tls_server). */
static enum plan_err plan_check_tls_servers(struct plan_vctx *v)
{
	uint32_t i, nflagged = 0;
	enum plan_err e;

	for (i = 0; i < v->p.nservers; i++)
		nflagged += (v->p.servers[i].flags & PLAN_SRV_F_TLS) != 0;
	if (nflagged != v->p.ntls_servers)
		return plan_fail(v, PLAN_E_LAYOUT,
		                 "%u servers use TLS, the tls_server table has %u",
		                 (unsigned)nflagged, (unsigned)v->p.ntls_servers);
	for (i = 0; i < v->p.ntls_servers; i++) {
		const struct plan_tls_server *t = &v->p.tls_servers[i];
		const struct { struct plan_str s; const char *name; } strs[] = {
			{ t->sni_name, "sni_name" }, { t->check_sni, "check_sni" },
			{ t->verifyhost, "verifyhost" }, { t->alpn, "alpn" },
			{ t->ciphers, "ciphers" },
			{ t->ciphersuites, "ciphersuites" },
			{ t->curves, "curves" }, { t->ca_file, "ca_file" },
			{ t->crl_file, "crl_file" }, { t->crt_file, "crt_file" },
		};

		if (t->server >= v->p.nservers ||
		    !(v->p.servers[t->server].flags & PLAN_SRV_F_TLS))
			return plan_fail(v, PLAN_E_INDEX,
			                 "tls_server %u: server %u is not a TLS server "
			                 "of the %u", (unsigned)i, (unsigned)t->server,
			                 (unsigned)v->p.nservers);
		if (i && t->server <= t[-1].server)
			return plan_fail(v, PLAN_E_LAYOUT,
			                 "tls_server %u: server %u after server %u "
			                 "(expected increasing)", (unsigned)i,
			                 (unsigned)t->server, (unsigned)t[-1].server);
		if (t->flags & ~PLAN_TLS_SRV_F_KNOWN)
			return plan_fail(v, PLAN_E_RESERVED,
			                 "tls_server %u: unknown flags 0x%x",
			                 (unsigned)i,
			                 (unsigned)(t->flags & ~PLAN_TLS_SRV_F_KNOWN));
		if (!(t->flags & (PLAN_TLS_SRV_F_SSL | PLAN_TLS_SRV_F_CHECK_SSL)))
			return plan_fail(v, PLAN_E_VALUE,
			                 "tls_server %u: neither traffic nor checks "
			                 "use TLS", (unsigned)i);
		if (t->reserved || t->reserved2)
			return plan_fail(v, PLAN_E_RESERVED,
			                 "tls_server %u: reserved fields not zero",
			                 (unsigned)i);
		if ((t->min_ver && (t->min_ver < PLAN_TLS_VER_MIN ||
		                    t->min_ver > PLAN_TLS_VER_MAX)) ||
		    (t->max_ver && (t->max_ver < PLAN_TLS_VER_MIN ||
		                    t->max_ver > PLAN_TLS_VER_MAX)) ||
		    t->sni >= PLAN_TLS_SNI_MAX)
			return plan_fail(v, PLAN_E_ENUM,
			                 "tls_server %u: version 0x%04x..0x%04x or sni "
			                 "kind %u unknown", (unsigned)i,
			                 (unsigned)t->min_ver, (unsigned)t->max_ver,
			                 (unsigned)t->sni);
		if (t->min_ver && t->max_ver && t->min_ver > t->max_ver)
			return plan_fail(v, PLAN_E_VALUE,
			                 "tls_server %u: min version 0x%04x above max "
			                 "0x%04x", (unsigned)i, (unsigned)t->min_ver,
			                 (unsigned)t->max_ver);
		for (size_t k = 0; k < sizeof(strs) / sizeof(strs[0]); k++)
			if ((e = plan_check_str(v, strs[k].s, "tls_server", i,
			                        strs[k].name)))
				return e;
		if ((t->sni == PLAN_TLS_SNI_STR) != (t->sni_name.len != 0))
			return plan_fail(v, PLAN_E_VALUE,
			                 "tls_server %u: sni kind %u with a name of %u "
			                 "bytes (a name exactly for STR)", (unsigned)i,
			                 (unsigned)t->sni, (unsigned)t->sni_name.len);
		if ((t->flags & PLAN_TLS_SRV_F_SYSTEM_CA) && t->ca_file.len)
			return plan_fail(v, PLAN_E_VALUE,
			                 "tls_server %u: both the system CA and a "
			                 "ca_file", (unsigned)i);
		if ((t->ca_len && !t->ca_file.len) ||
		    (t->crl_len && !t->crl_file.len) ||
		    (t->crt_len && !t->crt_file.len))
			return plan_fail(v, PLAN_E_VALUE,
			                 "tls_server %u: DER bytes without their file "
			                 "name", (unsigned)i);
		if ((t->crt_len == 0) != (t->key_len == 0))
			return plan_fail(v, PLAN_E_VALUE,
			                 "tls_server %u: crt of %u bytes with a key of "
			                 "%u", (unsigned)i, (unsigned)t->crt_len,
			                 (unsigned)t->key_len);
		if ((e = plan_check_alpn(v, t->alpn, i)) ||
		    (e = plan_check_der(v, t->ca_off, t->ca_len, "tls_server", i,
		                        "ca")) ||
		    (e = plan_check_der(v, t->crl_off, t->crl_len, "tls_server", i,
		                        "crl")) ||
		    (e = plan_check_der(v, t->crt_off, t->crt_len, "tls_server", i,
		                        "crt")) ||
		    (e = plan_check_der(v, t->key_off, t->key_len, "tls_server", i,
		                        "key")))
			return e;
	}
	return PLAN_E_OK;
}

static enum plan_err plan_verify_any(const void *buf, size_t len,
                                     const uint8_t *digest, struct plan *out,
                                     char *detail, size_t detail_len)
{
	struct plan_vctx v;
	enum plan_err e;

	memset(&v, 0, sizeof(v));
	v.buf = buf;
	v.len = len;
	v.digest = digest;
	v.detail = detail;
	v.detail_len = detail_len;
	if (detail && detail_len)
		detail[0] = '\0';
	if (!buf && len)
		return plan_fail(&v, PLAN_E_IO, "no buffer");
	if ((uintptr_t)buf % 8)
		return plan_fail(&v, PLAN_E_IO, "buffer is not 8-byte aligned");

	if ((e = plan_check_header(&v)) ||
	    (e = plan_check_sections(&v)) ||
	    (e = plan_check_global(&v)) ||
	    (e = plan_check_proxies(&v)) ||
	    (e = plan_check_tls(&v)) ||
	    (e = plan_check_listeners(&v)) ||
	    (e = plan_check_servers(&v)) ||
	    (e = plan_check_rules(&v)) ||
	    (e = plan_check_logs(&v)) ||
	    (e = plan_check_stats(&v)) ||
	    (e = plan_check_ops(&v)) ||
	    (e = plan_check_preconds(&v)) ||
	    (e = plan_check_switching(&v)) ||
	    (e = plan_check_http(&v)) ||
	    (e = plan_check_tls_servers(&v)))
		return e;
	if ((e = plan_table_check(&v.p, detail, detail_len)) ||
	    (e = plan_resolve_check(&v.p, detail, detail_len)))
		return e;

	v.p.base = buf;
	v.p.size = len;
	v.p.mapped = 0;
	if (out)
		*out = v.p;
	return PLAN_E_OK;
}

enum plan_err plan_verify(const void *buf, size_t len, struct plan *out,
                          char *detail, size_t detail_len)
{
	return plan_verify_any(buf, len, NULL, out, detail, detail_len);
}

enum plan_err plan_verify_digested(const void *buf, size_t len,
                                   const uint8_t digest[PLAN_DIGEST_LEN],
                                   struct plan *out, char *detail,
                                   size_t detail_len)
{
	return plan_verify_any(buf, len, digest, out, detail, detail_len);
}
