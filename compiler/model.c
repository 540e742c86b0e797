/*
 * model.c: memory of the typed model.
 */
#include <stdlib.h>
#include <string.h>
#include "model.h"

void model_init(struct model *m)
{
	memset(m, 0, sizeof(*m));
}

void model_settings_free(struct model_settings *s)
{
	free(s->default_backend);
	s->default_backend = NULL;
}

int model_settings_copy(struct model_settings *dst,
                        const struct model_settings *src)
{
	*dst = *src;
	if (src->default_backend) {
		dst->default_backend = strdup(src->default_backend);
		if (!dst->default_backend)
			return -1;
	}
	return 0;
}

void model_free(struct model *m)
{
	for (size_t i = 0; i < m->nproxies; i++) {
		struct model_proxy *px = &m->proxies[i];

		free(px->name);
		model_settings_free(&px->set);
		free(px->listeners);
		for (size_t j = 0; j < px->nservers; j++)
			free(px->servers[j].name);
		free(px->servers);
	}
	free(m->proxies);
	for (size_t i = 0; i < m->ndefaults; i++) {
		free(m->defaults[i].name);
		model_settings_free(&m->defaults[i].set);
	}
	free(m->defaults);
	free(m->source);
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

uint32_t model_find_proxy(const struct model *m, const char *name,
                          uint32_t cap)
{
	for (size_t i = 0; i < m->nproxies; i++)
		if ((m->proxies[i].cap & cap) && !strcmp(m->proxies[i].name, name))
			return (uint32_t)i;
	return PLAN_NONE;
}
