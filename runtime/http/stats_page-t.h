/*
 * stats_page-t.h: what the HTTP engine gives the stats page and the
 * Prometheus exporter, and the response they hand back (stats_page.h).
 */
#ifndef HAPC_STATS_PAGE_T_H
#define HAPC_STATS_PAGE_T_H

#include <stddef.h>
#include <stdint.h>

struct ops;

/* Bits of stats_page_conf.flags (the proxy's `stats ...` lines). */
#define STATS_PAGE_F_ADMIN        0x01u  /* `stats admin` matched: the page
                                            has forms, POSTs apply */
#define STATS_PAGE_F_HIDE_VERSION 0x02u  /* `stats hide-version` */
#define STATS_PAGE_F_SHOW_NODE    0x04u  /* `stats show-node [name]` */
#define STATS_PAGE_F_SHOW_LEGENDS 0x08u  /* `stats show-legends` */
#define STATS_PAGE_F_SHOW_DESC    0x10u  /* `stats show-desc [text]` */

#define STATS_PAGE_BODY_MAX  (64u << 20) /* bytes of a response body; a
                                            larger page is answered 500 */
#define STATS_PAGE_POST_MAX  (64u << 10) /* bytes of an admin form; more is
                                            refused (st=EXCD) */
#define STATS_PAGE_HDRS_MAX  256u        /* bytes of extra_hdrs */

/* How one proxy serves its stats page: filled by the engine from the
 * plan's `stats` settings of the proxy the request came through. */
struct stats_page_conf {
	uint32_t flags;             /* STATS_PAGE_F_* */
	uint32_t refresh_s;         /* `stats refresh`, seconds, 0 = none */
	const char *uri;            /* `stats uri` prefix, "/haproxy?stats"
	                               by default; links and the redirect
	                               after a POST are built on it */
	const char *node;           /* node name, NULL = the host name */
	const char *desc;           /* description, NULL = none */
	uint32_t proxy;             /* plan index of the proxy serving the
	                               page ("." in scopes) */
	const char *scopes;         /* `stats scope` "NAME\n" entries: only
	                               those proxies are shown; NULL = all */
};

/* One request to the page. */
struct stats_page_req {
	int is_post;                /* 1: POST (an admin form) */
	int is_head;                /* 1: HEAD (the body is built anyway so
	                               that its length is known; send only the
	                               headers) */
	const char *query;          /* the bytes after the stats uri, not
	                               terminated: ";csv", ";up", ";norefresh",
	                               ";st=DONE", "?scope=NAME", combined */
	size_t query_len;
	const char *body;           /* POST body (x-www-form-urlencoded) */
	size_t body_len;
};

/* The response to send: status line, Content-Type, the extra header
 * lines, then `len` bytes of body (Content-Length: len). */
struct stats_page_out {
	int status;                 /* 200, 303, 500 */
	const char *content_type;   /* static string */
	char *body;                 /* malloc'd, at most STATS_PAGE_BODY_MAX
	                               bytes, owned by the caller afterwards
	                               (stats_page_out_free()); NULL when len
	                               is 0 */
	size_t len;                 /* bytes of body */
	size_t cap;                 /* bytes allocated at body */
	char extra_hdrs[STATS_PAGE_HDRS_MAX]; /* complete header lines, each
	                               ending in CRLF ("Refresh: 5\r\n",
	                               "Location: ...\r\n"), "" = none */
};

#endif /* HAPC_STATS_PAGE_T_H */
