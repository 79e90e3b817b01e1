// SPDX-License-Identifier: MIT
/* t-model.c - catalog registry, lookups, identities, descriptions,
 * PostgreSQL's names for unnamed indexes and constraints (pgnames.c). */
#include <stdbool.h>
#include <string.h>

#include "schemagen/arena.h"
#include "schemagen/model.h"
#include "schemagen/pgnames.h"
#include "schemagen/sbuf.h"
#include "tap.h"

static char *rep(struct sg_arena *a, const char *s, int n)
{
	char *r = sg_alloc(a, strlen(s) * (size_t)n + 1);

	r[0] = '\0';
	for (int i = 0; i < n; i++)
		strcat(r, s);
	return r;
}

/* One catalog, models-shaped (locations, an owner, renames) or not. */
static struct sg_catalog *annot_cat(struct sg_arena *a, bool models)
{
	struct sg_catalog *c = sg_catalog_new(a, models ? "models" : "database");
	struct sg_table *t;
	struct sg_column *col;
	struct sg_enum *e;
	uint32_t file = models ? sg_file_id("schema/app.yaml") : 0;

	SG_NEW(c, sg_schema, SG_KIND_SCHEMA, "public", "public", NULL);
	t = SG_NEW(c, sg_table, SG_KIND_TABLE, "public", "t", NULL);
	col = SG_NEW(c, sg_column, SG_KIND_COLUMN, NULL, "c", &t->obj);
	e = SG_NEW(c, sg_enum, SG_KIND_ENUM, "public", "mood", NULL);
	e->nvalues = 2;
	e->values = sg_alloc_array(a, 2, sizeof(*e->values));
	e->values[0] = "ok";
	e->values[1] = "sad";
	if (models) {
		t->obj.loc = (struct sg_loc){ .file = file, .line = 3, .col = 3 };
		t->obj.owner = sg_strdup(a, "alice");
		t->obj.owner_loc = (struct sg_loc){ .file = file, .line = 4, .col = 12 };
		t->obj.renamed_from = sg_strdup(a, "old_t");
		t->obj.renamed_loc = (struct sg_loc){ .file = file, .line = 5, .col = 19 };
		col->obj.loc = (struct sg_loc){ .file = file, .line = 7, .col = 7 };
		col->type_loc = (struct sg_loc){ .file = file, .line = 8, .col = 15 };
		e->obj.loc = (struct sg_loc){ .file = file, .line = 10, .col = 3 };
		e->value_renamed_from = sg_alloc_array(a, 2, sizeof(*e->value_renamed_from));
		e->value_renamed_from[1] = sg_strdup(a, "unhappy");
		e->value_renamed_locs = sg_alloc_array(a, 2, sizeof(*e->value_renamed_locs));
		e->value_renamed_locs[1] = (struct sg_loc){ .file = file, .line = 12, .col = 9 };
	}
	sg_catalog_finish(c);
	return c;
}

/* sg_catalog_annotate() copies what it takes: the models' arena can go. */
static void test_annotate(void)
{
	struct sg_arena *ma = sg_arena_new(), *da = sg_arena_new();
	struct sg_catalog *model = annot_cat(ma, true), *db = annot_cat(da, false);
	const struct sg_table *t = sg_catalog_table(db, "public", "t");
	const struct sg_column *col = (const void *)sg_catalog_find(db, SG_KIND_COLUMN,
								 "public", "t", "c");
	const struct sg_enum *e = (const void *)sg_catalog_find(db, SG_KIND_ENUM, "public",
								 NULL, "mood");

	sg_catalog_annotate(db, model);
	ok(t->obj.loc.file && t->obj.loc.file == sg_catalog_table(model, "public", "t")->obj.loc.file,
	   "annotate: the location's file is the same id");
	ok(t->obj.loc.file == col->type_loc.file && t->obj.loc.file == e->obj.loc.file,
	   "annotate: one id per file");
	ok(col->obj.schema == t->obj.schema, "a child shares its relation's schema string");
	sg_arena_free(ma);   /* the models' catalog gone: what was taken stays */
	is_str(sg_loc_file(t->obj.loc), "schema/app.yaml", "annotate: location after the models are freed");
	is_int(t->obj.loc.line, 3, "annotate: its line");
	is_str(t->obj.owner, "alice", "annotate: the owner");
	is_str(sg_loc_file(t->obj.owner_loc), "schema/app.yaml", "annotate: the owner's location");
	is_str(t->obj.renamed_from, "old_t", "annotate: renamed_from");
	is_int(col->type_loc.line, 8, "annotate: a column's type location");
	ok(e->value_renamed_from && !e->value_renamed_from[0] &&
	   e->value_renamed_from[1] && strcmp(e->value_renamed_from[1], "unhappy") == 0,
	   "annotate: an enum value's rename");
	ok(e->value_renamed_locs && e->value_renamed_locs[1].line == 12 &&
	   strcmp(sg_loc_file(e->value_renamed_locs[1]), "schema/app.yaml") == 0,
	   "annotate: its location");
	sg_arena_free(da);
}

/* makeObjectName, ChooseIndexNameAddition, ChooseIndexName (what the
 * server answers for CREATE TABLE ... PRIMARY KEY / UNIQUE / CREATE INDEX
 * without a name; the long cases checked against a server). */
static void test_pgnames(struct sg_arena *a)
{
	const char *one[] = { "customer_id" };
	const char *two[] = { "a", "b" };
	const char *x30 = rep(a, "x", 30);
	const char *three[] = { x30, x30, x30 };
	const char *r;

	is_str(sg_pg_index_name(a, "orders", one, 1, "pkey"), "orders_pkey",
	       "a primary key: table_pkey, whatever the columns");
	is_str(sg_pg_index_name(a, "orders", one, 1, "idx"),
	       "orders_customer_id_idx", "an index: table_column_idx");
	is_str(sg_pg_index_name(a, "t", two, 2, "key"), "t_a_b_key",
	       "a unique key of two columns: joined by _");
	is_str(sg_pg_index_name(a, "t", NULL, 0, "idx"), "t_idx",
	       "no column names (expressions): no columns part");
	is_str(sg_pg_index_name(a, rep(a, "a", 40), (const char *[]){ rep(a, "b", 40) },
				1, "key"),
	       sg_printf(a, "%s_%s_key", rep(a, "a", 29), rep(a, "b", 29)),
	       "63 bytes: both names shortened, the longer first, alternately");
	r = sg_pg_object_name(a, rep(a, "\xc3\xa9", 40), NULL, "idx");
	is_str(r, sg_printf(a, "%s_idx", rep(a, "\xc3\xa9", 29)),
	       "a UTF-8 character is never cut: 62 bytes rather than 63");
	is_str(sg_pg_name_addition(a, three, 3), sg_printf(a, "%s_%s_%s", x30, x30, x30),
	       "the addition stops once past 63 bytes, not before");
	is_str(sg_pg_index_name(a, "t", three, 3, "key"),
	       sg_printf(a, "t_%s_%s_key", x30, rep(a, "x", 26)),
	       "the addition shortened to fit: 63 bytes");
	is_int((long long)sg_pg_clip_len("a\xc3\xa9", 2), 1, "clip: back to the character's start");
	is_int((long long)sg_pg_clip_len("abc", 63), 3, "clip: short names whole");
	is_str(sg_pg_object_name(a, "t", "c", NULL), "t_c", "no label");
}

int main(void)
{
	struct sg_arena *a = sg_arena_new();
	struct sg_catalog *c = sg_catalog_new(a, "test");
	struct sg_table *t2 = SG_NEW(c, sg_table, SG_KIND_TABLE, "public", "zeta", NULL);
	struct sg_table *t1 = SG_NEW(c, sg_table, SG_KIND_TABLE, "public", "Alpha", NULL);
	struct sg_column *col;
	struct sg_constraint *k;
	struct sbuf sb = SBUF_INIT;

	test_annotate();
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
	test_pgnames(a);
	sg_arena_free(a);
	return tap_done();
}
