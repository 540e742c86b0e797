/*
 * plan_build.c: collect records and strings, then lay out a plan image.
 *
 * Nothing here depends on memory addresses, time or hash order: tables keep
 * insertion order, strings are appended to the blob in first-use order (the
 * hash table only finds duplicates), so the same sequence of calls always
 * gives the same bytes.
 */
#include "config.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "plan.h"

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "the plan format is little-endian; this host is not"
#endif

/* One growing table of fixed-size records (or bytes, for the blob). */
struct plan_table {
	uint8_t *data;
	size_t count;            /* records */
	size_t cap;              /* records allocated */
};

struct plan_builder {
	struct plan_table tab[PLAN_SEC_KIND_MAX];
	uint32_t *slots;         /* string hash: blob offset + 1, 0 = empty */
	uint32_t *slot_len;      /* length of the string in each slot */
	size_t nslots;           /* power of two, or 0 */
	size_t nstrings;
	int failed;              /* an add or a string could not be stored */
};

/* Record size of a kind; 0 for kinds with no table. */
static size_t plan_elem_size(enum plan_section_kind kind)
{
	switch (kind) {
	case PLAN_SEC_BLOB:     return 1;
	case PLAN_SEC_GLOBAL:   return sizeof(struct plan_global);
	case PLAN_SEC_PROXY:    return sizeof(struct plan_proxy);
	case PLAN_SEC_LISTENER: return sizeof(struct plan_listener);
	case PLAN_SEC_SERVER:   return sizeof(struct plan_server);
	case PLAN_SEC_CHECK:    return sizeof(struct plan_check_rule);
	case PLAN_SEC_LOG:      return sizeof(struct plan_log);
	case PLAN_SEC_STATS:    return sizeof(struct plan_stats_socket);
	case PLAN_SEC_PRECOND:  return sizeof(struct plan_precond);
	case PLAN_SEC_CHECKADDR: return sizeof(struct plan_srv_addr);
	case PLAN_SEC_ACL:      return sizeof(struct plan_acl);
	case PLAN_SEC_PATTERN:  return sizeof(struct plan_pattern);
	case PLAN_SEC_RULE:     return sizeof(struct plan_rule);
	case PLAN_SEC_TERM:     return sizeof(struct plan_term);
	case PLAN_SEC_HTTP:     return sizeof(struct plan_http);
	case PLAN_SEC_HTTP_RULE: return sizeof(struct plan_http_rule);
	case PLAN_SEC_LF:       return sizeof(struct plan_lf_node);
	case PLAN_SEC_OPS:      return sizeof(struct plan_ops);
	case PLAN_SEC_CONV:     return sizeof(struct plan_conv_step);
	case PLAN_SEC_TCP:      return sizeof(struct plan_tcp);
	case PLAN_SEC_TABLE:    return sizeof(struct plan_stktable);
	case PLAN_SEC_TRACK:    return sizeof(struct plan_track);
	case PLAN_SEC_TLS_CERT: return sizeof(struct plan_tls_cert);
	case PLAN_SEC_TLS_BIND: return sizeof(struct plan_tls_bind);
	case PLAN_SEC_TLS_SERVER: return sizeof(struct plan_tls_server);
	case PLAN_SEC_RESOLVERS: return sizeof(struct plan_resolvers);
	case PLAN_SEC_NAMESERVER: return sizeof(struct plan_nameserver);
	case PLAN_SEC_SRV_RESOLVE: return sizeof(struct plan_srv_resolve);
	default:                return 0;
	}
}

/* Record limit of a kind (plan-t.h). */
static size_t plan_kind_limit(enum plan_section_kind kind)
{
	switch (kind) {
	case PLAN_SEC_BLOB:     return UINT32_MAX;
	case PLAN_SEC_GLOBAL:   return 1;
	case PLAN_SEC_PROXY:    return PLAN_MAX_PROXIES;
	case PLAN_SEC_LISTENER: return PLAN_MAX_LISTENERS;
	case PLAN_SEC_SERVER:   return PLAN_MAX_SERVERS;
	case PLAN_SEC_CHECK:    return PLAN_MAX_CHECKS;
	case PLAN_SEC_LOG:      return PLAN_MAX_LOGS;
	case PLAN_SEC_STATS:    return PLAN_MAX_STATS;
	case PLAN_SEC_PRECOND:  return PLAN_MAX_PRECONDS;
	case PLAN_SEC_CHECKADDR: return PLAN_MAX_CHECKADDRS;
	case PLAN_SEC_ACL:      return PLAN_MAX_ACLS;
	case PLAN_SEC_PATTERN:  return PLAN_MAX_PATTERNS;
	case PLAN_SEC_RULE:     return PLAN_MAX_RULES;
	case PLAN_SEC_TERM:     return PLAN_MAX_TERMS;
	case PLAN_SEC_HTTP:     return PLAN_MAX_PROXIES;
	case PLAN_SEC_HTTP_RULE: return PLAN_MAX_HTTP_RULES;
	case PLAN_SEC_LF:       return PLAN_MAX_LF_NODES;
	case PLAN_SEC_OPS:      return 1;
	case PLAN_SEC_CONV:     return PLAN_MAX_CONV_STEPS;
	case PLAN_SEC_TCP:      return PLAN_MAX_PROXIES;
	case PLAN_SEC_TABLE:    return PLAN_MAX_TABLES;
	case PLAN_SEC_TRACK:    return PLAN_MAX_TRACKS;
	case PLAN_SEC_TLS_CERT: return PLAN_MAX_TLS_CERTS;
	case PLAN_SEC_TLS_BIND: return PLAN_MAX_TLS_BINDS;
	case PLAN_SEC_TLS_SERVER: return PLAN_MAX_TLS_SERVERS;
	case PLAN_SEC_RESOLVERS: return PLAN_MAX_RESOLVERS;
	case PLAN_SEC_NAMESERVER: return PLAN_MAX_NAMESERVERS;
	case PLAN_SEC_SRV_RESOLVE: return PLAN_MAX_SRV_RESOLVES;
	default:                return 0;
	}
}

struct plan_builder *plan_builder_new(void)
{
	struct plan_builder *b = calloc(1, sizeof(*b));

	if (!b)
		return NULL;
	/* Blob byte 0 is NUL: a zeroed plan_str is the empty string. */
	b->tab[PLAN_SEC_BLOB].data = calloc(1, 64);
	if (!b->tab[PLAN_SEC_BLOB].data) {
		free(b);
		return NULL;
	}
	b->tab[PLAN_SEC_BLOB].cap = 64;
	b->tab[PLAN_SEC_BLOB].count = 1;
	return b;
}

void plan_builder_free(struct plan_builder *b)
{
	int k;

	if (!b)
		return;
	for (k = 0; k < PLAN_SEC_KIND_MAX; k++)
		free(b->tab[k].data);
	free(b->slots);
	free(b->slot_len);
	free(b);
}

/* Make room for `more` records in `t`; new space is zeroed. 0 or -1. */
static int plan_table_reserve(struct plan_table *t, size_t elem, size_t more)
{
	size_t cap = t->cap ? t->cap : 8;
	uint8_t *d;

	if (t->count + more <= t->cap)
		return 0;
	while (cap < t->count + more) {
		if (cap > SIZE_MAX / 2 / elem)
			return -1;
		cap *= 2;
	}
	d = realloc(t->data, cap * elem);
	if (!d)
		return -1;
	memset(d + t->cap * elem, 0, (cap - t->cap) * elem);
	t->data = d;
	t->cap = cap;
	return 0;
}

uint32_t plan_builder_add(struct plan_builder *b, enum plan_section_kind kind)
{
	struct plan_table *t;
	size_t elem;

	if (kind <= PLAN_SEC_BLOB || kind >= PLAN_SEC_KIND_MAX ||
	    !plan_elem_size(kind)) {
		b->failed = 1;
		return PLAN_NONE;
	}
	t = &b->tab[kind];
	elem = plan_elem_size(kind);
	if (t->count >= plan_kind_limit(kind) ||
	    plan_table_reserve(t, elem, 1) < 0) {
		b->failed = 1;
		return PLAN_NONE;
	}
	/* Reserved space is zeroed, so the record already is. */
	return (uint32_t)t->count++;
}

void *plan_builder_at(struct plan_builder *b, enum plan_section_kind kind,
                      uint32_t index)
{
	if (kind <= PLAN_SEC_BLOB || kind >= PLAN_SEC_KIND_MAX ||
	    index >= b->tab[kind].count)
		return NULL;
	return b->tab[kind].data + (size_t)index * plan_elem_size(kind);
}

uint32_t plan_builder_count(const struct plan_builder *b,
                            enum plan_section_kind kind)
{
	if (kind <= PLAN_SEC_NONE || kind >= PLAN_SEC_KIND_MAX)
		return 0;
	return (uint32_t)b->tab[kind].count;
}

/* FNV-1a: only finds duplicates, never decides a layout. */
static uint32_t plan_str_hash(const char *s, size_t len)
{
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= (uint8_t)s[i];
		h *= 16777619u;
	}
	return h;
}

/* Slot of `s` in the hash, or of the empty slot where it would go. */
static size_t plan_str_slot(const struct plan_builder *b, const char *s,
                            size_t len)
{
	const uint8_t *blob = b->tab[PLAN_SEC_BLOB].data;
	size_t mask = b->nslots - 1;
	size_t i = plan_str_hash(s, len) & mask;

	while (b->slots[i]) {
		if (b->slot_len[i] == len &&
		    memcmp(blob + b->slots[i] - 1, s, len) == 0)
			break;
		i = (i + 1) & mask;
	}
	return i;
}

/* Double the hash (or create it). 0 or -1. */
static int plan_str_rehash(struct plan_builder *b)
{
	size_t n = b->nslots ? b->nslots * 2 : 256;
	uint32_t *slots = calloc(n, sizeof(*slots));
	uint32_t *lens = calloc(n, sizeof(*lens));
	uint32_t *old = b->slots, *old_len = b->slot_len;
	size_t old_n = b->nslots, i, j;

	if (!slots || !lens) {
		free(slots);
		free(lens);
		return -1;
	}
	b->slots = slots;
	b->slot_len = lens;
	b->nslots = n;
	for (i = 0; i < old_n; i++) {
		if (!old[i])
			continue;
		j = plan_str_slot(b, (const char *)b->tab[PLAN_SEC_BLOB].data +
		                  old[i] - 1, old_len[i]);
		slots[j] = old[i];
		lens[j] = old_len[i];
	}
	free(old);
	free(old_len);
	return 0;
}

struct plan_str plan_builder_str(struct plan_builder *b, const char *s,
                                 size_t len)
{
	struct plan_table *blob = &b->tab[PLAN_SEC_BLOB];
	struct plan_str r = { 0, 0 };
	size_t i;

	if (len == 0)
		return r;                   /* blob byte 0 */
	/* Offsets are stored +1 in the slots, so the blob must stay below
	 * UINT32_MAX with the terminator. */
	if (len > UINT32_MAX - 2 || blob->count > UINT32_MAX - 2 - len)
		goto fail;
	if ((b->nstrings + 1) * 2 > b->nslots && plan_str_rehash(b) < 0)
		goto fail;
	i = plan_str_slot(b, s, len);
	if (b->slots[i]) {
		r.off = b->slots[i] - 1;
		r.len = (uint32_t)len;
		return r;
	}
	if (plan_table_reserve(blob, 1, len + 1) < 0)
		goto fail;
	memcpy(blob->data + blob->count, s, len);
	blob->data[blob->count + len] = '\0';
	r.off = (uint32_t)blob->count;
	r.len = (uint32_t)len;
	blob->count += len + 1;
	b->slots[i] = r.off + 1;
	b->slot_len[i] = r.len;
	b->nstrings++;
	return r;
fail:
	b->failed = 1;
	return r;
}

int plan_builder_server_addrs(struct plan_builder *b, uint32_t server,
                              const struct plan_addr *addr, const char *host,
                              const struct plan_addr *check)
{
	struct plan_srv_addr a, c;
	struct plan_server *sr;
	uint32_t ci = PLAN_NONE;

	if (plan_srv_addr_pack(b, addr, host, &a) < 0)
		goto fail;
	if (check && check->family != PLAN_FAM_NONE) {
		if ((check->family != PLAN_FAM_INET &&
		     check->family != PLAN_FAM_INET6) ||
		    plan_srv_addr_pack(b, check, NULL, &c) < 0 ||
		    (ci = plan_builder_add(b, PLAN_SEC_CHECKADDR)) == PLAN_NONE)
			goto fail;
		memcpy(plan_builder_at(b, PLAN_SEC_CHECKADDR, ci), &c, sizeof(c));
	}
	sr = plan_builder_at(b, PLAN_SEC_SERVER, server);
	if (!sr)
		goto fail;
	sr->addr = a;
	sr->check_addr = ci;
	return 0;
fail:
	b->failed = 1;
	return -1;
}

static uint64_t plan_align8(uint64_t v)
{
	return (v + 7) & ~(uint64_t)7;
}

int plan_builder_finish(struct plan_builder *b, uint8_t **buf, size_t *len)
{
	struct plan_section dir[PLAN_SEC_KIND_MAX - 1];
	struct plan_header hdr;
	struct plan_global *g;
	uint64_t off, size;
	uint8_t *out;
	int k, n;

	*buf = NULL;
	*len = 0;
	if (b->failed || b->tab[PLAN_SEC_GLOBAL].count != 1)
		return -1;
	g = plan_builder_at(b, PLAN_SEC_GLOBAL, 0);
	g->nproxies = (uint32_t)b->tab[PLAN_SEC_PROXY].count;

	/* the kinds this writer has a table for (a kind number may be
	 * reserved for a table another version defines) */
	n = 0;
	for (k = PLAN_SEC_BLOB; k < PLAN_SEC_KIND_MAX; k++)
		n += plan_elem_size(k) != 0;
	off = PLAN_HEADER_SIZE + (uint64_t)n * sizeof(struct plan_section);
	for (k = PLAN_SEC_BLOB, n = 0; k < PLAN_SEC_KIND_MAX; k++) {
		struct plan_section *s = &dir[n];

		if (!plan_elem_size(k))
			continue;
		n++;
		memset(s, 0, sizeof(*s));
		off = plan_align8(off);
		s->kind = (uint32_t)k;
		s->elem_size = (uint32_t)plan_elem_size(k);
		s->offset = off;
		s->count = b->tab[k].count;
		off += s->count * s->elem_size;
	}
	size = plan_align8(off);
	if (size > PLAN_MAX_FILE_SIZE || size > SIZE_MAX)
		return -1;
	out = calloc(1, (size_t)size);
	if (!out)
		return -1;

	memset(&hdr, 0, sizeof(hdr));
	memcpy(hdr.magic, PLAN_MAGIC, PLAN_MAGIC_LEN);
	hdr.major = PLAN_VERSION_MAJOR;
	hdr.minor = PLAN_VERSION_MINOR;
	hdr.bom = PLAN_BOM;
	hdr.file_size = size;
	hdr.header_size = PLAN_HEADER_SIZE;
	hdr.nsections = (uint32_t)n;
	memcpy(out, &hdr, sizeof(hdr));
	memcpy(out + PLAN_HEADER_SIZE, dir, (size_t)n * sizeof(dir[0]));
	for (k = 0; k < n; k++) {
		const struct plan_table *t = &b->tab[dir[k].kind];

		if (dir[k].count)
			memcpy(out + dir[k].offset, t->data,
			       (size_t)dir[k].count * dir[k].elem_size);
	}
	plan_digest(out, (size_t)size, hdr.digest);
	memcpy(out + offsetof(struct plan_header, digest), hdr.digest,
	       PLAN_DIGEST_LEN);
	*buf = out;
	*len = (size_t)size;
	return 0;
}
