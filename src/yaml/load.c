// SPDX-License-Identifier: MIT
/*
 * load.c - model files into a catalog: the directory walk, the top level of
 * a file (schema, comment), enums (values may be renamed) and sequences;
 * extensions, collations, domains and composite types are in types.c.  Tables and their children
 * are in table.c, the checks across files and the dependencies in model/check.c.
 * The format is documented in docs/models.md.
 *
 * Every problem is a diagnostic at the place it concerns, and loading goes
 * on after one, so a run reports every problem of every file.  An object
 * whose name is bad is left out; an object with a bad detail is kept, so
 * that references to it do not cascade into more errors.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "schemagen/arena.h"
#include "schemagen/config.h"
#include "schemagen/diag.h"
#include "schemagen/model.h"
#include "schemagen/quote.h"
#include "schemagen/sbuf.h"
#include "schemagen/sql.h"
#include "schemagen/yaml.h"
#include "yaml-priv.h"

static bool managed(const struct sg_config *cfg, const char *schema)
{
	if (!cfg || cfg->nschemas == 0)
		return true;
	for (size_t i = 0; i < cfg->nschemas; i++)
		if (strcmp(cfg->schemas[i], schema) == 0)
			return true;
	return false;
}

/*
 * The schemas of the catalog, as the files of one yaml_load_models() add
 * them: a file finds its schema among them, not among every object of the
 * files before it.
 */
struct load_schemas {
	SG_VEC(struct sg_schema *) v;
};

static struct sg_schema *find_schema(struct sg_catalog *cat,
				     const struct load_schemas *ls,
				     const char *name)
{
	if (ls) {
		for (size_t i = 0; i < ls->v.n; i++)
			if (strcmp(ls->v.v[i]->obj.name, name) == 0)
				return ls->v.v[i];
		return NULL;
	}
	for (size_t i = 0; i < cat->nobjs; i++) {
		struct sg_object *o = cat->objs[i];

		if (o->kind == SG_KIND_SCHEMA && strcmp(o->name, name) == 0)
			return (struct sg_schema *)o;
	}
	return NULL;
}

static struct sg_schema *new_schema(struct sg_catalog *cat,
				    struct load_schemas *ls, const char *name)
{
	struct sg_schema *sch = SG_NEW(cat, sg_schema, SG_KIND_SCHEMA, name,
				       name, NULL);

	if (ls)
		SG_VEC_PUSH(cat->arena, &ls->v, sch);
	return sch;
}

/* ---- sequence options (sequences and identity columns) ---- */

static const char *const seq_types[] = { "smallint", "integer", "bigint" };

/* Other spellings of the three types, for a hint. */
static const struct {
	const char *alias, *type;
} seq_type_aliases[] = {
	{ "int2", "smallint" }, { "int", "integer" }, { "int4", "integer" },
	{ "int8", "bigint" }, { "serial", "integer" }, { "bigserial", "bigint" },
	{ "smallserial", "smallint" },
};


/* SQL's spellings of the options, for a hint. */
static const struct {
	const char *alias, *key;
} seqopt_aliases[] = {
	{ "minvalue", "min" }, { "maxvalue", "max" }, { "start_with", "start" },
	{ "increment_by", "increment" }, { "as", "type" }, { "data_type", "type" },
};

void seqopt_unknown_key(struct loader *l, const struct ynode *key,
			const char *const *keys, size_t nkeys, const char *ctx)
{
	for (size_t i = 0; i < ARRAY_SIZE(seqopt_aliases); i++) {
		if (strcasecmp(key->str, seqopt_aliases[i].alias) == 0) {
			struct sg_diag *dg = sg_diag_error(l->d, key->loc,
							   "unknown key %s in %s",
							   yq(l->t, key->str), ctx);

			sg_diag_hint(dg, l->d, "did you mean \"%s\"?",
				     seqopt_aliases[i].key);
			return;
		}
	}
	yunknown_key(l->d, key, keys, nkeys, ctx);
}

static int bitno(unsigned bit)
{
	int n = 0;

	while (bit > 1) {
		bit >>= 1;
		n++;
	}
	return n;
}

bool load_seqopt(struct loader *l, const struct ynode *key,
		 const struct ynode *val, struct sg_seqopts *o,
		 struct seqlocs *locs)
{
	const char *k = key->str;
	unsigned bit;
	int64_t *field = NULL;

	if (strcmp(k, "type") == 0) {
		const char *s;
		struct sg_diag *dg;

		if (!yget_str(l->d, l->t, val, "type", &s))
			return true;
		if (!s) {
			yexpect(l->d, l->t, val, "smallint, integer or bigint");
			return true;
		}
		for (size_t i = 0; i < ARRAY_SIZE(seq_types); i++) {
			if (strcmp(s, seq_types[i]) == 0) {
				o->type = seq_types[i];
				o->set |= SG_SEQ_TYPE;
				locs->loc[bitno(SG_SEQ_TYPE)] = val->vloc;
				return true;
			}
		}
		dg = sg_diag_error(l->d, val->loc, "\"type\" must be smallint, "
				   "integer or bigint, found %s", yq(l->t, s));
		for (size_t i = 0; i < ARRAY_SIZE(seq_type_aliases); i++)
			if (strcmp(s, seq_type_aliases[i].alias) == 0)
				sg_diag_hint(dg, l->d, "write %s",
					     seq_type_aliases[i].type);
		if (!dg->hint && sg_suggest(s, seq_types, ARRAY_SIZE(seq_types)))
			sg_diag_hint(dg, l->d, "did you mean \"%s\"?",
				     sg_suggest(s, seq_types, ARRAY_SIZE(seq_types)));
		return true;
	}
	if (strcmp(k, "cycle") == 0) {
		if (yget_bool(l->d, l->t, val, "cycle", &o->cycle)) {
			o->set |= SG_SEQ_CYCLE;
			locs->loc[bitno(SG_SEQ_CYCLE)] = val->loc;
		}
		return true;
	}
	if (strcmp(k, "start") == 0) {
		bit = SG_SEQ_START;
		field = &o->start;
	} else if (strcmp(k, "increment") == 0) {
		bit = SG_SEQ_INCREMENT;
		field = &o->increment;
	} else if (strcmp(k, "min") == 0) {
		bit = SG_SEQ_MIN;
		field = &o->min;
	} else if (strcmp(k, "max") == 0) {
		bit = SG_SEQ_MAX;
		field = &o->max;
	} else if (strcmp(k, "cache") == 0) {
		bit = SG_SEQ_CACHE;
		field = &o->cache;
	} else {
		return false;
	}
	if (yget_int64(l->d, l->t, val, k, field)) {
		o->set |= bit;
		locs->loc[bitno(bit)] = val->loc;
	}
	return true;
}

static void type_range(const char *type, int64_t *lo, int64_t *hi)
{
	if (type && strcmp(type, "smallint") == 0) {
		*lo = INT16_MIN;
		*hi = INT16_MAX;
	} else if (type && strcmp(type, "integer") == 0) {
		*lo = INT32_MIN;
		*hi = INT32_MAX;
	} else {
		*lo = INT64_MIN;
		*hi = INT64_MAX;
	}
}

/*
 * The checks CREATE SEQUENCE makes (init_params() in sequence.c), with
 * PostgreSQL's defaults for what is not given, so the mistake is reported
 * where it was written rather than when the models are materialised.
 */
void check_seqopts(struct loader *l, const struct sg_seqopts *o,
		   const char *type, const struct seqlocs *locs)
{
	int64_t lo, hi, inc, min, max;
	const struct sg_loc *at = locs->loc;

	if (o->set & SG_SEQ_TYPE)
		type = o->type;
	type_range(type, &lo, &hi);
	inc = (o->set & SG_SEQ_INCREMENT) ? o->increment : 1;
	if (inc == 0) {
		sg_diag_error(l->d, at[bitno(SG_SEQ_INCREMENT)],
			      "\"increment\" must not be zero");
		return;
	}
	if ((o->set & SG_SEQ_CACHE) && o->cache < 1)
		sg_diag_error(l->d, at[bitno(SG_SEQ_CACHE)],
			      "\"cache\" must be at least 1");
	min = (o->set & SG_SEQ_MIN) ? o->min : (inc > 0 ? 1 : lo);
	max = (o->set & SG_SEQ_MAX) ? o->max : (inc > 0 ? hi : -1);
	if ((o->set & SG_SEQ_MIN) && (o->min < lo || o->min > hi)) {
		sg_diag_error(l->d, at[bitno(SG_SEQ_MIN)], "\"min\" is out of "
			      "range for %s", type ? type : "bigint");
		return;
	}
	if ((o->set & SG_SEQ_MAX) && (o->max < lo || o->max > hi)) {
		sg_diag_error(l->d, at[bitno(SG_SEQ_MAX)], "\"max\" is out of "
			      "range for %s", type ? type : "bigint");
		return;
	}
	if (min >= max && (o->set & (SG_SEQ_MIN | SG_SEQ_MAX))) {
		sg_diag_error(l->d, at[bitno(o->set & SG_SEQ_MAX ? SG_SEQ_MAX : SG_SEQ_MIN)],
			      "\"min\" (%lld) must be less than \"max\" (%lld)",
			      (long long)min, (long long)max);
		return;
	}
	if (o->set & SG_SEQ_START) {
		if (o->start < min)
			sg_diag_error(l->d, at[bitno(SG_SEQ_START)],
				      "\"start\" (%lld) cannot be less than \"min\" (%lld)",
				      (long long)o->start, (long long)min);
		else if (o->start > max)
			sg_diag_error(l->d, at[bitno(SG_SEQ_START)],
				      "\"start\" (%lld) cannot be greater than \"max\" (%lld)",
				      (long long)o->start, (long long)max);
	}
}

const char *load_qualname(struct loader *l, const struct ynode *n,
			  const char *key)
{
	const char *schema = NULL, *name = NULL;
	const struct ynode *sn = NULL, *nn = NULL;
	bool bad = false;

	if (ynode_is_null(n))
		return NULL;
	if (n->type == YN_SCALAR) {
		if (!yname_ok(l->d, l->t, n, sg_printf(l->t, "%s name", key)))
			return NULL;
		return sg_qi(l->a, n->str);
	}
	if (n->type != YN_MAP) {
		yexpect(l->d, l->t, n, sg_printf(l->t, "a %s name or a mapping "
						 "{schema:, name:}", key));
		return NULL;
	}
	for (size_t i = 0; i + 1 < n->nkids; i += 2) {
		static const char *const keys[] = { "schema", "name" };
		const struct ynode *k = n->kids[i];

		if (!ykey_ok(l->d, l->t, k)) {
			bad = true;
		} else if (strcmp(k->str, "schema") == 0) {
			sn = n->kids[i + 1];
		} else if (strcmp(k->str, "name") == 0) {
			nn = n->kids[i + 1];
		} else {
			yunknown_key(l->d, k, keys, ARRAY_SIZE(keys), key);
			bad = true;
		}
	}
	if (sn && !yname_ok(l->d, l->t, sn, "schema name"))
		bad = true;
	else if (sn)
		schema = sn->str;
	if (!nn) {
		sg_diag_error(l->d, n->loc, "missing key \"name\" in %s", key);
		return NULL;
	}
	if (!yname_ok(l->d, l->t, nn, sg_printf(l->t, "%s name", key)))
		return NULL;
	name = nn->str;
	return bad ? NULL : sg_qq(l->a, schema, name);
}

/* ---- renames of views and routines ---- */

void load_renamed_from(struct loader *l, struct sg_object *obj,
		       const struct ynode *v, const char *noun, const char *name)
{
	const char *dot;
	struct sg_diag *dg;

	if (!v || ynode_is_null(v) ||
	    !yname_ok(l->d, l->t, v, sg_printf(l->t, "%s name", noun)))
		return;
	if (strcmp(v->str, name) == 0) {
		dg = sg_diag_error(l->d, v->loc, "%s %s is renamed from itself",
				   noun, yq(l->t, name));
		sg_diag_hint(dg, l->d, "remove \"renamed_from\" once the rename "
			     "has been applied");
		return;
	}
	/*
	 * A rename stays in its schema (ALTER ... RENAME TO takes a bare
	 * name); "schema.name" would be a move, which is another statement.
	 */
	dot = strchr(v->str, '.');
	if (dot) {
		size_t n = (size_t)(dot - v->str);

		if (strlen(l->schema) == n && strncmp(v->str, l->schema, n) == 0) {
			dg = sg_diag_error(l->d, v->loc, "\"renamed_from\" of %s %s "
					   "is a name in its own schema, not a "
					   "qualified name", noun, yq(l->t, name));
			sg_diag_hint(dg, l->d, "write \"renamed_from: %s\"", dot + 1);
		} else {
			dg = sg_diag_error(l->d, v->loc, "%s %s is renamed from %s, "
					   "in another schema: a rename across "
					   "schemas is not a rename", noun,
					   sg_qq(l->t, l->schema, name),
					   yq(l->t, v->str));
			sg_diag_hint(dg, l->d, "\"renamed_from\" names the %s's old "
				     "name in schema %s; to move it from another "
				     "schema, write that migration by hand "
				     "(ALTER ... SET SCHEMA, with schemagen "
				     "revision -m MSG), or remove \"renamed_from\" "
				     "to drop the old one and create this one",
				     noun, sg_qi(l->t, l->schema));
		}
		return;
	}
	obj->renamed_from = sg_strdup(l->a, v->str);
	obj->renamed_loc = v->vloc;
}

/* ---- enums ---- */

static const char *const enum_keys[] = { "values", "comment", "grants", "owner" };
static const char *const enum_value_keys[] = { "name", "renamed_from" };

/*
 * A value written as {name: x, renamed_from: y}: *v becomes the name node,
 * *renamed the renamed_from node (NULL when null).
 */
static bool enum_value_map(struct loader *l, const struct ynode **v,
			   const struct ynode **renamed, const char *ctx)
{
	const struct ynode *map = *v, *name = NULL;

	for (size_t i = 0; i + 1 < map->nkids; i += 2) {
		const struct ynode *k = map->kids[i];

		if (!ykey_ok(l->d, l->t, k))
			continue;
		if (strcmp(k->str, "name") == 0)
			name = map->kids[i + 1];
		else if (strcmp(k->str, "renamed_from") == 0)
			*renamed = map->kids[i + 1];
		else
			yunknown_key(l->d, k, enum_value_keys,
				     ARRAY_SIZE(enum_value_keys),
				     sg_printf(l->t, "a value of %s", ctx));
	}
	if (!name) {
		sg_diag_error(l->d, map->loc, "missing key \"name\" in a value "
			      "of %s", ctx);
		return false;
	}
	if (*renamed && ynode_is_null(*renamed))
		*renamed = NULL;
	*v = name;
	return true;
}

static void enum_value_renamed(struct loader *l, struct sg_enum *e, size_t cap,
			       const struct ynode *r)
{
	if (r->type != YN_SCALAR || r->len == 0 || strlen(r->str) != r->len ||
	    r->len > SG_NAME_MAX) {
		yexpect(l->d, l->t, r, "an enum value");
		return;
	}
	if (!e->value_renamed_from) {
		e->value_renamed_from = sg_alloc_array(l->a, cap,
						       sizeof(*e->value_renamed_from));
		e->value_renamed_locs = sg_alloc_array(l->a, cap,
						       sizeof(*e->value_renamed_locs));
	}
	e->value_renamed_from[e->nvalues] = sg_strdup(l->a, r->str);
	e->value_renamed_locs[e->nvalues] = r->vloc;
}

/* A value renamed from itself, or from a value that is still there. */
static void check_value_renames(struct loader *l, const struct sg_enum *e)
{
	for (size_t i = 0; e->value_renamed_from && i < e->nvalues; i++) {
		const char *r = e->value_renamed_from[i];
		struct sg_diag *dg;

		if (!r)
			continue;
		if (strcmp(r, e->values[i]) == 0) {
			dg = sg_diag_error(l->d, e->value_renamed_locs[i], "value %s "
					   "is renamed from itself", yq(l->t, r));
			sg_diag_hint(dg, l->d, "remove \"renamed_from\" once the "
				     "rename has been applied");
			continue;
		}
		for (size_t j = 0; j < e->nvalues; j++)
			if (strcmp(e->values[j], r) == 0) {
				dg = sg_diag_error(l->d, e->value_renamed_locs[i],
						   "value %s is renamed from %s, which "
						   "is still a value of enum %s",
						   yq(l->t, e->values[i]), yq(l->t, r),
						   yq(l->t, e->obj.name));
				sg_diag_hint(dg, l->d, "remove \"renamed_from\", or "
					     "the value %s", yq(l->t, r));
			}
	}
}

static void load_enum(struct loader *l, const struct ynode *key,
		      const struct ynode *val)
{
	const struct ynode *values = NULL;
	struct sg_enum *e;
	const char *ctx;

	if (!yname_ok(l->d, l->t, key, "enum name"))
		return;
	e = SG_NEW(l->cat, sg_enum, SG_KIND_ENUM, l->schema, key->str, NULL);
	e->obj.loc = key->loc;
	ctx = sg_printf(l->t, "enum %s", yq(l->t, key->str));
	if (val->type == YN_SEQ) {
		values = val;
	} else if (val->type == YN_MAP) {
		for (size_t i = 0; i + 1 < val->nkids; i += 2) {
			const struct ynode *k = val->kids[i], *v = val->kids[i + 1];
			const char *s;

			if (!ykey_ok(l->d, l->t, k))
				continue;
			if (strcmp(k->str, "values") == 0) {
				values = v;
			} else if (strcmp(k->str, "comment") == 0) {
				if (yget_str(l->d, l->t, v, "comment", &s) && s && *s)
					e->obj.comment = sg_strdup(l->a, s);
			} else if (strcmp(k->str, "grants") == 0) {
				load_grants(l, &e->obj, v);
			} else if (strcmp(k->str, "owner") == 0) {
				load_owner(l, &e->obj, v);
			} else {
				yunknown_key(l->d, k, enum_keys,
					     ARRAY_SIZE(enum_keys), ctx);
			}
		}
		if (!values) {
			sg_diag_error(l->d, key->loc, "missing key \"values\" in %s",
				      ctx);
			return;
		}
	} else {
		yexpect(l->d, l->t, val, "a list of values or a mapping");
		return;
	}
	if (values->type != YN_SEQ) {
		yexpect(l->d, l->t, values, "a list of values");
		return;
	}
	if (values->nkids == 0) {
		sg_diag_error(l->d, values->loc, "enum %s has no values",
			      yq(l->t, key->str));
		return;
	}
	e->values = sg_alloc_array(l->a, values->nkids, sizeof(*e->values));
	e->value_locs = sg_alloc_array(l->a, values->nkids, sizeof(*e->value_locs));
	for (size_t i = 0; i < values->nkids; i++) {
		const struct ynode *v = values->kids[i], *renamed = NULL;
		bool dup = false;

		if (v->type == YN_MAP && !enum_value_map(l, &v, &renamed, ctx))
			continue;
		if (v->type != YN_SCALAR || (v->plain && v->len == 0)) {
			yexpect(l->d, l->t, v, "an enum value");
			continue;
		}
		if (strlen(v->str) != v->len) {
			sg_diag_error(l->d, v->loc, "enum value contains a NUL character");
			continue;
		}
		if (v->len > SG_NAME_MAX) {
			struct sg_diag *dg = sg_diag_error(
				l->d, v->loc, "enum value %s is longer than %d bytes (%zu)",
				yq(l->t, v->str), SG_NAME_MAX, (size_t)v->len);

			sg_diag_hint(dg, l->d, "PostgreSQL accepts enum values of "
				     "at most %d bytes", SG_NAME_MAX);
			continue;
		}
		for (size_t j = 0; j < e->nvalues && !dup; j++) {
			if (strcmp(e->values[j], v->str) == 0) {
				struct sg_diag *dg = sg_diag_error(
					l->d, v->loc, "value %s appears twice in enum %s",
					yq(l->t, v->str), yq(l->t, key->str));

				sg_diag_hint(dg, l->d, "first given at %s:%d:%d",
					     l->file, e->value_locs[j].line,
					     e->value_locs[j].col);
				dup = true;
			}
		}
		if (dup)
			continue;
		e->values[e->nvalues] = sg_strdup(l->a, v->str);
		e->value_locs[e->nvalues] = v->vloc;
		if (renamed)
			enum_value_renamed(l, e, values->nkids, renamed);
		e->nvalues++;
	}
	check_value_renames(l, e);
}

/* ---- sequences ---- */

static const char *const sequence_keys[] = {
	"type", "start", "increment", "min", "max", "cache", "cycle",
	"owned_by", "comment", "grants", "owner",
};

static void load_owned_by(struct loader *l, struct sg_sequence *s,
			  const struct ynode *v)
{
	static const char *const keys[] = { "table", "column" };
	const struct ynode *tn = NULL, *cn = NULL;

	if (ynode_is_null(v))
		return;
	if (v->type == YN_SCALAR) {
		const char *dot = strchr(v->str, '.');
		struct sg_diag *dg;

		if (!dot || dot == v->str || !dot[1] || strlen(v->str) != v->len) {
			dg = sg_diag_error(l->d, v->loc, "\"owned_by\" must be "
					   "table.column, found %s",
					   ynode_found(l->t, v));
			sg_diag_hint(dg, l->d, "or write {table: ..., column: ...}");
			return;
		}
		if ((size_t)(dot - v->str) > SG_NAME_MAX ||
		    strlen(dot + 1) > SG_NAME_MAX) {
			sg_diag_error(l->d, v->loc, "\"owned_by\" names a table or "
				      "column longer than %d bytes", SG_NAME_MAX);
			return;
		}
		s->owned_table = sg_strndup(l->a, v->str, (size_t)(dot - v->str));
		s->owned_column = sg_strdup(l->a, dot + 1);
		s->owned_loc = v->vloc;
		return;
	}
	if (v->type != YN_MAP) {
		yexpect(l->d, l->t, v, "table.column or a mapping {table:, column:}");
		return;
	}
	for (size_t i = 0; i + 1 < v->nkids; i += 2) {
		const struct ynode *k = v->kids[i];

		if (!ykey_ok(l->d, l->t, k))
			continue;
		if (strcmp(k->str, "table") == 0)
			tn = v->kids[i + 1];
		else if (strcmp(k->str, "column") == 0)
			cn = v->kids[i + 1];
		else
			yunknown_key(l->d, k, keys, ARRAY_SIZE(keys), "\"owned_by\"");
	}
	if (!tn || !cn) {
		sg_diag_error(l->d, v->loc, "missing key \"%s\" in \"owned_by\"",
			      tn ? "column" : "table");
		return;
	}
	if (!yname_ok(l->d, l->t, tn, "table name") ||
	    !yname_ok(l->d, l->t, cn, "column name"))
		return;
	s->owned_table = sg_strdup(l->a, tn->str);
	s->owned_column = sg_strdup(l->a, cn->str);
	s->owned_loc = v->loc;
}

static void load_sequence(struct loader *l, const struct ynode *key,
			  const struct ynode *val)
{
	struct sg_sequence *s;
	struct seqlocs locs = { 0 };
	const char *ctx;

	if (!yname_ok(l->d, l->t, key, "sequence name"))
		return;
	s = SG_NEW(l->cat, sg_sequence, SG_KIND_SEQUENCE, l->schema, key->str, NULL);
	s->obj.loc = key->loc;
	if (ynode_is_null(val))
		return;         /* `name:` alone: a sequence with the defaults */
	if (val->type != YN_MAP) {
		yexpect(l->d, l->t, val, "a mapping of sequence options");
		return;
	}
	ctx = sg_printf(l->t, "sequence %s", yq(l->t, key->str));
	for (size_t i = 0; i + 1 < val->nkids; i += 2) {
		const struct ynode *k = val->kids[i], *v = val->kids[i + 1];
		const char *str;

		if (!ykey_ok(l->d, l->t, k))
			continue;
		if (load_seqopt(l, k, v, &s->opts, &locs))
			continue;
		if (strcmp(k->str, "owned_by") == 0) {
			load_owned_by(l, s, v);
		} else if (strcmp(k->str, "comment") == 0) {
			if (yget_str(l->d, l->t, v, "comment", &str) && str && *str)
				s->obj.comment = sg_strdup(l->a, str);
		} else if (strcmp(k->str, "grants") == 0) {
			load_grants(l, &s->obj, v);
		} else if (strcmp(k->str, "owner") == 0) {
			load_owner(l, &s->obj, v);
		} else {
			seqopt_unknown_key(l, k, sequence_keys,
					   ARRAY_SIZE(sequence_keys), ctx);
		}
	}
	check_seqopts(l, &s->opts, "bigint", &locs);
}

/* ---- the top level of a file ---- */

/* The keys of a file before its sections: the schema itself. */
static const char *const file_keys[] = {
	"schema", "comment", "grants", "default_privileges", "owner",
};

/* Kinds people may expect but the models do not have (yet). */
static const char *const unsupported_keys[] = {
	"triggers", "roles", "rules", "statistics",
};

static bool is_config_key(const char *key)
{
	static const char *const keys[] = {
		"database_url", "dev_url", "schema_dir", "migrations_dir",
		"schemas", "version_schema", "version_table", "history_table",
		"default_owner",
	};

	for (size_t i = 0; i < ARRAY_SIZE(keys); i++)
		if (strcmp(key, keys[i]) == 0)
			return true;
	return false;
}

static void load_objects(struct loader *l, const struct ynode *val,
			 const char *what,
			 void (*fn)(struct loader *, const struct ynode *,
				    const struct ynode *))
{
	if (ynode_is_null(val))
		return;
	if (val->type != YN_MAP) {
		yexpect(l->d, l->t, val, sg_printf(l->t, "a mapping of %s names "
						   "to definitions", what));
		return;
	}
	for (size_t i = 0; i + 1 < val->nkids; i += 2)
		if (ykey_ok(l->d, l->t, val->kids[i]))
			fn(l, val->kids[i], val->kids[i + 1]);
}

static void load_extensions(struct loader *l, const struct ynode *v)
{
	load_objects(l, v, "extension", load_extension);
}

static void load_collations(struct loader *l, const struct ynode *v)
{
	load_objects(l, v, "collation", load_collation);
}

static void load_enums(struct loader *l, const struct ynode *v)
{
	load_objects(l, v, "enum", load_enum);
}

static void load_domains(struct loader *l, const struct ynode *v)
{
	load_objects(l, v, "domain", load_domain);
}

static void load_composites(struct loader *l, const struct ynode *v)
{
	load_objects(l, v, "type", load_composite);
}

static void load_sequences(struct loader *l, const struct ynode *v)
{
	load_objects(l, v, "sequence", load_sequence);
}

static void load_ts_parsers(struct loader *l, const struct ynode *v)
{
	load_objects(l, v, "text search parser", load_ts_parser);
}

static void load_ts_templates(struct loader *l, const struct ynode *v)
{
	load_objects(l, v, "text search template", load_ts_template);
}

static void load_ts_dicts(struct loader *l, const struct ynode *v)
{
	load_objects(l, v, "text search dictionary", load_ts_dict);
}

static void load_ts_configs(struct loader *l, const struct ynode *v)
{
	load_objects(l, v, "text search configuration", load_ts_config);
}

static void load_function_section(struct loader *l, const struct ynode *v)
{
	load_functions(l, v, false);
}

static void load_procedure_section(struct loader *l, const struct ynode *v)
{
	load_functions(l, v, true);
}

static void load_fdws(struct loader *l, const struct ynode *v)
{
	load_objects(l, v, "foreign data wrapper", load_fdw);
}

static void load_servers(struct loader *l, const struct ynode *v)
{
	load_objects(l, v, "server", load_server);
}

static void load_foreign_tables(struct loader *l, const struct ynode *v)
{
	load_objects(l, v, "foreign table", load_foreign_table);
}

static void load_languages(struct loader *l, const struct ynode *v)
{
	load_objects(l, v, "language", load_language);
}

static void load_tables(struct loader *l, const struct ynode *v)
{
	load_objects(l, v, "table", load_table);
}

static void load_views(struct loader *l, const struct ynode *v)
{
	load_objects(l, v, "view", load_view);
}

static void load_matviews(struct loader *l, const struct ynode *v)
{
	load_objects(l, v, "materialized view", load_matview);
}

static void load_event_triggers(struct loader *l, const struct ynode *v)
{
	load_objects(l, v, "event trigger", load_event_trigger);
}

static void load_publications(struct loader *l, const struct ynode *v)
{
	load_objects(l, v, "publication", load_publication);
}

/*
 * Where the models declare each kind, and how: the sections of a file that
 * declare a top-level kind, each loaded and written (write.c) by the
 * functions beside it; the keys of a table's mapping that declare a child
 * (table.c loads them, write.c writes them with their table); the schema
 * is the file's own `schema:`.  Files list their sections in kind order.
 * tests/unit/t-kinds.c checks every kind has its row.
 */
const struct yaml_kind_ops yaml_kinds[SG_KIND__COUNT] = {
	[SG_KIND_DEFAULT_ACL] = { { "global_default_privileges" },
				  { load_global_defacls },
				  { write_global_defacls } },
	[SG_KIND_SCHEMA] = { { "schema" } },
	[SG_KIND_EXTENSION] = { { "extensions" }, { load_extensions },
				{ write_extensions } },
	[SG_KIND_COLLATION] = { { "collations" }, { load_collations },
				{ write_collations } },
	[SG_KIND_ENUM] = { { "enums" }, { load_enums }, { write_enums } },
	[SG_KIND_DOMAIN] = { { "domains" }, { load_domains }, { write_domains } },
	[SG_KIND_COMPOSITE] = { { "types" }, { load_composites },
				{ write_composites } },
	[SG_KIND_SEQUENCE] = { { "sequences" }, { load_sequences },
			       { write_sequences } },
	[SG_KIND_FUNCTION] = { { "functions", "procedures" },
			       { load_function_section, load_procedure_section },
			       { write_functions, write_procedures } },
	[SG_KIND_FDW] = { { "foreign_data_wrappers" }, { load_fdws },
			  { write_fdws } },
	[SG_KIND_SERVER] = { { "servers" }, { load_servers }, { write_servers } },
	[SG_KIND_USER_MAPPING] = { { "user_mappings" }, { load_user_mappings },
				   { write_user_mappings } },
	[SG_KIND_LANGUAGE] = { { "languages" }, { load_languages },
			       { write_languages } },
	[SG_KIND_TS_PARSER] = { { "text_search_parsers" }, { load_ts_parsers },
				{ write_ts_parsers } },
	[SG_KIND_TS_TEMPLATE] = { { "text_search_templates" }, { load_ts_templates },
				  { write_ts_templates } },
	[SG_KIND_TS_DICTIONARY] = { { "text_search_dictionaries" }, { load_ts_dicts },
				    { write_ts_dicts } },
	[SG_KIND_TS_CONFIG] = { { "text_search_configurations" }, { load_ts_configs },
				{ write_ts_configs } },
	[SG_KIND_AGGREGATE] = { { "aggregates" }, { load_aggregates },
				{ write_aggregates } },
	[SG_KIND_OPERATOR] = { { "operators" }, { load_operators },
			       { write_operators } },
	[SG_KIND_OPFAMILY] = { { "operator_families" }, { load_opfamilies },
			       { write_opfamilies } },
	[SG_KIND_OPCLASS] = { { "operator_classes" }, { load_opclasses },
			      { write_opclasses } },
	[SG_KIND_FOREIGN_TABLE] = { { "foreign_tables" }, { load_foreign_tables },
				    { write_foreign_tables } },
	[SG_KIND_TABLE] = { { "tables" }, { load_tables }, { write_tables } },
	[SG_KIND_COLUMN] = { { "columns" } },
	[SG_KIND_CONSTRAINT] = { { "primary_key", "unique", "foreign_keys",
				   "checks", "exclusions" } },
	[SG_KIND_INDEX] = { { "indexes" } },
	[SG_KIND_VIEW] = { { "views", "materialized_views" },
			   { load_views, load_matviews },
			   { write_views, write_matviews } },
	[SG_KIND_TRIGGER] = { { "triggers" } },
	[SG_KIND_POLICY] = { { "policies" } },
	[SG_KIND_STATISTICS] = { { "statistics" } },
	[SG_KIND_RULE] = { { "rules" } },
	[SG_KIND_CAST] = { { "casts" }, { load_casts }, { write_casts } },
	[SG_KIND_EVENT_TRIGGER] = { { "event_triggers" }, { load_event_triggers },
				    { write_event_triggers } },
	[SG_KIND_PUBLICATION] = { { "publications" }, { load_publications },
				  { write_publications } },
};

bool yaml_kind_supported(enum sg_kind kind)
{
	const struct yaml_kind_ops *y;

	if ((unsigned)kind >= SG_KIND__COUNT)
		return false;
	y = &yaml_kinds[kind];
	if (!y->keys[0])
		return false;
	if (kind == SG_KIND_SCHEMA || sg_kind_is_child(kind))
		return !y->load[0] && !y->write[0];
	for (size_t i = 0; i < YAML_KIND_KEYS; i++) {
		bool load = i < YAML_KIND_SECTIONS && y->load[i];
		bool write = i < YAML_KIND_SECTIONS && y->write[i];

		if (!y->keys[i] != !load || load != write)
			return false;
	}
	return true;
}

/* The keys a file may have at its top level, in the order of messages. */
static size_t top_level_keys(const char **keys)
{
	size_t n = 0;

	for (size_t i = 0; i < ARRAY_SIZE(file_keys); i++)
		keys[n++] = file_keys[i];
	for (int k = 0; k < SG_KIND__COUNT; k++)
		for (size_t i = 0; i < YAML_KIND_SECTIONS && yaml_kinds[k].load[i]; i++)
			keys[n++] = yaml_kinds[k].keys[i];
	return n;
}

/* The loader of a section key; NULL when it is no section. */
static void (*section_loader(const char *key))(struct loader *, const struct ynode *)
{
	for (int k = 0; k < SG_KIND__COUNT; k++)
		for (size_t i = 0; i < YAML_KIND_SECTIONS && yaml_kinds[k].load[i]; i++)
			if (strcmp(yaml_kinds[k].keys[i], key) == 0)
				return yaml_kinds[k].load[i];
	return NULL;
}

/* Is key the section of a database-wide kind (sg_kind_info[].global)? */
static bool global_section(const char *key)
{
	for (int k = 0; k < SG_KIND__COUNT; k++)
		for (size_t i = 0; i < YAML_KIND_SECTIONS && yaml_kinds[k].load[i]; i++)
			if (strcmp(yaml_kinds[k].keys[i], key) == 0)
				return sg_kind_info[k].global;
	return false;
}

/*
 * Loads the file's sections (only those of database-wide kinds when
 * global_only: the file's schema is not managed, or it has none).
 */
static void load_sections(struct loader *l, const struct ynode *root,
			  bool global_only)
{
	for (size_t i = 0; i + 1 < root->nkids; i += 2) {
		const struct ynode *k = root->kids[i], *v = root->kids[i + 1];
		void (*load)(struct loader *, const struct ynode *);

		if (k->type != YN_SCALAR || (global_only && !global_section(k->str)))
			continue;
		load = section_loader(k->str);
		if (load)
			load(l, v);
	}
}

static void load_document(struct loader *l, const struct ynode *root)
{
	const char *top_keys[ARRAY_SIZE(file_keys) + YAML_KIND_SECTIONS * SG_KIND__COUNT];
	size_t ntop_keys = top_level_keys(top_keys);
	const struct ynode *schema_val = NULL, *comment_key = NULL,
			   *comment_val = NULL, *grants_key = NULL,
			   *grants_val = NULL, *defacl_val = NULL,
			   *owner_key = NULL, *owner_val = NULL;
	struct sg_schema *sch;
	struct sg_loc sloc;
	bool has_objects = false;

	if (ynode_is_null(root))
		return;
	if (root->type != YN_MAP) {
		struct sg_diag *dg = sg_diag_error(l->d, root->loc, "expected a "
						   "mapping at the top level, found %s",
						   ynode_found(l->t, root));

		sg_diag_hint(dg, l->d, "a model file has keys such as schema:, "
			     "enums:, sequences: and tables:");
		return;
	}
	/* first pass: the keys, and the schema every object goes into */
	for (size_t i = 0; i + 1 < root->nkids; i += 2) {
		const struct ynode *k = root->kids[i], *v = root->kids[i + 1];
		bool known = false;

		if (!ykey_ok(l->d, l->t, k))
			continue;
		for (size_t j = 0; j < ntop_keys; j++)
			known = known || strcmp(k->str, top_keys[j]) == 0;
		if (!known) {
			bool unsupported = false;

			for (size_t j = 0; j < ARRAY_SIZE(unsupported_keys); j++)
				unsupported = unsupported ||
					      strcmp(k->str, unsupported_keys[j]) == 0;
			if (strcmp(k->str, "policies") == 0) {
				struct sg_diag *dg = sg_diag_error(
					l->d, k->loc, "unknown key %s at the top level",
					yq(l->t, k->str));

				sg_diag_hint(dg, l->d, "policies belong to their "
					     "table: tables: {name: {policies: ...}}");
			} else if (unsupported) {
				struct sg_diag *dg = sg_diag_error(
					l->d, k->loc, "unknown key %s at the top level",
					yq(l->t, k->str));

				if (strcmp(k->str, "triggers") == 0 ||
				    strcmp(k->str, "rules") == 0 ||
				    strcmp(k->str, "statistics") == 0)
					sg_diag_hint(dg, l->d, "%s are declared "
						     "under their table, in its "
						     "\"%s:\" key", k->str, k->str);
				else
					sg_diag_hint(dg, l->d, "schemagen does not manage %s",
						     k->str);
			} else {
				struct sg_diag *udg = yunknown_key(l->d, k, top_keys,
					ntop_keys, "at the top level");

				if (is_config_key(k->str))
					sg_diag_hint(udg, l->d,
						     "%s is a setting of schemagen.yaml, "
						     "not of a model file", k->str);
			}
			continue;
		}
		if (strcmp(k->str, "schema") == 0) {
			schema_val = v;
		} else if (strcmp(k->str, "comment") == 0) {
			comment_key = k;
			comment_val = v;
		} else if (strcmp(k->str, "grants") == 0) {
			if (!ynode_is_null(v)) {
				grants_key = k;
				grants_val = v;
			}
		} else if (strcmp(k->str, "owner") == 0) {
			if (!ynode_is_null(v)) {
				owner_key = k;
				owner_val = v;
			}
		} else if (!ynode_is_null(v)) {
			if (strcmp(k->str, "default_privileges") == 0)
				defacl_val = v;
			/* database-wide objects are in no schema */
			if (!global_section(k->str))
				has_objects = true;
		}
	}

	if (schema_val && !ynode_is_null(schema_val)) {
		if (!yname_ok(l->d, l->t, schema_val, "schema name"))
			return;
		l->schema = sg_strdup(l->a, schema_val->str);
		sloc = schema_val->vloc;
	} else {
		l->schema = "public";
		sloc = (struct sg_loc){ .file = sg_file_id(l->file), .line = 1, .col = 1 };
	}
	if (!managed(l->cfg, l->schema)) {
		struct sg_diag *dg;

		/* a file of the default schema with nothing of a schema: its
		 * database-wide objects, if any */
		if (!schema_val && !has_objects && !comment_key && !grants_key &&
		    !owner_key) {
			load_sections(l, root, true);
			return;
		}
		dg = sg_diag_error(l->d, sloc, "schema %s is not managed",
				   yq(l->t, l->schema));
		if (schema_val)
			sg_diag_hint(dg, l->d, "add it to \"schemas\" in "
				     "schemagen.yaml or move these objects to a "
				     "managed schema");
		else
			sg_diag_hint(dg, l->d, "this file has no \"schema:\" key, "
				     "so its objects are in public; add "
				     "\"schema:\" or list public in \"schemas\" "
				     "in schemagen.yaml");
		return;
	}

	sch = find_schema(l->cat, l->schemas, l->schema);
	if (!sch)
		sch = new_schema(l->cat, l->schemas, l->schema);
	if (sch->obj.loc.line == 0 && schema_val)
		sch->obj.loc = sloc;

	if (comment_val) {
		const char *s;

		if (yget_str(l->d, l->t, comment_val, "comment", &s) && s && *s) {
			if (sch->obj.comment) {
				struct sg_diag *dg = sg_diag_error(
					l->d, comment_key->loc,
					"schema %s has a comment in two files",
					yq(l->t, l->schema));

				sg_diag_hint(dg, l->d, "the other is at %s:%d:%d",
					     sg_loc_file(sch->obj.loc), sch->obj.loc.line,
					     sch->obj.loc.col);
			} else {
				sch->obj.comment = sg_strdup(l->a, s);
				/* the file that comments a schema is where it
				 * is described */
				sch->obj.loc = schema_val ? sloc : comment_key->loc;
			}
		}
	}

	if (grants_val) {
		if (sch->obj.has_acl) {
			struct sg_diag *dg = sg_diag_error(
				l->d, grants_key->loc, "schema %s has grants in two "
				"files", yq(l->t, l->schema));

			sg_diag_hint(dg, l->d, "give a schema's grants in one of "
				     "its files");
		} else {
			load_grants(l, &sch->obj, grants_val);
		}
	}
	if (owner_val) {
		if (sch->obj.owner) {
			struct sg_diag *dg = sg_diag_error(
				l->d, owner_key->loc, "schema %s has an owner in two "
				"files", yq(l->t, l->schema));

			sg_diag_hint(dg, l->d, "the other is at %s:%d:%d",
				     sg_loc_file(sch->obj.owner_loc), sch->obj.owner_loc.line,
				     sch->obj.owner_loc.col);
		} else {
			load_owner(l, &sch->obj, owner_val);
		}
	}
	if (defacl_val)
		load_defacls(l, sch, defacl_val);
	load_sections(l, root, false);
}

/* Adds the schema `public` when it is managed, whether a file names it or not. */
static void ensure_public(struct sg_catalog *cat, const struct sg_config *cfg,
			  struct load_schemas *ls)
{
	if (managed(cfg, "public") && !find_schema(cat, ls, "public"))
		new_schema(cat, ls, "public");
}

static int load_buffer(const char *name, const char *text, size_t len,
		       const struct sg_config *cfg, struct sg_catalog *cat,
		       struct sg_diags *d, struct load_schemas *ls)
{
	struct loader l = {
		.a = cat->arena, .d = d, .cat = cat, .cfg = cfg, .schemas = ls,
	};
	struct ynode *root;
	int nerrors = d->nerrors;

	if (cat->finished)
		SG_BUG("yaml_load_text on a finished catalog");
	l.t = sg_arena_new();
	l.file = name;
	ensure_public(cat, cfg, ls);
	ydoc_parse(l.t, l.file, text, len, &root, d);
	if (root)
		load_document(&l, root);
	sg_arena_free(l.t);
	return d->nerrors > nerrors ? -1 : 0;
}

int yaml_load_text(const char *name, const char *text,
		   const struct sg_config *cfg, struct sg_catalog *cat,
		   struct sg_diags *d)
{
	return load_buffer(name, text, strlen(text), cfg, cat, d, NULL);
}

/* ---- the directory ---- */

static bool is_model_file(const char *name)
{
	size_t n = strlen(name);

	return (n > 5 && strcmp(name + n - 5, ".yaml") == 0) ||
	       (n > 4 && strcmp(name + n - 4, ".yml") == 0);
}

static int table_cmp(const void *pa, const void *pb)
{
	const struct sg_object *a = *(const struct sg_object *const *)pa;
	const struct sg_object *b = *(const struct sg_object *const *)pb;
	int c = strcmp(a->schema, b->schema);

	if (c)
		return c;
	c = strcmp(a->name, b->name);
	return c ? c : (a->id > b->id) - (a->id < b->id);
}

/*
 * A sequence owned by a column has its table's owner (of the last table
 * of that name, should it be defined twice: check.c reports that).  The
 * catalog is not finished yet: the tables sorted by name here, so that
 * this is not a search of every object for every sequence.
 */
static void owned_sequences(struct sg_catalog *cat)
{
	const struct sg_object **tables = xmalloc((cat->nobjs + 1) * sizeof(*tables));
	size_t n = 0;

	for (size_t i = 0; i < cat->nobjs; i++) {
		const struct sg_object *o = cat->objs[i];

		if (o && o->kind == SG_KIND_TABLE)
			tables[n++] = o;
	}
	if (n > 1)
		qsort(tables, n, sizeof(*tables), table_cmp);
	for (size_t i = 0; i < cat->nobjs; i++) {
		struct sg_sequence *s = (struct sg_sequence *)cat->objs[i];
		size_t lo = 0, hi = n;

		if (!s || s->obj.kind != SG_KIND_SEQUENCE || !s->owned_table)
			continue;
		/* past the last table of that schema and name */
		while (lo < hi) {
			size_t mid = (lo + hi) / 2;
			int c = strcmp(tables[mid]->schema, s->obj.schema);

			if (!c)
				c = strcmp(tables[mid]->name, s->owned_table);
			if (c <= 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo > 0 && strcmp(tables[lo - 1]->schema, s->obj.schema) == 0 &&
		    strcmp(tables[lo - 1]->name, s->owned_table) == 0)
			s->obj.owner = tables[lo - 1]->owner;
	}
	free(tables);
}

/*
 * Owners: default_owner for every object the models declare (with a
 * location: not the public schema a file without `schema:` implies) of a
 * kind that has an owner; a sequence owned by a column has its table's
 * (PostgreSQL requires it before OWNED BY); the catalog says whether any
 * object names an owner.
 */
static void apply_owners(struct sg_catalog *cat, const struct sg_config *cfg,
			 struct sg_diags *d)
{
	for (size_t i = 0; i < cat->nobjs; i++) {
		struct sg_object *o = cat->objs[i];

		if (!o || !sg_kind(o->kind)->owned)
			continue;
		if (o->kind == SG_KIND_SEQUENCE &&
		    ((struct sg_sequence *)o)->owned_table) {
			if (o->owner) {
				struct sg_diag *dg = sg_diag_error(
					d, o->owner_loc, "sequence %s is owned by "
					"a column: its owner is its table's",
					yq(cat->arena, o->name));

				sg_diag_hint(dg, d, "remove \"owner\" here, or "
					     "\"owned_by\"");
			}
			continue;       /* second pass */
		}
		if (!o->owner && cfg && cfg->default_owner && o->loc.line) {
			o->owner = cfg->default_owner;
			o->owner_loc = cfg->default_owner_loc;
		}
		if (o->owner)
			cat->owners = true;
	}
	owned_sequences(cat);
}

int yaml_load_models(const char *dir, const struct sg_config *cfg,
		     struct sg_catalog *cat, struct sg_diags *d)
{
	return yaml_load_models_digest(dir, cfg, cat, d, NULL);
}

/* One model file's part of the digest: its path and the SHA-256 of its content. */
static void digest_add(struct sbuf *sums, const char *file, const char *text,
		       size_t len)
{
	char sum[65];

	sg_sha256_hex(text, len, sum);
	sbuf_adds(sums, file);
	sbuf_addch(sums, '\0');
	sbuf_adds(sums, sum);
	sbuf_addch(sums, '\n');
}

int yaml_models_digest(const char *dir, const struct sg_config *cfg,
		       char digest[65])
{
	struct sg_arena *a = sg_arena_new();
	struct sg_diags d;
	struct sbuf sums = SBUF_INIT;
	char **files;
	size_t nfiles;
	int ret = 0;

	sg_diags_init(&d, a);
	sg_dir_files(a, cfg ? cfg->root : NULL, dir, true, is_model_file, &d,
		     &files, &nfiles);
	if (d.n)
		ret = -1;
	for (size_t i = 0; i < nfiles && ret == 0; i++) {
		size_t len;
		char *text = sg_read_file(files[i], &len);

		if (!text) {
			ret = -1;
			break;
		}
		digest_add(&sums, files[i], text, len);
		free(text);
	}
	if (ret == 0)
		sg_sha256_hex(sums.buf ? sums.buf : "", sums.len, digest);
	sbuf_release(&sums);
	sg_arena_free(a);
	return ret;
}

int yaml_load_models_digest(const char *dir, const struct sg_config *cfg,
			    struct sg_catalog *cat, struct sg_diags *d,
			    char digest[65])
{
	struct sbuf sums = SBUF_INIT;
	struct load_schemas schemas = { 0 };
	char **files;
	size_t nfiles;
	int ret = 0;

	/* the model files, recursively; links only to files in the project */
	sg_dir_files(cat->arena, cfg ? cfg->root : NULL, dir, true, is_model_file,
		     d, &files, &nfiles);
	for (size_t i = 0; i < cat->nobjs; i++)
		if (cat->objs[i]->kind == SG_KIND_SCHEMA)
			SG_VEC_PUSH(cat->arena, &schemas.v,
				    (struct sg_schema *)cat->objs[i]);
	ensure_public(cat, cfg, &schemas);
	for (size_t i = 0; i < nfiles; i++) {
		size_t len;
		char *text = sg_read_file(files[i], &len);

		if (!text) {
			sg_diag_error(d, (struct sg_loc){ .file = sg_file_id(files[i]) },
				      "cannot read file: %s", strerror(errno));
			continue;
		}
		if (digest)
			digest_add(&sums, files[i], text, len);
		load_buffer(files[i], text, len, cfg, cat, d, &schemas);
		free(text);
	}
	if (digest)
		sg_sha256_hex(sums.buf, sums.len, digest);
	sbuf_release(&sums);
	apply_owners(cat, cfg, d);
	if (sg_catalog_check(cat, d) < 0 || d->nerrors > 0)
		ret = -1;
	return ret;
}
