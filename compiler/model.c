/*
 * model.c: memory of the typed model.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/mem.h>
#include "model.h"

static void *grow(void **arr, size_t *n, size_t *cap, size_t size);

void model_init(struct model *m)
{
	memset(m, 0, sizeof(*m));
	m->tune_maxrewrite = -1;
}

/* Offsets of the owned strings of struct model_http. */
static const size_t model_http_strs[] = {
	offsetof(struct model_http, ff_header),
	offsetof(struct model_http, ot_header),
	offsetof(struct model_http, stats_uri),
	offsetof(struct model_http, stats_realm),
	offsetof(struct model_http, stats_auth),
	offsetof(struct model_http, stats_scope),
	offsetof(struct model_http, stats_node),
	offsetof(struct model_http, stats_desc),
	offsetof(struct model_http, monitor_uri),
	offsetof(struct model_http, log_format),
	offsetof(struct model_http, unique_id_format),
	offsetof(struct model_http, unique_id_header),
	offsetof(struct model_http, cookie_name),
	offsetof(struct model_http, cookie_domains),
	offsetof(struct model_http, cookie_attrs),
	offsetof(struct model_http, comp_types),
	offsetof(struct model_http, bal_name),
};
#define MODEL_HTTP_NSTRS (sizeof(model_http_strs) / sizeof(model_http_strs[0]))

static char **model_http_str(struct model_http *h, size_t i)
{
	return (char **)((char *)h + model_http_strs[i]);
}

void model_errpages_free(struct model_errpages *p)
{
	for (int i = 0; i < PLAN_HTTP_NERRORS; i++) {
		free(p->body[i]);
		free(p->path[i]);
	}
	memset(p, 0, sizeof(*p));
}

int model_errpage_set(struct model_errpages *p, int i, const char *body,
                      size_t len, const char *path)
{
	char *b = NULL, *n = strdup(path);

	if (!n || (len && !(b = malloc(len)))) {
		free(n);
		return -1;
	}
	if (len)
		memcpy(b, body, len);
	free(p->body[i]);
	free(p->path[i]);
	p->body[i] = b;
	p->len[i] = len;
	p->path[i] = n;
	p->mask |= 1u << i;
	p->deferred &= ~(1u << i);
	return 0;
}

int model_errpages_copy(struct model_errpages *dst,
                        const struct model_errpages *src)
{
	memset(dst, 0, sizeof(*dst));
	for (int i = 0; i < PLAN_HTTP_NERRORS; i++)
		if ((src->mask & (1u << i)) &&
		    model_errpage_set(dst, i, src->body[i], src->len[i],
		                      src->path[i]) < 0)
			return -1;
	dst->deferred = src->deferred;
	return 0;
}

static void model_http_free(struct model_http *h)
{
	model_errpages_free(&h->errors);
	for (size_t i = 0; i < h->ncaps; i++)
		free(h->caps[i].name);
	h->ncaps = 0;
	for (size_t i = 0; i < MODEL_HTTP_NSTRS; i++) {
		free(*model_http_str(h, i));
		*model_http_str(h, i) = NULL;
	}
}

void model_settings_init(struct model_settings *s)
{
	memset(s, 0, sizeof(*s));
	s->random_draws = 2;
	s->retries = 3;
	s->http.retry_on = PLAN_RETRY_CONN_FAILURE;
	s->defsrv.weight = 1;
	s->defsrv.inter = 2000;
	s->defsrv.rise = 2;
	s->defsrv.fall = 3;
}

void model_checks_clear(struct model_settings *s)
{
	for (size_t i = 0; i < s->nchecks; i++)
		free(s->checks[i].data);
	free(s->checks);
	s->checks = NULL;
	s->nchecks = s->checks_cap = 0;
}

void model_settings_free(struct model_settings *s)
{
	free(s->default_backend);
	s->default_backend = NULL;
	model_checks_clear(s);
	free(s->httpchk_method);
	free(s->httpchk_uri);
	free(s->httpchk_version);
	free(s->httpchk_host);
	free(s->http_body.data);
	memset(&s->http_body, 0, sizeof(s->http_body));
	s->httpchk_method = s->httpchk_uri = NULL;
	s->httpchk_version = s->httpchk_host = NULL;
	free(s->logs);
	s->logs = NULL;
	s->nlogs = s->logs_cap = 0;
	model_http_free(&s->http);
}

/* strdup that keeps NULL; sets *fail when memory runs out. */
static char *dup_or_null(const char *p, int *fail)
{
	char *d;

	if (!p)
		return NULL;
	d = strdup(p);
	if (!d)
		*fail = 1;
	return d;
}

int model_settings_copy(struct model_settings *dst,
                        const struct model_settings *src)
{
	int fail = 0;

	*dst = *src;
	dst->default_backend = dup_or_null(src->default_backend, &fail);
	dst->httpchk_method = dup_or_null(src->httpchk_method, &fail);
	dst->httpchk_uri = dup_or_null(src->httpchk_uri, &fail);
	dst->httpchk_version = dup_or_null(src->httpchk_version, &fail);
	dst->httpchk_host = dup_or_null(src->httpchk_host, &fail);
	dst->http_body.data = dup_or_null(src->http_body.data, &fail);
	for (size_t i = 0; i < MODEL_HTTP_NSTRS; i++)
		*model_http_str(&dst->http, i) =
			dup_or_null(*model_http_str((struct model_http *)&src->http,
			                            i), &fail);
	if (model_errpages_copy(&dst->http.errors, &src->http.errors) < 0)
		fail = 1;
	for (size_t i = 0; i < src->http.ncaps; i++)
		dst->http.caps[i].name = dup_or_null(src->http.caps[i].name, &fail);
	dst->checks = NULL;
	dst->nchecks = dst->checks_cap = 0;
	dst->logs = NULL;
	dst->nlogs = dst->logs_cap = 0;
	dst->http_rules = src->http_rules ? 1 : 0;
	dst->http_expect = 0;
	if (src->nchecks) {
		dst->checks = calloc(src->nchecks, sizeof(*dst->checks));
		if (!dst->checks)
			return -1;
		dst->checks_cap = src->nchecks;
		for (size_t i = 0; i < src->nchecks; i++) {
			dst->checks[i] = src->checks[i];
			dst->checks[i].data = NULL;
			if (src->checks[i].data) {
				dst->checks[i].data = malloc(src->checks[i].len + 1);
				if (!dst->checks[i].data)
					fail = 1;
				else
					memcpy(dst->checks[i].data, src->checks[i].data,
					       src->checks[i].len + 1);
			}
			dst->nchecks++;
		}
		dst->checks_inherited = 1;
	}
	if (src->nlogs) {
		dst->logs = malloc(src->nlogs * sizeof(*dst->logs));
		if (!dst->logs)
			return -1;
		memcpy(dst->logs, src->logs, src->nlogs * sizeof(*dst->logs));
		dst->nlogs = dst->logs_cap = src->nlogs;
	}
	return fail ? -1 : 0;
}

static void model_rules_free(struct model_rule *r, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(r[i].backend);
		for (size_t t = 0; t < r[i].nterms; t++)
			free(r[i].terms[t].name);
		free(r[i].terms);
	}
	free(r);
}

static void model_patsets_free(struct model *m)
{
	for (size_t i = 0; i < m->npatsets; i++) {
		struct model_patset *ps = &m->patsets[i];

		for (size_t k = 0; k < ps->n; k++) {
			free(ps->keys[k]);
			free(ps->values[k]);
		}
		free(ps->keys);
		free(ps->values);
		free(ps->pats);
		free(ps->path);
	}
	free(m->patsets);
	for (uint32_t i = 0; i < m->nvars; i++)
		free(m->vars[i]);
}

void model_tls_bind_free(struct model_tls_bind *t)
{
	for (size_t i = 0; i < t->ncerts; i++) {
		free(t->certs[i].path);
		free(t->certs[i].sni);
		free(t->certs[i].list);
		free(t->certs[i].base);
		free(t->certs[i].key_path);
		free(t->certs[i].alpn);
		free(t->certs[i].ciphers);
		free(t->certs[i].curves);
		free(t->certs[i].ca_path);
		free(t->certs[i].crl_path);
		free(t->certs[i].ca);
		free(t->certs[i].crl);
		free(t->certs[i].der);
		if (t->certs[i].key)
			OPENSSL_cleanse(t->certs[i].key, t->certs[i].key_len);
		free(t->certs[i].key);
	}
	free(t->certs);
	free(t->alpn);
	free(t->ciphers);
	free(t->ciphersuites);
	free(t->curves);
	free(t->sigalgs);
	free(t->ca_path);
	free(t->crl_path);
	free(t->cav_path);
	free(t->cav);
	free(t->ca);
	free(t->crl);
	memset(t, 0, sizeof(*t));
}

int model_has_keys(const struct model *m)
{
	for (size_t i = 0; i < m->ntls_binds; i++)
		for (size_t k = 0; k < m->tls_binds[i].ncerts; k++)
			if (m->tls_binds[i].certs[k].key_len)
				return 1;
	for (size_t i = 0; i < m->ntls_files; i++)
		if (m->tls_files[i].key_len)
			return 1;       /* a server's client certificate */
	return 0;
}

struct model_tls_bind *model_add_tls_bind(struct model *m)
{
	return grow((void **)&m->tls_binds, &m->ntls_binds, &m->tls_binds_cap,
	            sizeof(*m->tls_binds));
}

struct model_tls_cert *model_tls_add_cert(struct model_tls_bind *t)
{
	return grow((void **)&t->certs, &t->ncerts, &t->certs_cap,
	            sizeof(*t->certs));
}

void model_free(struct model *m)
{
	model_patsets_free(m);
	for (size_t i = 0; i < m->nproxies; i++) {
		struct model_proxy *px = &m->proxies[i];

		free(px->name);
		free(px->description);
		model_settings_free(&px->set);
		free(px->listeners);
		for (size_t j = 0; j < px->nservers; j++) {
			free(px->servers[j].name);
			free(px->servers[j].host);
			free(px->servers[j].res_host);
			free(px->servers[j].cookie);
		}
		free(px->servers);
		for (size_t j = 0; j < px->nacls; j++) {
			free(px->acls[j].name);
			free(px->acls[j].arg);
			free(px->acls[j].sarg);
			for (size_t k = 0; px->acls[j].texts && k < px->acls[j].npats; k++)
				free(px->acls[j].texts[k]);
			free(px->acls[j].texts);
			free(px->acls[j].pats);
			for (size_t k = 0; k < px->acls[j].nfiles; k++)
				free(px->acls[j].files[k]);
			for (size_t k = 0; k < px->acls[j].nconvs; k++) {
				free(px->acls[j].convs[k].s1);
				free(px->acls[j].convs[k].s2);
			}
			free(px->acls[j].convs);
		}
		free(px->acls);
		free(px->table);
		for (size_t j = 0; j < px->ntracks; j++)
			free(px->tracks[j].table);
		free(px->tracks);
		model_rules_free(px->conn_rules, px->nconn_rules);
		model_rules_free(px->switch_rules, px->nswitch_rules);
		for (size_t k = 0; k < PLAN_TCP_SET_MAX; k++)
			model_rules_free(px->tcp_rules[k], px->ntcp_rules[k]);
		for (size_t j = 0; j < px->nhttp_rules; j++) {
			struct model_http_rule *hr = &px->http_rules[j];

			free(hr->name);
			for (size_t k = 0; k < hr->nlf; k++)
				free(hr->lf[k].text);
			free(hr->lf);
			for (size_t t = 0; t < hr->cond.nterms; t++)
				free(hr->cond.terms[t].name);
			free(hr->cond.terms);
		}
		free(px->http_rules);
	}
	free(m->proxies);
	for (size_t i = 0; i < m->ndefaults; i++) {
		free(m->defaults[i].name);
		model_settings_free(&m->defaults[i].set);
	}
	free(m->defaults);
	for (size_t i = 0; i < m->nhttp_errors; i++) {
		free(m->http_errors[i].name);
		model_errpages_free(&m->http_errors[i].pages);
	}
	free(m->http_errors);
	for (size_t i = 0; i < m->nuserlists; i++) {
		free(m->userlists[i].name);
		free(m->userlists[i].packed);
	}
	free(m->userlists);
	for (size_t i = 0; i < m->nresolvers; i++) {
		for (size_t k = 0; k < m->resolvers[i].nns; k++)
			free(m->resolvers[i].ns[k].id);
		free(m->resolvers[i].ns);
		free(m->resolvers[i].name);
	}
	free(m->resolvers);
	free(m->source);
	free(m->pidfile);
	free(m->user);
	free(m->group);
	free(m->chroot);
	free(m->description);
	free(m->unix_prefix);
	free(m->server_state_file);
	free(m->logs);
	for (size_t i = 0; i < m->nstats; i++) {
		free(m->stats[i].user);
		free(m->stats[i].group);
	}
	free(m->stats);
	for (size_t i = 0; i < m->npreconds; i++) {
		free(m->preconds[i].path);
		free(m->preconds[i].source);
		free(m->preconds[i].keyword);
	}
	free(m->preconds);
	for (size_t i = 0; i < m->ntls_binds; i++)
		model_tls_bind_free(&m->tls_binds[i]);
	free(m->tls_binds);
	model_tls_bind_free(&m->tls_def);
	for (size_t i = 0; i < m->ntls_files; i++) {
		free(m->tls_files[i].path);
		free(m->tls_files[i].der);
		if (m->tls_files[i].key)
			memset(m->tls_files[i].key, 0, m->tls_files[i].key_len);
		free(m->tls_files[i].key);
	}
	free(m->tls_files);
	for (size_t i = 0; i < m->ninterned; i++)
		free(m->interned[i]);
	free(m->interned);
	memset(m, 0, sizeof(*m));
}

/* Grow `*arr` (of `*cap` elements of `size` bytes) to hold one more; return
 * the new zeroed element or NULL. */
static void *grow(void **arr, size_t *n, size_t *cap, size_t size)
{
	if (*n == *cap) {
		size_t ncap = *cap ? *cap * 2 : 4;
		void *p = realloc(*arr, ncap * size);

		if (!p)
			return NULL;
		*arr = p;
		*cap = ncap;
	}
	void *e = (char *)*arr + *n * size;
	memset(e, 0, size);
	(*n)++;
	return e;
}

struct model_proxy *model_add_proxy(struct model *m)
{
	return grow((void **)&m->proxies, &m->nproxies, &m->proxies_cap,
	            sizeof(*m->proxies));
}

struct model_defaults *model_add_defaults(struct model *m)
{
	return grow((void **)&m->defaults, &m->ndefaults, &m->defaults_cap,
	            sizeof(*m->defaults));
}

struct model_listener *model_proxy_add_listener(struct model_proxy *px)
{
	return grow((void **)&px->listeners, &px->nlisteners,
	            &px->listeners_cap, sizeof(*px->listeners));
}

struct model_server *model_proxy_add_server(struct model_proxy *px)
{
	return grow((void **)&px->servers, &px->nservers, &px->servers_cap,
	            sizeof(*px->servers));
}

struct model_acl *model_proxy_add_acl(struct model_proxy *px)
{
	return grow((void **)&px->acls, &px->nacls, &px->acls_cap,
	            sizeof(*px->acls));
}

struct plan_pattern *model_acl_add_pattern(struct model_acl *a)
{
	size_t cap = a->pats_cap;
	struct plan_pattern *pt = grow((void **)&a->pats, &a->npats,
	                               &a->pats_cap, sizeof(*a->pats));

	if (pt && a->pats_cap != cap) {
		char **t = realloc(a->texts, a->pats_cap * sizeof(*t));

		if (!t) {
			a->npats--;
			return NULL;
		}
		memset(t + cap, 0, (a->pats_cap - cap) * sizeof(*t));
		a->texts = t;
	}
	return pt;
}

struct model_http_rule *model_proxy_add_http_rule(struct model_proxy *px)
{
	return grow((void **)&px->http_rules, &px->nhttp_rules,
	            &px->http_rules_cap, sizeof(*px->http_rules));
}

struct model_track *model_proxy_add_track(struct model_proxy *px)
{
	return grow((void **)&px->tracks, &px->ntracks, &px->tracks_cap,
	            sizeof(*px->tracks));
}

struct model_lf *model_http_rule_add_lf(struct model_http_rule *r)
{
	return grow((void **)&r->lf, &r->nlf, &r->lf_cap, sizeof(*r->lf));
}

struct model_rule *model_proxy_add_rule(struct model_proxy *px, int conn)
{
	if (conn)
		return grow((void **)&px->conn_rules, &px->nconn_rules,
		            &px->conn_rules_cap, sizeof(*px->conn_rules));
	return grow((void **)&px->switch_rules, &px->nswitch_rules,
	            &px->switch_rules_cap, sizeof(*px->switch_rules));
}

struct model_rule *model_proxy_add_tcp_rule(struct model_proxy *px,
                                            uint32_t set)
{
	if (set == PLAN_TCP_CONNECTION)
		return model_proxy_add_rule(px, 1);
	if (set == PLAN_TCP_SWITCH)
		return model_proxy_add_rule(px, 0);
	return grow((void **)&px->tcp_rules[set], &px->ntcp_rules[set],
	            &px->tcp_rules_cap[set], sizeof(*px->tcp_rules[set]));
}

uint32_t model_find_proxy(const struct model *m, const char *name,
                          uint32_t cap)
{
	for (size_t i = 0; i < m->nproxies; i++)
		if ((m->proxies[i].cap & cap) && !strcmp(m->proxies[i].name, name))
			return (uint32_t)i;
	return PLAN_NONE;
}

struct model_check_rule *model_add_check(struct model_settings *s)
{
	return grow((void **)&s->checks, &s->nchecks, &s->checks_cap,
	            sizeof(*s->checks));
}

struct model_log *model_add_log(struct model_log **logs, size_t *n,
                                size_t *cap)
{
	return grow((void **)logs, n, cap, sizeof(**logs));
}

struct model_stats *model_add_stats(struct model *m)
{
	return grow((void **)&m->stats, &m->nstats, &m->stats_cap,
	            sizeof(*m->stats));
}

const char *model_intern(struct model *m, const char *text)
{
	char **slot, *copy;

	for (size_t i = m->ninterned; i-- > 0;)
		if (!strcmp(m->interned[i], text))
			return m->interned[i];
	if (!(copy = strdup(text)))
		return NULL;
	slot = grow((void **)&m->interned, &m->ninterned, &m->interned_cap,
	            sizeof(*m->interned));
	if (!slot) {
		free(copy);
		return NULL;
	}
	*slot = copy;
	return copy;
}

struct model_tls_file *model_add_tls_file(struct model *m)
{
	return grow((void **)&m->tls_files, &m->ntls_files, &m->tls_files_cap,
	            sizeof(*m->tls_files));
}

struct model_precond *model_add_precond(struct model *m)
{
	return grow((void **)&m->preconds, &m->npreconds, &m->preconds_cap,
	            sizeof(*m->preconds));
}

struct model_conv *model_acl_add_conv(struct model_acl *a)
{
	struct model_conv *c = grow((void **)&a->convs, &a->nconvs,
	                            &a->convs_cap, sizeof(*a->convs));

	if (c)
		c->set = SIZE_MAX;
	return c;
}

struct model_patset *model_add_patset(struct model *m)
{
	return grow((void **)&m->patsets, &m->npatsets, &m->patsets_cap,
	            sizeof(*m->patsets));
}

int model_patset_add(struct model_patset *ps, const struct plan_pattern *pt,
                     char *key, char *value)
{
	if (ps->n == ps->cap) {
		size_t cap = ps->cap ? ps->cap * 2 : 16;
		struct plan_pattern *np = realloc(ps->pats, cap * sizeof(*np));
		char **nk, **nv;

		if (!np)
			goto fail;
		ps->pats = np;
		if (!(nk = realloc(ps->keys, cap * sizeof(*nk))))
			goto fail;
		ps->keys = nk;
		if (!(nv = realloc(ps->values, cap * sizeof(*nv))))
			goto fail;
		ps->values = nv;
		ps->cap = cap;
	}
	ps->pats[ps->n] = *pt;
	ps->keys[ps->n] = key;
	ps->values[ps->n] = value;
	ps->n++;
	return 0;
fail:
	free(key);
	free(value);
	return -1;
}

int64_t model_var_index(struct model *m, const char *name)
{
	for (uint32_t i = 0; i < m->nvars; i++)
		if (!strcmp(m->vars[i], name))
			return i;
	if (m->nvars == PLAN_MAX_VARS)
		return -1;
	if (!(m->vars[m->nvars] = strdup(name)))
		return -2;
	return m->nvars++;
}
