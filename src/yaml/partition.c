// SPDX-License-Identifier: MIT
/*
 * partition.c - the keys of a table about partitioning, inheritance and
 * storage (docs/models.md, "Partitioned tables and partitions", "Table
 * inheritance", "Storage"):
 *
 *   partition_by: RANGE (created_at)        the table is partitioned
 *   partitions: {name: {bounds: ..., ...}}  its partitions, in its schema
 *   partition_of: [schema.]table            a partition declared on its own
 *   bounds: FOR VALUES ... | DEFAULT        a partition's bounds
 *   inherits: [[schema.]table, ...]         INHERITS parents, in order
 *   unlogged: true
 *   storage: {fillfactor: 70, toast.autovacuum_enabled: false}
 *   replica_identity: default | full | nothing | {index: name}
 *
 * and the storage parameters of an index (`with:`).  The SQL clauses
 * (partition_by, bounds) are checked with PostgreSQL's parser inside the
 * statement they go into, so an error points into the model file.  What
 * needs the other tables (the parent exists and is partitioned, inherited
 * columns exist in it, attached_to names one of its indexes) is checked in
 * model/check.c once every file is read.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "schemagen/arena.h"
#include "schemagen/diag.h"
#include "schemagen/model.h"
#include "schemagen/quote.h"
#include "schemagen/sql.h"
#include "yaml-priv.h"

/*
 * A clause checked by PostgreSQL's parser as exactly that clause
 * (SG_FRAG_PARTITION_BY or SG_FRAG_PARTITION_BOUND), kept with its line
 * comments blanked (sg_sql_fragment).
 */
static const char *get_clause(struct loader *l, const struct ynode *v,
			      const char *key, enum sg_frag kind,
			      const char *what, struct sg_loc *loc)
{
	const char *s;

	if (!yget_str(l->d, l->t, v, key, &s))
		return NULL;
	if (!s || strspn(s, " \t\r\n") == strlen(s)) {
		sg_diag_error(l->d, v->loc, "%s is empty", what);
		return NULL;
	}
	if (!(s = sg_sql_fragment(l->a, kind, s, v->vloc, what, l->d)))
		return NULL;
	*loc = v->vloc;
	return s;
}

/* "table" or "schema.table" (names literal), or {schema:, table:}. */
static const char *table_ref(struct loader *l, const struct ynode *v,
			     const char *key)
{
	static const char *const keys[] = { "schema", "table" };
	const char *schema = l->schema, *name;

	if (v->type == YN_SCALAR && !ynode_is_null(v)) {
		const char *dot = strchr(v->str, '.');

		if (strlen(v->str) != v->len || v->len == 0 || (dot && (dot == v->str ||
		    !dot[1] || strchr(dot + 1, '.')))) {
			struct sg_diag *dg = sg_diag_error(
				l->d, v->loc, "\"%s\" must be table or schema.table, "
				"found %s", key, ynode_found(l->t, v));

			sg_diag_hint(dg, l->d, "names with a dot need the mapping "
				     "form {schema: ..., table: ...}");
			return NULL;
		}
		if (dot) {
			schema = sg_strndup(l->t, v->str, (size_t)(dot - v->str));
			name = dot + 1;
		} else {
			name = v->str;
		}
		if (strlen(schema) > SG_NAME_MAX || strlen(name) > SG_NAME_MAX) {
			sg_diag_error(l->d, v->loc, "\"%s\" names a schema or table "
				      "longer than %d bytes", key, SG_NAME_MAX);
			return NULL;
		}
		return sg_qq(l->a, schema, name);
	}
	if (v->type == YN_MAP) {
		const struct ynode *sn = NULL, *tn = NULL;

		for (size_t i = 0; i + 1 < v->nkids; i += 2) {
			const struct ynode *k = v->kids[i];

			if (!ykey_ok(l->d, l->t, k))
				continue;
			if (strcmp(k->str, "schema") == 0)
				sn = v->kids[i + 1];
			else if (strcmp(k->str, "table") == 0)
				tn = v->kids[i + 1];
			else
				yunknown_key(l->d, k, keys, ARRAY_SIZE(keys),
					     sg_printf(l->t, "\"%s\"", key));
		}
		if (!tn) {
			sg_diag_error(l->d, v->loc, "missing key \"table\" in \"%s\"",
				      key);
			return NULL;
		}
		if ((sn && !yname_ok(l->d, l->t, sn, "schema name")) ||
		    !yname_ok(l->d, l->t, tn, "table name"))
			return NULL;
		return sg_qq(l->a, sn ? sn->str : schema, tn->str);
	}
	yexpect(l->d, l->t, v, "table, schema.table or a mapping {schema:, table:}");
	return NULL;
}

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

const char **load_storage(struct loader *l, const struct ynode *v,
			  const char *what, size_t *n)
{
	const char **out;
	size_t k = 0;

	*n = 0;
	if (ynode_is_null(v))
		return NULL;
	if (v->type != YN_MAP) {
		struct sg_diag *dg = yexpect(l->d, l->t, v, sg_printf(
			l->t, "a mapping of %s to values", what));

		sg_diag_hint(dg, l->d, "for example {fillfactor: 70}");
		return NULL;
	}
	out = sg_alloc_array(l->a, v->nkids / 2 + 1, sizeof(*out));
	for (size_t i = 0; i + 1 < v->nkids; i += 2) {
		const struct ynode *key = v->kids[i], *val = v->kids[i + 1];
		const char *name = key->str, *dot;

		if (!ykey_ok(l->d, l->t, key))
			continue;
		dot = strchr(name, '.');
		if (key->len == 0 || strlen(name) != key->len ||
		    strchr(name, '=') || key->len > SG_NAME_MAX + 6 ||
		    (dot && (dot == name || !dot[1] || strchr(dot + 1, '.')))) {
			sg_diag_error(l->d, key->loc, "bad storage parameter name %s",
				      ynode_found(l->t, key));
			continue;
		}
		if (val->type != YN_SCALAR || ynode_is_null(val) ||
		    strlen(val->str) != val->len) {
			yexpect(l->d, l->t, val, sg_printf(l->t, "a value for %s",
							   yq(l->t, name)));
			continue;
		}
		out[k++] = sg_printf(l->a, "%s=%s", name, val->str);
	}
	if (k > 1)
		qsort(out, k, sizeof(*out), str_cmp);
	*n = k;
	return out;
}

/* partition_by: the strategy word is checked here, the rest by the parser. */
static void load_partition_by(struct loader *l, struct sg_table *t,
			      const struct ynode *v)
{
	static const char *const words[] = { "RANGE", "LIST", "HASH" };
	const char *key = get_clause(l, v, "partition_by",
				     SG_FRAG_PARTITION_BY,
				     "\"partition_by\"", &t->partition_key_loc);
	size_t wl;
	bool known = false;

	if (!key)
		return;
	key += strspn(key, " \t\r\n");
	wl = strcspn(key, " \t\r\n(");
	for (size_t i = 0; i < ARRAY_SIZE(words); i++)
		known = known || (wl == strlen(words[i]) &&
				  strncasecmp(key, words[i], wl) == 0);
	if (!known) {
		struct sg_diag *dg = sg_diag_error(
			l->d, v->loc, "\"partition_by\" must start with RANGE, LIST "
			"or HASH, found %s", yq(l->t, sg_strndup(l->t, key, wl)));

		sg_diag_hint(dg, l->d, "for example \"RANGE (created_at)\"");
		return;
	}
	t->relkind = 'p';
	t->partition_key = key;
}

static void load_inherits(struct loader *l, struct sg_table *t,
			  const struct ynode *v)
{
	const char **names;
	size_t k = 0;

	if (ynode_is_null(v))
		return;
	if (v->type != YN_SEQ) {
		struct sg_diag *dg = yexpect(l->d, l->t, v, "a list of tables");

		if (v->type == YN_SCALAR)
			sg_diag_hint(dg, l->d, "write [%s]", v->str);
		return;
	}
	names = sg_alloc_array(l->a, v->nkids + 1, sizeof(*names));
	for (size_t i = 0; i < v->nkids; i++) {
		const char *n = table_ref(l, v->kids[i], "inherits");
		bool dup = false;

		for (size_t j = 0; n && j < k && !dup; j++)
			dup = strcmp(names[j], n) == 0;
		if (dup)
			sg_diag_error(l->d, v->kids[i]->loc, "table %s appears twice "
				      "in \"inherits\"", n);
		else if (n)
			names[k++] = n;
	}
	t->inherits = names;
	t->ninherits = k;
	t->inherits_tables = sg_alloc_array(l->a, k + 1, sizeof(*t->inherits_tables));
	t->inherits_loc = v->loc;
}

static void load_replica(struct loader *l, struct sg_table *t,
			 const struct ynode *v)
{
	static const char *const words[] = { "default", "full", "nothing" };

	if (ynode_is_null(v))
		return;
	t->replica_loc = v->loc;
	if (v->type == YN_SCALAR) {
		const char *s;

		if (strcmp(v->str, "default") == 0)
			return;
		if (strcmp(v->str, "full") == 0) {
			t->replica_identity = 'f';
			return;
		}
		if (strcmp(v->str, "nothing") == 0) {
			t->replica_identity = 'n';
			return;
		}
		s = sg_suggest(v->str, words, ARRAY_SIZE(words));
		{
			struct sg_diag *dg = sg_diag_error(
				l->d, v->loc, "\"replica_identity\" must be default, "
				"full, nothing or {index: name}, found %s",
				ynode_found(l->t, v));

			if (s)
				sg_diag_hint(dg, l->d, "did you mean \"%s\"?", s);
		}
		return;
	}
	if (v->type == YN_MAP) {
		static const char *const keys[] = { "index" };
		const struct ynode *ix = NULL;

		for (size_t i = 0; i + 1 < v->nkids; i += 2) {
			const struct ynode *k = v->kids[i];

			if (!ykey_ok(l->d, l->t, k))
				continue;
			if (strcmp(k->str, "index") == 0)
				ix = v->kids[i + 1];
			else
				yunknown_key(l->d, k, keys, 1, "\"replica_identity\"");
		}
		if (!ix) {
			sg_diag_error(l->d, v->loc, "missing key \"index\" in "
				      "\"replica_identity\"");
			return;
		}
		if (!yname_ok(l->d, l->t, ix, "index name"))
			return;
		t->replica_identity = 'i';
		t->replica_index = sg_strdup(l->a, ix->str);
		t->replica_loc = ix->loc;
		return;
	}
	yexpect(l->d, l->t, v, "default, full, nothing or {index: name}");
}

void load_table_extra(struct loader *l, struct sg_table *t, const char *tq,
		      const struct table_extra *x, struct sg_table *parent)
{
	bool unlogged = false;

	if (x->partition_by && !ynode_is_null(x->partition_by))
		load_partition_by(l, t, x->partition_by);
	if (parent) {
		t->partition_of = sg_qq(l->a, parent->obj.schema, parent->obj.name);
		t->partition_parent = parent;
		t->partition_of_loc = t->obj.loc;
		if (x->partition_of) {
			struct sg_diag *dg = sg_diag_error(
				l->d, x->partition_of->loc, "a table listed under "
				"\"partitions\" of table %s has no \"partition_of\"",
				yq(l->t, parent->obj.name));

			sg_diag_hint(dg, l->d, "it is a partition of that table; "
				     "remove \"partition_of\"");
		}
	} else if (x->partition_of && !ynode_is_null(x->partition_of)) {
		t->partition_of = table_ref(l, x->partition_of, "partition_of");
		t->partition_of_loc = x->partition_of->loc;
	}
	if (x->bounds && !ynode_is_null(x->bounds)) {
		if (!t->partition_of && !parent && !x->partition_of) {
			struct sg_diag *dg = sg_diag_error(
				l->d, x->bounds->loc, "table %s has \"bounds\" but is "
				"not a partition", tq);

			sg_diag_hint(dg, l->d, "add \"partition_of\", or list it "
				     "under \"partitions\" of its parent");
		} else {
			t->partition_bound = get_clause(
				l, x->bounds, "bounds",
				SG_FRAG_PARTITION_BOUND,
				sg_printf(l->t, "\"bounds\" of partition %s", tq),
				&t->partition_bound_loc);
		}
	} else if (parent || (x->partition_of && !ynode_is_null(x->partition_of))) {
		struct sg_diag *dg = sg_diag_error(
			l->d, t->obj.loc, "partition %s has no \"bounds\"", tq);

		sg_diag_hint(dg, l->d, "write \"bounds: FOR VALUES ...\" or "
			     "\"bounds: DEFAULT\"");
	}
	if (x->inherits && !ynode_is_null(x->inherits)) {
		if (t->partition_of || parent || t->partition_key) {
			sg_diag_error(l->d, x->inherits->loc, "%s %s cannot have "
				      "\"inherits\"", t->partition_key
				      ? "partitioned table" : "partition", tq);
		} else {
			load_inherits(l, t, x->inherits);
		}
	}
	if (x->unlogged && yget_bool(l->d, l->t, x->unlogged, "unlogged", &unlogged))
		t->unlogged = unlogged;
	if (x->storage && t->partition_key && !ynode_is_null(x->storage)) {
		struct sg_diag *dg = sg_diag_error(
			l->d, x->storage->loc, "partitioned table %s has no "
			"storage parameters of its own", tq);

		sg_diag_hint(dg, l->d, "set them on its partitions");
	} else if (x->storage) {
		t->reloptions = load_storage(l, x->storage, "storage parameters",
					     &t->nreloptions);
	}
	if (x->replica)
		load_replica(l, t, x->replica);
}

void load_partitions(struct loader *l, struct sg_table *t, const char *tq,
		     const struct ynode *v)
{
	if (!v || ynode_is_null(v))
		return;
	if (!t->partition_key) {
		struct sg_diag *dg = sg_diag_error(
			l->d, v->loc, "table %s has \"partitions\" but no "
			"\"partition_by\"", tq);

		sg_diag_hint(dg, l->d, "add \"partition_by: RANGE (...)\", LIST "
			     "or HASH");
		return;
	}
	if (v->type != YN_MAP) {
		yexpect(l->d, l->t, v, "a mapping of partition names to definitions");
		return;
	}
	for (size_t i = 0; i + 1 < v->nkids; i += 2) {
		const struct ynode *p = v->kids[i + 1];

		if (!ykey_ok(l->d, l->t, v->kids[i]))
			continue;
		/* a foreign partition is a foreign table (ftable.c) */
		for (size_t k = 0; p->type == YN_MAP && k + 1 < p->nkids; k += 2) {
			if (p->kids[k]->type != YN_SCALAR ||
			    strcmp(p->kids[k]->str, "server") != 0)
				continue;
			sg_diag_hint(sg_diag_error(
				l->d, p->kids[k]->loc, "partition %s of table %s has "
				"\"server\": a foreign partition is declared under "
				"\"foreign_tables:\"", yq(l->t, v->kids[i]->str), tq),
				l->d, "foreign_tables: {%s: {server: ..., partition_of: "
				"%s, bounds: ...}}", v->kids[i]->str, t->obj.name);
			p = NULL;
			break;
		}
		if (p)
			load_table_in(l, v->kids[i], v->kids[i + 1], t);
	}
}

/* The replica identity index must be one of the table's unique ones. */
void check_replica_index(struct loader *l, struct sg_table *t, const char *tq)
{
	if (t->replica_identity != 'i' || !t->replica_index)
		return;
	for (size_t i = 0; i < t->nindexes; i++)
		if (strcmp(t->indexes[i]->obj.name, t->replica_index) == 0)
			return;
	for (size_t i = 0; i < t->nconstraints; i++)
		if (strcmp(t->constraints[i]->obj.name, t->replica_index) == 0 &&
		    (t->constraints[i]->type == 'p' || t->constraints[i]->type == 'u'))
			return;
	sg_diag_error(l->d, t->replica_loc, "\"replica_identity\" names index %s, "
		      "which is not a named index, primary key or unique "
		      "constraint of table %s", yq(l->t, t->replica_index), tq);
}
