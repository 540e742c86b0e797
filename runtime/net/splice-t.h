/*
 * splice-t.h: kernel pipes for zero-copy forwarding with splice(2).
 *
 * When the proxy does not need to look at the bytes (TCP mode, no PROXY
 * header pending), a direction can move them socket -> pipe -> socket
 * inside the kernel instead of copying them through a user buffer. Pipes
 * are pooled process-wide: a stream takes one per direction and gives it
 * back empty when it ends.
 */
#ifndef HAPC_SPLICE_T_H
#define HAPC_SPLICE_T_H

#include <stdint.h>

#define SPLICE_PIPE_CAP   65536u   /* bytes a pipe holds (Linux default) */
#define SPLICE_POOL_KEEP  64u      /* empty pipes kept for reuse */

/* When streams splice (CFGRUN_SPLICE in the environment). */
enum splice_mode {
	SPLICE_AUTO   = 0,         /* default: a direction whose buffer fills */
	SPLICE_OFF    = 1,         /* "off": never */
	SPLICE_ALWAYS = 2,         /* "always": from the first byte */
};

/* Per-direction state, in struct stream_side. */
enum splice_state {
	SPLICE_NO     = 0,         /* buffered */
	SPLICE_WANT   = 1,         /* splice once the buffer is drained */
	SPLICE_ON     = 2,         /* bytes go through `pipe` */
	SPLICE_NEVER  = 3,         /* the socket refused splice: buffered */
};

struct splice_pipe {
	struct splice_pipe *next;  /* free list */
	int rfd;                   /* read end */
	int wfd;                   /* write end */
};

#endif /* HAPC_SPLICE_T_H */
