// SPDX-License-Identifier: MIT
/*
 * util.c - allocation that never fails, internal-bug aborts, file helpers,
 * edit distance for suggestions.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "schemagen/util.h"

void sg_bug_fl(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fprintf(stderr, "schemagen: BUG: %s:%d: ", file, line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}

static SG_NORETURN void out_of_memory(size_t n)
{
	fprintf(stderr, "schemagen: error: out of memory (allocating %zu bytes)\n", n);
	exit(2);
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		out_of_memory(n);
	return p;
}

void *xcalloc(size_t nmemb, size_t size)
{
	void *p = calloc(nmemb ? nmemb : 1, size ? size : 1);

	if (!p)
		out_of_memory(nmemb * size);
	return p;
}

void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);

	if (!q)
		out_of_memory(n);
	return q;
}

char *xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;

	return memcpy(xmalloc(n), s, n);
}

int sg_strcmp_null(const char *a, const char *b)
{
	if (a == b)
		return 0;
	if (!a)
		return -1;
	if (!b)
		return 1;
	return strcmp(a, b);
}

bool sg_streq(const char *a, const char *b)
{
	return sg_strcmp_null(a, b) == 0;
}

char *sg_read_file(const char *path, size_t *lenp)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t len = 0, cap = 0;

	if (!f)
		return NULL;
	for (;;) {
		size_t got;

		if (cap - len < 4096) {
			cap = cap ? cap * 2 : 8192;
			buf = xrealloc(buf, cap);
		}
		got = fread(buf + len, 1, cap - len - 1, f);
		len += got;
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		int e = errno;

		fclose(f);
		free(buf);
		errno = e ? e : EIO;
		return NULL;
	}
	fclose(f);
	buf[len] = '\0';
	if (lenp)
		*lenp = len;
	return buf;
}

int sg_write_file_atomic(const char *path, const char *data, size_t len,
			 bool exclusive)
{
	struct sg_afile f;

	if (sg_afile_open(&f, path, exclusive) < 0)
		return -1;
	sg_afile_write(&f, data, len);
	return sg_afile_commit(&f);
}

/* All of data at the file's end (off < 0) or at off; a failure kept in f->err. */
static void write_all(struct sg_afile *f, const void *data, size_t len, off_t off)
{
	const char *p = data;

	while (len && !f->err) {
		ssize_t w = off < 0 ? write(f->fd, p, len) : pwrite(f->fd, p, len, off);

		if (w <= 0) {
			if (w == 0 || errno != EINTR)
				f->err = w == 0 ? EIO : errno;
			continue;
		}
		p += w;
		len -= (size_t)w;
		if (off >= 0)
			off += w;
	}
}

static void afile_flush(struct sg_afile *f)
{
	write_all(f, f->buf, f->len, -1);
	f->len = 0;
}

int sg_afile_open(struct sg_afile *f, const char *path, bool exclusive)
{
	size_t plen = strlen(path);
	int e;

	memset(f, 0, sizeof(*f));
	f->tmp = xmalloc(plen + 32);
	snprintf(f->tmp, plen + 32, "%s.tmp.%ld", path, (long)getpid());
	f->fd = open(f->tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
	if (f->fd < 0) {
		e = errno;
		free(f->tmp);
		f->tmp = NULL;
		errno = e;
		return -1;
	}
	f->path = xstrdup(path);
	f->exclusive = exclusive;
	return 0;
}

void sg_afile_write(struct sg_afile *f, const void *data, size_t len)
{
	f->size += len;
	if (f->len + len > SG_AFILE_BUFSIZE)
		afile_flush(f);
	if (len >= SG_AFILE_BUFSIZE) {
		write_all(f, data, len, -1);
		return;
	}
	if (!f->buf)
		f->buf = xmalloc(SG_AFILE_BUFSIZE);
	memcpy(f->buf + f->len, data, len);
	f->len += len;
}

void sg_afile_patch(struct sg_afile *f, uint64_t off, const void *data, size_t len)
{
	uint64_t flushed = f->size - f->len;

	if (off + len > f->size)
		SG_BUG("patching bytes not written (%llu + %zu of %llu)",
		       (unsigned long long)off, len, (unsigned long long)f->size);
	if (off >= flushed) {
		memcpy(f->buf + (off - flushed), data, len);
		return;
	}
	afile_flush(f);
	write_all(f, data, len, (off_t)off);
}

static void afile_end(struct sg_afile *f)
{
	free(f->buf);
	free(f->tmp);
	free(f->path);
	memset(f, 0, sizeof(*f));
	f->fd = -1;
}

void sg_afile_abort(struct sg_afile *f)
{
	if (f->fd >= 0)
		close(f->fd);
	if (f->tmp)
		unlink(f->tmp);
	afile_end(f);
}

int sg_afile_commit(struct sg_afile *f)
{
	int e;

	afile_flush(f);
	if (f->err)
		goto fail;
	if (fsync(f->fd) < 0)
		goto fail_errno;
	e = close(f->fd);
	f->fd = -1;
	if (e < 0)
		goto fail_errno;
	if (f->exclusive) {
		/* link() refuses to replace an existing file. */
		if (link(f->tmp, f->path) < 0)
			goto fail_errno;
		unlink(f->tmp);
	} else if (rename(f->tmp, f->path) < 0) {
		goto fail_errno;
	}
	afile_end(f);
	return 0;
fail_errno:
	f->err = errno;
fail:
	e = f->err;
	sg_afile_abort(f);
	errno = e;
	return -1;
}

int sg_mkdir_p(const char *path, unsigned mode)
{
	char *p = xstrdup(path);
	struct stat st;

	for (char *s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, mode) < 0 && errno != EEXIST) {
			int e = errno;

			free(p);
			errno = e;
			return -1;
		}
		*s = '/';
	}
	free(p);
	if (mkdir(path, mode) < 0) {
		if (errno != EEXIST)
			return -1;
		if (stat(path, &st) < 0)
			return -1;
		if (!S_ISDIR(st.st_mode)) {
			errno = ENOTDIR;
			return -1;
		}
	}
	return 0;
}

char *sg_path_join(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	char *r;

	if (b[0] == '/' || la == 0)
		return xstrdup(b);
	while (la > 1 && a[la - 1] == '/')
		la--;
	r = xmalloc(la + lb + 2);
	memcpy(r, a, la);
	r[la] = '/';
	memcpy(r + la + 1, b, lb + 1);
	return r;
}

size_t sg_edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	size_t *row = xmalloc((lb + 1) * sizeof(*row));
	size_t d;

	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t diag = row[0];

		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t up = row[j];
			size_t best = diag + (a[i - 1] != b[j - 1]);

			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			if (up + 1 < best)
				best = up + 1;
			/* transposition counts as one edit */
			row[j] = best;
			diag = up;
		}
	}
	d = row[lb];
	free(row);
	return d;
}

const char *sg_suggest(const char *word, const char *const *cands, size_t n)
{
	size_t limit = strlen(word) / 3;
	const char *best = NULL;
	size_t bestd = SIZE_MAX;

	if (limit < 1)
		limit = 1;
	if (limit > 3)
		limit = 3;
	for (size_t i = 0; i < n; i++) {
		size_t d = sg_edit_distance(word, cands[i]);

		if (d < bestd) {
			bestd = d;
			best = cands[i];
		}
	}
	return bestd <= limit ? best : NULL;
}

uint64_t sg_hash64_more(uint64_t h, const void *data, size_t len)
{
	const unsigned char *p = data;

	for (size_t i = 0; i < len; i++) {
		h ^= p[i];
		h *= 1099511628211ULL;
	}
	return h;
}

uint64_t sg_hash64(const void *data, size_t len)
{
	return sg_hash64_more(SG_HASH64_INIT, data, len);
}

bool sg_hex64(const char *p, uint64_t *v)
{
	*v = 0;
	for (int i = 0; i < 16; i++) {
		int h = sg_hexval(p[i]);

		if (h < 0)
			return false;
		*v = *v << 4 | (uint64_t)h;
	}
	return true;
}

int sg_hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}
