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
 *    introspector builds them.
 */
#include <errno.h>
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
	int c = sg_strcmp_null(a->loc.file, b->loc.file);

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
	yaml_check_models(cat, d);
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
		if (yaml_check_models(cat, &d) < 0)
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
	is_int(yaml_check_models(cat, &d), 0, "shop.yaml checks");
	free(text);
	{
		char *got = diags_text(&d);

		is_str(got, "", "shop.yaml: no diagnostics");
		free(got);
	}
	ok(cat->finished, "yaml_check_models finishes the catalog");
	is_int(cat->nbykind[SG_KIND_SCHEMA], 2, "schemas shop and public");
	ok(find(cat, SG_KIND_SCHEMA, "public", NULL, "public") != NULL,
	   "public is added though no file names it");

	sch = (struct sg_schema *)find(cat, SG_KIND_SCHEMA, "shop", NULL, "shop");
	if (sch) {
		is_str(sch->obj.comment, "The shop", "schema comment");
		is_str(sch->obj.loc.file, F, "schema loc file");
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
	yaml_check_models(cat, &d);
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
}

int main(void)
{
	regen = getenv("SG_REGEN") != NULL;
	test_bad();
	test_good_shop();
	test_deps();
	test_locations();
	sg_sql_cleanup();
	return tap_done();
}
