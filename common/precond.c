/*
 * precond.c: checks of the files a configuration refers to, shared by cfgc
 * (at compile time) and cfgrun (for the plan's PRECOND table).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "precond.h"

/* Text files are scanned for NUL bytes in their first bytes only: pattern
 * files can be large and a binary file shows itself early. */
#define PRECOND_TEXT_SCAN 65536u

static const char *const precond_names[PLAN_PRE_KIND_MAX] = {
	[PLAN_PRE_CERT]      = "certificate",
	[PLAN_PRE_PEM]       = "PEM file",
	[PLAN_PRE_CA]        = "CA or CRL file",
	[PLAN_PRE_CRT_LIST]  = "certificate list",
	[PLAN_PRE_ERRORFILE] = "error file",
	[PLAN_PRE_PATTERNS]  = "pattern file",
	[PLAN_PRE_TEXT]      = "text file",
	[PLAN_PRE_DATA]      = "data file",
};

static const char *const precond_words[PLAN_PRE_KIND_MAX] = {
	[PLAN_PRE_CERT]      = "crt",
	[PLAN_PRE_PEM]       = "pem",
	[PLAN_PRE_CA]        = "ca-file",
	[PLAN_PRE_CRT_LIST]  = "crt-list",
	[PLAN_PRE_ERRORFILE] = "errorfile",
	[PLAN_PRE_PATTERNS]  = "patterns",
	[PLAN_PRE_TEXT]      = "text",
	[PLAN_PRE_DATA]      = "data",
};

const char *precond_kind_name(uint32_t kind)
{
	return kind < PLAN_PRE_KIND_MAX ? precond_names[kind] : "file";
}

const char *precond_kind_word(uint32_t kind)
{
	return kind < PLAN_PRE_KIND_MAX ? precond_words[kind] : "file";
}

/* Read up to `max` bytes of the open regular file `fd` into a new buffer;
 * NULL with errno set on failure. */
static char *precond_read(int fd, size_t max, size_t *got)
{
	char *buf = malloc(max + 1);
	size_t n = 0;

	if (!buf)
		return NULL;
	while (n < max) {
		ssize_t r = read(fd, buf + n, max - n);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			int e = errno;

			free(buf);
			errno = e;
			return NULL;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	buf[n] = '\0';
	*got = n;
	return buf;
}

/* A PEM block: "-----BEGIN " then, later, "-----END ". */
static int precond_has_pem(const char *buf, size_t n)
{
	const char *b = memmem(buf, n, "-----BEGIN ", 11);

	return b && memmem(b, n - (size_t)(b - buf), "-----END ", 9) != NULL;
}

/* "HTTP/d.d ddd" at the start (HAProxy parses the file as a response). */
static int precond_has_status(const char *buf, size_t n)
{
	return n >= 12 && !memcmp(buf, "HTTP/", 5) &&
	       buf[5] >= '0' && buf[5] <= '9' && buf[6] == '.' &&
	       buf[7] >= '0' && buf[7] <= '9' && buf[8] == ' ' &&
	       buf[9] >= '1' && buf[9] <= '5' &&
	       buf[10] >= '0' && buf[10] <= '9' &&
	       buf[11] >= '0' && buf[11] <= '9' &&
	       (n == 12 || buf[12] == ' ' || buf[12] == '\r' || buf[12] == '\n');
}

static void precond_why(char *why, size_t len, const char *text)
{
	if (why && len)
		snprintf(why, len, "%s", text);
}

enum precond_result precond_check(enum plan_precond_kind kind,
                                  const char *path, char *why, size_t len)
{
	int dir_ok = kind == PLAN_PRE_CERT || kind == PLAN_PRE_CA;
	enum precond_result r = PRECOND_OK;
	size_t want, got = 0;
	struct stat st;
	char *buf;
	int fd;

	precond_why(why, len, "");
	if (stat(path, &st) < 0 && errno == ENOENT && kind == PLAN_PRE_CERT) {
		/* a multi-certificate bundle: NAME.rsa, NAME.ecdsa, NAME.dsa */
		static const char *const ext[] = { ".rsa", ".ecdsa", ".dsa" };
		char alt[4096];

		for (size_t i = 0; i < sizeof(ext) / sizeof(ext[0]); i++) {
			enum precond_result br;

			if ((size_t)snprintf(alt, sizeof(alt), "%s%s", path, ext[i]) >=
			    sizeof(alt))
				break;
			br = precond_check(PLAN_PRE_PEM, alt, why, len);
			if (br != PRECOND_MISSING)
				return br;
		}
		errno = ENOENT;
	}
	if (stat(path, &st) < 0) {
		int e = errno;

		precond_why(why, len, strerror(e));
		return e == ENOENT || e == ENOTDIR ? PRECOND_MISSING
		                                   : PRECOND_UNREADABLE;
	}
	if (S_ISDIR(st.st_mode)) {
		if (!dir_ok) {
			precond_why(why, len, "is a directory, a file was expected");
			return PRECOND_UNREADABLE;
		}
		if (access(path, R_OK | X_OK) < 0) {
			precond_why(why, len, strerror(errno));
			return PRECOND_UNREADABLE;
		}
		return PRECOND_OK;
	}
	if (S_ISCHR(st.st_mode) &&
	    (kind == PLAN_PRE_DATA || kind == PLAN_PRE_ERRORFILE))
		return PRECOND_OK;      /* /dev/null as an empty payload (as
		                           "errorfile 408 /dev/null": no reply) */
	if (!S_ISREG(st.st_mode)) {
		precond_why(why, len, "is not a regular file");
		return PRECOND_UNREADABLE;
	}
	/* O_NONBLOCK: the file may have been replaced by a FIFO since. */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd < 0) {
		int e = errno;

		precond_why(why, len, strerror(e));
		return e == ENOENT ? PRECOND_MISSING : PRECOND_UNREADABLE;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		precond_why(why, len, "is not a regular file");
		return PRECOND_UNREADABLE;
	}
	switch (kind) {
	case PLAN_PRE_CERT:
	case PLAN_PRE_PEM:
	case PLAN_PRE_CA:
		want = PRECOND_READ_MAX;
		break;
	case PLAN_PRE_ERRORFILE:
		want = 16;
		break;
	case PLAN_PRE_DATA:
		want = 1;
		break;
	default:
		want = PRECOND_TEXT_SCAN;
		break;
	}
	buf = precond_read(fd, want, &got);
	close(fd);
	if (!buf) {
		precond_why(why, len, strerror(errno));
		return PRECOND_UNREADABLE;
	}
	switch (kind) {
	case PLAN_PRE_CERT:
	case PLAN_PRE_PEM:
	case PLAN_PRE_CA:
		if (!precond_has_pem(buf, got)) {
			precond_why(why, len, got ? "no PEM block ('-----BEGIN ...' "
			            "to '-----END ...') found" : "the file is empty");
			r = PRECOND_BAD_PEM;
		}
		break;
	case PLAN_PRE_ERRORFILE:
		if (!precond_has_status(buf, got)) {
			precond_why(why, len, "does not start with an HTTP status "
			            "line (expected 'HTTP/1.x NNN ...')");
			r = PRECOND_BAD_RESPONSE;
		}
		break;
	case PLAN_PRE_CRT_LIST:
	case PLAN_PRE_PATTERNS:
	case PLAN_PRE_TEXT:
		if (memchr(buf, '\0', got)) {
			precond_why(why, len, "holds NUL bytes: not a text file");
			r = PRECOND_NOT_TEXT;
		}
		break;
	case PLAN_PRE_DATA:
	case PLAN_PRE_KIND_MAX:
		break;
	}
	free(buf);
	return r;
}

unsigned precond_check_plan(const struct plan *p,
                            void (*report)(void *arg, const char *msg),
                            void *arg)
{
	unsigned failures = 0;

	for (uint32_t i = 0; i < p->npreconds; i++) {
		const struct plan_precond *pc = &p->preconds[i];
		const char *path = plan_str_get(p, pc->path);
		char why[256], msg[1024];

		if (precond_check(pc->kind, path, why, sizeof(why)) == PRECOND_OK)
			continue;
		failures++;
		snprintf(msg, sizeof(msg), "%s:%u:%u: %s '%s' (%s): %s",
		         plan_str_get(p, pc->source), (unsigned)pc->line,
		         (unsigned)pc->col, plan_str_get(p, pc->keyword), path,
		         precond_kind_name(pc->kind), why);
		report(arg, msg);
	}
	return failures;
}
