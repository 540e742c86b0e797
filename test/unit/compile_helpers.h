/*
 * compile_helpers.h: shared by the compiler's unit tests: parse and evaluate
 * configuration text through the real parser and evaluation pass, then look
 * up the diagnostics it queued.
 */
#ifndef HAPC_TEST_COMPILE_HELPERS_H
#define HAPC_TEST_COMPILE_HELPERS_H

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "emit.h"
#include "env.h"
#include "model.h"
#include "parse.h"
#include "plan.h"
#include "sema.h"

struct ch_run {
	struct diag_ctx dc;          /* what parsing and evaluation queued */
	struct model m;              /* the evaluated model */
	int rc;                      /* sema_run_opts() */
};

/* Parse and evaluate `text` as the file "t.cfg" for `target` (check mode:
 * no name resolution). Free with ch_run_free(). */
static inline void ch_run_target(struct ch_run *r, const char *text,
                                 enum sema_target target)
{
	struct ast_config cfg = { 0 };
	struct sema_opts opts = { .addr_opts = 0, .target = target };
	char *t = strdup(text);

	ck_assert_ptr_nonnull(t);
	diag_init(&r->dc);
	model_init(&r->m);
	ck_assert_int_eq(cfg_parse_buffer(&r->dc, "t.cfg", t, strlen(t), &cfg,
	                                  &env_parse_hooks), 0);
	r->rc = sema_run_opts(&r->dc, &cfg, &opts, &r->m);
	ast_config_free(&cfg);
}

/* ch_run_target() for cfgrun, the default target (what sema_run() does). */
static inline void ch_run_text(struct ch_run *r, const char *text)
{
	ch_run_target(r, text, SEMA_TARGET_CFGRUN);
}

static inline void ch_run_free(struct ch_run *r)
{
	model_free(&r->m);
	diag_free(&r->dc);
}

/* The first diagnostic of severity `sev` with `code`, or NULL. */
static inline const struct diag *ch_find(const struct ch_run *r,
                                         enum diag_severity sev,
                                         const char *code)
{
	for (const struct diag *d = r->dc.head; d; d = d->next)
		if (d->severity == sev && d->code && !strcmp(d->code, code))
			return d;
	return NULL;
}

/* Compile `text` for cfgrun into a new plan image (*buf, *len, free()
 * it) verified into *p; the test fails on any error. */
static inline void ch_compile_plan(const char *text, uint8_t **buf,
                                   size_t *len, struct plan *p)
{
	struct ch_run r;
	char detail[256];

	ch_run_text(&r, text);
	ck_assert_msg(r.rc == 0, "compile failed: %s",
	              r.dc.head ? r.dc.head->msg : "?");
	ck_assert_int_eq(emit_plan(&r.m, buf, len), 0);
	ch_run_free(&r);
	ck_assert_msg(plan_verify(*buf, *len, p, detail,
	                          sizeof(detail)) == PLAN_E_OK, "%s", detail);
}

/* A compiled, verified plan; free buf when done. */
struct ch_plan {
	uint8_t *buf;
	size_t len;
	struct plan p;
};

/* Compile `text` for cfgrun through evaluation and the emitter, and
 * verify the plan; fails the test (with the first message) otherwise. */
static inline void ch_compile_ok(struct ch_plan *c, const char *text)
{
	ch_compile_plan(text, &c->buf, &c->len, &c->p);
}

/* The first diagnostic of severity `sev` with `code` whose message says
 * `needle` exists for `text` under `target`, at line:col (and an error
 * fails the compilation). */
static inline void ch_expect_diag(const char *text, enum sema_target target,
                                  enum diag_severity sev, const char *code,
                                  unsigned line, unsigned col,
                                  const char *needle)
{
	struct ch_run r;
	const struct diag *d;

	ch_run_target(&r, text, target);
	for (d = r.dc.head; d; d = d->next)
		if (d->severity == sev && d->code && !strcmp(d->code, code) &&
		    strstr(d->msg, needle))
			break;
	ck_assert_msg(d != NULL, "no %s diagnostic saying '%s' for:\n%s",
	              code, needle, text);
	ck_assert_msg(d->loc.line == line && d->loc.col == col,
	              "'%s' at %u:%u, expected %u:%u", d->msg, d->loc.line,
	              d->loc.col, line, col);
	if (sev == DIAG_ERROR)
		ck_assert_int_eq(r.rc, -1);
	ch_run_free(&r);
}

#endif /* HAPC_TEST_COMPILE_HELPERS_H */
