/*
 * env.c: setenv/presetenv/unsetenv/resetenv applied as they are read.
 */
#include <stdlib.h>
#include <string.h>
#include "env.h"
#include "parse.h"

extern char **environ;

/* resetenv NAME...: remove every variable not named. The names to remove
 * are collected first: unsetenv() may reshuffle environ while we walk it. */
static void env_reset(const struct ast_stmt *st)
{
	size_t n = 0, cap = 0;
	char **drop = NULL;

	for (char **e = environ; e && *e; e++) {
		const char *eq = strchr(*e, '=');
		size_t len = eq ? (size_t)(eq - *e) : strlen(*e);
		int keep = 0;

		for (size_t i = 1; i < st->nargs && !keep; i++)
			keep = strlen(st->args[i].text) == len &&
			       !strncmp(st->args[i].text, *e, len);
		if (keep)
			continue;
		if (n == cap) {
			size_t ncap = cap ? cap * 2 : 16;
			char **p = realloc(drop, ncap * sizeof(*p));

			if (!p)
				break;
			drop = p;
			cap = ncap;
		}
		drop[n] = strndup(*e, len);
		if (drop[n])
			n++;
	}
	for (size_t i = 0; i < n; i++) {
		unsetenv(drop[i]);
		free(drop[i]);
	}
	free(drop);
}

void env_on_stmt(void *ud, const struct ast_section *sec,
                 const struct ast_stmt *st)
{
	const char *kw = st->args[0].text;

	(void)ud;
	if (!sec || sec->kind != AST_SEC_GLOBAL || st->nargs < 1)
		return;
	if (!strcmp(kw, "setenv") && st->nargs == 3) {
		if (st->args[1].text[0] && !strchr(st->args[1].text, '='))
			setenv(st->args[1].text, st->args[2].text, 1);
	} else if (!strcmp(kw, "presetenv") && st->nargs == 3) {
		if (st->args[1].text[0] && !strchr(st->args[1].text, '='))
			setenv(st->args[1].text, st->args[2].text, 0);
	} else if (!strcmp(kw, "unsetenv")) {
		for (size_t i = 1; i < st->nargs; i++)
			if (st->args[i].text[0] && !strchr(st->args[i].text, '='))
				unsetenv(st->args[i].text);
	} else if (!strcmp(kw, "resetenv")) {
		env_reset(st);
	}
}

const struct parse_hooks env_parse_hooks = {
	.on_stmt = env_on_stmt,
	.ud = NULL,
};

/* The log formats of manual sections 8.2.2 to 8.2.4, as HAProxy exports
 * them. */
#define ENV_TCP_LOG_FMT "%ci:%cp [%t] %ft %b/%s %Tw/%Tc/%Tt %B %ts " \
	"%ac/%fc/%bc/%sc/%rc %sq/%bq"
#define ENV_HTTP_LOG_FMT "%ci:%cp [%tr] %ft %b/%s %TR/%Tw/%Tc/%Tr/%Ta %ST " \
	"%B %CC %CS %tsc %ac/%fc/%bc/%sc/%rc %sq/%bq %hr %hs %{+Q}r"

int env_set_haproxy_vars(void)
{
	static const struct {
		const char *name;
		const char *value;
	} vars[] = {
		{ "HAPROXY_STARTUP_VERSION", CFG_COMPAT_VERSION },
		{ "HAPROXY_TCP_LOG_FMT", ENV_TCP_LOG_FMT },
		{ "HAPROXY_HTTP_LOG_FMT", ENV_HTTP_LOG_FMT },
		{ "HAPROXY_HTTP_CLF_LOG_FMT", "%{+Q}o %{-Q}ci - - [%trg] %r %ST %B "
		  "\"\" \"\" %cp %ms %ft %b %s %TR %Tw %Tc %Tr %Ta %tsc %ac %fc "
		  "%bc %sc %rc %sq %bq %CC %CS %hrl %hsl" },
		{ "HAPROXY_HTTPS_LOG_FMT", ENV_HTTP_LOG_FMT " %[fc_err]/"
		  "%[ssl_fc_err,hex]/%[ssl_c_err]/%[ssl_c_ca_err]/"
		  "%[ssl_fc_is_resumed] %[ssl_fc_sni]/%sslv/%sslc" },
	};
	char branch[16];
	const char *dot = strchr(CFG_COMPAT_VERSION, '.');
	size_t blen = dot ? strcspn(dot + 1, ".") + (size_t)(dot + 1 -
	              CFG_COMPAT_VERSION) : strlen(CFG_COMPAT_VERSION);

	/* "3.5.0" -> "3.5" */
	if (blen >= sizeof(branch))
		blen = sizeof(branch) - 1;
	memcpy(branch, CFG_COMPAT_VERSION, blen);
	branch[blen] = 0;
	if (setenv("HAPROXY_BRANCH", branch, 1) < 0)
		return -1;
	for (size_t i = 0; i < sizeof(vars) / sizeof(vars[0]); i++)
		if (setenv(vars[i].name, vars[i].value, 1) < 0)
			return -1;
	return 0;
}
