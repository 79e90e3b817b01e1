/* SPDX-License-Identifier: MIT */
/*
 * util.h - small helpers every module may use: allocation that never returns
 * NULL, internal-bug aborts, file reading and atomic file writing.
 */
#ifndef SG_UTIL_H
#define SG_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#if defined(__GNUC__)
#define SG_PRINTF(f, a) __attribute__((format(printf, f, a)))
#define SG_NORETURN __attribute__((noreturn))
#else
#define SG_PRINTF(f, a)
#define SG_NORETURN
#endif

/* Internal bug: print file:line and the message, then abort (git's BUG()). */
/*
 * Measuring with vsnprintf(NULL, 0, ...) is what C99 provides for; GCC's
 * -Wformat-truncation reports a "null format string" there when the
 * sanitizers instrument the caller (a false positive).
 */
#if defined(__GNUC__) && !defined(__clang__)
#define SG_NO_FORMAT_TRUNCATION_WARNING(stmt)                                 \
	_Pragma("GCC diagnostic push")                                        \
	_Pragma("GCC diagnostic ignored \"-Wformat-truncation\"")             \
	stmt;                                                                 \
	_Pragma("GCC diagnostic pop")
#else
#define SG_NO_FORMAT_TRUNCATION_WARNING(stmt) stmt;
#endif

#define SG_BUG(...) sg_bug_fl(__FILE__, __LINE__, __VA_ARGS__)
SG_NORETURN void sg_bug_fl(const char *file, int line, const char *fmt, ...)
	SG_PRINTF(3, 4);

/* malloc family that dies on out-of-memory (palloc semantics). */
void *xmalloc(size_t n);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);

/* strcmp that orders NULL before any string. */
int sg_strcmp_null(const char *a, const char *b);
/* True when both are NULL or both equal. */
bool sg_streq(const char *a, const char *b);

/* The value of a hexadecimal digit, or -1. */
int sg_hexval(char c);
/* Exactly 16 hexadecimal digits at p (a 64-bit hash or id in a cache
 * file) into *v; false when one is not a digit. */
bool sg_hex64(const char *p, uint64_t *v);

/*
 * Reads a whole file into malloc'd memory, NUL-terminated.  Returns NULL and
 * sets errno on failure.  *len (may be NULL) receives the length.
 */
char *sg_read_file(const char *path, size_t *len);

/*
 * Writes a file atomically: data goes to a temporary file in the same
 * directory, is fsync'ed, then renamed over path.  When exclusive is true the
 * rename is refused (EEXIST) if path already exists.  Returns 0, or -1 with
 * errno set; on failure nothing is left behind.
 */
int sg_write_file_atomic(const char *path, const char *data, size_t len,
			 bool exclusive);

/*
 * The same, streamed: a file of any size written through a buffer of
 * SG_AFILE_BUFSIZE bytes (the caches: a 10 MB file without 10 MB in
 * memory).  sg_afile_open() makes the temporary file (-1 with errno);
 * sg_afile_write() appends (a failure is kept, reported by the commit);
 * sg_afile_patch() overwrites bytes written before (a checksum in a
 * header, known once the body is written); sg_afile_commit() writes what
 * is buffered, fsyncs and renames (or links, exclusive) it over path: 0,
 * or -1 with errno and nothing left behind; sg_afile_abort() drops it.
 * size is the bytes written so far.  Either ends every open file.
 */
#define SG_AFILE_BUFSIZE 65536
struct sg_afile {
	char *path, *tmp;
	char *buf;
	size_t len;             /* bytes in buf */
	uint64_t size;          /* bytes written, buf included */
	int fd;
	int err;                /* the first failure's errno; 0 */
	bool exclusive;
};
int sg_afile_open(struct sg_afile *f, const char *path, bool exclusive);
void sg_afile_write(struct sg_afile *f, const void *data, size_t len);
void sg_afile_patch(struct sg_afile *f, uint64_t off, const void *data, size_t len);
int sg_afile_commit(struct sg_afile *f);
void sg_afile_abort(struct sg_afile *f);

/* mkdir -p with mode; 0 on success or when it exists as a directory. */
int sg_mkdir_p(const char *path, unsigned mode);

/*
 * The files schemagen reads from a project folder (src/util/dir.c), one
 * rule for schema/ and migrations/: the entries of dir (and of its
 * subfolders when recursive) whose name want() accepts, sorted, as arena
 * strings in *files.
 *  - Names starting with '.' are skipped.
 *  - A symbolic link is followed only to a regular file inside root (the
 *    project folder; may be NULL) or dir.  A link with a wanted name that
 *    dangles, loops, or points outside them, a link to a folder (when
 *    recursive, whatever its name) and a wanted name that is no regular file
 *    are errors `path: error: ...` with a hint.  Other links are never read.
 *  - Each folder is read once.
 * A missing dir has no files.  Returns -1 after diagnostics in d (the
 * files found are still returned).
 */
struct sg_arena;
struct sg_diags;
int sg_dir_files(struct sg_arena *a, const char *root, const char *dir,
		 bool recursive, bool (*want)(const char *name),
		 struct sg_diags *d, char ***files, size_t *nfiles);

/* Joins two path parts with one '/', into malloc'd memory. */
char *sg_path_join(const char *a, const char *b);

/* Levenshtein distance, for "did you mean" suggestions. */
size_t sg_edit_distance(const char *a, const char *b);

/*
 * Picks the candidate closest to word (distance at most a third of its length,
 * at least 1, at most 3); NULL when none is close enough.
 */
const char *sg_suggest(const char *word, const char *const *candidates,
		       size_t n);

/* SHA-256 of data as 64 lowercase hex digits plus NUL, into out[65]. */
void sg_sha256_hex(const void *data, size_t len, char out[65]);

/* 64-bit FNV-1a hash (its offset basis, SG_HASH64_INIT, is a digit short of
 * the standard's: the files and keys made with it stay as they are). */
uint64_t sg_hash64(const void *data, size_t len);
/* The same in pieces: h = SG_HASH64_INIT, then h = sg_hash64_more(h, piece)
 * for each piece in order gives sg_hash64() of them all. */
#define SG_HASH64_INIT 1469598103934665603ULL
uint64_t sg_hash64_more(uint64_t h, const void *data, size_t len);

#endif
