// SPDX-License-Identifier: MIT
/*
 * fileid.c - the process-wide table of file names behind struct sg_loc's
 * `file` (see diag.h): a location holds a 32-bit id instead of a pointer,
 * and a catalog no longer copies the name into its arena.  Ids start at 1
 * (0 is "no file"); a name is kept once, for the life of the process,
 * reachable from the table (so leak checkers do not report it).  Behind a
 * mutex: the live database is read on a thread of its own.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "schemagen/diag.h"
#include "schemagen/util.h"

static struct {
	pthread_mutex_t lock;
	char **names;       /* names[id - 1] */
	uint32_t n, cap;
	uint32_t *slots;    /* open addressing: ids, 0 empty */
	size_t nslots;      /* a power of two, at least 2 * n */
} files = { PTHREAD_MUTEX_INITIALIZER, NULL, 0, 0, NULL, 0 };

/* The slot of path: its id, or the empty slot where it goes. */
static uint32_t *slot_of(const char *path, size_t len)
{
	size_t i = (size_t)sg_hash64(path, len) & (files.nslots - 1);

	while (files.slots[i] && strcmp(files.names[files.slots[i] - 1], path) != 0)
		i = (i + 1) & (files.nslots - 1);
	return &files.slots[i];
}

static void grow_slots(void)
{
	size_t ns = files.nslots ? files.nslots * 2 : 64;

	free(files.slots);
	files.slots = xcalloc(ns, sizeof(*files.slots));
	files.nslots = ns;
	for (uint32_t id = 1; id <= files.n; id++) {
		const char *s = files.names[id - 1];

		*slot_of(s, strlen(s)) = id;
	}
}

uint32_t sg_file_id(const char *path)
{
	size_t len;
	uint32_t *sl, id;

	if (!path)
		return 0;
	len = strlen(path);
	pthread_mutex_lock(&files.lock);
	if (2 * ((size_t)files.n + 1) > files.nslots)
		grow_slots();
	sl = slot_of(path, len);
	if (!*sl) {
		if (files.n == UINT32_MAX - 1)
			SG_BUG("too many file names");
		if (files.n == files.cap) {
			files.cap = files.cap ? files.cap * 2 : 32;
			files.names = xrealloc(files.names,
					       files.cap * sizeof(*files.names));
		}
		files.names[files.n] = xstrdup(path);
		*sl = ++files.n;
	}
	id = *sl;
	pthread_mutex_unlock(&files.lock);
	return id;
}

const char *sg_file_name(uint32_t id)
{
	const char *s = NULL;

	if (!id)
		return NULL;
	pthread_mutex_lock(&files.lock);
	if (id <= files.n)
		s = files.names[id - 1];
	pthread_mutex_unlock(&files.lock);
	return s;
}
