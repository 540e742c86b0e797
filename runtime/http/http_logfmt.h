/*
 * http_logfmt.h: custom log formats, unique ids and captures at run time
 * (http_logfmt.c; types in http_logfmt-t.h).
 */
#ifndef HAPC_HTTP_LOGFMT_H
#define HAPC_HTTP_LOGFMT_H

#include <stddef.h>

#include "h1-t.h"
#include "http_logfmt-t.h"
#include "http_rules-t.h"

struct runtime;
struct stream;

/* The variable named name[0..len) (enum http_lf_var), -1 when cfgrun
 * does not render it. */
int http_lf_var_known(const char *name, size_t len);

/*
 * Parse format `text` (as cfgc checked it) into f; its TEXT items point
 * into `text`, which must outlive f. 0, or -1 with a message in err for
 * what cfgrun cannot run (cfgc refuses it first).
 */
int http_lf_parse(const char *text, struct http_lf *f, char *err,
                  size_t errlen);

/* Per generation: parse every proxy's log-format and unique-id-format
 * (rt->logfmt). 0, or -1 with a message; free with
 * http_logfmt_gen_free() either way. */
int http_logfmt_gen_init(struct runtime *rt, char *err, size_t errlen);
void http_logfmt_gen_free(struct runtime *rt);

/* Forget a request's captures and unique id. */
void http_capt_reset(struct http_capt *c);

/* A request head was parsed (m over buf, as received): take its number,
 * its captures and render its unique id (takes the generation lock). */
void http_logfmt_req(struct stream *s, const char *buf,
                     const struct h1_msg *m);

/* A final response head was parsed: its captures. */
void http_logfmt_rsp(struct stream *s, const char *buf,
                     const struct h1_msg *m);

/* Add the frontend's unique-id-header to the request edits e: 0, or -1
 * when it does not fit. */
int http_logfmt_uid_header(struct stream *s, struct http_edits *e);

/*
 * The log line of s's request (lock held): the frontend's log-format,
 * else HAProxy's httplog (then *custom = 0). Written NUL-terminated to
 * line[0..size), cut; returns its bytes.
 */
size_t http_logfmt_line(const struct stream *s, char *line, size_t size,
                        int *custom);

#endif /* HAPC_HTTP_LOGFMT_H */
