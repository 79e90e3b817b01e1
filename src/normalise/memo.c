// SPDX-License-Identifier: MIT
/*
 * memo.c - the SQL fragments of the models already checked, and the names
 * they refer to: a model of ten thousand tables writes `now()`,
 * `amount >= 0` or `'new'` thousands of times, and each check
 * (sg_sql_fragment()) and each search for references (sg_sql_refs()) is a
 * parse by libpg_query, through protobuf.  Both depend on the fragment's
 * kind and text alone, so each text is parsed once.  Failures are not
 * kept (their diagnostic has the place of each).  Process-wide, behind a
 * mutex (the live database is read on a thread of its own); the entries
 * live as long as the process, reachable from the table, at most
 * MEMO_MAX of them.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "memo.h"
#include "schemagen/util.h"

enum { FRAGMENT, REFS };

struct entry {
	uint64_t h;
	int what, kind;
	char *text;        /* the text; the payload follows in the allocation */
	const void *val;   /* FRAGMENT: the checked text; REFS: the references */
	size_t n;          /* REFS: how many */
};

static struct {
	pthread_mutex_t lock;
	struct entry *v;
	size_t n, cap;
} memo = { PTHREAD_MUTEX_INITIALIZER, NULL, 0, 0 };

#define MEMO_MAX (1u << 20)

static uint64_t hash(int what, enum sg_frag kind, const char *text)
{
	return sg_hash64(text, strlen(text)) ^
	       ((uint64_t)(2 * (int)kind + what + 1) * 0x9e3779b97f4a7c15ULL);
}

static struct entry *slot(struct entry *v, size_t cap, uint64_t h, int what,
			  int kind, const char *text)
{
	for (size_t i = (size_t)h & (cap - 1);; i = (i + 1) & (cap - 1))
		if (!v[i].text || (v[i].h == h && v[i].what == what &&
				   v[i].kind == kind && strcmp(v[i].text, text) == 0))
			return &v[i];
}

/* The entry, NULL when there is none; called with the lock held. */
static const struct entry *get(int what, enum sg_frag kind, const char *text)
{
	const struct entry *e;

	if (!memo.cap)
		return NULL;
	e = slot(memo.v, memo.cap, hash(what, kind, text), what, (int)kind, text);
	return e->text ? e : NULL;
}

/* A new entry for text with `extra` bytes after it (NULL: none made);
 * called with the lock held. */
static struct entry *put(int what, enum sg_frag kind, const char *text, size_t extra)
{
	uint64_t h = hash(what, kind, text);
	size_t tl = strlen(text) + 1;
	struct entry *e;

	if (memo.n >= MEMO_MAX)
		return NULL;
	if (2 * (memo.n + 1) > memo.cap) {
		size_t cap = memo.cap ? 2 * memo.cap : 1024;
		struct entry *v = calloc(cap, sizeof(*v));

		if (!v)
			return NULL;
		for (size_t i = 0; i < memo.cap; i++)
			if (memo.v[i].text)
				*slot(v, cap, memo.v[i].h, memo.v[i].what, memo.v[i].kind,
				      memo.v[i].text) = memo.v[i];
		free(memo.v);
		memo.v = v;
		memo.cap = cap;
	}
	e = slot(memo.v, memo.cap, h, what, (int)kind, text);
	if (e->text || !(e->text = malloc(tl + extra)))
		return NULL;
	memcpy(e->text, text, tl);
	e->h = h;
	e->what = what;
	e->kind = (int)kind;
	e->val = e->text + tl;
	e->n = 0;
	memo.n++;
	return e;
}

const char *sg_frag_memo_get(enum sg_frag kind, const char *text)
{
	const struct entry *e;
	const char *out;

	pthread_mutex_lock(&memo.lock);
	e = get(FRAGMENT, kind, text);
	out = e ? e->val : NULL;
	pthread_mutex_unlock(&memo.lock);
	return out;
}

void sg_frag_memo_put(enum sg_frag kind, const char *text, const char *out)
{
	size_t ol = strlen(out) + 1;
	struct entry *e;

	pthread_mutex_lock(&memo.lock);
	if ((e = put(FRAGMENT, kind, text, ol)) != NULL)
		memcpy((char *)e->val, out, ol);
	pthread_mutex_unlock(&memo.lock);
}

bool sg_refs_memo_get(enum sg_frag kind, const char *text,
		      const struct sg_sql_ref **refs, size_t *n)
{
	const struct entry *e;

	pthread_mutex_lock(&memo.lock);
	if ((e = get(REFS, kind, text)) != NULL) {
		*refs = e->val;
		*n = e->n;
	}
	pthread_mutex_unlock(&memo.lock);
	return e != NULL;
}

static size_t slen(const char *s)
{
	return s ? strlen(s) + 1 : 0;
}

void sg_refs_memo_put(enum sg_frag kind, const char *text,
		      const struct sg_sql_ref *refs, size_t n)
{
	/* the text's bytes, padding to align the array, the array, its names */
	size_t pad = sizeof(void *), extra = pad + n * sizeof(*refs);
	struct entry *e;

	for (size_t i = 0; i < n; i++)
		extra += slen(refs[i].schema) + slen(refs[i].name);
	pthread_mutex_lock(&memo.lock);
	if ((e = put(REFS, kind, text, extra)) != NULL) {
		uintptr_t at = ((uintptr_t)e->val + pad - 1) & ~(uintptr_t)(pad - 1);
		struct sg_sql_ref *v = (struct sg_sql_ref *)at;
		char *s = (char *)(v + n);

		for (size_t i = 0; i < n; i++) {
			v[i].kind = refs[i].kind;
			v[i].schema = v[i].name = NULL;
			if (refs[i].schema) {
				v[i].schema = memcpy(s, refs[i].schema, slen(refs[i].schema));
				s += slen(refs[i].schema);
			}
			if (refs[i].name) {
				v[i].name = memcpy(s, refs[i].name, slen(refs[i].name));
				s += slen(refs[i].name);
			}
		}
		e->val = v;
		e->n = n;
	}
	pthread_mutex_unlock(&memo.lock);
}
