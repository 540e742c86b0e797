/*
 * splice.c: pooled pipes and splice(2) moves.
 *
 * The pool is process-wide (not per plan generation) so that a reload
 * neither leaks nor recreates pipes; threads share it under splice_lock
 * (taken when a stream starts or stops splicing, never per byte).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "splice.h"

static pthread_mutex_t splice_lock = PTHREAD_MUTEX_INITIALIZER;
static struct splice_pipe *splice_free;   /* empty pipes for reuse */
static uint32_t splice_nfree;             /* pipes on splice_free */
static uint32_t splice_used;              /* pipes handed out */
static int splice_mode_val = -1;          /* enum splice_mode, -1 = unread */

enum splice_mode splice_mode(void)
{
	if (splice_mode_val < 0) {
		const char *v = getenv("CFGRUN_SPLICE");

		splice_mode_val = SPLICE_AUTO;
		if (v && (!strcmp(v, "off") || !strcmp(v, "0")))
			splice_mode_val = SPLICE_OFF;
		else if (v && (!strcmp(v, "always") || !strcmp(v, "1")))
			splice_mode_val = SPLICE_ALWAYS;
	}
	return (enum splice_mode)splice_mode_val;
}

/* Pipes allowed in use: maxconn / 4, within the descriptors that
 * RLIMIT_NOFILE leaves beyond two per connection. */
static uint32_t splice_limit(uint32_t maxconn)
{
	uint32_t lim = maxconn / 4 ? maxconn / 4 : 1;
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY) {
		rlim_t need = 2 * (rlim_t)maxconn + 64;
		rlim_t spare = rl.rlim_cur > need ? (rl.rlim_cur - need) / 2 : 0;

		if (spare < lim)
			lim = (uint32_t)spare;
	}
	return lim;
}

struct splice_pipe *splice_pipe_get(uint32_t maxconn)
{
	struct splice_pipe *p;
	int fds[2];

	pthread_mutex_lock(&splice_lock);
	p = splice_free;
	if (splice_used >= splice_limit(maxconn)) {
		pthread_mutex_unlock(&splice_lock);
		return NULL;
	}
	splice_used++;
	if (p) {
		splice_free = p->next;
		splice_nfree--;
		pthread_mutex_unlock(&splice_lock);
		return p;
	}
	pthread_mutex_unlock(&splice_lock);
	p = malloc(sizeof(*p));
	if (p && pipe2(fds, O_NONBLOCK | O_CLOEXEC) < 0) {
		free(p);
		p = NULL;
	}
	if (!p) {
		pthread_mutex_lock(&splice_lock);
		splice_used--;
		pthread_mutex_unlock(&splice_lock);
		return NULL;
	}
	p->rfd = fds[0];
	p->wfd = fds[1];
	p->next = NULL;
	return p;
}

void splice_pipe_put(struct splice_pipe *p, int empty)
{
	if (!p)
		return;
	pthread_mutex_lock(&splice_lock);
	splice_used--;
	if (empty && splice_nfree < SPLICE_POOL_KEEP) {
		p->next = splice_free;
		splice_free = p;
		splice_nfree++;
		pthread_mutex_unlock(&splice_lock);
		return;
	}
	pthread_mutex_unlock(&splice_lock);
	close(p->rfd);
	close(p->wfd);
	free(p);
}

void splice_drain(void)
{
	pthread_mutex_lock(&splice_lock);
	while (splice_free) {
		struct splice_pipe *p = splice_free;

		splice_free = p->next;
		close(p->rfd);
		close(p->wfd);
		free(p);
	}
	splice_nfree = 0;
	pthread_mutex_unlock(&splice_lock);
}

ssize_t splice_in(int fd, struct splice_pipe *p, size_t max)
{
	return splice(fd, NULL, p->wfd, NULL, max,
	              SPLICE_F_MOVE | SPLICE_F_NONBLOCK);
}

ssize_t splice_out(struct splice_pipe *p, int fd, size_t max)
{
	return splice(p->rfd, NULL, fd, NULL, max,
	              SPLICE_F_MOVE | SPLICE_F_NONBLOCK);
}
