// SPDX-License-Identifier: MIT
/*
 * t-yaml.c - the model loader, its checks and messages, the writer and
 * schemagen.yaml.
 *
 * Data-driven parts, under tests/fixtures/yaml/:
 *  - bad/NAME.yaml or bad/NAME/ (a directory of model files), each with
 *    bad/NAME.err, the exact diagnostics expected (and bad/NAME.schemas,
 *    the managed schemas, when the case needs them).  SG_REGEN=1 rewrites
 *    the .err files from the current output: review the diff before
 *    committing it.
 *  - good/: models loaded and checked field by field;
 *  - write/: golden output of the writer for catalogs built here as the
 *    introspector builds them (SG_REGEN=1 rewrites them too).
 *
 * The quoting test formats random catalogs and loads them back;
 * SG_ROUNDS=N runs N rounds instead of 300, and SG_DUMP_DIR=DIR keeps each
 * formatted file there, for checking with other YAML readers.
 */
#include <errno.h>
#include <stdarg.h>
#include <dirent.h>
#include <stdint.h>
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

static bool regen;

/* ---- helpers ---- */

static int diag_cmp(const void *pa, const void *pb)
{
	const struct sg_diag *a = pa, *b = pb;
	int c = sg_strcmp_null(sg_loc_file(a->loc), sg_loc_file(b->loc));

	if (c)
		return c;
	if (a->loc.line != b->loc.line)
		return a->loc.line < b->loc.line ? -1 : 1;
	if (a->loc.col != b->loc.col)
		return a->loc.col < b->loc.col ? -1 : 1;
	return a < b ? -1 : a > b;
}

/* The diagnostics as sg_diags_print() would print them. */
static char *diags_text(struct sg_diags *d)
{
	struct sbuf sb = SBUF_INIT;

	if (d->n > 1)
		qsort(d->v, d->n, sizeof(*d->v), diag_cmp);
	for (size_t i = 0; i < d->n; i++)
		sg_diag_format(&sb, &d->v[i]);
	return sbuf_detach(&sb, NULL);
}

static char *read_or_empty(const char *path)
{
	char *s = sg_read_file(path, NULL);

	return s ? s : xstrdup("");
}

static struct sg_catalog *load_one(struct sg_arena *a, const char *name,
				   const char *text, const struct sg_config *cfg,
				   struct sg_diags *d)
{
	struct sg_catalog *cat = sg_catalog_new(a, "models");

	yaml_load_text(name, text, cfg, cat, d);
	sg_catalog_check(cat, d);
	return cat;
}

static struct sg_object *find(struct sg_catalog *cat, enum sg_kind kind,
			      const char *schema, const char *parent,
			      const char *name)
{
	struct sg_object *o = sg_catalog_find(cat, kind, schema, parent, name);

	if (!o)
		tap_diag("not found: %s %s.%s%s%s", sg_kind_name(kind), schema,
			 parent ? parent : "", parent ? "." : "", name);
	return o;
}

#define LOC_IS(loc, l, c, what) do {                                       \
		is_int((loc).line, (l), "%s: line", (what));               \
		is_int((loc).col, (c), "%s: column", (what));              \
	} while (0)

/* ---- bad models: exact diagnostics ---- */

static void run_bad_case(const char *dir, const char *name, bool is_dir)
{
	struct sg_arena *a = sg_arena_new();
	struct sg_diags d;
	struct sg_config cfg;
	char *path = sg_path_join(dir, name);
	char base[256], *errpath, *want, *got, *schemas;
	const char *list[8];
	int ret;

	snprintf(base, sizeof(base), "%s", path);
	if (!is_dir)
		base[strlen(base) - 5] = '\0';  /* .yaml */
	errpath = sg_printf(a, "%s.err", base);
	sg_config_defaults(&cfg);
	schemas = sg_read_file(sg_printf(a, "%s.schemas", base), NULL);
	if (schemas) {
		char *save, *tok;

		for (tok = strtok_r(schemas, " \n", &save); tok && cfg.nschemas < 8;
		     tok = strtok_r(NULL, " \n", &save))
			list[cfg.nschemas++] = tok;
		cfg.schemas = list;
	}
	sg_diags_init(&d, a);
	if (is_dir) {
		struct sg_catalog *cat = sg_catalog_new(a, "models");

		ret = yaml_load_models(path, &cfg, cat, &d);
	} else {
		size_t len;
		char *text = sg_read_file(path, &len);
		struct sg_catalog *cat = sg_catalog_new(a, "models");

		/* yaml_load_text stops at a NUL; the files here have none */
		ret = yaml_load_text(path, text, &cfg, cat, &d);
		if (sg_catalog_check(cat, &d) < 0)
			ret = -1;
		free(text);
	}
	got = diags_text(&d);
	if (regen) {
		FILE *f = fopen(errpath, "w");

		if (f) {
			fputs(got, f);
			fclose(f);
		}
	}
	want = read_or_empty(errpath);
	ok(ret == -1 && d.nerrors > 0, "%s: rejected", path);
	is_str(got, want, "%s: diagnostics", path);
	free(got);
	free(want);
	free(schemas);
	free(path);
	sg_arena_free(a);
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void test_bad(void)
{
	const char *dir = "fixtures/yaml/bad";
	DIR *dh = opendir(dir);
	struct dirent *de;
	char *names[256];
	size_t n = 0;

	if (!dh) {
		ok(false, "cannot open %s: %s", dir, strerror(errno));
		return;
	}
	while ((de = readdir(dh)) && n < ARRAY_SIZE(names)) {
		size_t len = strlen(de->d_name);

		if (de->d_name[0] == '.')
			continue;
		if ((len > 5 && strcmp(de->d_name + len - 5, ".yaml") == 0) ||
		    de->d_type == DT_DIR)
			names[n++] = xstrdup(de->d_name);
	}
	closedir(dh);
	qsort(names, n, sizeof(*names), name_cmp);
	ok(n >= 40, "at least 40 bad cases (%zu)", n);
	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(names[i]);

		run_bad_case(dir, names[i],
			     !(len > 5 && strcmp(names[i] + len - 5, ".yaml") == 0));
		free(names[i]);
	}
}

/* ---- a good model file, field by field ---- */

static struct sg_column *col(struct sg_catalog *cat, const char *schema,
			     const char *table, const char *name)
{
	return (struct sg_column *)find(cat, SG_KIND_COLUMN, schema, table, name);
}

static struct sg_constraint *cons(struct sg_catalog *cat, const char *schema,
				  const char *table, const char *name)
{
	return (struct sg_constraint *)find(cat, SG_KIND_CONSTRAINT, schema,
					    table, name);
}

static void test_good_shop(void)
{
	struct sg_arena *a = sg_arena_new();
	struct sg_diags d;
	struct sg_catalog *cat;
	char *text = sg_read_file("fixtures/yaml/good/shop.yaml", NULL);
	struct sg_schema *sch;
	struct sg_enum *e;
	struct sg_sequence *s;
	struct sg_table *t;
	struct sg_column *c;
	struct sg_constraint *k;
	struct sg_index *ix;
	const char *F = "good/shop.yaml";

	sg_diags_init(&d, a);
	cat = sg_catalog_new(a, "models");
	is_int(yaml_load_text(F, text, NULL, cat, &d), 0, "shop.yaml loads");
	is_int(sg_catalog_check(cat, &d), 0, "shop.yaml checks");
	free(text);
	{
		char *got = diags_text(&d);

		is_str(got, "", "shop.yaml: no diagnostics");
		free(got);
	}
	ok(cat->finished, "sg_catalog_check finishes the catalog");
	is_int(cat->nbykind[SG_KIND_SCHEMA], 2, "schemas shop and public");
	ok(find(cat, SG_KIND_SCHEMA, "public", NULL, "public") != NULL,
	   "public is added though no file names it");

	sch = (struct sg_schema *)find(cat, SG_KIND_SCHEMA, "shop", NULL, "shop");
	if (sch) {
		is_str(sch->obj.comment, "The shop", "schema comment");
		is_str(sg_loc_file(sch->obj.loc), F, "schema loc file");
		LOC_IS(sch->obj.loc, 2, 9, "schema loc");
	}

	e = (struct sg_enum *)find(cat, SG_KIND_ENUM, "shop", NULL, "order_status");
	if (e) {
		is_int(e->nvalues, 3, "enum short form: 3 values");
		is_str(e->values[0], "pending", "enum value 0");
		is_str(e->values[2], "shipped", "enum value 2");
		LOC_IS(e->obj.loc, 5, 3, "enum loc (its key)");
		LOC_IS(e->value_locs[0], 5, 18, "enum value loc 0");
		LOC_IS(e->value_locs[1], 5, 27, "enum value loc 1");
		LOC_IS(e->value_locs[2], 5, 33, "enum value loc 2");
		ok(e->obj.comment == NULL, "enum without comment");
	}
	e = (struct sg_enum *)find(cat, SG_KIND_ENUM, "shop", NULL, "priority");
	if (e) {
		is_int(e->nvalues, 2, "enum mapping form: 2 values");
		is_str(e->values[1], "high", "quoted enum value");
		LOC_IS(e->value_locs[1], 7, 20, "quoted enum value loc (inside quotes)");
		is_str(e->obj.comment, "How urgent", "enum comment");
	}

	s = (struct sg_sequence *)find(cat, SG_KIND_SEQUENCE, "shop", NULL,
				       "invoice_number");
	if (s) {
		is_int(s->opts.set, SG_SEQ_ALL, "every option given");
		is_str(s->opts.type, "integer", "sequence type");
		is_int(s->opts.start, 1000, "start");
		is_int(s->opts.increment, 2, "increment");
		is_int(s->opts.min, 1, "min");
		is_int(s->opts.max, 999999, "max");
		is_int(s->opts.cache, 10, "cache");
		ok(s->opts.cycle, "cycle");
		is_str(s->owned_table, "invoices", "owned_by table");
		is_str(s->owned_column, "number", "owned_by column");
		LOC_IS(s->owned_loc, 18, 15, "owned_loc");
		is_str(s->obj.comment, "Invoice numbers", "sequence comment");
	}
	s = (struct sg_sequence *)find(cat, SG_KIND_SEQUENCE, "shop", NULL,
				       "plain_seq");
	if (s)
		ok(s->opts.set == 0 && !s->owned_table, "sequence with no options");

	t = sg_catalog_table(cat, "shop", "customers");
	ok(t != NULL, "table customers");
	if (t) {
		is_str(t->obj.comment, "People who order", "table comment");
		is_str(t->obj.renamed_from, "clients", "table renamed_from");
		LOC_IS(t->obj.renamed_loc, 24, 19, "table renamed_loc");
		LOC_IS(t->obj.loc, 22, 3, "table loc");
		is_int(t->ncolumns, 6, "six columns");
		is_str(t->columns[0]->obj.name, "id", "columns in file order (0)");
		is_str(t->columns[4]->obj.name, "Name", "names are literal");
		is_int(t->columns[4]->attnum, 5, "attnum");
		is_int(t->nconstraints, 3, "three constraints");
		is_int(t->nindexes, 2, "two indexes");
	}
	c = col(cat, "shop", "customers", "id");
	if (c) {
		is_int(c->identity, 'a', "identity always");
		ok(c->not_null, "identity columns are not null");
		is_int(c->identity_opts.set, 0, "no identity options");
		LOC_IS(c->type_loc, 26, 18, "type_loc");
		is_int(c->type_loc.style, 0, "plain scalar: exact");
	}
	c = col(cat, "shop", "customers", "email");
	if (c) {
		is_str(c->type, "text", "type");
		ok(c->not_null, "nullable: false");
		is_str(c->obj.comment, "Login", "column comment");
		is_str(c->collation, "\"C\"", "collation is quoted SQL");
		LOC_IS(c->collation_loc, 27, 73, "collation_loc");
		is_str(c->obj.renamed_from, "mail", "column renamed_from");
		LOC_IS(c->obj.renamed_loc, 27, 90, "column renamed_loc");
		LOC_IS(c->obj.loc, 27, 7, "column loc");
		ok(c->default_expr == NULL && !c->identity, "no default, no identity");
	}
	c = col(cat, "shop", "customers", "note");
	if (c)
		ok(strcmp(c->type, "text") == 0 && !c->not_null,
		   "shorthand column: type only, nullable");
	c = col(cat, "shop", "customers", "created_at");
	if (c) {
		is_str(c->default_expr, "now()", "default");
		LOC_IS(c->default_loc, 29, 65, "default_loc");
	}
	c = col(cat, "shop", "customers", "Name");
	if (c) {
		is_str(c->type, "character varying(200)", "quoted type");
		LOC_IS(c->type_loc, 30, 21, "quoted type_loc (inside quotes)");
		is_int(c->type_loc.style, 0, "quoted scalar without escapes: exact");
		is_str(c->collation, "public.\"my coll\"", "qualified collation");
	}
	c = col(cat, "shop", "customers", "seq_id");
	if (c) {
		is_int(c->identity, 'd', "identity by default");
		is_int(c->identity_opts.set, SG_SEQ_ALL & ~SG_SEQ_TYPE,
		       "identity options given");
		is_int(c->identity_opts.start, 10, "identity start");
		is_int(c->identity_opts.increment, 5, "identity increment");
		is_int(c->identity_opts.max, 1000, "identity max");
		is_int(c->identity_opts.cache, 2, "identity cache");
		ok(c->identity_opts.cycle, "identity cycle");
	}
	k = cons(cat, "shop", "customers", "customers_pk");
	if (k) {
		is_int(k->type, 'p', "primary key");
		ok(!k->obj.auto_name, "named primary key");
		is_int(k->ncolumns, 1, "pk columns");
		is_str(k->columns[0], "id", "pk column");
		is_int(k->ninclude, 1, "pk include");
		is_str(k->obj.comment, "The key", "pk comment");
		LOC_IS(k->obj.loc, 34, 25, "named constraint loc: its name");
		ok(k->definition == NULL, "no definition on a YAML catalog");
	}
	k = cons(cat, "shop", "customers", "customers_email_key");
	if (k) {
		is_int(k->type, 'u', "unique");
		ok(k->nulls_not_distinct, "nulls_distinct: false");
		ok(k->deferrable && k->deferred, "deferrable, initially deferred");
		is_str(k->include[0], "note", "unique include");
		is_str(k->obj.comment, "One account per address", "unique comment");
	}
	k = cons(cat, "shop", "customers", "customers_Name_key");
	if (k) {
		ok(k->obj.auto_name, "unnamed unique: placeholder name");
		is_str(k->columns[0], "Name", "unique shorthand columns");
		LOC_IS(k->obj.loc, 37, 9, "unnamed constraint loc: the item");
	}
	ix = (struct sg_index *)find(cat, SG_KIND_INDEX, "shop", "customers",
				     "customers_email_lower_idx");
	if (ix) {
		ok(ix->unique, "unique index");
		ok(ix->nulls_not_distinct, "index nulls_distinct: false");
		is_str(ix->method, "gin", "method");
		is_int(ix->nkeys, 4, "keys: columns then expressions");
		is_str(ix->keys[0].column, "note", "key 0 column");
		LOC_IS(ix->keys[0].loc, 41, 19, "key 0 loc");
		is_str(ix->keys[1].column, "email", "key 1 column");
		ok(ix->keys[1].desc, "key 1 desc");
		is_int(ix->keys[1].nulls, 'f', "key 1 nulls first");
		is_str(ix->keys[1].opclass, "text_pattern_ops", "key 1 opclass");
		is_str(ix->keys[1].collation, "\"C\"", "key 1 collation");
		is_str(ix->keys[2].expression, "lower(email)", "key 2 expression");
		LOC_IS(ix->keys[2].loc, 41, 124, "key 2 loc");
		is_str(ix->keys[3].expression, "upper(note)", "key 3 from expressions");
		LOC_IS(ix->keys[3].loc, 42, 24, "key 3 loc");
		is_int(ix->ninclude, 1, "index include");
		is_str(ix->where, "created_at > '2020-01-01'", "where");
		LOC_IS(ix->where_loc, 45, 17, "where_loc");
		is_str(ix->obj.comment, "Lookups by address", "index comment");
	}
	ix = (struct sg_index *)find(cat, SG_KIND_INDEX, "shop", "customers",
				     "customers_id_idx");
	if (ix) {
		ok(ix->obj.auto_name, "unnamed index: placeholder");
		ok(ix->method == NULL, "btree is stored as NULL");
		ok(!ix->unique, "not unique");
	}
	c = col(cat, "shop", "invoices", "status");
	if (c) {
		is_str(c->default_expr, "'pending'::order_status", "quoted default");
		LOC_IS(c->default_loc, 53, 63, "quoted default_loc");
	}
	c = col(cat, "shop", "invoices", "memo");
	if (c) {
		is_str(c->default_expr, "'multi' ||\n  'line'\n", "literal block default");
		LOC_IS(c->default_loc, 58, 11, "literal block: first content line");
		is_int(c->default_loc.style, 'l', "literal block style");
		is_int(c->default_loc.indent, 10, "literal block indentation");
	}
	c = col(cat, "shop", "invoices", "total");
	if (c)
		is_str(c->type, "numeric(12,2)", "type with a comma");
	k = cons(cat, "shop", "invoices", "invoices_customer_fk");
	if (k) {
		is_int(k->type, 'f', "foreign key");
		is_str(k->ref_schema, "shop", "ref_schema defaults to the file's");
		is_str(k->ref_table, "customers", "ref_table");
		is_int(k->nref_columns, 1, "ref columns");
		is_str(k->ref_columns[0], "id", "ref column");
		LOC_IS(k->ref_loc, 63, 21, "ref_loc");
		is_int(k->on_delete, SG_FK_RESTRICT, "on_delete restrict");
		is_int(k->on_update, SG_FK_CASCADE, "on_update cascade");
		is_int(k->match, 'f', "match full");
		ok(k->deferrable && k->deferred && k->not_valid,
		   "deferrable, deferred, not valid");
		is_str(k->obj.comment, "Who pays", "fk comment");
	}
	k = cons(cat, "shop", "invoices", "invoices_customer_id_fkey");
	if (k) {
		ok(k->obj.auto_name, "unnamed fk");
		is_str(k->ref_schema, "shop", "qualified references: schema");
		ok(k->nref_columns == 0 && k->ref_columns == NULL,
		   "references without columns");
		is_int(k->on_delete, SG_FK_NO_ACTION, "default on_delete");
		is_int(k->on_update, SG_FK_NO_ACTION, "default on_update");
		is_int(k->match, 's', "default match simple");
	}
	k = cons(cat, "shop", "invoices", "invoices_customer_id_number_fkey");
	if (k) {
		is_int(k->nref_columns, 2, "mapping references: columns");
		is_str(k->ref_columns[1], "seq_id", "mapping references: column 1");
		is_int(k->on_delete, SG_FK_SET_NULL, "on_delete set null");
		LOC_IS(k->ref_loc, 72, 54, "mapping references: ref_loc");
	}
	k = cons(cat, "shop", "invoices", "invoices_total_check");
	if (k) {
		is_int(k->type, 'c', "check");
		is_str(k->expression, "total >= 0", "check expression");
		LOC_IS(k->expr_loc, 74, 51, "expr_loc");
		ok(k->no_inherit && k->not_valid, "no_inherit, not_valid");
	}
	k = cons(cat, "shop", "invoices", "invoices_number_check");
	if (k) {
		ok(k->obj.auto_name, "unnamed check named after its one column");
		LOC_IS(k->expr_loc, 75, 10, "shorthand check expr_loc");
	}
	sg_arena_free(a);
}

/* Dependencies implied by the models. */
static bool has_dep(struct sg_catalog *cat, struct sg_object *obj,
		    struct sg_object *ref)
{
	for (size_t i = 0; i < cat->ndeps; i++)
		if (cat->deps[i].obj == obj && cat->deps[i].ref == ref &&
		    cat->deps[i].type == 'm')
			return true;
	return false;
}

static void test_deps(void)
{
	static const char *const text =
		"schema: app\n"
		"enums:\n"
		"  mood: [sad, happy]\n"
		"sequences:\n"
		"  counter: {owned_by: t.n}\n"
		"tables:\n"
		"  t:\n"
		"    columns:\n"
		"      n: {type: bigint, default: \"nextval('counter')\"}\n"
		"      m: {type: \"mood[]\"}\n"
		"      p: {type: public.shared, default: \"'x'::public.shared\"}\n"
		"      q: {type: integer, default: \"nextval('app.counter'::regclass)\"}\n"
		"    primary_key: [n]\n"
		"    checks:\n"
		"      - {name: t_mood, expression: \"m <> ARRAY['sad'::mood]\"}\n"
		"    indexes:\n"
		"      - {name: t_idx, expressions: [\"(p = 'x'::public.shared)\"], where: \"m IS NOT NULL AND n > 'happy'::mood::text::int\"}\n"
		"  u:\n"
		"    columns:\n"
		"      r: bigint\n"
		"    foreign_keys:\n"
		"      - {name: u_fk, columns: [r], references: t}\n";
	static const char *const pub =
		"enums:\n"
		"  shared: [x]\n"
		"  mood: [other]\n";
	struct sg_arena *a = sg_arena_new();
	struct sg_diags d;
	struct sg_catalog *cat = sg_catalog_new(a, "models");
	struct sg_object *t, *n, *m, *p, *q, *mood, *shared, *counter, *schema;
	struct sg_object *pkey, *check, *idx, *fk, *u;
	char *got;

	sg_diags_init(&d, a);
	yaml_load_text("app.yaml", text, NULL, cat, &d);
	yaml_load_text("public.yaml", pub, NULL, cat, &d);
	sg_catalog_check(cat, &d);
	got = diags_text(&d);
	is_str(got, "", "deps models load");
	free(got);
	t = find(cat, SG_KIND_TABLE, "app", NULL, "t");
	u = find(cat, SG_KIND_TABLE, "app", NULL, "u");
	n = find(cat, SG_KIND_COLUMN, "app", "t", "n");
	m = find(cat, SG_KIND_COLUMN, "app", "t", "m");
	p = find(cat, SG_KIND_COLUMN, "app", "t", "p");
	q = find(cat, SG_KIND_COLUMN, "app", "t", "q");
	mood = find(cat, SG_KIND_ENUM, "app", NULL, "mood");
	shared = find(cat, SG_KIND_ENUM, "public", NULL, "shared");
	counter = find(cat, SG_KIND_SEQUENCE, "app", NULL, "counter");
	schema = find(cat, SG_KIND_SCHEMA, "app", NULL, "app");
	pkey = find(cat, SG_KIND_CONSTRAINT, "app", "t", "t_pkey");
	check = find(cat, SG_KIND_CONSTRAINT, "app", "t", "t_mood");
	idx = find(cat, SG_KIND_INDEX, "app", "t", "t_idx");
	fk = find(cat, SG_KIND_CONSTRAINT, "app", "u", "u_fk");
	if (!t || !u || !n || !m || !p || !q || !mood || !shared || !counter ||
	    !schema || !pkey || !check || !idx || !fk) {
		ok(false, "deps: objects found");
		sg_arena_free(a);
		return;
	}
	ok(has_dep(cat, t, schema), "table -> schema");
	ok(has_dep(cat, mood, schema), "enum -> schema");
	ok(has_dep(cat, counter, schema), "sequence -> schema");
	ok(has_dep(cat, n, t), "column -> table");
	ok(has_dep(cat, m, mood), "column type mood[] -> the enum of its own schema");
	ok(!has_dep(cat, m, find(cat, SG_KIND_ENUM, "public", NULL, "mood")),
	   "own schema first, not public");
	ok(has_dep(cat, p, shared), "qualified type -> public enum");
	ok(has_dep(cat, n, counter), "default nextval('counter') -> sequence");
	ok(has_dep(cat, q, counter), "default nextval('app.counter'::regclass)");
	ok(has_dep(cat, counter, n), "owned_by -> column");
	ok(has_dep(cat, check, mood), "check cast -> enum");
	ok(has_dep(cat, idx, shared), "index expression cast -> enum");
	ok(has_dep(cat, idx, mood), "index predicate cast -> enum");
	ok(has_dep(cat, pkey, n), "primary key -> its column");
	ok(has_dep(cat, fk, t), "foreign key -> referenced table");
	ok(has_dep(cat, fk, pkey), "foreign key -> referenced primary key");
	ok(has_dep(cat, fk, u), "foreign key -> its table");
	sg_arena_free(a);
}

/* ---- partitioning, inheritance, storage ---- */

static void test_partitions(void)
{
	static const char *const text =
		"schema: app\n"
		"tables:\n"
		"  m:\n"
		"    partition_by: RANGE (at)\n"
		"    unlogged: true\n"
		"    columns:\n"
		"      id: {type: bigint, nullable: false}\n"
		"      at: {type: date, nullable: false}\n"
		"      v: int\n"
		"    primary_key: [id, at]\n"
		"    indexes:\n"
		"      - {name: m_v, columns: [v], with: {fillfactor: 80, deduplicate_items: false}}\n"
		"    partitions:\n"
		"      m1:\n"
		"        bounds: FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')\n"
		"        storage: {toast.autovacuum_enabled: false, fillfactor: 70}\n"
		"        columns:\n"
		"          v: {nullable: false, default: \"0\"}\n"
		"        primary_key: {name: m1_key, columns: [id, at]}\n"
		"        indexes:\n"
		"          - {name: m1_v, columns: [v], attached_to: m_v}\n"
		"  base:\n"
		"    columns:\n"
		"      a: int\n"
		"  child:\n"
		"    inherits: [base, public.other]\n"
		"    replica_identity: {index: child_c}\n"
		"    columns:\n"
		"      c: {type: int, nullable: false}\n"
		"      a: {default: \"1\"}\n"
		"    unique:\n"
		"      - {name: child_c, columns: [c]}\n";
	static const char *const pub =
		"tables:\n"
		"  other:\n"
		"    columns:\n"
		"      o: int\n"
		"  m2:\n"
		"    partition_of: app.m\n"
		"    bounds: DEFAULT\n";
	struct sg_arena *a = sg_arena_new();
	struct sg_diags d;
	struct sg_catalog *cat = sg_catalog_new(a, "models");
	struct sg_table *m, *m1, *m2, *base, *child, *other;
	struct sg_constraint *k;
	struct sg_index *ix;
	struct sg_column *c;
	char *got;

	sg_diags_init(&d, a);
	yaml_load_text("app.yaml", text, NULL, cat, &d);
	yaml_load_text("public.yaml", pub, NULL, cat, &d);
	sg_catalog_check(cat, &d);
	got = diags_text(&d);
	is_str(got, "", "partition models load");
	free(got);
	m = (struct sg_table *)find(cat, SG_KIND_TABLE, "app", NULL, "m");
	m1 = (struct sg_table *)find(cat, SG_KIND_TABLE, "app", NULL, "m1");
	m2 = (struct sg_table *)find(cat, SG_KIND_TABLE, "public", NULL, "m2");
	base = (struct sg_table *)find(cat, SG_KIND_TABLE, "app", NULL, "base");
	child = (struct sg_table *)find(cat, SG_KIND_TABLE, "app", NULL, "child");
	other = (struct sg_table *)find(cat, SG_KIND_TABLE, "public", NULL, "other");
	if (!m || !m1 || !m2 || !base || !child || !other) {
		ok(false, "partitions: tables found");
		sg_arena_free(a);
		return;
	}
	is_int(m->relkind, 'p', "partition_by: partitioned");
	is_str(m->partition_key, "RANGE (at)", "partition_by: the key");
	ok(m->unlogged, "unlogged");
	is_str(m1->partition_of, "app.m", "nested partition: its parent");
	ok(m1->partition_parent == m, "nested partition: parent resolved");
	is_str(m1->partition_bound, "FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')",
	       "nested partition: bounds");
	is_int(m1->partition_bound_loc.line, 15, "bounds: location");
	is_int((long long)m1->nreloptions, 2, "storage: two parameters");
	if (m1->nreloptions == 2) {
		is_str(m1->reloptions[0], "fillfactor=70", "storage: sorted, name=value");
		is_str(m1->reloptions[1], "toast.autovacuum_enabled=false",
		       "storage: toast parameter");
	}
	c = sg_table_column(m1, "v");
	ok(c && c->inherited && !c->type && c->not_null && sg_streq(c->default_expr, "0"),
	   "a partition's column: inherited, its own NOT NULL and default");
	k = (struct sg_constraint *)find(cat, SG_KIND_CONSTRAINT, "app", "m1", "m1_key");
	ok(k && k->inherited && sg_streq(k->attached_to, "m_pkey") &&
	   sg_streq(k->default_name, "m1_pkey"),
	   "a partition's primary key: attached to its parent's, default name known");
	ix = (struct sg_index *)find(cat, SG_KIND_INDEX, "app", "m", "m_v");
	ok(ix && ix->nreloptions == 2 &&
	   sg_streq(ix->reloptions[0], "deduplicate_items=false") &&
	   sg_streq(ix->reloptions[1], "fillfactor=80"), "index with: sorted");
	ix = (struct sg_index *)find(cat, SG_KIND_INDEX, "app", "m1", "m1_v");
	ok(ix && sg_streq(ix->attached_to, "m_v"), "index attached_to");
	ok(ix && has_dep(cat, &ix->obj, find(cat, SG_KIND_INDEX, "app", "m", "m_v")),
	   "attached index -> the parent's index");
	is_str(m2->partition_of, "app.m", "partition_of another schema");
	ok(m2->partition_parent == m, "partition_of: parent resolved");
	ok(has_dep(cat, &m2->obj, &m->obj), "partition -> parent");
	ok(has_dep(cat, &m1->obj, &m->obj), "nested partition -> parent");
	is_int((long long)child->ninherits, 2, "inherits: two parents");
	if (child->ninherits == 2) {
		is_str(child->inherits[0], "app.base", "inherits: own schema");
		is_str(child->inherits[1], "public.other", "inherits: qualified");
		ok(child->inherits_tables[0] == base && child->inherits_tables[1] == other,
		   "inherits: resolved");
	}
	ok(has_dep(cat, &child->obj, &base->obj) && has_dep(cat, &child->obj, &other->obj),
	   "child -> parents");
	c = sg_table_column(child, "a");
	ok(c && c->inherited && sg_streq(c->default_expr, "1"),
	   "a child's setting of a parent's column");
	is_int(child->replica_identity, 'i', "replica_identity: index");
	is_str(child->replica_index, "child_c", "replica_identity: its index");
	sg_arena_free(a);
}

/* ---- locations of scalars of every style ---- */

static void test_locations(void)
{
	static const char *const text =
		"tables:\n"                                      /* 1 */
		"  t:\n"                                         /* 2 */
		"    columns:\n"                                 /* 3 */
		"      a: {type: text, default: '''a'' || ''b'''}\n" /* 4 */
		"      b: {type: text, default: \"1 +\\t2\"}\n"     /* 5 */
		"      c:\n"                                     /* 6 */
		"        type: text\n"                           /* 7 */
		"        default: >-\n"                          /* 8 */
		"          1 +\n"                                /* 9 */
		"          2\n"                                  /* 10 */
		"      d:\n"                                     /* 11 */
		"        type: text\n"                           /* 12 */
		"        default: 1\n"                           /* 13 */
		"          + 2\n"                                /* 14 */
		"      e:\n"                                     /* 15 */
		"        type: text\n"                           /* 16 */
		"        default: |2\n"                          /* 17 */
		"             (1 +\n"                            /* 18 */
		"          2)\n"                                 /* 19 */
		"      f: {type: text, default: \"caf\xc3\xa9\"}\n"; /* 20 */
	struct sg_arena *a = sg_arena_new();
	struct sg_diags d;
	struct sg_catalog *cat;
	struct sg_column *c;

	sg_diags_init(&d, a);
	cat = load_one(a, "loc.yaml", text, NULL, &d);
	is_int(d.nerrors, 0, "locations: loads");
	c = col(cat, "public", "t", "a");
	if (c) {
		is_str(c->default_expr, "'a' || 'b'", "single-quoted with ''");
		is_int(c->default_loc.style, 'x', "escaped single quote: inexact");
		LOC_IS(c->default_loc, 4, 32, "inexact loc is the scalar's start");
	}
	c = col(cat, "public", "t", "b");
	if (c) {
		is_str(c->default_expr, "1 +\t2", "double-quoted escape");
		is_int(c->default_loc.style, 'x', "escape: inexact");
	}
	c = col(cat, "public", "t", "c");
	if (c) {
		is_str(c->default_expr, "1 + 2", "folded");
		is_int(c->default_loc.style, 'x', "folded: inexact");
		LOC_IS(c->default_loc, 8, 18, "folded loc");
	}
	c = col(cat, "public", "t", "d");
	if (c) {
		is_str(c->default_expr, "1 + 2", "multi-line plain");
		is_int(c->default_loc.style, 'x', "multi-line plain: inexact");
	}
	c = col(cat, "public", "t", "e");
	if (c) {
		is_str(c->default_expr, "   (1 +\n2)\n", "literal with indicator");
		is_int(c->default_loc.style, 'l', "literal");
		is_int(c->default_loc.indent, 10, "indentation from the indicator");
		LOC_IS(c->default_loc, 18, 11, "literal: first content line");
		LOC_IS(sg_loc_at(c->default_loc, c->default_expr, 9), 19, 12,
		       "offset on the second line maps back");
	}
	c = col(cat, "public", "t", "f");
	if (c) {
		is_int(c->default_loc.style, 0, "UTF-8 in a quoted scalar: exact");
		LOC_IS(c->default_loc, 20, 33, "UTF-8 loc");
	}
	sg_arena_free(a);

	/* a syntax error inside a literal block points into the block */
	a = sg_arena_new();
	sg_diags_init(&d, a);
	load_one(a, "lit.yaml",
		 "tables:\n  t:\n    columns: {a: text}\n    checks:\n"
		 "      - name: c\n        expression: |\n          a > 0\n"
		 "            AND AND b\n", NULL, &d);
	{
		char *got = diags_text(&d);

		is_str(got, "lit.yaml:8:17: error: expression of check constraint \"c\" "
		       "of table \"t\": syntax error at or near \"AND\"\n",
		       "error inside a literal block: exact line and column");
		free(got);
	}
	sg_arena_free(a);

	/*
	 * A literal block indented further than a location holds (65535
	 * columns): inexact, every offset at the block's first character,
	 * not a wrapped column.
	 */
	a = sg_arena_new();
	sg_diags_init(&d, a);
	{
		struct sbuf sb = SBUF_INIT;
		struct sg_catalog *wide;
		char *got;

		sbuf_adds(&sb, "tables:\n  t:\n    columns:\n      a:\n"
			  "        type: int\n        default: |\n");
		sbuf_addf(&sb, "%*s1 +\n%*s  2\n", 70000, "", 70000, "");
		sbuf_adds(&sb, "    checks:\n      - name: c\n        expression: |\n");
		sbuf_addf(&sb, "%*sa > 0\n%*s  AND AND b\n", 70000, "", 70000, "");
		wide = load_one(a, "wide.yaml", sb.buf, NULL, &d);
		c = col(wide, "public", "t", "a");
		if (c) {
			is_int(c->default_loc.style, 'x', "indented past 65535: inexact");
			LOC_IS(c->default_loc, 7, 70001, "indented past 65535: the first character");
			LOC_IS(sg_loc_at(c->default_loc, c->default_expr, 6), 7, 70001,
			       "indented past 65535: an offset on the second line");
		} else {
			ok(0, "indented past 65535: the column loads");
		}
		got = diags_text(&d);
		is_str(got, "wide.yaml:12:70001: error: expression of check constraint \"c\" "
		       "of table \"t\": syntax error at or near \"AND\"\n",
		       "indented past 65535: an error at the block's first character");
		free(got);
		sbuf_release(&sb);
	}
	sg_arena_free(a);
}

/* ---- the writer: golden output and round trips ---- */

static struct sg_column *mkcol(struct sg_catalog *cat, struct sg_table *t,
			       const char *name, const char *type, bool not_null,
			       const char *def)
{
	struct sg_column *c = SG_NEW(cat, sg_column, SG_KIND_COLUMN, NULL, name,
				     &t->obj);

	c->attnum = (int)t->ncolumns;
	c->type = type;
	c->not_null = not_null;
	c->default_expr = def;
	c->obj.oid = 1;
	return c;
}

static struct sg_constraint *mkcons(struct sg_catalog *cat, struct sg_table *t,
				    const char *name, char type,
				    const char *definition)
{
	struct sg_constraint *k = SG_NEW(cat, sg_constraint, SG_KIND_CONSTRAINT,
					 NULL, name, &t->obj);

	k->type = type;
	k->definition = definition;
	k->on_delete = k->on_update = SG_FK_NO_ACTION;
	k->match = 's';
	return k;
}

/* An array of n strings in the arena (compound literals would die with
 * the function that builds the catalog). */
static const char **strs(struct sg_arena *a, int n, ...)
{
	const char **v = sg_alloc_array(a, (size_t)n, sizeof(*v));
	va_list ap;

	va_start(ap, n);
	for (int i = 0; i < n; i++)
		v[i] = va_arg(ap, const char *);
	va_end(ap);
	return v;
}

static void full_opts(struct sg_seqopts *o, const char *type, int64_t start,
		      int64_t inc, int64_t min, int64_t max, int64_t cache,
		      bool cycle)
{
	o->set = SG_SEQ_ALL;
	o->type = type;
	o->start = start;
	o->increment = inc;
	o->min = min;
	o->max = max;
	o->cache = cache;
	o->cycle = cycle;
}

static const char *const tricky[] = {
	"pending", "yes", "null", "1", "-x", "a: b", "#hash", " lead", "trail ",
	"", "it's", "quote\"d", "multi\nline", "tab\there", "\xc3\xbcn\xc3\xaf" "c\xc3\xb6" "d\xc3\xa9",
	"[x]", "{y}", "a,b", "~", "@at", "`tick`", "NO", "0x1F", ".inf", "<<",
	"back\\slash", "a #b", "end:", "\xe2\x80\xa8ls", "nel\xc2\x85", "bell\a",
	"---", "? q", "%pct", "!bang", "&amp", "*star", "|pipe", ">gt",
};

/*
 * A catalog as introspect_catalog() fills it: every option set, the
 * server's text for types, defaults and constraint definitions.
 */
static struct sg_catalog *introspected(struct sg_arena *a)
{
	struct sg_catalog *cat = sg_catalog_new(a, "database");
	struct sg_schema *pub, *bill;
	struct sg_enum *e;
	struct sg_sequence *s;
	struct sg_table *t, *w, *cust, *ab;
	struct sg_column *c;
	struct sg_constraint *k;
	struct sg_index *ix;

	pub = SG_NEW(cat, sg_schema, SG_KIND_SCHEMA, "public", "public", NULL);
	pub->obj.comment = "standard public schema";
	bill = SG_NEW(cat, sg_schema, SG_KIND_SCHEMA, "billing", "billing", NULL);
	bill->obj.comment = "Money\nand more\n";
	SG_NEW(cat, sg_schema, SG_KIND_SCHEMA, "empty one", "empty one", NULL);

	e = SG_NEW(cat, sg_enum, SG_KIND_ENUM, "public", "order_status", NULL);
	e->values = (const char **)tricky;
	e->nvalues = ARRAY_SIZE(tricky);
	e = SG_NEW(cat, sg_enum, SG_KIND_ENUM, "public", "mood", NULL);
	e->values = (const char **)tricky;
	e->nvalues = 2;
	e->obj.comment = "How people feel";

	s = SG_NEW(cat, sg_sequence, SG_KIND_SEQUENCE, "public", "orders_id_seq", NULL);
	full_opts(&s->opts, "integer", 1, 1, 1, INT32_MAX, 1, false);
	s->owned_table = "orders";
	s->owned_column = "id";
	s = SG_NEW(cat, sg_sequence, SG_KIND_SEQUENCE, "public", "invoice_number", NULL);
	full_opts(&s->opts, "bigint", 1000, 1, 1, INT64_MAX, 20, true);
	s->obj.comment = "Invoice numbers";
	s = SG_NEW(cat, sg_sequence, SG_KIND_SEQUENCE, "public", "countdown", NULL);
	full_opts(&s->opts, "smallint", -1, -1, INT16_MIN, -1, 1, false);
	s = SG_NEW(cat, sg_sequence, SG_KIND_SEQUENCE, "public", "plain", NULL);
	full_opts(&s->opts, "bigint", 1, 1, 1, INT64_MAX, 1, false);
	s = SG_NEW(cat, sg_sequence, SG_KIND_SEQUENCE, "public", "odd", NULL);
	full_opts(&s->opts, "bigint", 5, 10, 5, 500, 1, false);

	t = SG_NEW(cat, sg_table, SG_KIND_TABLE, "public", "orders", NULL);
	t->obj.comment = "Orders\n  placed by customers\n";
	mkcol(cat, t, "id", "integer", true,
	      "nextval('public.orders_id_seq'::regclass)");
	mkcol(cat, t, "status", "public.order_status", true,
	      "'pending'::public.order_status");
	mkcol(cat, t, "customer_id", "bigint", false, NULL);
	c = mkcol(cat, t, "note", "character varying(255)", false, NULL);
	c->collation = "\"C\"";
	c->obj.comment = "Free text";
	mkcol(cat, t, "total", "numeric(12,2)", false, "0");
	c = mkcol(cat, t, "code", "text", false, NULL);
	c->collation = "public.\"my coll\"";
	k = mkcons(cat, t, "orders_pkey", 'p', "PRIMARY KEY (id)");
	k->columns = strs(a, 1, "id");
	k->ncolumns = 1;
	k = mkcons(cat, t, "orders_total_check", 'c',
		   "CHECK ((total >= (0)::numeric))");
	k->expression = "(total >= (0)::numeric)";
	k = mkcons(cat, t, "orders_customer_id_fkey", 'f',
		   "FOREIGN KEY (customer_id) REFERENCES billing.customers(id) "
		   "ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED NOT VALID");
	k->columns = strs(a, 1, "customer_id");
	k->ncolumns = 1;
	k->ref_schema = "billing";
	k->ref_table = "customers";
	k->ref_columns = strs(a, 1, "id");
	k->nref_columns = 1;
	k->on_delete = SG_FK_CASCADE;
	k->deferrable = k->deferred = k->not_valid = true;
	k->obj.comment = "Who ordered";
	k = mkcons(cat, t, "orders_code_key", 'u',
		   "UNIQUE NULLS NOT DISTINCT (code) INCLUDE (note)");
	k->columns = strs(a, 1, "code");
	k->ncolumns = 1;
	k->include = strs(a, 1, "note");
	k->ninclude = 1;
	k->nulls_not_distinct = true;
	ix = SG_NEW(cat, sg_index, SG_KIND_INDEX, NULL, "orders_status_idx", &t->obj);
	ix->definition = "CREATE INDEX orders_status_idx ON public.orders USING btree "
			 "(status DESC NULLS LAST, lower((note)::text) COLLATE \"C\" "
			 "text_pattern_ops) WHERE (total > (0)::numeric)";
	ix->keys = sg_alloc_array(a, 2, sizeof(*ix->keys));
	ix->nkeys = 2;
	ix->keys[0].column = "status";
	ix->keys[0].desc = true;
	ix->keys[0].nulls = 'l';
	ix->keys[1].expression = "lower((note)::text)";
	ix->keys[1].collation = "\"C\"";
	ix->keys[1].opclass = "text_pattern_ops";
	ix->where = "(total > (0)::numeric)";
	ix->method = "btree";
	ix = SG_NEW(cat, sg_index, SG_KIND_INDEX, NULL, "orders_note_fts", &t->obj);
	ix->keys = sg_alloc_array(a, 1, sizeof(*ix->keys));
	ix->nkeys = 1;
	ix->keys[0].expression = "to_tsvector('english'::regconfig, (note)::text)";
	ix->method = "gin";
	ix->obj.comment = "Full text";
	ix = SG_NEW(cat, sg_index, SG_KIND_INDEX, NULL, "orders_total_code_idx", &t->obj);
	ix->keys = sg_alloc_array(a, 2, sizeof(*ix->keys));
	ix->nkeys = 2;
	ix->keys[0].column = "total";
	ix->keys[1].column = "code";
	ix->keys[1].opclass = "public.my_ops";
	ix->unique = true;
	ix->nulls_not_distinct = true;
	ix->include = strs(a, 2, "id", "note");
	ix->ninclude = 2;

	w = SG_NEW(cat, sg_table, SG_KIND_TABLE, "public", "we\"ird name", NULL);
	mkcol(cat, w, "yes", "boolean", false, "true");
	mkcol(cat, w, "Mixed Case", "text", false, "'a: b # c'::text");
	c = mkcol(cat, w, "-dash", "integer", true, NULL);
	c->identity = 'a';
	full_opts(&c->identity_opts, "integer", 1, 1, 1, INT32_MAX, 1, false);
	c = mkcol(cat, w, "id2", "bigint", true, NULL);
	c->identity = 'd';
	full_opts(&c->identity_opts, "bigint", 100, 1, 1, INT64_MAX, 1, false);
	k = mkcons(cat, w, "custom_pk_name", 'p', NULL);
	k->columns = strs(a, 1, "-dash");
	k->ncolumns = 1;
	k->obj.comment = "Not the default name";
	k = mkcons(cat, w, "we\"ird name_check", 'c', NULL);
	k->expression = "(id2 > 0)";
	k->no_inherit = true;
	k = mkcons(cat, w, "def_only", 'c', "CHECK ((\"-dash\" < 10)) NOT VALID");
	k->not_valid = true;
	w->obj.comment = "A table with an awkward name";

	SG_NEW(cat, sg_table, SG_KIND_TABLE, "public", "no_columns", NULL);

	cust = SG_NEW(cat, sg_table, SG_KIND_TABLE, "billing", "customers", NULL);
	c = mkcol(cat, cust, "id", "bigint", true, NULL);
	c->identity = 'd';
	full_opts(&c->identity_opts, "bigint", 1, 1, 1, INT64_MAX, 1, false);
	mkcol(cat, cust, "email", "text", true, NULL);
	mkcol(cat, cust, "ab_ref", "integer", false, NULL);
	k = mkcons(cat, cust, "customers_pkey", 'p', "PRIMARY KEY (id)");
	k->columns = strs(a, 1, "id");
	k->ncolumns = 1;
	k = mkcons(cat, cust, "customers_ab_fkey", 'f', NULL);
	k->columns = strs(a, 1, "ab_ref");
	k->ncolumns = 1;
	k->ref_schema = "billing";
	k->ref_table = "a.b";
	k->ref_columns = strs(a, 1, "x.y");
	k->nref_columns = 1;
	k->on_update = SG_FK_SET_DEFAULT;
	k->on_delete = SG_FK_SET_NULL;
	k->match = 'f';
	k = mkcons(cat, cust, "customers_weird_fkey", 'f', NULL);
	k->columns = strs(a, 1, "ab_ref");
	k->ncolumns = 1;
	k->ref_schema = "public";
	k->ref_table = "we\"ird name";
	k->ref_columns = strs(a, 1, "-dash");
	k->nref_columns = 1;
	k->on_delete = SG_FK_RESTRICT;

	ab = SG_NEW(cat, sg_table, SG_KIND_TABLE, "billing", "a.b", NULL);
	mkcol(cat, ab, "x.y", "integer", true, NULL);
	k = mkcons(cat, ab, "a.b_pkey", 'p', NULL);
	k->columns = strs(a, 1, "x.y");
	k->ncolumns = 1;
	s = SG_NEW(cat, sg_sequence, SG_KIND_SEQUENCE, "billing", "ab_seq", NULL);
	full_opts(&s->opts, "integer", 1, 1, 1, INT32_MAX, 1, false);
	s->owned_table = "a.b";
	s->owned_column = "x.y";

	sg_catalog_finish(cat);
	return cat;
}

static void seq_effective(const struct sg_seqopts *o, const char *deftype,
			  struct sg_seqopts *r)
{
	const char *type = (o->set & SG_SEQ_TYPE) && o->type ? o->type : deftype;
	int64_t lo = INT64_MIN, hi = INT64_MAX;

	if (strcmp(type, "smallint") == 0) {
		lo = INT16_MIN;
		hi = INT16_MAX;
	} else if (strcmp(type, "integer") == 0) {
		lo = INT32_MIN;
		hi = INT32_MAX;
	}
	memset(r, 0, sizeof(*r));
	r->type = type;
	r->increment = (o->set & SG_SEQ_INCREMENT) ? o->increment : 1;
	r->min = (o->set & SG_SEQ_MIN) ? o->min : (r->increment > 0 ? 1 : lo);
	r->max = (o->set & SG_SEQ_MAX) ? o->max : (r->increment > 0 ? hi : -1);
	r->start = (o->set & SG_SEQ_START) ? o->start
					    : (r->increment > 0 ? r->min : r->max);
	r->cache = (o->set & SG_SEQ_CACHE) ? o->cache : 1;
	r->cycle = (o->set & SG_SEQ_CYCLE) && o->cycle;
}

static bool same_seqopts(const struct sg_seqopts *a, const struct sg_seqopts *b,
			 const char *deftype)
{
	struct sg_seqopts x, y;

	seq_effective(a, deftype, &x);
	seq_effective(b, deftype, &y);
	return strcmp(x.type, y.type) == 0 && x.start == y.start &&
	       x.increment == y.increment && x.min == y.min && x.max == y.max &&
	       x.cache == y.cache && x.cycle == y.cycle;
}

static bool same_names(const char *const *a, size_t na, const char *const *b,
		       size_t nb)
{
	if (na != nb)
		return false;
	for (size_t i = 0; i < na; i++)
		if (strcmp(a[i], b[i]) != 0)
			return false;
	return true;
}

/* "a,b,c" */
static const char *join_strs(struct sg_arena *a, const char *const *v, size_t n)
{
	struct sbuf sb = SBUF_INIT;
	const char *r;

	for (size_t i = 0; i < n; i++) {
		if (i)
			sbuf_addch(&sb, ',');
		sbuf_adds(&sb, v[i]);
	}
	r = sbuf_to_arena(&sb, a);
	sbuf_release(&sb);
	return r;
}

static const char *int_type(const char *t)
{
	return strcmp(t, "integer") == 0 || strcmp(t, "smallint") == 0 ? t : "bigint";
}

/*
 * The grants of o (introspected) are those of m (loaded): the same list
 * when the model has `grants:`, else what CREATE gives.
 */
static bool same_grants(const struct sg_object *o, const struct sg_object *m)
{
	const struct sg_grant *def;
	size_t ndef;

	if (!o->has_acl)
		return !m->has_acl;
	if (m->has_acl)
		return sg_grants_equal(o->grants, o->ngrants, m->grants, m->ngrants);
	sg_grants_default(o, &def, &ndef);
	return sg_grants_equal(o->grants, o->ngrants, def, ndef);
}

/* What the models can say about o equals what they said about m. */
static bool same_object(const struct sg_object *o, const struct sg_object *m,
			struct sbuf *why)
{
#define DIFF(...) do { sbuf_addf(why, __VA_ARGS__); return false; } while (0)
	if (!sg_streq(o->comment, m->comment))
		DIFF("comment");
	if (!same_grants(o, m))
		DIFF("grants");
	switch (o->kind) {
	case SG_KIND_SCHEMA:
	case SG_KIND__COUNT:
		break;
	/* written and read back by the integration tests of their kinds
	 * (t2100-views, t2200-functions, t2500-types: dump, then check) */
	case SG_KIND_EXTENSION:
	case SG_KIND_LANGUAGE:          /* t3950-languages */
	case SG_KIND_COLLATION:
	case SG_KIND_DOMAIN:
	case SG_KIND_COMPOSITE:
	case SG_KIND_FUNCTION:
	case SG_KIND_VIEW:
	case SG_KIND_TRIGGER:
	/* t4150-statistics, t4160-rules, t4170-text-search, t4340-ts-parsers */
	case SG_KIND_TS_PARSER:
	case SG_KIND_TS_TEMPLATE:
	case SG_KIND_TS_DICTIONARY:
	case SG_KIND_TS_CONFIG:
	case SG_KIND_STATISTICS:
	case SG_KIND_RULE:
	/* t4100-casts, t4110-event-triggers */
	case SG_KIND_CAST:
	case SG_KIND_EVENT_TRIGGER:
	case SG_KIND_PUBLICATION:   /* t4120-publications */
	/* t4050-aggregates, t4060-operators */
	case SG_KIND_AGGREGATE:
	case SG_KIND_OPERATOR:
	/* t4070-opclasses */
	case SG_KIND_OPFAMILY:
	case SG_KIND_OPCLASS:
	/* t4000-fdw */
	case SG_KIND_FDW:
	case SG_KIND_SERVER:
	case SG_KIND_USER_MAPPING:
	case SG_KIND_FOREIGN_TABLE:     /* t4300-foreign-tables */
	case SG_KIND_DEFAULT_ACL:   /* t4320-global-default-privileges */
		break;
	case SG_KIND_ENUM: {
		const struct sg_enum *x = (const void *)o, *y = (const void *)m;

		if (!same_names(x->values, x->nvalues, y->values, y->nvalues))
			DIFF("values");
		break;
	}
	case SG_KIND_SEQUENCE: {
		const struct sg_sequence *x = (const void *)o, *y = (const void *)m;

		if (!same_seqopts(&x->opts, &y->opts, "bigint"))
			DIFF("options");
		if (!sg_streq(x->owned_table, y->owned_table) ||
		    !sg_streq(x->owned_column, y->owned_column))
			DIFF("owned by");
		break;
	}
	case SG_KIND_TABLE: {
		const struct sg_table *x = (const void *)o, *y = (const void *)m;

		if (x->ncolumns != y->ncolumns || x->nconstraints != y->nconstraints ||
		    x->nindexes != y->nindexes || x->npolicies != y->npolicies)
			DIFF("children");
		if (x->rls_enabled != y->rls_enabled || x->rls_forced != y->rls_forced)
			DIFF("row level security");
		break;
	}
	case SG_KIND_POLICY: {
		const struct sg_policy *x = (const void *)o, *y = (const void *)m;

		if (x->permissive != y->permissive || x->command != y->command)
			DIFF("as or command");
		if (!same_names(x->roles, x->nroles, y->roles, y->nroles))
			DIFF("roles");
		if (!sg_streq(x->using_expr, y->using_expr) ||
		    !sg_streq(x->check_expr, y->check_expr))
			DIFF("expressions");
		break;
	}
	case SG_KIND_COLUMN: {
		const struct sg_column *x = (const void *)o, *y = (const void *)m;

		if (x->attnum != y->attnum)
			DIFF("attnum %d %d", x->attnum, y->attnum);
		if (!sg_streq(x->type, y->type))
			DIFF("type");
		if (x->not_null != y->not_null)
			DIFF("not null");
		if (!sg_streq(x->default_expr, y->default_expr))
			DIFF("default");
		if (x->identity != y->identity)
			DIFF("identity");
		if (x->identity && !same_seqopts(&x->identity_opts, &y->identity_opts,
						 int_type(x->type)))
			DIFF("identity options");
		if (!sg_streq(x->collation, y->collation))
			DIFF("collation %s %s", x->collation, y->collation);
		break;
	}
	case SG_KIND_CONSTRAINT: {
		const struct sg_constraint *x = (const void *)o, *y = (const void *)m;

		if (x->type != y->type ||
		    !same_names(x->columns, x->ncolumns, y->columns, y->ncolumns) ||
		    !same_names(x->include, x->ninclude, y->include, y->ninclude))
			DIFF("type or columns");
		if (x->nulls_not_distinct != y->nulls_not_distinct ||
		    x->deferrable != y->deferrable || x->deferred != y->deferred ||
		    x->not_valid != y->not_valid || x->no_inherit != y->no_inherit)
			DIFF("flags");
		if (x->type == 'f' &&
		    (!sg_streq(x->ref_schema, y->ref_schema) ||
		     !sg_streq(x->ref_table, y->ref_table) ||
		     !same_names(x->ref_columns, x->nref_columns, y->ref_columns,
				 y->nref_columns) ||
		     x->on_delete != y->on_delete || x->on_update != y->on_update ||
		     x->match != y->match))
			DIFF("foreign key");
		if (x->type == 'c' && x->expression &&
		    !sg_streq(x->expression, y->expression))
			DIFF("expression");
		break;
	}
	case SG_KIND_INDEX: {
		const struct sg_index *x = (const void *)o, *y = (const void *)m;
		const char *xm = x->method && strcmp(x->method, "btree") ? x->method : NULL;

		if (x->unique != y->unique || x->nulls_not_distinct != y->nulls_not_distinct)
			DIFF("flags");
		if (!sg_streq(xm, y->method))
			DIFF("method");
		if (!sg_streq(x->where, y->where))
			DIFF("where");
		if (!same_names(x->include, x->ninclude, y->include, y->ninclude))
			DIFF("include");
		if (x->nkeys != y->nkeys)
			DIFF("nkeys");
		for (size_t i = 0; i < x->nkeys; i++) {
			const struct sg_index_key *a = &x->keys[i], *b = &y->keys[i];

			if (!sg_streq(a->column, b->column) ||
			    !sg_streq(a->expression, b->expression) ||
			    !sg_streq(a->collation, b->collation) ||
			    !sg_streq(a->opclass, b->opclass) || a->desc != b->desc ||
			    a->nulls != b->nulls)
				DIFF("key %zu", i);
		}
		break;
	}
	}
	return true;
#undef DIFF
}

/* Every object of orig is in models with the same fields, and nothing more. */
static void check_round_trip(const struct sg_catalog *orig,
			     struct sg_catalog *models, const char *what)
{
	size_t same = 0, extra = 0;
	struct sbuf why = SBUF_INIT;

	for (size_t i = 0; i < orig->nobjs; i++) {
		const struct sg_object *o = orig->objs[i];
		struct sg_object *m = sg_catalog_find(models, o->kind, o->schema,
						      o->parent ? o->parent->name : NULL,
						      o->name);
		struct sbuf desc = SBUF_INIT;

		sbuf_reset(&why);
		if (m && same_object(o, m, &why)) {
			same++;
		} else {
			sg_object_describe(&desc, o);
			tap_diag("%s: %s %s", what, desc.buf, m ? why.buf : "missing");
		}
		sbuf_release(&desc);
	}
	extra = models->nobjs - same;
	is_int((long long)same, (long long)orig->nobjs, "%s: every object comes back equal",
	       what);
	is_int((long long)extra, 0, "%s: nothing more", what);
	sbuf_release(&why);
}

static void golden(const char *path, const char *got, const char *what)
{
	char *want;

	if (regen) {
		FILE *f = fopen(path, "w");

		if (f) {
			fputs(got, f);
			fclose(f);
		}
	}
	want = read_or_empty(path);
	is_str(got, want, "%s", what);
	free(want);
}

static void test_writer(void)
{
	static const char *const schemas[] = { "public", "billing", "empty one" };
	struct sg_arena *a = sg_arena_new();
	struct sg_catalog *cat = introspected(a), *back;
	struct sg_diags d;
	char *got;

	sg_diags_init(&d, a);
	back = sg_catalog_new(a, "models");
	for (size_t i = 0; i < ARRAY_SIZE(schemas); i++) {
		struct sbuf sb = SBUF_INIT;
		char *path = sg_printf(a, "fixtures/yaml/write/%s.yaml", schemas[i]);

		yaml_format_schema(&sb, cat, schemas[i]);
		golden(path, sb.buf, sg_printf(a, "writer: %s", path));
		yaml_load_text(path, sb.buf, NULL, back, &d);
		sbuf_release(&sb);
	}
	sg_catalog_check(back, &d);
	got = diags_text(&d);
	is_str(got, "", "writer output loads without diagnostics");
	free(got);
	check_round_trip(cat, back, "format + load");
	sg_arena_free(a);
}

/* The order of materialisation for views: what their queries name. */
static void test_view_deps(void)
{
	static const char *const app =
		"schema: app\n"
		"enums:\n"
		"  mood: [sad, happy]\n"
		"tables:\n"
		"  t: {columns: {a: integer, m: mood}}\n"
		"views:\n"
		"  v: SELECT a FROM t WHERE m <> 'sad'::mood\n"
		"  w:\n"
		"    query: |\n"
		"      WITH x AS (SELECT a FROM v)\n"
		"      SELECT x.a, p.b FROM x JOIN shared p ON p.b = x.a\n"
		"      WHERE EXISTS (SELECT FROM app.\"M v\")\n"
		"materialized_views:\n"
		"  M v:\n"
		"    query: SELECT nextval('app.s') AS n, count(*) FROM public.shared\n"
		"    indexes: [{name: mv_n, columns: [n]}]\n"
		"sequences:\n"
		"  s: {}\n";
	static const char *const pub =
		"tables:\n"
		"  shared: {columns: {b: integer}}\n"
		"  t: {columns: {other: integer}}\n";
	struct sg_arena *a = sg_arena_new();
	struct sg_diags d;
	struct sg_catalog *cat = sg_catalog_new(a, "models");
	struct sg_object *t, *v, *w, *mv, *shared, *mood, *seq, *ix, *pubt;
	char *got;

	sg_diags_init(&d, a);
	yaml_load_text("app.yaml", app, NULL, cat, &d);
	yaml_load_text("public.yaml", pub, NULL, cat, &d);
	sg_catalog_check(cat, &d);
	got = diags_text(&d);
	is_str(got, "", "view deps: models load");
	free(got);
	t = find(cat, SG_KIND_TABLE, "app", NULL, "t");
	pubt = find(cat, SG_KIND_TABLE, "public", NULL, "t");
	v = find(cat, SG_KIND_VIEW, "app", NULL, "v");
	w = find(cat, SG_KIND_VIEW, "app", NULL, "w");
	mv = find(cat, SG_KIND_VIEW, "app", NULL, "M v");
	shared = find(cat, SG_KIND_TABLE, "public", NULL, "shared");
	mood = find(cat, SG_KIND_ENUM, "app", NULL, "mood");
	seq = find(cat, SG_KIND_SEQUENCE, "app", NULL, "s");
	ix = find(cat, SG_KIND_INDEX, "app", "M v", "mv_n");
	if (!t || !pubt || !v || !w || !mv || !shared || !mood || !seq || !ix) {
		ok(false, "view deps: objects found");
		sg_arena_free(a);
		return;
	}
	ok(has_dep(cat, v, t), "view -> table of its own schema");
	ok(!has_dep(cat, v, pubt), "own schema first, not public");
	ok(has_dep(cat, v, mood), "view -> enum of a cast");
	ok(has_dep(cat, w, v), "view -> view (inside a WITH query)");
	ok(has_dep(cat, w, shared), "view -> table found in public");
	ok(has_dep(cat, w, mv), "view -> qualified materialized view");
	ok(has_dep(cat, mv, seq), "materialized view -> sequence of nextval");
	ok(has_dep(cat, mv, shared), "materialized view -> qualified table");
	ok(has_dep(cat, ix, mv), "index -> its materialized view");
	ok(has_dep(cat, v, find(cat, SG_KIND_SCHEMA, "app", NULL, "app")),
	   "view -> schema");
	sg_arena_free(a);
}

/*
 * Views and materialized views, written and read back: the query as a
 * literal block, options under the keys views have for them or under
 * `options`, comments of the view and its commented columns only (a
 * view's columns come from its query), a materialized view's indexes.
 */
static void test_writer_views(void)
{
	struct sg_arena *a = sg_arena_new();
	struct sg_catalog *cat = sg_catalog_new(a, "database"), *back;
	struct sg_table *t;
	struct sg_view *v, *w, *m, *bv;
	struct sg_index *ix;
	struct sg_diags d;
	struct sbuf sb = SBUF_INIT;
	char *got;

	sg_diags_init(&d, a);
	SG_NEW(cat, sg_schema, SG_KIND_SCHEMA, "reports", "reports", NULL);
	t = SG_NEW(cat, sg_table, SG_KIND_TABLE, "reports", "t", NULL);
	mkcol(cat, t, "a", "integer", false, NULL);
	v = SG_NEW(cat, sg_view, SG_KIND_VIEW, "reports", "big a", NULL);
	v->relkind = 'v';
	v->with_data = true;
	v->definition = "SELECT t.a,\n    (t.a * 2) AS \"B c\"\n   FROM reports.t\n  WHERE (t.a > 0)";
	v->reloptions = strs(a, 3, "check_option=cascaded", "security_barrier=true",
			     "security_invoker=on");
	v->nreloptions = 3;
	v->rel.obj.comment = "Big ones";
	mkcol(cat, &v->rel, "a", "integer", false, NULL);
	mkcol(cat, &v->rel, "B c", "integer", false, NULL)->obj.comment = "twice a";
	w = SG_NEW(cat, sg_view, SG_KIND_VIEW, "reports", "one", NULL);
	w->relkind = 'v';
	w->with_data = true;
	w->definition = "SELECT 1 AS one";
	mkcol(cat, &w->rel, "one", "integer", false, NULL);
	m = SG_NEW(cat, sg_view, SG_KIND_VIEW, "reports", "sums", NULL);
	m->relkind = 'm';
	m->definition = "SELECT sum(t.a) AS total\n   FROM reports.t";
	m->reloptions = strs(a, 3, "autovacuum_enabled=false", "fillfactor=70",
			     "toast.autovacuum_vacuum_scale_factor=0.2");
	m->nreloptions = 3;
	m->rel.obj.comment = "Sums";
	mkcol(cat, &m->rel, "total", "bigint", false, NULL);
	ix = SG_NEW(cat, sg_index, SG_KIND_INDEX, NULL, "sums_total_idx", &m->rel.obj);
	ix->keys = sg_alloc_array(a, 1, sizeof(*ix->keys));
	ix->nkeys = 1;
	ix->keys[0].column = "total";
	ix->unique = true;
	ix->obj.comment = "one row";
	sg_catalog_finish(cat);

	yaml_format_schema(&sb, cat, "reports");
	golden("fixtures/yaml/write/reports.yaml", sb.buf, "writer: views");
	back = sg_catalog_new(a, "models");
	yaml_load_text("fixtures/yaml/write/reports.yaml", sb.buf, NULL, back, &d);
	sbuf_release(&sb);
	sg_catalog_check(back, &d);
	got = diags_text(&d);
	is_str(got, "", "views: the output loads without diagnostics");
	free(got);
	bv = (struct sg_view *)sg_catalog_find(back, SG_KIND_VIEW, "reports", NULL, "big a");
	ok(bv && bv->relkind == 'v' && sg_streq(bv->definition, v->definition) &&
	   sg_streq(join_strs(a, bv->reloptions, bv->nreloptions),
		    "check_option=cascaded,security_barrier=true,security_invoker=on") &&
	   sg_streq(bv->rel.obj.comment, "Big ones") && bv->rel.ncolumns == 1 &&
	   sg_streq(bv->rel.columns[0]->obj.name, "B c") &&
	   sg_streq(bv->rel.columns[0]->obj.comment, "twice a"),
	   "views: a view comes back with its query, options and comments");
	bv = (struct sg_view *)sg_catalog_find(back, SG_KIND_VIEW, "reports", NULL, "one");
	ok(bv && sg_streq(bv->definition, "SELECT 1 AS one") && !bv->nreloptions &&
	   !bv->rel.ncolumns, "views: a view with only a query");
	bv = (struct sg_view *)sg_catalog_find(back, SG_KIND_VIEW, "reports", NULL, "sums");
	ok(bv && bv->relkind == 'm' && !bv->with_data &&
	   sg_streq(bv->definition, m->definition) &&
	   sg_streq(join_strs(a, bv->reloptions, bv->nreloptions),
		    "autovacuum_enabled=false,fillfactor=70,"
		    "toast.autovacuum_vacuum_scale_factor=0.2") &&
	   bv->rel.nindexes == 1 && bv->rel.indexes[0]->unique &&
	   sg_streq(bv->rel.indexes[0]->obj.comment, "one row"),
	   "views: a materialized view comes back with options, with_data and its index");
	sg_arena_free(a);
}

/*
 * Grants, row-level security and policies as introspection reports them,
 * written and read back: the golden file, and every field again.  Role
 * names that need care: a role named "PUBLIC" (not the pseudo-role), quotes,
 * spaces, non-ASCII letters, YAML words.
 */
static struct sg_grant *grant_list(struct sg_arena *a, size_t n, ...)
{
	struct sg_grant *v = sg_alloc_array(a, n + 1, sizeof(*v));
	va_list ap;

	va_start(ap, n);
	for (size_t i = 0; i < n; i++) {
		v[i].grantee = va_arg(ap, const char *);
		v[i].privs = va_arg(ap, const char *);
		v[i].grantable = va_arg(ap, const char *);
	}
	va_end(ap);
	return v;
}

static void set_acl(struct sg_object *o, struct sg_grant *g, size_t n)
{
	o->has_acl = true;
	o->grants = g;
	o->ngrants = n;
}

static void test_security_writer(void)
{
	static const char *roles_mine[] = { "PUBLIC", "sg \"ödd\" rôle", "yes" };
	static const char *roles_public[] = { SG_ROLE_PUBLIC };
	struct sg_arena *a = sg_arena_new();
	struct sg_catalog *cat = sg_catalog_new(a, "database"), *back;
	struct sg_schema *sch;
	struct sg_enum *e;
	struct sg_sequence *s;
	struct sg_table *t, *u;
	struct sg_column *c;
	struct sg_policy *p;
	struct sg_diags d;
	struct sbuf sb = SBUF_INIT;
	char *got;

	cat->server_version = 150000;
	sch = SG_NEW(cat, sg_schema, SG_KIND_SCHEMA, "sec", "sec", NULL);
	set_acl(&sch->obj, grant_list(a, 2, "public", "U", "", "reader", "UC", "C"), 2);
	e = SG_NEW(cat, sg_enum, SG_KIND_ENUM, "sec", "mood", NULL);
	e->values = (const char **)tricky;
	e->nvalues = 2;
	set_acl(&e->obj, NULL, 0);                      /* PUBLIC's USAGE revoked */
	e = SG_NEW(cat, sg_enum, SG_KIND_ENUM, "sec", "plain", NULL);
	e->values = (const char **)tricky;
	e->nvalues = 1;
	set_acl(&e->obj, grant_list(a, 1, "public", "U", ""), 1); /* the default */
	s = SG_NEW(cat, sg_sequence, SG_KIND_SEQUENCE, "sec", "seq", NULL);
	full_opts(&s->opts, "bigint", 1, 1, 1, INT64_MAX, 1, false);
	set_acl(&s->obj, grant_list(a, 1, "writer", "rwU", "rwU"), 1);

	t = SG_NEW(cat, sg_table, SG_KIND_TABLE, "sec", "docs", NULL);
	set_acl(&t->obj, grant_list(a, 4, "PUBLIC", "arwdDxt", "", "public", "r", "",
				    "sg \"ödd\" rôle", "arwdDxtm", "a", "yes", "rx", "x"), 4);
	t->rls_forced = true;
	c = SG_NEW(cat, sg_column, SG_KIND_COLUMN, NULL, "id", &t->obj);
	c->attnum = 1;
	c->type = "integer";
	set_acl(&c->obj, grant_list(a, 1, "reader", "arwx", ""), 1);
	c = SG_NEW(cat, sg_column, SG_KIND_COLUMN, NULL, "body", &t->obj);
	c->attnum = 2;
	c->type = "text";
	set_acl(&c->obj, NULL, 0);
	p = SG_NEW(cat, sg_policy, SG_KIND_POLICY, NULL, "all defaults", &t->obj);
	p->permissive = true;
	p->command = '*';
	p->roles = roles_public;
	p->nroles = 1;
	p = SG_NEW(cat, sg_policy, SG_KIND_POLICY, NULL, "mine", &t->obj);
	p->command = 'w';
	p->roles = roles_mine;
	p->nroles = ARRAY_SIZE(roles_mine);
	p->using_expr = "(id > 0)";
	p->check_expr = "((body <> ''::text) AND\n(id < 10))";
	p->obj.comment = "Mine: only";
	u = SG_NEW(cat, sg_table, SG_KIND_TABLE, "sec", "u", NULL);
	u->rls_enabled = true;
	set_acl(&u->obj, NULL, 0);
	u = SG_NEW(cat, sg_table, SG_KIND_TABLE, "sec", "v", NULL);
	u->rls_enabled = u->rls_forced = true;
	set_acl(&u->obj, grant_list(a, 1, "x", "r", "r"), 1);
	sg_catalog_finish(cat);

	yaml_format_schema(&sb, cat, "sec");
	golden("fixtures/yaml/write/sec.yaml", sb.buf, "writer: grants, RLS, policies");
	sg_diags_init(&d, a);
	back = sg_catalog_new(a, "models");
	yaml_load_text("sec.yaml", sb.buf, NULL, back, &d);
	sg_catalog_check(back, &d);
	got = diags_text(&d);
	is_str(got, "", "grants, RLS and policies load back without diagnostics");
	free(got);
	/* the schema public the loader adds has no counterpart */
	{
		size_t same = 0;

		for (size_t i = 0; i < cat->nobjs; i++) {
			const struct sg_object *o = cat->objs[i];
			struct sg_object *m = sg_catalog_find(back, o->kind, o->schema,
							      o->parent ? o->parent->name : NULL,
							      o->name);
			struct sbuf why = SBUF_INIT;

			if (m && same_object(o, m, &why))
				same++;
			else
				tap_diag("%s %s: %s", sg_kind_name(o->kind), o->name,
					 m ? why.buf : "missing");
			sbuf_release(&why);
		}
		is_int((long long)same, (long long)cat->nobjs,
		       "grants, RLS and policies: every object comes back equal");
	}
	sbuf_release(&sb);
	sg_arena_free(a);
}

/* ---- functions, procedures, triggers ---- */

/*
 * renamed_from on views, materialized views, functions and procedures: the
 * old name and where it was written; an overload keeps its own.
 */
static void test_renames(void)
{
	static const char *const text =
		"schema: app\n"
		"views:\n"
		"  v_new: {query: SELECT 1 AS x, renamed_from: v_old}\n"
		"materialized_views:\n"
		"  m_new:\n"
		"    query: SELECT 1 AS x\n"
		"    renamed_from: m_old\n"
		"functions:\n"
		"  plus:\n"
		"    - {arguments: [a int], returns: int, body: SELECT a, renamed_from: add}\n"
		"    - {arguments: [a text], returns: text, body: SELECT a}\n"
		"procedures:\n"
		"  p_new: {body: SELECT 1, renamed_from: p_old}\n";
	struct sg_arena *a = sg_arena_new();
	struct sg_diags d;
	struct sg_catalog *cat;
	struct sg_object *o;
	char *got;

	sg_diags_init(&d, a);
	cat = load_one(a, "app.yaml", text, NULL, &d);
	got = diags_text(&d);
	is_str(got, "", "renames load");
	free(got);
	o = find(cat, SG_KIND_VIEW, "app", NULL, "v_new");
	if (o) {
		is_str(o->renamed_from, "v_old", "view renamed_from");
		LOC_IS(o->renamed_loc, 3, 47, "view renamed_loc");
	}
	o = find(cat, SG_KIND_VIEW, "app", NULL, "m_new");
	if (o) {
		is_str(o->renamed_from, "m_old", "materialized view renamed_from");
		LOC_IS(o->renamed_loc, 7, 19, "materialized view renamed_loc");
	}
	o = find(cat, SG_KIND_FUNCTION, "app", NULL, "plus(integer)");
	if (o) {
		is_str(o->renamed_from, "add", "overload renamed_from");
		LOC_IS(o->renamed_loc, 10, 72, "overload renamed_loc");
	}
	o = find(cat, SG_KIND_FUNCTION, "app", NULL, "plus(text)");
	if (o)
		ok(o->renamed_from == NULL, "the other overload is not renamed");
	o = find(cat, SG_KIND_FUNCTION, "app", NULL, "p_new()");
	if (o)
		is_str(o->renamed_from, "p_old", "procedure renamed_from");
	sg_arena_free(a);
}

static void test_function_deps(void)
{
	static const char *const text =
		"schema: app\n"
		"enums:\n"
		"  mood: [sad, happy]\n"
		"functions:\n"
		"  score:\n"
		"    - arguments: [m mood, n int DEFAULT base()]\n"
		"      returns: integer\n"
		"      body: RETURN n + 1\n"
		"    - arguments: \"t text, VARIADIC xs numeric(10,2)[]\"\n"
		"      returns: SETOF t\n"
		"      body: SELECT * FROM t\n"
		"  base: {returns: int, body: SELECT 1}\n"
		"  touch:\n"
		"    returns: trigger\n"
		"    language: plpgsql\n"
		"    body: \"BEGIN RETURN NEW; END\"\n"
		"  total:\n"
		"    returns: bigint\n"
		"    body: |\n"
		"      BEGIN ATOMIC\n"
		"        SELECT count(*) FROM t WHERE score('sad'::mood) > 0;\n"
		"      END\n"
		"procedures:\n"
		"  reset: {arguments: [INOUT x int, OUT y int], body: \"SELECT 1, 2\"}\n"
		"tables:\n"
		"  t:\n"
		"    columns:\n"
		"      a: {type: integer, default: base()}\n"
		"      b: integer\n"
		"    checks:\n"
		"      - {name: t_check, expression: \"score('happy', a) > 0\"}\n"
		"    triggers:\n"
		"      t_touch:\n"
		"        timing: before\n"
		"        events: [update]\n"
		"        update_of: [b]\n"
		"        for_each: row\n"
		"        when: total() > 0\n"
		"        function: touch\n";
	struct sg_arena *a = sg_arena_new();
	struct sg_diags d;
	struct sg_catalog *cat = sg_catalog_new(a, "models");
	struct sg_object *t, *col_a, *col_b, *check, *mood, *schema, *score1, *score2,
		*base, *touch, *total, *reset, *trig;
	char *got;

	sg_diags_init(&d, a);
	yaml_load_text("app.yaml", text, NULL, cat, &d);
	sg_catalog_check(cat, &d);
	got = diags_text(&d);
	is_str(got, "", "function models load");
	free(got);
	t = find(cat, SG_KIND_TABLE, "app", NULL, "t");
	col_a = find(cat, SG_KIND_COLUMN, "app", "t", "a");
	col_b = find(cat, SG_KIND_COLUMN, "app", "t", "b");
	check = find(cat, SG_KIND_CONSTRAINT, "app", "t", "t_check");
	mood = find(cat, SG_KIND_ENUM, "app", NULL, "mood");
	schema = find(cat, SG_KIND_SCHEMA, "app", NULL, "app");
	score1 = find(cat, SG_KIND_FUNCTION, "app", NULL, "score(mood, integer)");
	score2 = find(cat, SG_KIND_FUNCTION, "app", NULL, "score(text, numeric[])");
	base = find(cat, SG_KIND_FUNCTION, "app", NULL, "base()");
	touch = find(cat, SG_KIND_FUNCTION, "app", NULL, "touch()");
	total = find(cat, SG_KIND_FUNCTION, "app", NULL, "total()");
	reset = find(cat, SG_KIND_FUNCTION, "app", NULL, "reset(integer)");
	trig = find(cat, SG_KIND_TRIGGER, "app", "t", "t_touch");
	if (!t || !col_a || !col_b || !check || !mood || !schema || !score1 ||
	    !score2 || !base || !touch || !total || !reset || !trig) {
		ok(false, "function deps: objects found (identities as format_type spells types)");
		sg_arena_free(a);
		return;
	}
	{
		const struct sg_function *f = (const struct sg_function *)score2;
		const struct sg_function *p = (const struct sg_function *)reset;

		is_str(f->arguments, "t text, VARIADIC xs numeric(10,2)[]",
		       "arguments given as one string");
		is_int((long long)f->nargs, 2, "split into two declarations");
		is_int(f->arglocs[1].col, 27, "the second one's location");
		ok(((const struct sg_function *)total)->sql_body, "BEGIN ATOMIC is a standard body");
		ok(!f->sql_body, "a string body is not");
		is_int(p->prokind, 'p', "procedure");
		is_str(p->language, "sql", "language defaults to sql");
	}
	ok(has_dep(cat, score1, schema), "function -> schema");
	ok(has_dep(cat, score1, mood), "argument type -> enum");
	ok(has_dep(cat, score1, base), "argument default -> the function it calls");
	ok(has_dep(cat, score2, t), "SETOF t -> the table's row type");
	ok(!has_dep(cat, base, t), "a string body adds no dependency");
	ok(has_dep(cat, total, t), "a standard body -> the tables it names");
	ok(has_dep(cat, total, score1) && has_dep(cat, total, score2),
	   "a standard body -> every overload of a function it calls");
	ok(has_dep(cat, col_a, base), "column default -> function");
	ok(has_dep(cat, check, score1), "check -> function");
	ok(has_dep(cat, trig, t), "trigger -> table");
	ok(has_dep(cat, trig, touch), "trigger -> its function");
	ok(has_dep(cat, trig, col_b), "trigger -> UPDATE OF column");
	ok(has_dep(cat, trig, total), "trigger -> what WHEN calls");
	sg_arena_free(a);
}

/* An introspected catalog with functions and triggers, as the dump sees it. */
static struct sg_catalog *introspected_functions(struct sg_arena *a)
{
	struct sg_catalog *cat = sg_catalog_new(a, "database");
	struct sg_function *f;
	struct sg_table *t;
	struct sg_trigger *g;

	SG_NEW(cat, sg_schema, SG_KIND_SCHEMA, "public", "public", NULL);
	SG_NEW(cat, sg_schema, SG_KIND_SCHEMA, "audit", "audit", NULL);
	f = SG_NEW(cat, sg_function, SG_KIND_FUNCTION, "public", "add(integer, integer)", NULL);
	f->proname = "add";
	f->prokind = 'f';
	f->arguments = "a integer, b integer DEFAULT 1";
	f->result = "integer";
	f->language = "sql";
	f->body = "RETURN (a + b)";
	f->sql_body = true;
	f->volatility = 'i';
	f->strict = true;
	f->parallel = 's';
	f->cost = 100;
	f->obj.comment = "Adds";
	f = SG_NEW(cat, sg_function, SG_KIND_FUNCTION, "public", "add(text, text)", NULL);
	f->proname = "add";
	f->prokind = 'f';
	f->arguments = "a text, b text";
	f->result = "text";
	f->language = "sql";
	f->body = "SELECT a || b";
	f->volatility = 'v';
	f->parallel = 'u';
	f->cost = 100;
	f = SG_NEW(cat, sg_function, SG_KIND_FUNCTION, "public", "rows_of(text[])", NULL);
	f->proname = "rows_of";
	f->prokind = 'f';
	f->arguments = "VARIADIC xs text[] DEFAULT ARRAY['a,b'::text, 'c''d'::text]";
	f->result = "TABLE(x integer, \"Y z\" text)";
	f->language = "plpgsql";
	f->body = "\nBEGIN\n  RETURN QUERY SELECT 1, 'x';\nEND\n";
	f->volatility = 's';
	f->security_definer = true;
	f->leakproof = true;
	f->cost = 5;
	f->rows = 10;
	f->config = strs(a, 2, "search_path=public, pg_temp", "work_mem=64MB");
	f->nconfig = 2;
	f = SG_NEW(cat, sg_function, SG_KIND_FUNCTION, "audit", "stamp()", NULL);
	f->proname = "stamp";
	f->prokind = 'f';
	f->arguments = "";
	f->result = "trigger";
	f->language = "plpgsql";
	f->body = "BEGIN NEW.at := now(); RETURN NEW; END";
	f->cost = 100;
	f = SG_NEW(cat, sg_function, SG_KIND_FUNCTION, "public", "reset(integer)", NULL);
	f->proname = "reset";
	f->prokind = 'p';
	f->arguments = "INOUT x integer, OUT y integer";
	f->language = "sql";
	f->body = "BEGIN ATOMIC\n SELECT 1, 2;\nEND";
	f->sql_body = true;
	f->cost = 100;

	t = SG_NEW(cat, sg_table, SG_KIND_TABLE, "public", "t", NULL);
	mkcol(cat, t, "a", "integer", false, NULL);
	mkcol(cat, t, "at", "timestamp with time zone", false, NULL);
	g = SG_NEW(cat, sg_trigger, SG_KIND_TRIGGER, NULL, "t_stamp", &t->obj);
	g->timing = "BEFORE";
	g->events = strs(a, 2, "INSERT", "UPDATE");
	g->nevents = 2;
	g->update_columns = strs(a, 1, "a");
	g->nupdate_columns = 1;
	g->for_each_row = true;
	g->when = "(new.a IS DISTINCT FROM old.a)";
	g->function_schema = "audit";
	g->function_name = "stamp";
	g->arguments = strs(a, 2, "x", "it's");
	g->narguments = 2;
	g->enabled = 'D';
	g->obj.comment = "Stamps";
	g = SG_NEW(cat, sg_trigger, SG_KIND_TRIGGER, NULL, "t_check", &t->obj);
	g->timing = "AFTER";
	g->events = strs(a, 1, "INSERT");
	g->nevents = 1;
	g->for_each_row = true;
	g->constraint = g->deferrable = g->deferred = true;
	g->function_schema = "pg_catalog";
	g->function_name = "suppress_redundant_updates_trigger";
	g->enabled = 'O';
	g = SG_NEW(cat, sg_trigger, SG_KIND_TRIGGER, NULL, "t_log", &t->obj);
	g->timing = "AFTER";
	g->events = strs(a, 1, "DELETE");
	g->nevents = 1;
	g->old_table = "gone";
	g->function_schema = "audit";
	g->function_name = "stamp";
	g->enabled = 'A';
	sg_catalog_finish(cat);
	return cat;
}

static bool same_function(const struct sg_object *o, const struct sg_object *m,
			  struct sbuf *why)
{
#define DIFF(...) do { sbuf_addf(why, __VA_ARGS__); return false; } while (0)
	if (!sg_streq(o->comment, m->comment))
		DIFF("comment");
	if (o->kind == SG_KIND_FUNCTION) {
		const struct sg_function *x = (const void *)o, *y = (const void *)m;

		if (x->prokind != y->prokind || !sg_streq(x->proname, y->proname))
			DIFF("kind or name");
		if (!sg_streq(x->arguments && *x->arguments ? x->arguments : NULL, y->arguments))
			DIFF("arguments %s / %s", x->arguments, y->arguments);
		if (!sg_streq(x->result, y->result))
			DIFF("result");
		if (!sg_streq(x->language, y->language) || !sg_streq(x->body, y->body) ||
		    x->sql_body != y->sql_body)
			DIFF("body");
		if ((x->volatility == 'v' ? 0 : x->volatility) != y->volatility ||
		    x->strict != y->strict || x->security_definer != y->security_definer ||
		    x->leakproof != y->leakproof ||
		    (x->parallel == 'u' ? 0 : x->parallel) != y->parallel)
			DIFF("options");
		if ((x->cost == 100 ? 0 : x->cost) != y->cost || x->rows != y->rows)
			DIFF("cost or rows");
		if (!same_names(x->config, x->nconfig, y->config, y->nconfig))
			DIFF("set");
	} else if (o->kind == SG_KIND_TRIGGER) {
		const struct sg_trigger *x = (const void *)o, *y = (const void *)m;

		if (!sg_streq(x->timing, y->timing) ||
		    !same_names(x->events, x->nevents, y->events, y->nevents) ||
		    !same_names(x->update_columns, x->nupdate_columns, y->update_columns,
				y->nupdate_columns) ||
		    x->for_each_row != y->for_each_row || !sg_streq(x->when, y->when))
			DIFF("timing, events or when");
		if (!sg_streq(x->function_name, y->function_name) ||
		    !sg_streq(strcmp(x->function_schema, "pg_catalog") == 0 ||
			      strcmp(x->function_schema, x->obj.schema) == 0
			      ? NULL : x->function_schema, y->function_schema))
			DIFF("function");
		if (!same_names(x->arguments, x->narguments, y->arguments, y->narguments))
			DIFF("arguments");
		if (x->constraint != y->constraint || x->deferrable != y->deferrable ||
		    x->deferred != y->deferred || !sg_streq(x->old_table, y->old_table) ||
		    !sg_streq(x->new_table, y->new_table))
			DIFF("flags");
		if ((x->enabled == 'O' ? 0 : x->enabled) != y->enabled)
			DIFF("enabled %c %c", x->enabled, y->enabled);
	}
	return true;
#undef DIFF
}

static void test_writer_functions(void)
{
	struct sg_arena *a = sg_arena_new();
	struct sg_catalog *cat = introspected_functions(a), *back;
	struct sg_diags d;
	struct sbuf why = SBUF_INIT;
	size_t same = 0, want = 0;
	char *got;

	sg_diags_init(&d, a);
	back = sg_catalog_new(a, "models");
	for (int i = 0; i < 2; i++) {
		const char *schema = i ? "audit" : "public";
		struct sbuf sb = SBUF_INIT;
		char *path = sg_printf(a, "fixtures/yaml/write/functions-%s.yaml", schema);

		yaml_format_schema(&sb, cat, schema);
		golden(path, sb.buf, sg_printf(a, "writer: %s", path));
		yaml_load_text(path, sb.buf, NULL, back, &d);
		sbuf_release(&sb);
	}
	sg_catalog_check(back, &d);
	got = diags_text(&d);
	is_str(got, "", "functions: writer output loads without diagnostics");
	free(got);
	for (size_t i = 0; i < cat->nobjs; i++) {
		const struct sg_object *o = cat->objs[i];
		struct sg_object *m;

		if (o->kind != SG_KIND_FUNCTION && o->kind != SG_KIND_TRIGGER)
			continue;
		want++;
		m = sg_catalog_find(back, o->kind, o->schema,
				    o->parent ? o->parent->name : NULL, o->name);
		sbuf_reset(&why);
		if (m && same_function(o, m, &why))
			same++;
		else
			tap_diag("functions round trip: %s %s", o->name, m ? why.buf : "missing");
	}
	is_int((long long)same, (long long)want,
	       "functions and triggers come back equal, with the same identities");
	sbuf_release(&why);
	sg_arena_free(a);
}

/* ---- yaml_write_models and yaml_load_models on a directory ---- */

static char *make_tmpdir(void)
{
	const char *base = getenv("TMPDIR");
	char *t = sg_path_join(base ? base : "/tmp", "t-yaml-XXXXXX");

	if (!mkdtemp(t)) {
		free(t);
		return NULL;
	}
	return t;
}

static void rm_rf(const char *dir)
{
	DIR *dh = opendir(dir);
	struct dirent *de;

	if (!dh)
		return;
	while ((de = readdir(dh))) {
		char *p;
		struct stat st;

		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		p = sg_path_join(dir, de->d_name);
		if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode))
			rm_rf(p);
		else
			unlink(p);
		free(p);
	}
	closedir(dh);
	rmdir(dir);
}

static bool exists(const char *dir, const char *name)
{
	char *p = sg_path_join(dir, name);
	struct stat st;
	bool r = stat(p, &st) == 0;

	free(p);
	return r;
}

static void test_write_models(void)
{
	struct sg_arena *a = sg_arena_new();
	struct sg_catalog *cat = introspected(a), *back, *small;
	struct sg_diags d;
	char *tmp = make_tmpdir(), *dir, *got, *before, *after, *pub;

	if (!tmp) {
		ok(false, "mkdtemp: %s", strerror(errno));
		sg_arena_free(a);
		return;
	}
	dir = sg_path_join(tmp, "schema/sub");
	is_int(yaml_write_models(cat, dir, false), 0, "write_models into a new directory");
	ok(exists(dir, "public.yaml") && exists(dir, "billing.yaml") &&
	   exists(dir, "empty one.yaml"), "one file per schema, empty schemas too");
	pub = sg_path_join(dir, "public.yaml");
	before = read_or_empty(pub);
	fprintf(stderr, "# expected error below:\n");
	is_int(yaml_write_models(cat, dir, false), -1, "existing files: refused");
	after = read_or_empty(pub);
	is_str(after, before, "nothing overwritten");
	free(after);
	is_int(yaml_write_models(cat, dir, true), 0, "force overwrites");

	sg_diags_init(&d, a);
	back = sg_catalog_new(a, "models");
	is_int(yaml_load_models(dir, NULL, back, &d), 0, "load the written directory");
	got = diags_text(&d);
	is_str(got, "", "no diagnostics");
	free(got);
	check_round_trip(cat, back, "write + load_models");

	/* public is written only when it has something */
	small = sg_catalog_new(a, "database");
	SG_NEW(small, sg_schema, SG_KIND_SCHEMA, "public", "public", NULL);
	SG_NEW(small, sg_schema, SG_KIND_SCHEMA, ".hidden/x%", ".hidden/x%", NULL);
	sg_catalog_finish(small);
	free(dir);
	dir = sg_path_join(tmp, "small");
	is_int(yaml_write_models(small, dir, false), 0, "write a catalog with an empty public");
	ok(!exists(dir, "public.yaml"), "empty public without comment: no file");
	ok(exists(dir, "%2Ehidden%2Fx%25.yaml"), "awkward schema name: escaped file name");
	sg_diags_init(&d, a);
	back = sg_catalog_new(a, "models");
	yaml_load_models(dir, NULL, back, &d);
	ok(sg_catalog_find(back, SG_KIND_SCHEMA, ".hidden/x%", NULL, ".hidden/x%") != NULL,
	   "the empty schema survives the round trip");

	/* a missing directory is an empty model */
	sg_diags_init(&d, a);
	back = sg_catalog_new(a, "models");
	free(dir);
	dir = sg_path_join(tmp, "missing");
	is_int(yaml_load_models(dir, NULL, back, &d), 0, "missing directory: no error");
	is_int((long long)back->nobjs, 1, "missing directory: just public");

	free(before);
	free(pub);
	free(dir);
	rm_rf(tmp);
	free(tmp);
	sg_arena_free(a);
}

/* ---- quoting: any string survives format + load ---- */

/* Prints text as TAP comment lines. */
static void diag_lines(const char *text)
{
	const char *p = text;

	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);

		tap_diag("  %.*s", (int)n, p);
		p += n + (nl != NULL);
	}
}

/* A name shown in a TAP line: escaped, so the line stays one line. */
static const char *yq_test(struct sg_arena *a, const char *s)
{
	struct sbuf sb = SBUF_INIT;
	const char *r;

	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 || *p == 0x7F)
			sbuf_addf(&sb, "\\x%02X", *p);
		else
			sbuf_addch(&sb, (char)*p);
	r = sbuf_to_arena(&sb, a);
	sbuf_release(&sb);
	return r;
}

static uint64_t rng_state = 0x9E3779B97F4A7C15ULL;

static uint32_t rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (uint32_t)(rng_state >> 11);
}

/* A random valid UTF-8 string, biased towards YAML's special characters. */
static char *random_text(struct sg_arena *a, size_t maxlen, bool newlines)
{
	static const char pool[] = " -?:,[]{}#&*!|>'\"%@`~\\.\t\r0123456789aAyYnN";
	struct sbuf sb = SBUF_INIT;
	size_t len = rnd() % (maxlen + 1);
	char *r;

	for (size_t i = 0; sb.len < len; i++) {
		uint32_t k = rnd() % 10, c;

		if (k < 5) {
			sbuf_addch(&sb, pool[rnd() % (sizeof(pool) - 1)]);
			continue;
		}
		if (k == 5 && newlines) {
			sbuf_addch(&sb, '\n');
			continue;
		}
		switch (rnd() % 4) {
		case 0: c = 1 + rnd() % 0x7F; break;
		case 1: c = 0x80 + rnd() % 0x780; break;
		case 2: c = 0x800 + rnd() % 0xF800; break;
		default: c = 0x10000 + rnd() % 0x100000; break;
		}
		if ((c >= 0xD800 && c <= 0xDFFF) || (!newlines && (c == '\n' || c == '\r')))
			c = 'x';
		if (c < 0x80) {
			sbuf_addch(&sb, (char)c);
		} else if (c < 0x800) {
			sbuf_addch(&sb, (char)(0xC0 | (c >> 6)));
			sbuf_addch(&sb, (char)(0x80 | (c & 0x3F)));
		} else if (c < 0x10000) {
			sbuf_addch(&sb, (char)(0xE0 | (c >> 12)));
			sbuf_addch(&sb, (char)(0x80 | ((c >> 6) & 0x3F)));
			sbuf_addch(&sb, (char)(0x80 | (c & 0x3F)));
		} else {
			sbuf_addch(&sb, (char)(0xF0 | (c >> 18)));
			sbuf_addch(&sb, (char)(0x80 | ((c >> 12) & 0x3F)));
			sbuf_addch(&sb, (char)(0x80 | ((c >> 6) & 0x3F)));
			sbuf_addch(&sb, (char)(0x80 | (c & 0x3F)));
		}
	}
	r = sbuf_to_arena(&sb, a);
	sbuf_release(&sb);
	return r;
}

/* A random name: at most 63 bytes, not empty, no NUL. */
static char *random_name(struct sg_arena *a)
{
	for (;;) {
		char *s = random_text(a, 20, rnd() % 8 == 0);

		if (*s && strlen(s) <= 63)
			return s;
	}
}

static void test_quoting(void)
{
	size_t rounds = getenv("SG_ROUNDS") ? strtoul(getenv("SG_ROUNDS"), NULL, 10) : 300;
	size_t failures = 0;

	for (size_t r = 0; r < rounds; r++) {
		struct sg_arena *a = sg_arena_new();
		struct sg_catalog *cat = sg_catalog_new(a, "database"), *back;
		struct sg_schema *sch;
		struct sg_enum *e;
		struct sg_table *t;
		struct sg_column *c;
		struct sg_diags d;
		struct sbuf sb = SBUF_INIT;
		const char *schema = random_name(a);
		const char **vals = sg_alloc_array(a, 8, sizeof(*vals));

		sch = SG_NEW(cat, sg_schema, SG_KIND_SCHEMA, schema, schema, NULL);
		sch->obj.comment = random_text(a, 40, true);
		if (!*sch->obj.comment)
			sch->obj.comment = NULL;
		e = SG_NEW(cat, sg_enum, SG_KIND_ENUM, schema, random_name(a), NULL);
		for (size_t i = 0; i < 8; i++) {
			vals[i] = random_name(a);
			for (size_t j = 0; j < i; j++)
				if (strcmp(vals[i], vals[j]) == 0)
					vals[i] = sg_printf(a, "%s%zu", vals[i], i);
		}
		e->values = vals;
		e->nvalues = 8;
		e->obj.comment = rnd() % 2 ? random_text(a, 60, true) : NULL;
		if (e->obj.comment && !*e->obj.comment)
			e->obj.comment = NULL;
		t = SG_NEW(cat, sg_table, SG_KIND_TABLE, schema, random_name(a), NULL);
		if (strcmp(t->obj.name, e->obj.name) == 0)
			t->obj.name = sg_printf(a, "t%s", e->obj.name);
		for (int i = 0; i < 3; i++) {
			c = SG_NEW(cat, sg_column, SG_KIND_COLUMN, NULL,
				   sg_printf(a, "%s%d", random_name(a), i), &t->obj);
			c->attnum = i + 1;
			c->type = "text";
			c->obj.comment = rnd() % 2 ? random_text(a, 80, true) : NULL;
			if (c->obj.comment && !*c->obj.comment)
				c->obj.comment = NULL;
			if (strlen(c->obj.name) > 63)
				c->obj.name = sg_printf(a, "c%d", i);
		}
		sg_catalog_finish(cat);
		yaml_format_schema(&sb, cat, schema);
		if (getenv("SG_DUMP_DIR")) {
			/* for cross-checks with other YAML readers */
			FILE *f = fopen(sg_printf(a, "%s/q-%zu.yaml",
						  getenv("SG_DUMP_DIR"), r), "w");

			if (f) {
				fputs(sb.buf, f);
				fclose(f);
			}
		}
		sg_diags_init(&d, a);
		back = sg_catalog_new(a, "models");
		yaml_load_text("random.yaml", sb.buf, NULL, back, &d);
		sg_catalog_check(back, &d);
		if (d.nerrors == 0) {
			size_t same = 0;

			for (size_t i = 0; i < cat->nobjs; i++) {
				const struct sg_object *o = cat->objs[i];
				struct sg_object *m = sg_catalog_find(
					back, o->kind, o->schema,
					o->parent ? o->parent->name : NULL, o->name);
				struct sbuf why = SBUF_INIT;

				if (m && same_object(o, m, &why))
					same++;
				else if (failures < 3)
					tap_diag("round %zu: %s %s: %s", r,
						 sg_kind_name(o->kind), yq_test(a, o->name),
						 m ? why.buf : "missing");
				sbuf_release(&why);
			}
			if (same != cat->nobjs)
				d.nerrors = 1;
		}
		if (d.nerrors) {
			char *got = diags_text(&d);

			if (failures++ < 3) {
				tap_diag("round %zu did not survive:", r);
				diag_lines(sb.buf);
				diag_lines(got);
			}
			free(got);
		}
		sbuf_release(&sb);
		sg_arena_free(a);
	}
	is_int((long long)failures, 0, "%zu random catalogs survive format + load",
	       rounds);
}

/* ---- schemagen.yaml ---- */

static int write_text(const char *dir, const char *name, const char *text)
{
	char *p = sg_path_join(dir, name);
	FILE *f = fopen(p, "w");

	free(p);
	if (!f)
		return -1;
	fputs(text, f);
	return fclose(f);
}

/* text with every @ replaced by path */
static const char *at_path(struct sg_arena *a, const char *text, const char *path)
{
	struct sbuf sb = SBUF_INIT;
	const char *r;

	for (const char *p = text; *p; p++)
		if (*p == '@')
			sbuf_adds(&sb, path);
		else
			sbuf_addch(&sb, *p);
	r = sbuf_to_arena(&sb, a);
	sbuf_release(&sb);
	return r;
}

static void test_config(void)
{
	struct sg_arena *a = sg_arena_new();
	struct sg_config cfg;
	struct sg_diags d;
	char *tmp = make_tmpdir(), *path, *got;

	if (!tmp) {
		ok(false, "mkdtemp");
		sg_arena_free(a);
		return;
	}
	sg_config_defaults(&cfg);
	ok(cfg.path == NULL && strcmp(cfg.root, ".") == 0, "defaults: no file, root .");
	is_str(cfg.schema_dir, "schema", "default schema_dir");
	is_str(cfg.migrations_dir, "migrations", "default migrations_dir");
	is_str(cfg.version_schema, "public", "default version_schema");
	is_str(cfg.version_table, "schemagen_version", "default version_table");
	is_str(cfg.history_table, "schemagen_history", "default history_table");
	ok(cfg.database_url == NULL && cfg.dev_url == NULL && cfg.nschemas == 0,
	   "no urls, all schemas");

	setenv("SG_TEST_DB", "postgres://u@h/db", 1);
	setenv("SG_TEST_SCHEMA", "billing", 1);
	setenv("SG_TEST_EMPTY", "", 1);
	unsetenv("SG_TEST_UNSET");
	write_text(tmp, "schemagen.yaml",
		   "database_url: ${SG_TEST_DB}?sslmode=disable\n"
		   "dev_url: ${SG_TEST_UNSET:-}\n"
		   "schema_dir: ${SG_TEST_UNSET-mod}${SG_TEST_EMPTY:-els}${SG_TEST_EMPTY-x}\n"
		   "migrations_dir: /abs/migrations\n"
		   "schemas: [public, \"${SG_TEST_SCHEMA}\", \"${SG_TEST_UNSET:-audit}\"]\n"
		   "version_schema: ops\n"
		   "version_table: versions\n"
		   "history_table: cost$$history\n");
	path = sg_path_join(tmp, "schemagen.yaml");
	sg_diags_init(&d, a);
	sg_config_defaults(&cfg);
	is_int(yaml_load_config(a, path, &cfg, &d), 0, "config loads");
	is_str(cfg.path, path, "path");
	is_str(cfg.root, tmp, "root is the config's folder");
	is_str(cfg.database_url, "postgres://u@h/db?sslmode=disable", "${VAR} expanded");
	ok(cfg.dev_url == NULL, "${UNSET:-}: an empty URL is not given");
	is_str(cfg.schema_dir, sg_printf(a, "%s/models", tmp),
	       "${VAR-d} and ${VAR:-d} as sh reads them; resolved against the config's folder");
	is_str(cfg.migrations_dir, "/abs/migrations", "absolute path kept");
	is_int((long long)cfg.nschemas, 3, "schemas expanded");
	if (cfg.nschemas == 3) {
		is_str(cfg.schemas[0], "public", "schemas[0]");
		is_str(cfg.schemas[1], "billing", "schemas[1] from the environment");
		is_str(cfg.schemas[2], "audit", "schemas[2] the default");
	}
	is_str(cfg.version_schema, "ops", "version_schema");
	is_str(cfg.version_table, "versions", "version_table");
	is_str(cfg.history_table, "cost$history", "$$ is a literal $");
	free(path);

	/* defaults resolved against the config's folder too */
	write_text(tmp, "empty.yaml", "# nothing\n");
	path = sg_path_join(tmp, "empty.yaml");
	sg_config_defaults(&cfg);
	sg_diags_init(&d, a);
	is_int(yaml_load_config(a, path, &cfg, &d), 0, "empty config");
	is_str(cfg.schema_dir, sg_printf(a, "%s/schema", tmp), "default schema_dir resolved");
	free(path);

	write_text(tmp, "bad.yaml",
		   "database_url: x\n"
		   "databse_url: y\n"
		   "schemas: public\n"
		   "version_table: \"\"\n"
		   "dev_url: ${BAD NAME}\n"
		   "schema_dir: ${SG_TEST_DB\n"
		   "history_table: [a]\n"
		   "migrations_dir: \"\"\n");
	path = sg_path_join(tmp, "bad.yaml");
	sg_config_defaults(&cfg);
	sg_diags_init(&d, a);
	is_int(yaml_load_config(a, path, &cfg, &d), -1, "bad config: -1");
	got = diags_text(&d);
	is_str(got, at_path(a,
		"@:2:1: error: unknown key \"databse_url\" in schemagen.yaml\n"
		"  hint: did you mean \"database_url\"?\n"
		"@:3:10: error: expected a list of schema names, found \"public\"\n"
		"  hint: write [public]\n"
		"@:4:16: error: \"version_table\" is empty\n"
		"@:5:10: error: invalid environment variable name \"BAD NAME\"\n"
		"@:6:13: error: unterminated ${ in value\n"
		"  hint: write ${NAME}, or $$ for a literal $\n"
		"@:7:16: error: expected a string for \"history_table\", found a list\n"
		"@:8:17: error: \"migrations_dir\" is empty\n", path),
	       "bad config: diagnostics");
	free(got);
	free(path);

	/* a variable that is not set is an error, never "not given" */
	write_text(tmp, "unset.yaml",
		   "database_url: ${DATABSE_URL}\n"
		   "dev_url: \"postgres://u@${SG_TEST_UNSET}/db\"\n"
		   "schemas: [public, \"${SG_TEST_UNSET}\"]\n"
		   "lock_timeout: ${SG_TEST_EMPTY:-5s}\n"
		   "schema_dir: ${SG_TEST_EMPTY-}x\n"
		   "migrations_dir: ${SG_TEST_UNSET:x}\n");
	unsetenv("DATABSE_URL");
	path = sg_path_join(tmp, "unset.yaml");
	sg_config_defaults(&cfg);
	sg_diags_init(&d, a);
	is_int(yaml_load_config(a, path, &cfg, &d), -1, "unset variables: -1");
	got = diags_text(&d);
	is_str(got, at_path(a,
		"@:3:20: error: environment variable SG_TEST_UNSET is not set\n"
		"  hint: set it, or write ${SG_TEST_UNSET:-default} for a fallback (${SG_TEST_UNSET:-} for none)\n"
		"@:6:17: error: invalid environment variable name \"SG_TEST_UNSET:x\"\n", path),
	       "unset variables: errors at the reference, with the fallback syntax");
	/* in a URL it waits until the URL is used (--url may come first) */
	ok(!cfg.database_url && cfg.database_url_unset &&
	   cfg.database_url_unset->loc.line == 1 && cfg.database_url_unset->loc.col == 15 &&
	   strcmp(cfg.database_url_unset->msg,
		  "environment variable DATABSE_URL is not set") == 0 &&
	   strcmp(cfg.database_url_unset->hint,
		  "set it, or write ${DATABSE_URL:-default} for a fallback "
		  "(${DATABSE_URL:-} for none)") == 0,
	   "unset variable in database_url: kept for when it is used, at 1:15");
	ok(!cfg.dev_url && cfg.dev_url_unset && cfg.dev_url_unset->loc.line == 2 &&
	   cfg.dev_url_unset->loc.col == 24,
	   "unset variable in dev_url: kept for when it is used, at 2:24");
	is_str(cfg.lock_timeout, "5s", "${EMPTY:-d}: the default");
	is_str(cfg.schema_dir, sg_printf(a, "%s/x", tmp), "${EMPTY-}: the empty value");
	free(got);
	free(path);

	path = sg_path_join(tmp, "nope.yaml");
	sg_diags_init(&d, a);
	is_int(yaml_load_config(a, path, &cfg, &d), -1, "missing config file: -1");
	got = diags_text(&d);
	is_str(got, sg_printf(a, "%s: error: cannot read file: No such file or directory\n",
			      path), "missing config file: diagnostic");
	free(got);
	free(path);

	/* a relative config path: root "." keeps paths relative */
	write_text(tmp, "rel.yaml", "schema_dir: s\n");
	{
		char cwd[4096];

		if (getcwd(cwd, sizeof(cwd)) && chdir(tmp) == 0) {
			sg_config_defaults(&cfg);
			sg_diags_init(&d, a);
			yaml_load_config(a, "rel.yaml", &cfg, &d);
			is_str(cfg.root, ".", "relative config: root .");
			is_str(cfg.schema_dir, "s", "relative config: schema_dir as written");
			if (chdir(cwd) != 0)
				ok(false, "chdir back");
		}
	}
	rm_rf(tmp);
	free(tmp);
	sg_arena_free(a);
}

/* ---- robustness: odd input never crashes ---- */

static void load_quiet(const char *text, size_t len)
{
	struct sg_arena *a = sg_arena_new();
	struct sg_diags d;
	struct sg_catalog *cat = sg_catalog_new(a, "models");
	char *copy = xmalloc(len + 1);

	memcpy(copy, text, len);
	copy[len] = '\0';
	sg_diags_init(&d, a);
	yaml_load_text("fuzz.yaml", copy, NULL, cat, &d);
	sg_catalog_check(cat, &d);
	free(copy);
	sg_arena_free(a);
}

static void test_fuzz(void)
{
	char *text = sg_read_file("fixtures/yaml/good/shop.yaml", NULL);
	size_t len = text ? strlen(text) : 0;
	struct sbuf sb = SBUF_INIT;
	struct sg_arena *a;
	struct sg_diags d;
	struct sg_catalog *cat;
	size_t step = getenv("SG_VALGRIND") ? 61 : 7;

	for (size_t n = 0; n < len; n += step)
		load_quiet(text, n);
	ok(true, "every %zu-byte prefix of shop.yaml loads without crashing", step);

	for (int r = 0; r < (getenv("SG_VALGRIND") ? 30 : 300); r++) {
		char *m = xstrdup(text);

		for (int k = 0; k < 1 + (int)(rnd() % 8); k++) {
			size_t at = rnd() % len;

			switch (rnd() % 3) {
			case 0: m[at] = (char)(rnd() % 256); break;
			case 1: m[at] = "{}[]:,-|>'\"&*!#\n \t"[rnd() % 18]; break;
			default: memmove(m + at, m + at + 1, len - at); break;
			}
		}
		load_quiet(m, strlen(m));
		free(m);
	}
	ok(true, "mutated files load without crashing");

	for (int r = 0; r < 50; r++) {
		char junk[512];

		for (size_t i = 0; i < sizeof(junk); i++)
			junk[i] = (char)(1 + rnd() % 255);
		load_quiet(junk, sizeof(junk));
	}
	ok(true, "binary junk loads without crashing");

	/* deep nesting: flow, block, and as a table definition */
	for (int i = 0; i < 100000; i++)
		sbuf_adds(&sb, "[");
	a = sg_arena_new();
	sg_diags_init(&d, a);
	load_one(a, "deep.yaml", sb.buf, NULL, &d);
	{
		char *got = diags_text(&d);

		is_str(got, "deep.yaml:1:1001: error: collections nested more than "
		       "1000 levels deep are not supported\n",
		       "100000 nested lists: refused at once");
		free(got);
	}
	sg_arena_free(a);
	/* block style has the same limit: a million "- " levels on one line,
	 * a mapping indented one more space per line, block then flow */
	{
		static const struct { int n; const char *what, *want; } deep[] = {
			{ 1000000, "a million nested block lists",
			  "deep.yaml:1:2001: error: collections nested more than 1000 levels deep are not supported\n" },
			{ 1000, "1001 nested block mappings",
			  "deep.yaml:1001:1001: error: collections nested more than 1000 levels deep are not supported\n" },
			{ 999, "1000 nested block mappings and a flow list",
			  "deep.yaml:1000:1003: error: collections nested more than 1000 levels deep are not supported\n" },
			{ 998, "999 nested block mappings and a flow list",
			  "deep.yaml:1:1: error: unknown key \"k\" at the top level\n" },
		};

		for (size_t k = 0; k < ARRAY_SIZE(deep); k++) {
			char *got;

			sbuf_reset(&sb);
			for (int i = 0; i < deep[k].n; i++) {
				if (k == 0)
					sbuf_adds(&sb, "- ");
				else
					sbuf_addf(&sb, "%*sk:\n", i, "");
			}
			if (k == 0)
				sbuf_adds(&sb, "x\n");
			else if (k >= 2)
				sbuf_addf(&sb, "%*sk: [1]\n", deep[k].n, "");
			else
				sbuf_addf(&sb, "%*sk: 1\n", deep[k].n, "");
			a = sg_arena_new();
			sg_diags_init(&d, a);
			load_one(a, "deep.yaml", sb.buf, NULL, &d);
			got = diags_text(&d);
			if (k < 3)
				is_str(got, deep[k].want, "%s: refused", deep[k].what);
			else
				ok(strncmp(got, deep[k].want, strlen(deep[k].want)) == 0,
				   "%s: parsed (the model's own error follows)", deep[k].what);
			free(got);
			sg_arena_free(a);
		}
	}
	sbuf_reset(&sb);
	for (int i = 0; i < 900; i++)
		sbuf_adds(&sb, "{a: [");
	load_quiet(sb.buf, sb.len);
	sbuf_reset(&sb);
	sbuf_adds(&sb, "tables:\n  t:\n    columns: ");
	for (int i = 0; i < 20000; i++)
		sbuf_adds(&sb, "{a: ");
	load_quiet(sb.buf, sb.len);
	sbuf_reset(&sb);
	for (int i = 0; i < 3000; i++)
		sbuf_addf(&sb, "%*sk:\n", i, "");
	load_quiet(sb.buf, sb.len);
	ok(true, "deep nesting loads without crashing");

	/* a huge scalar: kept whole */
	sbuf_reset(&sb);
	sbuf_adds(&sb, "tables:\n  t:\n    comment: ");
	for (int i = 0; i < 1000000; i++)
		sbuf_adds(&sb, "abcdefghij");
	sbuf_adds(&sb, "\n    columns: {a: text}\n");
	a = sg_arena_new();
	sg_diags_init(&d, a);
	cat = load_one(a, "huge.yaml", sb.buf, NULL, &d);
	{
		struct sg_table *t = sg_catalog_table(cat, "public", "t");

		ok(d.nerrors == 0 && t && strlen(t->obj.comment) == 10000000,
		   "a 10 MB comment is kept whole");
	}
	sg_arena_free(a);

	/* billion laughs: aliases are refused, not expanded */
	sbuf_reset(&sb);
	sbuf_adds(&sb, "a: &a [x, x, x, x, x, x, x, x, x]\n");
	for (char c = 'b'; c <= 'z'; c++)
		sbuf_addf(&sb, "%c: &%c [*%c, *%c, *%c, *%c, *%c, *%c, *%c, *%c, *%c]\n",
			  c, c, c - 1, c - 1, c - 1, c - 1, c - 1, c - 1, c - 1, c - 1,
			  c - 1);
	sbuf_adds(&sb, "tables: *z\n");
	a = sg_arena_new();
	sg_diags_init(&d, a);
	load_one(a, "laughs.yaml", sb.buf, NULL, &d);
	ok(d.nerrors > 0, "billion laughs: refused (%d errors)", d.nerrors);
	sg_arena_free(a);

	sbuf_release(&sb);
	free(text);
}

/* ---- every field that becomes SQL, fed injection payloads ---- */

static const struct {
	const char *label, *text;
} payloads[] = {
	{ "comment opener", "=/*" },
	{ "comment closer and statements", "1 */ IS NULL); DROP TABLE t; --" },
	{ "second statement", "1; DROP TABLE t" },
	{ "trailing line comment", "1 -- one" },
	{ "dollar quote", "$$" },
	{ "unbalanced quote", "a'b" },
	{ "COPY TO PROGRAM", "1); COPY (SELECT 1) TO PROGRAM 'touch /tmp/sg-pwned'; --" },
	{ "newline and a statement", "1\nDROP TABLE t" },
};

/* The model with @ replaced by the payload as a double-quoted YAML string;
 * *line and *col: where the opening quote is. */
static char *with_payload(const char *model, const char *payload, int *line, int *col)
{
	struct sbuf sb = SBUF_INIT;
	const char *at = strchr(model, '@');

	*line = 1;
	*col = 1;
	for (const char *p = model; p < at; p++) {
		(*col)++;
		if (*p == '\n') {
			(*line)++;
			*col = 1;
		}
	}
	sbuf_add(&sb, model, (size_t)(at - model));
	sbuf_addch(&sb, '"');
	for (const char *p = payload; *p; p++) {
		if (*p == '"' || *p == '\\')
			sbuf_addch(&sb, '\\');
		if (*p == '\n')
			sbuf_adds(&sb, "\\n");
		else
			sbuf_addch(&sb, *p);
	}
	sbuf_addch(&sb, '"');
	sbuf_adds(&sb, at + 1);
	return sbuf_detach(&sb, NULL);
}

static const char *const safe_names[] = {
	[SG_SAFE_IDENT] = "identifier", [SG_SAFE_QUALIFIED] = "qualified name",
	[SG_SAFE_LITERAL] = "literal", [SG_SAFE_WORD] = "keyword",
	[SG_SAFE_FRAGMENT] = "fragment",
	[SG_SAFE_OPERATOR_NAME] = "operator name",
};

/*
 * Each field loads with its good value; each payload is either refused
 * with an error at the value (or at the mapping that holds it, on its
 * line), or accepted only where it is quoted (a name
 * or a literal) or where it is, by itself, exactly one fragment of the
 * field's kind.  What each gives is in fixtures/yaml/injection.err.
 */
static void test_sqlfields(void)
{
	struct sg_arena *A0 = sg_arena_new();
	const char *errpath = "fixtures/yaml/injection.err";
	struct sbuf report = SBUF_INIT;
	struct sg_config cfg;
	char *want;
	int bad_good = 0, bad_loc = 0, bad_accept = 0;

	sg_config_defaults(&cfg);
	ok(sg_nsqlfields > 80, "the list of SQL fields has %zu rows", sg_nsqlfields);
	{
		const char *root = getenv("SG_SOURCE_ROOT");
		char *doc = sg_read_file(sg_printf(A0, "%s/docs/models.md", root ? root : ".."), NULL);
		int missing = 0;

		for (size_t i = 0; doc && i < sg_nsqlfields; i++)
			if (!strstr(doc, sg_printf(A0, "| `%s` |", sg_sqlfields[i].path))) {
				tap_diag("docs/models.md does not list %s", sg_sqlfields[i].path);
				missing++;
			}
		ok(doc && missing == 0, "docs/models.md lists every field of the list");
		free(doc);
	}
	for (size_t i = 0; i < sg_nsqlfields; i++) {
		const struct sg_sqlfield *f = &sg_sqlfields[i];
		struct sg_arena *a = sg_arena_new();
		struct sg_diags d;
		int line, col;
		char *text = with_payload(f->model, f->good, &line, &col);

		sg_diags_init(&d, a);
		load_one(a, "m.yaml", text, &cfg, &d);
		if (d.nerrors) {
			char *got = diags_text(&d);

			tap_diag("%s: the good value %s does not load:\n%s", f->path, f->good, got);
			free(got);
			bad_good++;
		}
		free(text);
		sg_arena_free(a);
		for (size_t k = 0; k < ARRAY_SIZE(payloads); k++) {
			const char *pl = payloads[k].text;
			bool at_value = false, alone;
			char *got;

			a = sg_arena_new();
			sg_diags_init(&d, a);
			text = with_payload(f->model, pl, &line, &col);
			load_one(a, "m.yaml", text, &cfg, &d);
			got = diags_text(&d);
			sbuf_addf(&report, "== %s (%s): %s\n", f->path, safe_names[f->safe],
				  payloads[k].label);
			sbuf_adds(&report, d.nerrors ? got : "accepted\n");
			for (size_t j = 0; j < d.n; j++)
				at_value = at_value || (d.v[j].sev == SG_SEV_ERROR &&
					d.v[j].loc.line == line &&
					d.v[j].loc.col <= col + 1 + (int)strlen(pl));
			if (d.nerrors && !at_value) {
				tap_diag("%s: %s: no error at %d:%d:\n%s", f->path,
					 payloads[k].label, line, col, got);
				bad_loc++;
			}
			if (!d.nerrors) {
				struct sg_diags d2;

				sg_diags_init(&d2, a);
				alone = f->safe == SG_SAFE_FRAGMENT &&
					sg_sql_fragment(a, (enum sg_frag)f->frag, pl,
							sg_loc_make("x", 1, 1),
							"x", &d2) != NULL;
				if (f->safe == SG_SAFE_WORD || f->safe == SG_SAFE_OPERATOR_NAME ||
				    (f->safe == SG_SAFE_FRAGMENT && !alone)) {
					tap_diag("%s: %s accepted", f->path, payloads[k].label);
					bad_accept++;
				}
			}
			free(got);
			free(text);
			sg_arena_free(a);
		}
	}
	is_int(bad_good, 0, "every field loads with its good value");
	is_int(bad_loc, 0, "every refused payload is refused at its value");
	is_int(bad_accept, 0, "payloads are accepted only quoted or as exactly one fragment");
	if (regen) {
		FILE *fp = fopen(errpath, "w");

		if (fp) {
			fputs(report.buf, fp);
			fclose(fp);
		}
	}
	want = read_or_empty(errpath);
	is_str(report.buf, want, "%s: what each payload gives", errpath);
	free(want);
	sbuf_release(&report);
	sg_arena_free(A0);
}

int main(void)
{
	regen = getenv("SG_REGEN") != NULL;
	test_sqlfields();
	test_bad();
	test_good_shop();
	test_deps();
	test_function_deps();
	test_renames();
	test_partitions();
	test_locations();
	test_writer();
	test_writer_views();
	test_view_deps();
	test_writer_functions();
	test_security_writer();
	test_write_models();
	test_quoting();
	test_config();
	test_fuzz();
	sg_sql_cleanup();
	return tap_done();
}
