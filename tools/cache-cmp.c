// SPDX-License-Identifier: MIT
/*
 * sg-cache-cmp A B - are two model cache files (cache.c) of the same
 * catalog?  Their keys must be the same, and their catalogs, serialised
 * again with every object's oid set to 0 (a database made twice has other
 * oids, nothing else), byte for byte.  Exit 0 when they are, 1 (saying
 * the first object that differs) when not, 2 when a file is unreadable.
 * For tests: t4640 (the model database's
 * incremental path against the full one).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "schemagen/arena.h"
#include "schemagen/model.h"
#include "schemagen/sbuf.h"
#include "schemagen/util.h"

static struct sg_catalog *read_cache(struct sg_arena *a, const char *path,
				     char key[65])
{
	size_t len;
	char *data = sg_read_file(path, &len), *p, *sp;
	unsigned long plen;
	struct sg_catalog *cat;

	if (!data || len < 24 + 65 + 17)
		goto bad;
	memcpy(key, data + 24, 64);
	key[64] = '\0';
	p = data + 24 + 65 + 17;
	plen = strtoul(p, &sp, 10);
	if (*sp != ' ' || plen >= len - (size_t)(sp + 1 - data))
		goto bad;
	p = sp + 1 + plen + 1;
	cat = sg_catalog_deserialise(a, p, len - (size_t)(p - data));
	free(data);
	data = NULL;
	if (!cat)
		goto bad;
	for (size_t i = 0; i < cat->nobjs; i++)
		if (cat->objs[i])
			cat->objs[i]->oid = 0;
	return cat;
bad:
	free(data);
	fprintf(stderr, "sg-cache-cmp: %s: not a readable model cache file\n", path);
	return NULL;
}

static int compare(struct sg_arena *a, const char *pa, const char *pb);

int main(int argc, char **argv)
{
	struct sg_arena *a;
	int rc;

	if (argc != 3) {
		fprintf(stderr, "usage: sg-cache-cmp A B\n");
		return 2;
	}
	a = sg_arena_new();
	rc = compare(a, argv[1], argv[2]);
	sg_arena_free(a);
	return rc;
}

static int differ(struct sbuf *sx, struct sbuf *sy, int rc)
{
	sbuf_release(sx);
	sbuf_release(sy);
	return rc;
}

static int compare(struct sg_arena *a, const char *pa, const char *pb)
{
	struct sg_catalog *x, *y;
	char kx[65], ky[65];
	struct sbuf sx = SBUF_INIT, sy = SBUF_INIT;

	if (!(x = read_cache(a, pa, kx)) || !(y = read_cache(a, pb, ky)))
		return 2;
	if (strcmp(kx, ky) != 0) {
		printf("the keys differ\n");
		return 1;
	}
	sg_catalog_serialise(&sx, x);
	sg_catalog_serialise(&sy, y);
	if (sx.len == sy.len && memcmp(sx.buf, sy.buf, sx.len) == 0)
		return differ(&sx, &sy, 0);
	for (size_t i = 0; i < x->nobjs || i < y->nobjs; i++) {
		struct sbuf d = SBUF_INIT;

		if (i >= x->nobjs || i >= y->nobjs || !x->objs[i] || !y->objs[i] ||
		    x->objs[i]->kind != y->objs[i]->kind ||
		    !sg_streq(x->objs[i]->name, y->objs[i]->name) ||
		    !sg_streq(x->objs[i]->schema, y->objs[i]->schema)) {
			if (i < x->nobjs && x->objs[i])
				sg_object_describe(&d, x->objs[i]);
			printf("the catalogs differ at object %zu (%s): %zu and %zu objects\n",
			       i, d.buf ? d.buf : "none", x->nobjs, y->nobjs);
			sbuf_release(&d);
			return differ(&sx, &sy, 1);
		}
	}
	for (size_t i = 0; i < x->nobjs; i++)
		if (sg_object_digest(x->objs[i]) != sg_object_digest(y->objs[i])) {
			struct sbuf d = SBUF_INIT;

			sg_object_describe(&d, x->objs[i]);
			printf("the catalogs differ in %s\n", d.buf);
			sbuf_release(&d);
			return differ(&sx, &sy, 1);
		}
	printf("the catalogs differ (%zu and %zu bytes serialised; the same objects, "
	       "their dependencies differ)\n", sx.len, sy.len);
	return differ(&sx, &sy, 1);
}
