/*
 * plan_io.c: writing a plan atomically and mapping one read-only.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "plan.h"

__attribute__((format(printf, 3, 4)))
static void plan_io_msg(char *buf, size_t len, const char *fmt, ...)
{
	va_list ap;

	if (!buf || !len)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, len, fmt, ap);
	va_end(ap);
}

/*
 * The temporary file is "<path>.tmpXXXXXX" so that it lives in the target's
 * directory (rename() must not cross file systems) and is recognisable if a
 * crash leaves it behind.
 */
static int plan_write_any(const char *path, const uint8_t *buf, size_t len,
                          int private, char *err, size_t errlen);

int plan_write_file(const char *path, const uint8_t *buf, size_t len,
                    char *err, size_t errlen)
{
	return plan_write_any(path, buf, len, 0, err, errlen);
}

int plan_write_file_private(const char *path, const uint8_t *buf, size_t len,
                            char *err, size_t errlen)
{
	return plan_write_any(path, buf, len, 1, err, errlen);
}

static int plan_write_any(const char *path, const uint8_t *buf, size_t len,
                          int private, char *err, size_t errlen)
{
	size_t plen = strlen(path), done = 0;
	char *tmp = malloc(plen + sizeof(".tmpXXXXXX"));
	int fd, saved;
	ssize_t w;

	if (!tmp) {
		plan_io_msg(err, errlen, "%s: %s", path, strerror(ENOMEM));
		return -1;
	}
	memcpy(tmp, path, plen);
	memcpy(tmp + plen, ".tmpXXXXXX", sizeof(".tmpXXXXXX"));
	fd = mkstemp(tmp);
	if (fd < 0) {
		plan_io_msg(err, errlen, "cannot create a temporary file beside %s: %s",
		            path, strerror(errno));
		free(tmp);
		return -1;
	}
	/* mkstemp makes it 0600; a plan is not secret, give it the usual
	 * mode a new file would get (0644 under a 022 umask); one holding
	 * private keys stays 0600. */
	if (!private) {
		mode_t um = umask(0);

		umask(um);
		if (fchmod(fd, 0666 & ~um) < 0)
			goto fail_errno;
	}
	while (done < len) {
		w = write(fd, buf + done, len - done);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			goto fail_errno;
		}
		done += (size_t)w;
	}
	if (fsync(fd) < 0)
		goto fail_errno;
	if (close(fd) < 0) {
		fd = -1;
		goto fail_errno;
	}
	fd = -1;
	if (rename(tmp, path) < 0)
		goto fail_errno;
	free(tmp);
	return 0;

fail_errno:
	saved = errno;
	plan_io_msg(err, errlen, "cannot write %s: %s", path, strerror(saved));
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	free(tmp);
	errno = saved;
	return -1;
}

#define PLAN_READ_CHUNK  (256u << 10)   /* bytes read and hashed at once */
#define PLAN_HUGE        (2u << 20)     /* a transparent huge page */

/*
 * Read up to `len` bytes in chunks, feeding each to `dc` while it is still
 * in the cache; returns the count read (short at end of file) or -1 with
 * errno.
 */
static ssize_t plan_read_all(int fd, uint8_t *buf, size_t len,
                             struct plan_digest_ctx *dc)
{
	size_t done = 0, want;
	ssize_t r;

	while (done < len) {
		want = len - done < PLAN_READ_CHUNK ? len - done : PLAN_READ_CHUNK;
		r = read(fd, buf + done, want);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (r == 0)
			break;
		plan_digest_update(dc, buf + done, (size_t)r);
		done += (size_t)r;
	}
	return (ssize_t)done;
}

/*
 * A big mapping is placed on a huge-page boundary and asked for
 * transparent huge pages: a few faults instead of one per 4 KiB page,
 * which is most of the cost of filling megabytes of fresh memory on some
 * virtual machines. The length kept mapped is `len` rounded to pages, as
 * munmap(p, len) releases.
 */
void *plan_mem_alloc(size_t len)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	size_t plen, extra;
	uint8_t *raw, *at;

	if (len == 0 || len > SIZE_MAX - PLAN_HUGE - page) {
		errno = EINVAL;
		return NULL;
	}
	plen = (len + page - 1) & ~(page - 1);
	if (len < PLAN_HUGE) {
		raw = mmap(NULL, len, PROT_READ | PROT_WRITE,
		           MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
		return raw == MAP_FAILED ? NULL : raw;
	}
	raw = mmap(NULL, plen + PLAN_HUGE, PROT_READ | PROT_WRITE,
	           MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (raw == MAP_FAILED)
		return NULL;
	at = (uint8_t *)(((uintptr_t)raw + PLAN_HUGE - 1) &
	                 ~(uintptr_t)(PLAN_HUGE - 1));
	if (at > raw)
		munmap(raw, (size_t)(at - raw));
	extra = (size_t)(raw + PLAN_HUGE - at);
	if (extra)
		munmap(at + plen, extra);
#ifdef MADV_HUGEPAGE
	(void)madvise(at, plen, MADV_HUGEPAGE);      /* a hint: errors ignored */
#endif
#ifdef MADV_POPULATE_WRITE
	(void)madvise(at, plen, MADV_POPULATE_WRITE);
#endif
	return at;
}

void plan_mem_free(void *p, size_t len)
{
	if (p && len)
		munmap(p, len);
}

/* What a non-regular file is, for messages. */
static const char *plan_io_file_kind(mode_t mode)
{
	return S_ISFIFO(mode) ? "a FIFO" : S_ISDIR(mode) ? "a directory" :
	       S_ISSOCK(mode) ? "a socket" : S_ISCHR(mode) ? "a character device" :
	       S_ISBLK(mode) ? "a block device" : "not a file";
}

enum plan_err plan_open(const char *path, struct plan *out,
                        char *detail, size_t detail_len)
{
	return plan_open_tail(path, 0, out, detail, detail_len);
}

enum plan_err plan_open_tail(const char *path, size_t tail, struct plan *out,
                             char *detail, size_t detail_len)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE), body, map_len;
	uint8_t digest[PLAN_DIGEST_LEN];
	struct plan_digest_ctx dc;
	struct stat st;
	enum plan_err e;
	ssize_t got;
	void *map;
	int fd, saved;

	memset(out, 0, sizeof(*out));
	/* O_NONBLOCK: opening a FIFO with no writer (or some devices) would
	 * block; fstat then refuses anything not regular, and a regular
	 * file reads the same with or without the flag. */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0) {
		/* A unix socket fails open itself (ENXIO): say what it is. */
		saved = errno;
		if (stat(path, &st) == 0 && !S_ISREG(st.st_mode))
			plan_io_msg(detail, detail_len, "%s: not a regular file (%s)",
			            path, plan_io_file_kind(st.st_mode));
		else
			plan_io_msg(detail, detail_len, "%s: %s", path,
			            strerror(saved));
		return PLAN_E_IO;
	}
	if (fstat(fd, &st) < 0) {
		saved = errno;
		close(fd);
		plan_io_msg(detail, detail_len, "%s: %s", path, strerror(saved));
		return PLAN_E_IO;
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		plan_io_msg(detail, detail_len, "%s: not a regular file (%s)",
		            path, plan_io_file_kind(st.st_mode));
		return PLAN_E_IO;
	}
	if (st.st_size < (off_t)sizeof(struct plan_header)) {
		close(fd);
		plan_io_msg(detail, detail_len,
		            "%s: %lld bytes, a plan header is %zu", path,
		            (long long)st.st_size, sizeof(struct plan_header));
		return PLAN_E_TOO_SMALL;
	}
	if ((unsigned long long)st.st_size > PLAN_MAX_FILE_SIZE ||
	    (unsigned long long)st.st_size > SIZE_MAX) {
		close(fd);
		plan_io_msg(detail, detail_len, "%s: %lld bytes, at most %llu",
		            path, (long long)st.st_size,
		            (unsigned long long)PLAN_MAX_FILE_SIZE);
		return PLAN_E_TOO_LARGE;
	}
	/*
	 * Copy the file into a private anonymous mapping, then make it
	 * read-only. A file mapping would follow the file: someone writing the
	 * plan in place (instead of renaming a new one over it, as cfgc does)
	 * could change verified bytes under the runtime or truncate them away
	 * (SIGBUS). The copy costs one read at start and is never shared; the
	 * digest is computed piece by piece over the copy as it is read.
	 */
	/* The tail starts on a page of its own: it stays writable when the
	 * file's bytes are made read-only. */
	body = ((size_t)st.st_size + page - 1) / page * page;
	tail = (tail + page - 1) / page * page;
	map_len = body + tail;
	map = plan_mem_alloc(map_len);
	if (!map) {
		saved = errno;
		close(fd);
		plan_io_msg(detail, detail_len, "%s: mmap: %s", path,
		            strerror(saved));
		return PLAN_E_IO;
	}
	plan_digest_init(&dc);
	got = plan_read_all(fd, map, (size_t)st.st_size, &dc);
	saved = errno;
	close(fd);
	if (got != (ssize_t)st.st_size) {
		plan_mem_free(map, map_len);
		if (got < 0)
			plan_io_msg(detail, detail_len, "%s: read: %s", path,
			            strerror(saved));
		else
			plan_io_msg(detail, detail_len,
			            "%s: file shrank from %lld to %zd bytes while read",
			            path, (long long)st.st_size, got);
		return PLAN_E_IO;
	}
	if (mprotect(map, (size_t)st.st_size, PROT_READ) < 0) {
		saved = errno;
		plan_mem_free(map, map_len);
		plan_io_msg(detail, detail_len, "%s: mprotect: %s", path,
		            strerror(saved));
		return PLAN_E_IO;
	}
	plan_digest_final(&dc, digest);
	e = plan_verify_digested(map, (size_t)st.st_size, digest, out, detail,
	                         detail_len);
	if (e != PLAN_E_OK) {
		plan_mem_free(map, map_len);
		memset(out, 0, sizeof(*out));
		return e;
	}
	out->mapped = 1;
	out->map_len = map_len;
	out->tail = tail ? (uint8_t *)map + body : NULL;
	out->tail_len = tail;
	return PLAN_E_OK;
}

void plan_close(struct plan *p)
{
	if (p->mapped && p->base)
		plan_mem_free((void *)p->base, p->map_len ? p->map_len : p->size);
	memset(p, 0, sizeof(*p));
}
