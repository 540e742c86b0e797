/*
 * h1-t.h: types of the HTTP/1.1 message parser (h1.c).
 *
 * The parser is a pure function over bytes: no I/O, no allocation. It
 * describes a message head by offsets into the caller's buffer (never
 * pointers, so the caller may move the buffer between calls) and says
 * "complete", "need more" or "bad, at offset N, answer with status S".
 */
#ifndef HAPC_H1_T_H
#define HAPC_H1_T_H

#include <stdint.h>

enum h1_res {
	H1_DONE = 0,                /* a complete head (or body end) */
	H1_MORE = 1,                /* not complete yet: call again with more */
	H1_BAD  = 2,                /* refused: see err, err_off, err_status */
};

/* Bytes [off, off + len) of the buffer the message was parsed from. */
struct h1_slice {
	uint32_t off;
	uint32_t len;
};

/* One header line: name as received, value trimmed of OWS. */
struct h1_hdr {
	struct h1_slice name;
	struct h1_slice value;
};

enum h1_meth {
	H1_M_OTHER = 0, H1_M_GET = 1, H1_M_HEAD = 2, H1_M_POST = 3,
	H1_M_PUT = 4, H1_M_DELETE = 5, H1_M_OPTIONS = 6, H1_M_CONNECT = 7,
	H1_M_TRACE = 8, H1_M_PATCH = 9,
};

enum h1_body {
	H1_BODY_NONE    = 0,        /* no body at all */
	H1_BODY_CLEN    = 1,        /* Content-Length bytes (h1_msg.clen) */
	H1_BODY_CHUNKED = 2,        /* chunked: ends after the last chunk and
	                               the trailers */
	H1_BODY_EOF     = 3,        /* responses only: until the server closes */
};

#define H1_F_CONN_CLOSE     0x001u  /* Connection: close */
#define H1_F_CONN_KEEPALIVE 0x002u  /* Connection: keep-alive */
#define H1_F_CONN_UPGRADE   0x004u  /* Connection: upgrade */
#define H1_F_UPGRADE        0x008u  /* an Upgrade header is present */
#define H1_F_EXPECT_100     0x010u  /* Expect: 100-continue */
#define H1_F_HAS_HOST       0x020u  /* a Host header is present */
#define H1_F_ABS_URI        0x040u  /* request target in absolute form */
#define H1_F_HAS_CLEN       0x080u  /* a Content-Length header is present */
#define H1_F_HAS_TE         0x100u  /* a Transfer-Encoding header is present */
#define H1_F_CLEN_DROPPED   0x200u  /* chunked and Content-Length both: the
                                       Content-Length lines must not be
                                       forwarded (HAProxy's normalisation) */
#define H1_F_HAS_QUERY      0x400u  /* the target has a '?' (query may be
                                       empty) */
#define H1_F_OBS_FOLD       0x800u  /* a header value was folded (obs-fold):
                                       its slice holds CR/LF bytes that must
                                       become spaces before it is used or
                                       forwarded (h1_unfold()) */
#define H1_F_CLEN_MULTI     0x1000u /* Content-Length came as several lines
                                       or a list, all equal: forward one
                                       "Content-Length: <clen>" instead */

struct h1_limits {
	uint32_t max_head;          /* bytes of the whole head (tune.bufsize
	                               minus tune.maxrewrite) */
	uint32_t max_hdrs;          /* header lines (tune.http.maxhdr) */
};

struct h1_msg {
	uint8_t  is_resp;           /* 1: parsed as a response */
	uint8_t  version;           /* 10 or 11 */
	uint16_t status;            /* responses: 100..999 */
	uint32_t meth;              /* enum h1_meth (requests) */
	struct h1_slice method;     /* request method token */
	struct h1_slice uri;        /* request target as received */
	struct h1_slice path;       /* inside uri: the path (origin or
	                               absolute form); empty for the asterisk
	                               and authority forms */
	struct h1_slice query;      /* after '?', without it */
	struct h1_slice authority;  /* absolute form or CONNECT: the
	                               authority; len 0 = none */
	struct h1_slice reason;     /* responses: reason phrase */
	struct h1_hdr *hdrs;        /* caller's array of max_hdrs entries */
	uint32_t nhdrs;             /* header lines in hdrs */
	uint32_t flags;             /* H1_F_* */
	uint32_t body;              /* enum h1_body of a request; for a
	                               response see h1_resp_body() */
	uint32_t head_len;          /* bytes of the head, blank line included */
	uint64_t clen;              /* with H1_BODY_CLEN: body bytes */
	uint32_t err_off;           /* H1_BAD: offset of the offending byte */
	uint16_t err_status;        /* H1_BAD: status to answer, as HAProxy
	                               does: 400, 414 or 431 for a request,
	                               502 for a response */
	uint16_t pad;
	const char *err;            /* H1_BAD: static text: what was wrong */
};

/* Resumable body scanner: fed body bytes as they arrive. */
struct h1_body_state {
	uint32_t kind;              /* enum h1_body */
	uint32_t st;                /* state of the chunk machine (h1.c) */
	uint64_t left;              /* CLEN: bytes left; CHUNKED: of this chunk */
	uint64_t total;             /* payload bytes seen, framing excluded */
};

#endif /* HAPC_H1_T_H */
