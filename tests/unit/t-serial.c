// SPDX-License-Identifier: MIT
/*
 * t-serial.c - the catalog serialiser (src/model/serial.c) behind the
 * cached model catalog: the models of tests/fixtures/yaml (every kind,
 * with locations, renames, grants, partitions, functions) go to bytes and
 * back and to the same bytes again; every truncation and a flip of many
 * single bytes is refused or read without a crash (ASan in CI), never
 * trusted blindly.  Streamed (sg_catalog_serialise_to()), the same bytes
 * in pieces of about 64 kB.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "schemagen/arena.h"
#include "schemagen/config.h"
#include "schemagen/diag.h"
#include "schemagen/model.h"
#include "schemagen/sbuf.h"
#include "schemagen/sql.h"
#include "schemagen/util.h"
#include "schemagen/yaml.h"
#include "tap.h"

static struct sg_catalog *load(struct sg_arena *a, const char *dir)
{
	struct sg_diags d;
	struct sg_catalog *cat = sg_catalog_new(a, "models");
	char digest[65];

	sg_diags_init(&d, a);
	if (yaml_load_models_digest(dir, NULL, cat, &d, digest) < 0 || d.nerrors) {
		sg_diags_print(&d);
		return NULL;
	}
	ok(strlen(digest) == 64, "%s: a digest of the files read", dir);
	return cat;
}

/* The streamed serialiser's pieces, gathered. */
struct pieces {
	struct sbuf all;
	size_t n, largest;
};

static void gather(void *arg, const void *data, size_t len)
{
	struct pieces *p = arg;

	sbuf_add(&p->all, data, len);
	p->n++;
	if (len > p->largest)
		p->largest = len;
}

/*
 * sg_catalog_serialise_to(): the bytes of sg_catalog_serialise(), in
 * pieces of about 64 kB (more than one for a catalog larger than that).
 */
static void streamed(const char *what, const struct sg_catalog *cat, bool big)
{
	struct sbuf one = SBUF_INIT;
	struct pieces p = { SBUF_INIT, 0, 0 };

	sg_catalog_serialise(&one, cat);
	sg_catalog_serialise_to(cat, gather, &p);
	ok(p.all.len == one.len && memcmp(p.all.buf, one.buf, one.len) == 0,
	   "%s: streamed, the same %zu bytes (%zu pieces)", what, one.len, p.n);
	ok(p.largest <= 65536 + 1024, "%s: pieces of at most 64 kB and a bit (%zu)",
	   what, p.largest);
	if (big)
		ok(one.len > 3 * 65536 && p.n > 3, "%s: larger than the buffer, in %zu "
		   "pieces", what, p.n);
	sbuf_release(&one);
	sbuf_release(&p.all);
}

/* A catalog of n tables of five columns each, names all different. */
static struct sg_catalog *many_tables(struct sg_arena *a, int n)
{
	static const char *types[] = { "bigint", "text", "numeric(10,2)", "state", "bigint" };
	struct sg_catalog *cat = sg_catalog_new(a, "test");
	struct sg_object *schema = &SG_NEW(cat, sg_schema, SG_KIND_SCHEMA, "public",
					   "public", NULL)->obj;

	for (int i = 0; i < n; i++) {
		struct sg_table *t = SG_NEW(cat, sg_table, SG_KIND_TABLE, "public",
					    sg_printf(a, "t%d", i), NULL);

		t->relkind = 'r';
		t->obj.comment = sg_printf(a, "table number %d", i);
		sg_catalog_add_dep(cat, &t->obj, schema, 'n');
		for (int c = 0; c < 5; c++) {
			struct sg_column *col = SG_NEW(cat, sg_column, SG_KIND_COLUMN,
						       "public", sg_printf(a, "c%d_%d", i, c),
						       &t->obj);

			col->attnum = c + 1;
			col->type = types[c];
		}
	}
	sg_catalog_finish(cat);
	return cat;
}

static void roundtrip(const char *dir)
{
	struct sg_arena *a = sg_arena_new();
	struct sg_catalog *cat = load(a, dir), *back;
	struct sbuf one = SBUF_INIT, two = SBUF_INIT;
	size_t nrefused = 0, nread = 0;

	ok(cat != NULL, "%s loads", dir);
	if (!cat) {
		sg_arena_free(a);
		return;
	}
	sg_catalog_serialise(&one, cat);
	back = sg_catalog_deserialise(a, one.buf, one.len);
	ok(back != NULL, "%s: %zu objects, %zu bytes, read back", dir, cat->nobjs, one.len);
	if (!back) {
		sbuf_release(&one);
		sg_arena_free(a);
		return;
	}
	is_int((long long)back->nobjs, (long long)cat->nobjs, "%s: as many objects", dir);
	is_int((long long)back->ndeps, (long long)cat->ndeps, "%s: as many dependencies", dir);
	for (int k = 0; k < SG_KIND__COUNT; k++)
		if (back->nbykind[k] != cat->nbykind[k])
			ok(false, "%s: kind %s: %zu, not %zu", dir, sg_kind_name(k),
			   back->nbykind[k], cat->nbykind[k]);
	sg_catalog_serialise(&two, back);
	ok(one.len == two.len && memcmp(one.buf, two.buf, one.len) == 0,
	   "%s: written again, the same bytes", dir);
	streamed(dir, cat, false);
	/* a table's children and pointers survive */
	for (size_t i = 0; i < cat->nbykind[SG_KIND_TABLE]; i++) {
		const struct sg_table *t = (const void *)cat->bykind[SG_KIND_TABLE][i];
		const struct sg_table *u = (const void *)back->bykind[SG_KIND_TABLE][i];

		if (t->ncolumns != u->ncolumns || t->nconstraints != u->nconstraints ||
		    t->nindexes != u->nindexes || t->ntriggers != u->ntriggers ||
		    t->npolicies != u->npolicies ||
		    (t->partition_parent == NULL) != (u->partition_parent == NULL) ||
		    (t->partition_parent && strcmp(t->partition_parent->obj.name,
						    u->partition_parent->obj.name)))
			ok(false, "%s: table %s differs", dir, t->obj.name);
		for (size_t c = 0; c < t->ncolumns && c < u->ncolumns; c++)
			if (strcmp(t->columns[c]->obj.name, u->columns[c]->obj.name) ||
			    t->columns[c]->type_loc.line != u->columns[c]->type_loc.line ||
			    sg_strcmp_null(sg_loc_file(t->columns[c]->type_loc),
					   sg_loc_file(u->columns[c]->type_loc)))
				ok(false, "%s: column %zu of %s differs", dir, c, t->obj.name);
	}
	/* locations carry the file's name, not this process's id for it */
	if (cat->nbykind[SG_KIND_TABLE]) {
		const struct sg_object *t = cat->bykind[SG_KIND_TABLE][0];
		const char *f = sg_loc_file(t->loc);

		ok(f && memmem(one.buf, one.len, f, strlen(f)) != NULL,
		   "%s: the bytes hold the file name %s", dir, f ? f : "(none)");
		is_str(sg_loc_file(back->bykind[SG_KIND_TABLE][0]->loc), f,
		       "%s: read back, the same file", dir);
	}
	/* every truncation is refused */
	for (size_t n = 0; n < one.len; n++)
		if (sg_catalog_deserialise(a, one.buf, n) != NULL)
			ok(false, "%s: a truncation to %zu bytes was read", dir, n);
	ok(true, "%s: every truncation refused", dir);
	/* single bytes flipped: refused, or read into a finished catalog */
	for (size_t i = 0; i < one.len; i += 1 + one.len / 1500) {
		struct sg_catalog *x;

		for (int bit = 0; bit < 8; bit += 3) {
			one.buf[i] ^= (char)(1 << bit);
			x = sg_catalog_deserialise(a, one.buf, one.len);
			one.buf[i] ^= (char)(1 << bit);
			if (x && !x->finished)
				ok(false, "%s: byte %zu flipped: unfinished catalog", dir, i);
			x ? nread++ : nrefused++;
		}
	}
	ok(nrefused > 0, "%s: flipped bytes: %zu refused, %zu still readable "
	   "(the cache file's checksum catches those)", dir, nrefused, nread);
	sbuf_release(&one);
	sbuf_release(&two);
	sg_arena_free(a);
}

int main(int argc, char **argv)
{
	struct sg_arena *a;

	/* `t-serial fnv`: the cache file's checksum of stdin (t3710) */
	if (argc == 2 && strcmp(argv[1], "fnv") == 0) {
		struct sbuf in = SBUF_INIT;
		int c;

		while ((c = getchar()) != EOF)
			sbuf_addch(&in, (char)c);
		printf("%016llx\n", (unsigned long long)sg_hash64(in.buf, in.len));
		sbuf_release(&in);
		return 0;
	}
	a = sg_arena_new();
	ok(sg_catalog_deserialise(a, "", 0) == NULL, "nothing is no catalog");
	ok(sg_catalog_deserialise(a, "SGCAT\x02", 6) == NULL, "another version is refused");
	{
		struct sg_catalog *big = many_tables(a, 5000), *back;
		struct pieces p = { SBUF_INIT, 0, 0 };
		struct sbuf two = SBUF_INIT;

		streamed("5,000 tables", big, true);
		sg_catalog_serialise_to(big, gather, &p);
		back = sg_catalog_deserialise(a, p.all.buf, p.all.len);
		ok(back && back->nobjs == big->nobjs, "5,000 tables: read back (%zu objects)",
		   back ? back->nobjs : 0);
		if (back)
			sg_catalog_serialise(&two, back);
		ok(two.len == p.all.len && memcmp(two.buf, p.all.buf, two.len) == 0,
		   "5,000 tables: written again, the same bytes");
		sbuf_release(&p.all);
		sbuf_release(&two);
	}
	sg_arena_free(a);
	roundtrip("fixtures/yaml/good");
	roundtrip("fixtures/yaml/write");
	sg_sql_cleanup();
	return tap_done();
}
