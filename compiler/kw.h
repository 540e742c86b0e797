/*
 * kw.h: the keyword tables cfgc compiles, and the reports for the rest.
 */
#ifndef HAPC_KW_H
#define HAPC_KW_H

#include "sema-t.h"

extern const struct kw_def kw_global_table[];
extern const size_t kw_global_count;
extern const struct kw_def kw_proxy_table[];
extern const size_t kw_proxy_count;

/* The compiled keyword `name` in `table`, or NULL. */
const struct kw_def *kw_find(const struct kw_def *table, size_t n,
                             const char *name);

/*
 * Queue the error for keyword words that cfgc does not compile: `words` are
 * the statement (or the option and what follows it), `sec` the KW_SEC_* bit
 * of the place, `where` its label for messages ("frontend", "server").
 * Known to HAProxy -> error[unsupported] naming the manual chapter;
 * removed from HAProxy -> error[removed-keyword]; otherwise
 * error[unknown-keyword] with a "did you mean" hint.
 */
void kw_report_uncompiled(struct sema *s, const struct ast_word *words,
                          size_t nwords, uint32_t sec, const char *where);

/* Check the argument count of `st` against `kw`; 0 or -1 after an error. */
int kw_check_args(struct sema *s, const struct kw_def *kw,
                  const struct ast_stmt *st);

/* Location spanning words[a] .. words[b] (same line assumed). */
struct src_loc kw_span(const struct ast_word *words, size_t a, size_t b);



/* Handlers living in their own files, referenced by kw_proxy_table. */
int kw_bind(struct sema *s, const struct ast_stmt *st);
int kw_server(struct sema *s, const struct ast_stmt *st);
int kw_server_template(struct sema *s, const struct ast_stmt *st);
int kw_default_server(struct sema *s, const struct ast_stmt *st);
int kw_option(struct sema *s, const struct ast_stmt *st);     /* kw-option.c */
int kw_no(struct sema *s, const struct ast_stmt *st);
int kw_log(struct sema *s, const struct ast_stmt *st);        /* kw-log.c */
int kw_no_log(struct sema *s, const struct ast_stmt *st);
int kw_tcp_check(struct sema *s, const struct ast_stmt *st);  /* kw-check.c */
int kw_acl(struct sema *s, const struct ast_stmt *st);        /* kw-acl.c */
int kw_description(struct sema *s, const struct ast_stmt *st); /* kw-proxy.c, global too */
int kw_use_backend(struct sema *s, const struct ast_stmt *st);
int kw_use_server(struct sema *s, const struct ast_stmt *st);
int kw_tcp_response(struct sema *s, const struct ast_stmt *st);

/* A new rule of set `set` (enum plan_tcp_set) of the current proxy with
 * st's condition and `action`; NULL when it is not compiled (reported,
 * or the condition has a part cfgc does not compile). */
struct model_rule *kw_rule_new(struct sema *s, const struct ast_stmt *st,
                               uint32_t set, uint32_t action);
int kw_tcp_request(struct sema *s, const struct ast_stmt *st);
int kw_stick(struct sema *s, const struct ast_stmt *st);
int kw_http_rule(struct sema *s, const struct ast_stmt *st);  /* kw-http-rules.c */
int kw_stats_http_rule(struct sema *s, const struct ast_stmt *st);
int kw_stats_admin_rule(struct sema *s, const struct ast_stmt *st);
int kw_redirect(struct sema *s, const struct ast_stmt *st);
/* The condition of `st` into rule `r` (cond, terms); anonymous ACLs go
 * to px. 0, or 1 when the rule cannot be compiled (reported), -1 after
 * an error. */
int kw_rule_cond(struct sema *s, struct model_proxy *px,
                 const struct ast_stmt *st, struct model_rule *r);
/* A fetch word with its argument, as a sample (the caller refuses ACL
 * derivatives; a header fetch without occurrence takes the last) into a's fetch, sarg,
 * occ, arg. 0, 1 when cfgc does not take it (reported), -1 after an
 * error. */
int kw_acl_fetch_word(struct sema *s, const struct ast_word *w,
                      struct model_acl *a);
/* A new anonymous line of px: fetch `fetch` (a header fetch) of header
 * `name`, matched by the regex of word `re` (checked, errors located
 * there); its index in px->acls into *idx. 0, or -1 after an error. */
int kw_acl_regex_line(struct sema *s, struct model_proxy *px, uint32_t fetch,
                      const char *name, const struct ast_word *re,
                      uint32_t line, size_t *idx);
/* Resolve the ACL and rule names of proxy `px` once every section is
 * read (backends, nbsrv arguments, predefined ACLs); rules that cannot be
 * compiled are dropped, with an unsupported error unless one was said. */
void kw_acl_finish(struct sema *s, struct model_proxy *px);
int kw_http_check(struct sema *s, const struct ast_stmt *st);
/* An IPv4/IPv6 network word as address ACLs read it, canonical (no bit
 * past the prefix) in *pt; 0, 1 for a form cfgc does not take (an error
 * was queued), -1 after an error. */
int kw_acl_network(struct sema *s, const struct ast_word *w,
                   struct plan_pattern *pt);

/* filter and declare capture lines without effect on cfgrun
 * (kw-filter.c); kw_filter_finish() judges `filter compression` once the
 * proxy's mode is known. */
int kw_filter(struct sema *s, const struct ast_stmt *st);
int kw_declare(struct sema *s, const struct ast_stmt *st);
void kw_filter_finish(struct sema *s, struct model_proxy *px);

/* compression ... and tune.comp.maxlevel / tune.zlib.* (kw-comp.c); kw_comp_finish()
 * judges a proxy's compression once its mode and filters are known. */
int kw_compression(struct sema *s, const struct ast_stmt *st);
int kw_global_comp_level(struct sema *s, const struct ast_stmt *st);
void kw_comp_finish(struct sema *s, struct model_proxy *px);
/* "gzip" for PLAN_COMP_GZIP..., "?" for an unknown value. */
const char *kw_comp_algo_name(unsigned algo);

/* 1 when the log-format statement st is replaced by a later log-format,
 * `option httplog`, `httpslog` or `tcplog` of its section: HAProxy keeps
 * only the last and never parses the others (kw-http.c). */
int kw_logformat_replaced(const struct ast_stmt *st);
/* Converters, maps, variables (kw-conv.c). */
/* Offset in t (from p) of the ']' closing a %[ expression, brackets and
 * parentheses inside it balanced, quoted and escaped bytes skipped; -1
 * if none. */
long kw_expr_end(const char *t, size_t p);
/* The plan index of variable `name` ("txn.x"), checked (scope) and made
 * when new; < 0 after an error at loc. */
int64_t kw_var_index(struct sema *s, const struct src_loc *loc,
                     const char *name);
/*
 * The converters e[0..len) (",lower,map(f,d)"), written at byte `off` of
 * word w, appended to a's chain; map files are read now. 0, 1 when cfgc
 * does not take one (reported), -1 after an error.
 */
int kw_conv_chain(struct sema *s, const struct ast_word *w, size_t off,
                  const char *e, size_t len, struct model_acl *a);
/*
 * The sample expression e[0..len) (a fetch, its argument, converters),
 * written at byte `off` of word w, as a new anonymous FOUND line of px
 * (the last of px->acls). 0, 1 when cfgc does not take it (reported),
 * -1 after an error (kw-http-rules.c).
 */
int kw_sample_line(struct sema *s, struct model_proxy *px,
                   const struct ast_word *w, size_t off, const char *e,
                   size_t len, uint32_t line);
/* The one argument e[0..len) of a fetch such as str(), its quotes and
 * escapes read as HAProxy's argument parser reads them: a new string,
 * NULL when it is more than one argument, too long or out of memory. */
char *kw_arg_text(const char *e, size_t len);
/* The output type (enum smp_out) of a's last converter, -1 without. */
int kw_conv_out(const struct model_acl *a);
/* A line of a pattern or map file (trimmed, not empty, not a comment),
 * line `lineno` of `path`; 0 to go on, else what kw_read_lines returns. */
typedef int (*kw_line_fn)(struct sema *s, const struct src_loc *loc,
                          const char *path, unsigned lineno, char *line,
                          void *arg);
/* Each line of file `name` (a `what`: "map file") to fn; errors at loc.
 * 0, 1 when not read (missing: files_stmt() reports it; --hermetic:
 * reported), -1 after an error. */
int kw_read_lines(struct sema *s, const struct src_loc *loc, const char *name,
                  const char *what, kw_line_fn fn, void *arg);
/* Stick tables and counters (kw-stick.c). */
int kw_stick_table(struct sema *s, const struct ast_stmt *st);
/* Stick counter action words w[0..n) (track-sc*, sc-inc-gpc*, sc-add-gpc,
 * sc-set-gpt*) of a rule of px: a new record of px->tracks, its index in
 * *track. 0, 1 when cfgc does not take it (reported), -1 after an
 * error. */
int kw_stick_action(struct sema *s, struct model_proxy *px,
                    const struct ast_word *w, size_t n, uint32_t line,
                    size_t *track);
/* A stick counter fetch word (sc0_http_req_rate, src_get_gpc0(T)...)
 * into a (fetch STKCTR, occ, arg = table name). 0; 1 when the word is
 * not one (nothing reported); 2 when it is one cfgc does not take
 * (reported); -1 after an error. */
int kw_stick_fetch(struct sema *s, const struct ast_word *w,
                   struct model_acl *a);
/* Resolve px's table names (fetch arguments, track-sc's `table`) once
 * every section is read; what names no table is reported and dropped. */
void kw_stick_finish(struct sema *s, struct model_proxy *px);
/* stick on|match|store-request|store-response SAMPLE [table NAME]: w[0]
 * is one of those four (the caller reports any other). A TRACK record
 * (op MATCH, STORE, ON, STORE_RES) and its key line added to px, *track
 * its index.
 * 0, 1 (reported) or -1 (out of memory). */
int kw_stick_persist(struct sema *s, struct model_proxy *px,
                     const struct ast_word *w, size_t n, uint32_t line,
                     size_t *track);
/* TLS to servers (kw-ssl-server.c). */
struct model_server_tls;
struct model_tls_file;
/* The TLS option at st->args[i] of a server, default-server (label) line
 * into `t`: the number of words it took (1 or 2), 0 when args[i] is no
 * TLS option, -1 after an error. */
int kw_server_tls_option(struct sema *s, struct model_server_tls *t,
                         const struct ast_stmt *st, size_t i,
                         const char *label);
int kw_ssl_default_server_options(struct sema *s, const struct ast_stmt *st);
int kw_ssl_default_server_list(struct sema *s, const struct ast_stmt *st);
int kw_ssl_server_verify(struct sema *s, const struct ast_stmt *st);
/* A server's TLS settings with the globals and HAProxy's defaults applied
 * (the fields of struct plan_tls_server; strings NULL when empty). */
struct kw_server_tls_out {
	uint32_t flags;             /* PLAN_TLS_SRV_F_* */
	uint16_t min_ver, max_ver;  /* version words, 0 = default */
	uint8_t sni;                /* enum plan_tls_sni */
	const char *sni_name, *check_sni, *verifyhost, *alpn;
	const char *ciphers, *ciphersuites, *curves;
	const struct model_tls_file *ca, *crl, *crt; /* NULL = none */
};
/* Fill `out` for server `sv` of `px`: 1 when the server uses TLS for its
 * traffic or its checks, 0 when it does not (out zeroed). */
int kw_server_tls_resolve(const struct model *m,
                          const struct model_proxy *px,
                          const struct model_server *sv,
                          struct kw_server_tls_out *out);
/* "TLSv1.2" for the version word 0x0303; "" for 0 or unknown. */
const char *kw_tls_ver_name(unsigned v);

/* HTTP settings (kw-http.c). */
int kw_proxy_stats(struct sema *s, const struct ast_stmt *st);
int kw_http_reuse(struct sema *s, const struct ast_stmt *st);
int kw_retry_on(struct sema *s, const struct ast_stmt *st);
int kw_global_tune(struct sema *s, const struct ast_stmt *st);
int kw_global_idle_pool(struct sema *s, const struct ast_stmt *st);
int kw_log_format(struct sema *s, const struct ast_stmt *st);
int kw_http_word(struct sema *s, const struct ast_stmt *st);
int kw_cookie(struct sema *s, const struct ast_stmt *st);
int kw_errorfile(struct sema *s, const struct ast_stmt *st);
int kw_errorfiles(struct sema *s, const struct ast_stmt *st);
int kw_capture(struct sema *s, const struct ast_stmt *st);
/* An http-errors section: its errorfile lines read into the model. */
void kw_http_errors_section(struct sema *s, const struct ast_section *sec);
/* kw-userlist.c: a userlist section checked and packed into the model
 * (before the proxies); the packed text of the userlist named *sarg put
 * in its place (0, or -1 after a located error at w); the group a
 * http_auth_group value w names checked against it (0 or -1). */
void kw_userlist_section(struct sema *s, const struct ast_section *sec);
/* kw-resolvers.c: a resolvers section read into the model (before the
 * proxies, whose servers name it). */
void kw_resolvers_section(struct sema *s, const struct ast_section *sec);
/* The section a server's `resolvers NAME` names: 1 + its model index, 0
 * when none (xref.c reports it). "default" always exists: made with
 * parse-resolv-conf when the configuration has none, as HAProxy does. */
uint32_t kw_resolvers_find(struct sema *s, const char *name);
int kw_userlist_pack(struct sema *s, const struct ast_word *w, char **sarg);
int kw_userlist_group(struct sema *s, const char *sarg,
                      const struct ast_word *w);
/* Check the custom log format (manual 8.2.6) in word `w` of keyword `kw`;
 * 0, or -1 after a located error. */
int kw_logformat_check(struct sema *s, const struct ast_word *w,
                       const char *kw);
/* The same for a rule's value (set-header, set-path...), which HAProxy
 * parses when it reads the rule: its problems are errors for either
 * target (a `log-format` line is only read when the proxy logs). */
int kw_logformat_check_value(struct sema *s, const struct ast_word *w,
                             const char *kw);
/* Once every section is read: what HAProxy does with HTTP settings in a
 * proxy that is not in mode http (warnings, httplog's tcplog fallback). */
void kw_http_finish(struct sema *s, struct model_proxy *px);

/* Option handlers (kw-option.c's table): the option's own arguments start
 * at st->args[args]; `negate` for `no option`. 0, or -1 after an error. */
int kw_option_httpchk(struct sema *s, const struct ast_stmt *st, size_t args,
                      int negate);
int kw_option_tcp_check(struct sema *s, const struct ast_stmt *st,
                        size_t args, int negate);
/* kw-checkproto.c: the protocol checks, as tcp-check rule lists. */
int kw_option_mysql_check(struct sema *s, const struct ast_stmt *st,
                          size_t args, int negate);
int kw_option_pgsql_check(struct sema *s, const struct ast_stmt *st,
                          size_t args, int negate);
int kw_option_redis_check(struct sema *s, const struct ast_stmt *st,
                          size_t args, int negate);
int kw_option_ldap_check(struct sema *s, const struct ast_stmt *st,
                         size_t args, int negate);
int kw_option_smtpchk(struct sema *s, const struct ast_stmt *st,
                      size_t args, int negate);
int kw_option_tcplog(struct sema *s, const struct ast_stmt *st, size_t args,
                     int negate);
int kw_option_httpslog(struct sema *s, const struct ast_stmt *st, size_t args,
                       int negate);
int kw_option_httplog(struct sema *s, const struct ast_stmt *st, size_t args,
                      int negate);
int kw_option_forwardfor(struct sema *s, const struct ast_stmt *st,
                         size_t args, int negate);
int kw_option_originalto(struct sema *s, const struct ast_stmt *st,
                         size_t args, int negate);
/* httpclose, http-server-close, http-keep-alive (the name is args - 1). */
int kw_option_conn_mode(struct sema *s, const struct ast_stmt *st,
                        size_t args, int negate);

/* Syslog names by number (kw-log.c), shared with the dump. */
#define KW_LOG_NFACILITIES 24
#define KW_LOG_NLEVELS 8
extern const char *const kw_log_facilities[KW_LOG_NFACILITIES];
extern const char *const kw_log_levels[KW_LOG_NLEVELS];

/*
 * A count HAProxy reads with atol(): leading digits make the value, the
 * rest is ignored, and a word with no digits gives 0. Queues a warning
 * when the word was not a plain number (HAProxy says nothing, but the
 * value is surely not what was meant). `what` names the setting.
 */
/* The address of a `source` (backend or server option) into *out: an
 * IPv4 or IPv6 address with an optional port (0 = any). 0, or -1 after a
 * located error (unsupported for forms cfgrun does not run). */
int kw_source_addr(struct sema *s, const struct ast_word *w,
                   struct plan_addr *out);
/* usesrc client|clientip: PLAN_SRV_F_USESRC_*, or 0 after a located
 * error (other forms are unsupported). */
uint32_t kw_usesrc_arg(struct sema *s, const struct ast_word *w);

uint32_t kw_lenient_count(struct sema *s, const struct ast_word *w,
                          const char *what);

/*
 * A time argument `w` of setting `what` ("timeout client", "inter"), in
 * milliseconds unless `def_unit_ms` says otherwise: read as HAProxy 3.5
 * does, so characters after a complete unit ("15min") are ignored with a
 * warning[lenient-time]; anything else wrong is an error[invalid-time].
 * Returns 0 with *ms set, or -1 after the error.
 */
int kw_time_arg(struct sema *s, const struct ast_word *w,
                uint32_t def_unit_ms, const char *what, uint32_t *ms);

/* Report a bad word from a helper that gives a 0-based byte offset in it:
 * the caret goes under that byte when the word was written plainly, under
 * the whole word when quotes or variables make offsets meaningless. */
struct src_loc kw_word_loc_at(const struct ast_word *w, size_t off);
/* First character of `name` that HAProxy refuses in proxy and server names
 * (anything but letters, digits, '-', '_', '.' and ':'), or NULL. */
const char *kw_name_bad_char(const char *name);

#endif /* HAPC_KW_H */
