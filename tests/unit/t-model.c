// SPDX-License-Identifier: MIT
/* t-model.c - catalog registry, lookups, identities, descriptions. */
#include <string.h>

#include "schemagen/arena.h"
#include "schemagen/model.h"
#include "schemagen/sbuf.h"
#include "tap.h"

int main(void)
{
	struct sg_arena *a = sg_arena_new();
	struct sg_catalog *c = sg_catalog_new(a, "test");
	struct sg_table *t2 = SG_NEW(c, sg_table, SG_KIND_TABLE, "public", "zeta", NULL);
	struct sg_table *t1 = SG_NEW(c, sg_table, SG_KIND_TABLE, "public", "Alpha", NULL);
	struct sg_column *col;
	struct sg_constraint *k;
	struct sbuf sb = SBUF_INIT;

	SG_NEW(c, sg_schema, SG_KIND_SCHEMA, "public", "public", NULL);
	col = SG_NEW(c, sg_column, SG_KIND_COLUMN, NULL, "my col", &t1->obj);
	SG_NEW(c, sg_column, SG_KIND_COLUMN, NULL, "b", &t1->obj);
	k = SG_NEW(c, sg_constraint, SG_KIND_CONSTRAINT, NULL, "k2", &t1->obj);
	SG_NEW(c, sg_constraint, SG_KIND_CONSTRAINT, NULL, "k1", &t1->obj);
	for (int i = 0; i < 100; i++)
		SG_NEW(c, sg_column, SG_KIND_COLUMN, NULL, sg_printf(a, "c%d", i), &t2->obj);
	sg_catalog_add_dep(c, &k->obj, &col->obj, 'a');
	sg_catalog_add_dep(c, &k->obj, &col->obj, 'n');
	sg_catalog_finish(c);

	is_int((long long)c->nbykind[SG_KIND_TABLE], 2, "two tables");
	is_str(c->bykind[SG_KIND_TABLE][0]->name, "Alpha", "sorted by strcmp (upper case first)");
	ok(sg_catalog_table(c, "public", "zeta") == t2, "table lookup");
	ok(sg_catalog_table(c, "public", "ZETA") == NULL, "lookups are exact");
	ok(sg_catalog_find(c, SG_KIND_COLUMN, "public", "Alpha", "my col") == &col->obj,
	   "column lookup by table and name");
	is_str(col->obj.schema, "public", "children take their table's schema");
	is_int((long long)t2->ncolumns, 100, "children appended to their table");
	is_str(t2->columns[99]->obj.name, "c99", "in order");
	is_str(t1->constraints[0]->obj.name, "k1", "constraints sorted by name");
	is_int((long long)c->ndeps, 1, "duplicate dependencies merged");
	sg_object_describe(&sb, &col->obj);
	is_str(sb.buf, "column public.\"Alpha\".\"my col\"", "column description quoted");
	sbuf_reset(&sb);
	sg_object_describe(&sb, &k->obj);
	is_str(sb.buf, "constraint k2 on public.\"Alpha\"", "constraint description");
	sbuf_release(&sb);

	{
		static const char *const ab[] = { "a", "b" }, *const ac[] = { "a", "c" };

		ok(sg_strings_equal(ab, 2, ab, 2) && sg_strings_equal(ab, 0, ac, 0),
		   "string arrays: equal, and empty ones");
		ok(!sg_strings_equal(ab, 2, ac, 2) && !sg_strings_equal(ab, 1, ab, 2),
		   "string arrays: an element or the length differs");
	}
	ok(sg_only_validated("CHECK ((n > 0)) NOT VALID", true, "CHECK ((n > 0))", false),
	   "NOT VALID becoming valid is a VALIDATE");
	ok(!sg_only_validated("CHECK ((n > 1)) NOT VALID", true, "CHECK ((n > 0))", false),
	   "not when the condition changes too");
	ok(!sg_only_validated("CHECK ((n > 0))", false, "CHECK ((n > 0))", false) &&
	   !sg_only_validated("CHECK ((n > 0)) NOT VALID", true,
			      "CHECK ((n > 0)) NOT VALID", true),
	   "not when neither or both are NOT VALID");
	ok(!sg_only_validated(NULL, true, "CHECK ((n > 0))", false),
	   "not without a definition (YAML)");
	sg_arena_free(a);
	return tap_done();
}
