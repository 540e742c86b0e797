/*
 * http_balance.c: the balancing keys of `balance uri`, `url_param` and
 * `hdr()`, each cut from the request as HAProxy's backend.c cuts it
 * (get_server_uh, get_server_ph, get_server_ph_post, get_server_hh), so
 * that with the same server list a request goes where HAProxy sends it.
 */
#include "config.h"

#include <string.h>

#include "hash.h"
#include "http_balance.h"
#include "http_conf.h"
#include "http_rules.h"
#include "plan.h"

/* The key hashed with backend px's function and modifier. */
static uint32_t lb_hash(const struct plan_proxy *px, const char *key,
                        size_t len)
{
	return hash_key(px->hash_func,
	                (px->flags & PLAN_PX_F_HASH_AVALANCHE) != 0, key, len);
}

/* Where the path of target u[0..n) starts: 0 for origin form, after the
 * authority of an absolute one, n (none) for '*' or an authority. */
static size_t lb_path_off(const char *u, size_t n)
{
	const char *sep, *slash;

	if (n && u[0] == '/')
		return 0;
	sep = n >= 3 ? memmem(u, n, "://", 3) : NULL;
	if (!sep)
		return n;
	slash = memchr(sep + 3, '/', n - (size_t)(sep + 3 - u));
	return slash ? (size_t)(slash - u) : n;
}

/*
 * balance uri: the target (from the path's first '/' with path-only), up
 * to the '?' unless `whole`, at most `len` bytes, and stopping before the
 * (depth+1)-th '/' when `depth` is set.
 */
static uint32_t lb_uri(const struct plan_proxy *px, const struct plan_http *h,
                       const struct http_lb_req *r)
{
	const char *p = r->uri;
	size_t n = r->uri_len, i, slashes = 0;

	if (h->bal_flags & PLAN_BAL_F_PATH_ONLY) {
		size_t off = lb_path_off(p, n);

		p += off;
		n -= off;
	}
	if (h->bal_len && n > h->bal_len)
		n = h->bal_len;
	for (i = 0; i < n; i++) {
		if (p[i] == '/') {
			if (h->bal_depth && ++slashes == h->bal_depth + 1)
				break;
		} else if (p[i] == '?' && !(h->bal_flags & PLAN_BAL_F_WHOLE)) {
			break;
		}
	}
	return lb_hash(px, p, i);
}

/* RFC 9110 tchar. */
static int lb_tchar(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	       (c >= 'A' && c <= 'Z') || (c && strchr("!#$%&'*+-.^_`|~", c));
}

/*
 * The value of parameter `name` in the '&'-separated list p[0..n): 1 with
 * its bounds, 0 when absent. A parameter matches when its name is
 * followed by '='; its value ends at the next '&'. In a POST body
 * (`form`), HAProxy looks at the value's first byte only: a blank there
 * makes the value empty, any other non-token byte means the body is not
 * a form (0).
 */
static int lb_param(const char *p, size_t n, const char *name, size_t nlen,
                    int form, const char **val, size_t *vlen)
{
	while (n > nlen) {
		const char *amp;

		if (p[nlen] == '=' && !memcmp(p, name, nlen)) {
			const char *v = p + nlen + 1;
			size_t k = 0, left = n - nlen - 1;

			if (form && left && v[0] != '&' &&
			    !lb_tchar((unsigned char)v[0])) {
				if (v[0] != ' ' && v[0] != '\t' && v[0] != '\r' &&
				    v[0] != '\n')
					return 0;
				left = 0;
			}
			while (k < left && v[k] != '&')
				k++;
			*val = v;
			*vlen = k;
			return 1;
		}
		if (!(amp = memchr(p, '&', n)))
			return 0;
		n -= (size_t)(amp + 1 - p);
		p = amp + 1;
	}
	return 0;
}

/* The data of the first chunk of a chunked body b[0..n) (as much of it
 * as is at hand), in *d, *dn: HAProxy scans only that. 0 when its size
 * line is not complete or not hexadecimal. */
static int lb_first_chunk(const char *b, size_t n, const char **d, size_t *dn)
{
	const char *lf = memchr(b, '\n', n);
	uint64_t size = 0;
	size_t i;

	if (!lf)
		return 0;
	for (i = 0; b + i < lf && i < 16; i++) {
		char c = b[i];
		int v = c >= '0' && c <= '9' ? c - '0' :
		        c >= 'a' && c <= 'f' ? c - 'a' + 10 :
		        c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;

		if (v < 0)
			break;
		size = size * 16 + (uint64_t)v;
	}
	if (!i)
		return 0;
	*d = lf + 1;
	*dn = n - (size_t)(lf + 1 - b);
	if (*dn > size)
		*dn = (size_t)size;
	return 1;
}

/* balance url_param: the parameter in the query, else (a POST) in the
 * body bytes at hand (a chunked body's first chunk). HAProxy reads the
 * body of a POST whether or not `check_post` was given (2.6 checked). */
static int lb_url_param(const struct plan_proxy *px, const struct plan_http *h,
                        const char *name, const struct http_lb_req *r,
                        uint32_t *hash)
{
	const char *uri = r->uri, *q, *v, *body = r->body;
	size_t n = r->uri_len, vlen, blen = r->body_len;

	q = memchr(uri, '?', n);
	if (q && lb_param(q + 1, n - (size_t)(q + 1 - uri), name,
	                  h->bal_name.len, 0, &v, &vlen)) {
		*hash = lb_hash(px, v, vlen);
		return 1;
	}
	if (body && r->req->body == H1_BODY_CHUNKED &&
	    !lb_first_chunk(r->body, r->body_len, &body, &blen))
		body = NULL;
	if (r->req->meth == H1_M_POST && body &&
	    lb_param(body, blen, name, h->bal_name.len, 1, &v, &vlen)) {
		*hash = lb_hash(px, v, vlen);
		return 1;
	}
	return 0;
}

/*
 * balance hdr(name): the first value of the first such header as the
 * request rules left it (up to a comma, blanks trimmed); with use_domain_only, the label before the last
 * dot (the whole value without a dot): "haproxy.1wt.eu" gives "1wt".
 */
static int lb_hdr(const struct plan_proxy *px, const struct plan_http *h,
                  const char *name, const struct http_lb_req *r,
                  uint32_t *hash)
{
	const char *v, *comma;
	uint32_t vl;
	size_t len, start, end;

	if (!http_edits_first(r->head, r->req, r->edits, name, h->bal_name.len,
	                      &v, &vl))
		return 0;
	len = vl;
	if ((comma = memchr(v, ',', len)))
		len = (size_t)(comma - v);
	while (len && (v[len - 1] == ' ' || v[len - 1] == '\t'))
		len--;
	if (!len)
		return 0;
	if (!(h->bal_flags & PLAN_BAL_F_DOMAIN_ONLY)) {
		*hash = lb_hash(px, v, len);
		return 1;
	}
	/* HAProxy's walk from the end: the last dot at index 1 or more
	 * ends the domain; the domain starts after the dot before it,
	 * looked for from two bytes before the last dot down to index 1 */
	{
		size_t p = len;
		int dohash = 0;

		end = len;
		while (p) {
			if (dohash) {
				if (v[p - 1] == '.')
					break;
			} else if (p < len && v[p] == '.') {
				end = p;
				dohash = 1;
			}
			p--;
		}
		start = p;
	}
	*hash = lb_hash(px, v + start, end - start);
	return 1;
}

int http_lb_sample_key(const struct runtime *rt, uint32_t be,
                       const struct plan_sample *smp, uint32_t *hash)
{
	const struct plan_proxy *px = &rt->plan->proxies[be];
	unsigned char b[8];

	switch (smp->type) {
	case PLAN_SMP_STR:
	case PLAN_SMP_BIN:
		*hash = lb_hash(px, smp->str, smp->len);
		return 1;
	case PLAN_SMP_INT:
	case PLAN_SMP_BOOL:
		for (int i = 0; i < 8; i++)
			b[i] = (unsigned char)((uint64_t)smp->i >> (56 - 8 * i));
		*hash = lb_hash(px, (const char *)b, sizeof(b));
		return 1;
	case PLAN_SMP_IPV4:
		*hash = lb_hash(px, (const char *)smp->ip, 4);
		return 1;
	case PLAN_SMP_IPV6:
		*hash = lb_hash(px, (const char *)smp->ip, 16);
		return 1;
	default:
		return 0;
	}
}

int http_lb_key(const struct runtime *rt, uint32_t be,
                const struct http_lb_req *r, uint32_t *hash)
{
	const struct plan_proxy *px = &rt->plan->proxies[be];
	const struct plan_http *h = http_conf(rt, be);
	const char *name = plan_str_get(rt->plan, h->bal_name);

	switch (px->balance) {
	case PLAN_BALANCE_URI:
		*hash = lb_uri(px, h, r);
		return 1;
	case PLAN_BALANCE_URL_PARAM:
		return lb_url_param(px, h, name, r, hash);
	case PLAN_BALANCE_HDR:
		return lb_hdr(px, h, name, r, hash);
	default:
		return 0;
	}
}
