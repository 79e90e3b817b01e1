// SPDX-License-Identifier: MIT
/*
 * t-loadscale.c - what makes loading the models linear in their size
 * (issue 12) does what the searches it replaced did: owned sequences find
 * their table (the last of a name, as before) in a sorted list, a file
 * finds its schema among those of the files before it, index keys their
 * operator classes and triggers the extensions from lists, the YAML tree's
 * children stack, string chunks, pairwise duplicate keys and ASCII-line
 * locations, and a fragment's references taken from the check's own parse.
 * Messages and locations are compared exactly.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "schemagen/arena.h"
#include "schemagen/config.h"
#include "schemagen/diag.h"
#include "schemagen/model.h"
#include "schemagen/sbuf.h"
#include "schemagen/sql.h"
#include "schemagen/util.h"
#include "schemagen/yaml.h"
#include "tap.h"

static char tmpl[] = "/tmp/t-loadscale.XXXXXX";
static const char *top;

/* A formatted string, malloc'd. */
static char *fmt(const char *f, ...) TAP_PRINTF(1, 2);
static char *fmt(const char *f, ...)
{
	struct sbuf sb = SBUF_INIT;
	va_list ap;

	va_start(ap, f);
	sbuf_vaddf(&sb, f, ap);
	va_end(ap);
	return sbuf_detach(&sb, NULL);
}

/* A folder of model files: name, text, name, text, ..., NULL. */
static char *folder(const char *name, ...)
{
	static int n;
	char *dir = fmt("%s/m%d", top, n++);
	va_list ap;

	if (mkdir(dir, 0700) != 0)
		abort();
	va_start(ap, name);
	for (const char *f = name; f; f = va_arg(ap, const char *)) {
		const char *text = va_arg(ap, const char *);
		char *path = sg_path_join(dir, f);
		FILE *fp = fopen(path, "w");

		if (!fp || fputs(text, fp) < 0 || fclose(fp) != 0)
			abort();
		free(path);
	}
	va_end(ap);
	return dir;
}

/* The diagnostics as printed, in the order they were made. */
static char *diags_text(struct sg_diags *d)
{
	struct sbuf sb = SBUF_INIT;

	for (size_t i = 0; i < d->n; i++)
		sg_diag_format(&sb, &d->v[i]);
	return sbuf_detach(&sb, NULL);
}

static struct sg_catalog *load_dir(struct sg_arena *a, const char *dir,
				   const struct sg_config *cfg, struct sg_diags *d)
{
	struct sg_catalog *cat = sg_catalog_new(a, "models");

	sg_diags_init(d, a);
	yaml_load_models(dir, cfg, cat, d);
	return cat;
}

static const char *owner_of(struct sg_catalog *cat, const char *schema,
			    const char *name)
{
	const struct sg_object *o = sg_catalog_find(cat, SG_KIND_SEQUENCE, schema,
						    NULL, name);

	return o ? (o->owner ? o->owner : "(none)") : "(no sequence)";
}

static void test_owned_sequences(void)
{
	struct sg_arena *a = sg_arena_new();
	struct sg_config cfg;
	struct sg_diags d;
	struct sg_catalog *cat;
	char *dir, *got;

	sg_config_defaults(&cfg);
	cfg.default_owner = "dflt";
	/* a sequence before its table's file, tables of one name in two
	 * schemas, a table of the same schema in an earlier file */
	dir = folder(
		"0.yaml", "schema: s3\nsequences:\n  q: {owned_by: later.id}\n",
		"a.yaml", "schema: s1\ntables:\n"
			  "  t1: {owner: r1, columns: {id: int}}\n"
			  "  t2: {owner: r2, columns: {id: int}}\n"
			  "sequences:\n  q1: {owned_by: t2.id}\n",
		"b.yaml", "schema: s2\ntables:\n"
			  "  t1: {owner: r3, columns: {id: int}}\n"
			  "  t0: {columns: {id: int}}\n"
			  "sequences:\n  q1: {owned_by: t1.id}\n  q2: {owned_by: t1.id}\n"
			  "  q0: {owned_by: t0.id}\n  free: {type: integer}\n",
		"c.yaml", "schema: s1\nsequences:\n  q3: {owned_by: t1.id}\n",
		"z.yaml", "schema: s3\ntables:\n  later: {owner: r4, columns: {id: int}}\n",
		NULL);
	cat = load_dir(a, dir, &cfg, &d);
	got = diags_text(&d);
	is_str(got, "", "owned sequences: no diagnostics");
	free(got);
	is_str(owner_of(cat, "s1", "q1"), "r2", "s1.q1 has s1.t2's owner");
	is_str(owner_of(cat, "s2", "q1"), "r3", "s2.q1 has s2.t1's owner, not s1.t1's");
	is_str(owner_of(cat, "s2", "q2"), "r3", "s2.q2 too");
	is_str(owner_of(cat, "s1", "q3"), "r1", "a table of an earlier file");
	is_str(owner_of(cat, "s3", "q"), "r4", "a table of a later file");
	is_str(owner_of(cat, "s2", "q0"), "dflt", "a table with the default owner");
	is_str(owner_of(cat, "s2", "free"), "dflt", "a sequence owned by no column");
	ok(cat->owners, "the catalog names owners");
	free(dir);

	/* a table defined twice: reported at the second place; its sequence
	 * has the owner of the last one, as the search of every object gave */
	dir = folder(
		"a.yaml", "schema: s\ntables:\n  t: {owner: first, columns: {id: int}}\n"
			  "sequences:\n  q: {owned_by: t.id}\n",
		"b.yaml", "schema: s\ntables:\n  t: {owner: second, columns: {id: int}}\n",
		NULL);
	cat = load_dir(a, dir, NULL, &d);
	got = diags_text(&d);
	{
		char *want = fmt("%s/b.yaml:3:3: error: table s.t is defined twice\n"
				 "  hint: first defined at %s/a.yaml:3:3\n", dir, dir);

		is_str(got, want, "a table defined twice: the second place, the first in the hint");
		free(want);
	}
	free(got);
	is_str(owner_of(cat, "s", "q"), "second", "the owner of the last table of the name");
	free(dir);
	sg_arena_free(a);
}

static size_t count_schemas(const struct sg_catalog *cat, const char *name)
{
	size_t n = 0;

	for (size_t i = 0; i < cat->nobjs; i++)
		n += cat->objs[i]->kind == SG_KIND_SCHEMA &&
		     strcmp(cat->objs[i]->name, name) == 0;
	return n;
}

static void test_schemas(void)
{
	struct sg_arena *a = sg_arena_new();
	struct sg_diags d;
	struct sg_catalog *cat;
	char *dir, *got, *want;

	dir = folder(
		"a.yaml", "schema: s1\ncomment: one\ntables:\n  t: {columns: {id: int}}\n",
		"b.yaml", "schema: s2\ntables:\n  t: {columns: {id: int}}\n",
		"c.yaml", "# no schema: public\ntables:\n  p: {columns: {id: int}}\n",
		"d.yaml", "schema: s1\ncomment: two\nowner: o1\n",
		"e.yaml", "schema: s1\nowner: o2\n",
		NULL);
	cat = load_dir(a, dir, NULL, &d);
	got = diags_text(&d);
	want = fmt(
		"%s/d.yaml:2:1: error: schema \"s1\" has a comment in two files\n"
		"  hint: the other is at %s/a.yaml:1:9\n"
		"%s/e.yaml:2:1: error: schema \"s1\" has an owner in two files\n"
		"  hint: the other is at %s/d.yaml:3:8\n", dir, dir, dir, dir);
	is_str(got, want, "a schema's comment and owner in two files: both places");
	free(got);
	free(want);
	is_int((long long)count_schemas(cat, "s1"), 1, "s1 once, from three files");
	is_int((long long)count_schemas(cat, "s2"), 1, "s2 once");
	is_int((long long)count_schemas(cat, "public"), 1, "public once");
	ok(sg_catalog_find(cat, SG_KIND_TABLE, "s1", NULL, "t") &&
	   sg_catalog_find(cat, SG_KIND_TABLE, "s2", NULL, "t") &&
	   sg_catalog_find(cat, SG_KIND_TABLE, "public", NULL, "p"),
	   "each table in its file's schema");
	{
		const struct sg_object *s1 = sg_catalog_find(cat, SG_KIND_SCHEMA, "s1",
							     NULL, "s1");

		is_str(s1 ? s1->comment : NULL, "one", "the first comment kept");
		is_str(s1 ? s1->owner : NULL, "o1", "the first owner kept");
	}
	free(dir);
	sg_arena_free(a);
}

/* One file's text loaded and checked; the diagnostics as printed. */
static char *load_text(struct sg_arena *a, const char *text,
		       struct sg_catalog **out)
{
	struct sg_catalog *cat = sg_catalog_new(a, "models");
	struct sg_diags d;

	sg_diags_init(&d, a);
	yaml_load_text("m.yaml", text, NULL, cat, &d);
	sg_catalog_check(cat, &d);
	if (out)
		*out = cat;
	return diags_text(&d);
}

static void test_duplicate_keys(void)
{
	struct sg_arena *a = sg_arena_new();
	struct sg_catalog *cat;
	struct sbuf sb = SBUF_INIT;
	char *got;

	/* a small mapping (compared pairwise), a key three times */
	got = load_text(a, "tables:\n  t:\n    columns:\n"
			"      a: {type: int, nullable: false, type: text, type: bigint}\n"
			"      ab: int\n      abc: int\n", &cat);
	is_str(got,
	       "m.yaml:4:39: error: duplicate key \"type\"\n"
	       "  hint: first given at m.yaml:4:11\n"
	       "m.yaml:4:51: error: duplicate key \"type\"\n"
	       "  hint: first given at m.yaml:4:11\n",
	       "small mapping: each repeat names the first");
	free(got);
	{
		const struct sg_table *t = (const void *)sg_catalog_find(
			cat, SG_KIND_TABLE, "public", NULL, "t");
		const struct sg_column *c = t ? sg_table_column(t, "a") : NULL;

		is_str(c ? c->type : NULL, "int", "the first value kept");
		is_int(t ? (long long)t->ncolumns : -1, 3, "ab and abc are not repeats of a");
	}
	/* a large mapping (sorted): twelve columns, two repeated */
	sbuf_adds(&sb, "tables:\n  t:\n    columns:\n");
	for (int i = 0; i < 12; i++)
		sbuf_addf(&sb, "      c%d: int\n", i);
	sbuf_adds(&sb, "      c3: text\n      c10: text\n      c1: text\n");
	got = load_text(a, sb.buf, &cat);
	is_str(got,
	       "m.yaml:18:7: error: duplicate key \"c1\"\n"
	       "  hint: first given at m.yaml:5:7\n"
	       "m.yaml:17:7: error: duplicate key \"c10\"\n"
	       "  hint: first given at m.yaml:14:7\n"
	       "m.yaml:16:7: error: duplicate key \"c3\"\n"
	       "  hint: first given at m.yaml:7:7\n",
	       "large mapping: every repeat, in the order of the keys");
	free(got);
	sbuf_release(&sb);
	/* a mapping of nine keys without a repeat: nothing */
	got = load_text(a, "tables:\n  t:\n    columns:\n"
			"      {a: int, b: int, c: int, d: int, e: int, f: int, g: int, "
			"h: int, i: int}\n", NULL);
	is_str(got, "", "nine keys, none repeated");
	free(got);
	sg_arena_free(a);
}

static void test_locations(void)
{
	struct sg_arena *a = sg_arena_new();
	char *got;

	/* the same line, ASCII and with characters of two and three bytes
	 * before the value: columns count characters */
	got = load_text(a, "tables:\n  t:\n    columns:\n"
			"      a: {type: text, comment: \"xxx\", default: \"1 +\"}\n"
			"      b: {type: text, comment: \"\xc3\xa9\xc3\xa9\xe2\x82\xac\", default: \"1 +\"}\n"
			"      c: {type: text, default: \"1 +\", comment: \"\xc3\xa9\"}\n"
			"      d:\n        type: text\n        comment: \xc3\xa9\n"
			"        default: 1 + +\n", NULL);
	is_str(got,
	       "m.yaml:4:52: error: default of column \"a\": syntax error at end of input\n"
	       "m.yaml:5:52: error: default of column \"b\": syntax error at end of input\n"
	       "m.yaml:6:36: error: default of column \"c\": syntax error at end of input\n"
	       "m.yaml:10:23: error: default of column \"d\": syntax error at end of input\n",
	       "locations on ASCII lines and after multibyte characters");
	free(got);
	/* a value that runs to the end of a line: still its place */
	got = load_text(a, "tables:\n  t:\n    columns:\n      a: {type: \"no such type (\"}",
			NULL);
	if (!ok(strncmp(got, "m.yaml:4:", 9) == 0, "a value at the end of the text"))
		tap_diag("got: %s", got);
	free(got);
	sg_arena_free(a);
}

static void test_long_scalars(void)
{
	struct sg_arena *a = sg_arena_new();
	struct sg_catalog *cat;
	struct sbuf sb = SBUF_INIT;
	char comment[301];
	const struct sg_table *t;
	bool all = true;
	char *got;

	memset(comment, 'k', 300);
	comment[300] = '\0';
	sbuf_addf(&sb, "tables:\n  t:\n    comment: %s\n    columns:\n", comment);
	/* more than a chunk of short strings */
	for (int i = 0; i < 1500; i++)
		sbuf_addf(&sb, "      column_number_%04d: {type: int, comment: c%d}\n", i, i);
	got = load_text(a, sb.buf, &cat);
	is_str(got, "", "1,500 columns load");
	free(got);
	t = (const void *)sg_catalog_find(cat, SG_KIND_TABLE, "public", NULL, "t");
	is_str(t ? t->obj.comment : NULL, comment, "a 300-byte scalar");
	is_int(t ? (long long)t->ncolumns : -1, 1500, "every column");
	for (size_t i = 0; t && i < t->ncolumns; i++) {
		char want[64], wc[32];

		snprintf(want, sizeof(want), "column_number_%04zu", i);
		snprintf(wc, sizeof(wc), "c%zu", i);
		if (strcmp(t->columns[i]->obj.name, want) != 0 ||
		    !t->columns[i]->obj.comment ||
		    strcmp(t->columns[i]->obj.comment, wc) != 0) {
			all = false;
			tap_diag("column %zu: %s %s", i, t->columns[i]->obj.name,
				 t->columns[i]->obj.comment ? t->columns[i]->obj.comment : "");
		}
	}
	ok(all, "every name and comment intact");
	sbuf_release(&sb);
	sg_arena_free(a);
}

static char *refs_text(struct sg_arena *a, enum sg_frag kind, const char *text)
{
	struct sg_sql_ref *r;
	struct sbuf sb = SBUF_INIT;
	size_t n;

	if (sg_sql_refs(a, kind, text, &r, &n) < 0)
		return xstrdup("(error)");
	for (size_t i = 0; i < n; i++)
		sbuf_addf(&sb, "%c %s.%s;", r[i].kind, r[i].schema ? r[i].schema : "",
			  r[i].name);
	return sbuf_detach(&sb, NULL);
}

static void test_refs(void)
{
	struct sg_arena *a = sg_arena_new();
	struct sg_diags d;
	const char *checked;
	char *got, *want;

	sg_diags_init(&d, a);
	/* checked first: its references come from the check's parse */
	checked = sg_sql_fragment(a, SG_FRAG_EXPR,
				  "nextval('app.s1') + f(x)::app.money + (SELECT 1 FROM app.t)",
				  (struct sg_loc){ 0 }, "e", &d);
	is_str(checked, "nextval('app.s1') + f(x)::app.money + (SELECT 1 FROM app.t)",
	       "an expression without comments comes back as written");
	got = refs_text(a, SG_FRAG_EXPR, checked);
	/* never checked: its own parse */
	want = refs_text(a, SG_FRAG_EXPR,
			 "nextval('app.s1')  +  f(x)::app.money + (SELECT 1 FROM app.t)");
	is_str(got, want, "the same references either way");
	is_str(got, "f .f;f .nextval;r app.t;s app.s1;t app.money;", "and they are these");
	free(got);
	free(want);
	/* a line comment: blanked, the references of what is left */
	checked = sg_sql_fragment(a, SG_FRAG_EXPR, "g(y) -- h(z)", (struct sg_loc){ 0 },
				  "e", &d);
	is_str(checked, "g(y)", "a comment at the end cut off");
	got = refs_text(a, SG_FRAG_EXPR, checked);
	is_str(got, "f .g;", "the references of the rest");
	free(got);
	checked = sg_sql_fragment(a, SG_FRAG_EXPR, "k(1 -- one\n, 2)", (struct sg_loc){ 0 },
				  "e", &d);
	is_str(checked, "k(1       \n, 2)", "a comment inside blanked");
	/* two dashes in a string are no comment */
	checked = sg_sql_fragment(a, SG_FRAG_EXPR, "'a--b' || m(1)", (struct sg_loc){ 0 },
				  "e", &d);
	is_str(checked, "'a--b' || m(1)", "dashes in a string kept");
	got = refs_text(a, SG_FRAG_EXPR, checked);
	is_str(got, "f .m;", "its references");
	free(got);
	is_int((long long)d.n, 0, "no diagnostics");
	sg_arena_free(a);
}

static bool has_dep(const struct sg_catalog *cat, const struct sg_object *obj,
		    const struct sg_object *ref)
{
	for (size_t i = 0; i < cat->ndeps; i++)
		if (cat->deps[i].obj == obj && cat->deps[i].ref == ref &&
		    cat->deps[i].type == 'm')
			return true;
	return false;
}

static const struct sg_object *index_of(const struct sg_catalog *cat,
					const char *schema, const char *table,
					const char *name)
{
	return sg_catalog_find(cat, SG_KIND_INDEX, schema, table, name);
}

static void test_opclasses_extensions(void)
{
	struct sg_arena *a = sg_arena_new();
	struct sg_diags d;
	struct sg_catalog *cat;
	const struct sg_object *o1, *o2, *i1, *i2, *i3;
	char *dir, *got, *want;

	dir = folder(
		"a.yaml", "schema: s1\n"
			  "operator_classes:\n  x_ops: {using: btree, for_type: int, "
			  "operators: {1: \"<\"}}\n"
			  "tables:\n  t:\n    columns: {id: int}\n    indexes:\n"
			  "      - {name: i1, columns: [{column: id, opclass: x_ops}]}\n"
			  "      - {name: i2, columns: [{column: id, opclass: {schema: s2, name: x_ops}}]}\n"
			  "      - {name: i3, columns: [{column: id, opclass: int4_ops}]}\n",
		"b.yaml", "schema: s2\n"
			  "operator_classes:\n  x_ops: {using: btree, for_type: int, "
			  "operators: {1: \"<\"}}\n",
		NULL);
	cat = load_dir(a, dir, NULL, &d);
	got = diags_text(&d);
	is_str(got, "", "operator classes: no diagnostics");
	free(got);
	o1 = sg_catalog_find(cat, SG_KIND_OPCLASS, "s1", NULL, "x_ops USING btree");
	o2 = sg_catalog_find(cat, SG_KIND_OPCLASS, "s2", NULL, "x_ops USING btree");
	i1 = index_of(cat, "s1", "t", "i1");
	i2 = index_of(cat, "s1", "t", "i2");
	i3 = index_of(cat, "s1", "t", "i3");
	ok(o1 && o2 && i1 && i2 && i3, "the classes and indexes are there");
	if (o1 && o2 && i1 && i2 && i3) {
		ok(has_dep(cat, i1, o1) && !has_dep(cat, i1, o2), "x_ops: its schema's class");
		ok(has_dep(cat, i2, o2) && !has_dep(cat, i2, o1), "s2.x_ops: s2's");
		ok(!has_dep(cat, i3, o1) && !has_dep(cat, i3, o2), "int4_ops: neither");
	}
	free(dir);

	/* a trigger calling a function the models lack: an error unless an
	 * extension of the models is in the function's schema or public */
	dir = folder(
		"a.yaml", "schema: s1\nextensions:\n  ext1:\n"
			  "tables:\n  t:\n    columns: {id: int}\n    triggers:\n"
			  "      g1: {timing: before, events: [insert], for_each: row, function: fx}\n"
			  "      g2: {timing: before, events: [insert], for_each: row, "
			  "function: {schema: s2, name: fy}}\n",
		"b.yaml", "schema: s2\ntables:\n  u:\n    columns: {id: int}\n",
		NULL);
	cat = load_dir(a, dir, NULL, &d);
	got = diags_text(&d);
	want = fmt("%s/a.yaml:9:71: error: trigger \"g2\" calls function s2.fy(), "
		"which is not in the models\n", dir);
	if (!ok(strncmp(got, want, strlen(want)) == 0,
		"the function of an extension's schema passes, the other does not"))
		tap_diag("got: %s", got);
	ok(!strstr(got, "\"fx\""), "fx: schema s1 has an extension");
	free(got);
	free(want);
	free(dir);
	sg_arena_free(a);
}

static void cleanup(void)
{
	char *cmd = fmt("rm -rf '%s'", top);

	if (system(cmd) != 0)
		tap_diag("could not remove %s", top);
	free(cmd);
}

int main(void)
{
	top = mkdtemp(tmpl);
	if (!top)
		return 2;
	test_owned_sequences();
	test_schemas();
	test_duplicate_keys();
	test_locations();
	test_long_scalars();
	test_refs();
	test_opclasses_extensions();
	cleanup();
	sg_sql_cleanup();
	return tap_done();
}
