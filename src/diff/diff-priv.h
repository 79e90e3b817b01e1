/* SPDX-License-Identifier: MIT */
/*
 * diff-priv.h - what the per-kind parts of the differ share (src/diff/
 * only).
 *
 * Adding a kind: write src/diff/<kind>.c with its pair function (and create
 * and drop when the default single CREATE/DROP change is not enough), or,
 * for a child of tables, the walk of a pair of tables' children of the kind
 * (diff_children() does the matching), declare them below, and give the
 * kind its row in kind_ops[] in diff.c.
 */
#ifndef SG_DIFF_PRIV_H
#define SG_DIFF_PRIV_H

#include <stdbool.h>
#include <stddef.h>

#include "schemagen/arena.h"
#include "schemagen/diag.h"
#include "schemagen/diff.h"
#include "schemagen/model.h"

struct differ {
	struct sg_arena *a;
	const struct sg_catalog *from, *to;
	struct sg_changes *out;
	struct sg_diags *d;
	int errors;
	/* declared table renames: from-table -> to-table, and back */
	SG_VEC(const struct sg_table *) rn_from;
	SG_VEC(const struct sg_table *) rn_to;
	/* declared renames of views and routines (same kind, same relkind or
	 * prokind): from-object -> to-object */
	SG_VEC(const struct sg_object *) orn_from;
	SG_VEC(const struct sg_object *) orn_to;
	/* extensions that move: old schema -> new schema (types.c) */
	SG_VEC(const char *) xm_from;
	SG_VEC(const char *) xm_to;
};

struct colmap;
struct diff_kind_ops {
	void (*pair)(struct differ *df, const struct sg_object *f,
		     const struct sg_object *t);
	void (*create)(struct differ *df, const struct sg_object *t);
	void (*drop)(struct differ *df, const struct sg_object *f);
	/* child kinds: the children of this kind of a pair of tables */
	void (*children)(struct differ *df, struct colmap *m);
	/* top-level kinds that take renamed_from (but tables, renamed on
	 * their own path): the changes of a declared rename's pair, from
	 * ALTER ... RENAME TO on (diff_renamed_pair() for the plain case) */
	void (*renamed)(struct differ *df, const struct sg_object *f,
			const struct sg_object *t);
};

/* Records a change (from/to NULL as the op requires). */
struct sg_change *diff_add(struct differ *df, enum sg_op op,
			   const struct sg_object *from,
			   const struct sg_object *to, sg_chg what);
/* The to-side table a renamed from-side table becomes, or NULL. */
const struct sg_table *diff_renamed_table(const struct differ *df,
					  const struct sg_table *ft);
/* Is o one side of a declared rename (table, view, routine)? */
bool diff_is_renamed(const struct differ *df, const struct sg_object *o,
		     bool from_side);
/*
 * text (a from-side definition: a view's query, a function's or trigger's
 * definition) with the declared view and routine renames applied, so that
 * it compares equal to the to-side text when only those names changed:
 * PostgreSQL tracks what a definition uses by oid and prints the current
 * names.  A qualified schema.old becomes schema.new, and a relation's bare
 * old name used as a reference (old.column) becomes new.  text itself when
 * nothing is renamed.  A routine is named by its name alone, which its
 * overloads share: with self set, only self's own rename applies among the
 * routines (a function's definition names the function itself).
 */
const char *diff_renamed_text(struct differ *df, const char *text,
			      const struct sg_object *self);
bool diff_seqopts_equal(const struct sg_seqopts *a, const struct sg_seqopts *b,
			bool with_type);

/*
 * Privileges and row-level security (security.c).  diff_grants() is the
 * one comparison of privileges: every pair function ORs it into the `what`
 * of its object's ALTER (SG_CHG_GRANTS), whatever the kind.
 */
sg_chg diff_grants(const struct sg_object *f, const struct sg_object *t);
/* The name a from-side object has in `to` (a declared rename: languages,
 * wrappers, servers), else name itself (diff.c). */
const char *diff_new_name(const struct differ *df, enum sg_kind kind,
			  const char *name);
/*
 * The safety net walk_kind() runs after every top-level pair function: when
 * the changes it recorded (from index first on) neither carry the grants of
 * the pair nor drop or create it, and the grants differ, an ALTER with
 * SG_CHG_GRANTS alone is added.  A pair function may so leave privileges
 * out; one that ORs diff_grants() into its own ALTER is not doubled.
 */
void diff_grants_unless_said(struct differ *df, const struct sg_object *f,
			     const struct sg_object *t, size_t first);
/* ALTER ... OWNER TO when both sides name different owners (security.c). */
void diff_owner_unless_said(struct differ *df, const struct sg_object *f,
			    const struct sg_object *t, size_t first);
sg_chg diff_rls(const struct sg_table *f, const struct sg_table *t);
/* The policies of a table pair (children, by name). */
void diff_policies(struct differ *df, const struct sg_table *ft,
		   const struct sg_table *tt);

/* foreign.c: foreign data wrappers, servers, user mappings */
void diff_fdw_pair(struct differ *df, const struct sg_object *f,
		   const struct sg_object *t);
void diff_server_pair(struct differ *df, const struct sg_object *f,
		      const struct sg_object *t);
void diff_user_mapping_pair(struct differ *df, const struct sg_object *f,
			    const struct sg_object *t);

void diff_table_pair(struct differ *df, const struct sg_table *ft,
		     const struct sg_table *tt);
/* A table created or dropped with all its children. */
void diff_create_table(struct differ *df, const struct sg_table *t);
/* ftable.c: foreign tables */
void diff_foreign_table_pair(struct differ *df, const struct sg_object *f,
			     const struct sg_object *t);
void diff_foreign_table_create(struct differ *df, const struct sg_object *t);
void diff_foreign_table_drop(struct differ *df, const struct sg_object *f);
void diff_drop_table(struct differ *df, const struct sg_table *t);

/* partition.c: partitioning, inheritance, table settings */
bool diff_table_needs_rebuild(const struct sg_table *ft, const struct sg_table *tt);
void diff_table_rebuild(struct differ *df, const struct sg_table *ft,
			const struct sg_table *tt);
void diff_table_props(struct differ *df, const struct sg_table *ft,
		      const struct sg_table *tt);
/* Marks or rewrites the changes out[first..] of children that come from
 * parents (SG_CHG_IMPLIED, renames of clones, index attachment). */
void diff_inherited_children(struct differ *df, const struct sg_table *ft,
			     const struct sg_table *tt, size_t first);
/* Column drops of INHERITS parents whose children keep the column. */
void diff_columns_kept_by_children(struct differ *df);
void diff_mark_created(struct differ *df, const struct sg_table *tt, size_t first);
void diff_mark_dropped(struct differ *df, const struct sg_table *ft, size_t first);
/* Do two indexes differ in their storage parameters only? */
bool diff_index_options_only(struct differ *df, const struct sg_index *f,
			     const struct sg_index *t);

/* The indexes of two relations of the same name (no renames). */
void diff_relation_indexes(struct differ *df, const struct sg_table *ft,
			   const struct sg_table *tt);

void diff_enum_pair(struct differ *df, const struct sg_enum *f,
		    const struct sg_enum *t);
void diff_sequence_pair(struct differ *df, const struct sg_sequence *f,
			const struct sg_sequence *t);

/* Views and materialized views (view.c). */
void diff_view_pair(struct differ *df, const struct sg_object *f,
		    const struct sg_object *t);
void diff_view_create(struct differ *df, const struct sg_object *t);
void diff_view_drop(struct differ *df, const struct sg_object *f);
/* A declared rename: ALTER ... RENAME, then the pair's other changes; or a
 * drop and a create when the view must be re-created anyway. */
void diff_view_renamed(struct differ *df, const struct sg_object *f,
		       const struct sg_object *t);

/* types.c: extensions, collations, domains, composite types */
void diff_extension_pair(struct differ *df, const struct sg_object *f,
			 const struct sg_object *t);
void diff_extension_create(struct differ *df, const struct sg_object *t);
void diff_extension_drop(struct differ *df, const struct sg_object *f);
void diff_language_pair(struct differ *df, const struct sg_object *f,
			const struct sg_object *t);
void diff_collation_pair(struct differ *df, const struct sg_object *f,
			 const struct sg_object *t);
void diff_domain_pair(struct differ *df, const struct sg_object *f,
		      const struct sg_object *t);
bool diff_domain_checks_equal(const struct sg_domain *f,
			      const struct sg_domain *t);
void diff_composite_pair(struct differ *df, const struct sg_object *f,
			 const struct sg_object *t);
/* Records the schemas of the extensions that move (before the walk). */
void diff_find_extension_moves(struct differ *df);
/*
 * Are two type names the same type, one spelled with the schema an
 * extension leaves and the other with the one it moves to (format_type
 * qualifies an extension's types with its schema)?
 */
bool diff_same_type_moved(const struct differ *df, const char *f, const char *t);
/* function.c: functions and procedures; triggers, the children of a
 * relation (tables here, views from their own pair, create and drop) */
void diff_function_pair(struct differ *df, const struct sg_function *f,
			const struct sg_function *t);
/* A declared rename of a routine (see diff_view_renamed). */
void diff_function_renamed(struct differ *df, const struct sg_object *f,
			   const struct sg_object *t);
/* aggregate.c, operator.c */
void diff_aggregate_pair(struct differ *df, const struct sg_object *f,
			 const struct sg_object *t);
/* A declared rename of an aggregate (see diff_view_renamed). */
void diff_aggregate_renamed(struct differ *df, const struct sg_object *f,
			    const struct sg_object *t);
void diff_operator_pair(struct differ *df, const struct sg_object *f,
			const struct sg_object *t);
/* opclass.c */
void diff_opfamily_pair(struct differ *df, const struct sg_object *f,
			const struct sg_object *t);
void diff_opclass_pair(struct differ *df, const struct sg_object *f,
		       const struct sg_object *t);
void diff_triggers(struct differ *df, const struct sg_table *ft,
		   const struct sg_table *tt);
void diff_create_triggers(struct differ *df, const struct sg_table *t);
void diff_drop_triggers(struct differ *df, const struct sg_table *f);

/* textsearch.c: dictionaries and configurations, and their declared
 * renames (the rename, then the pair; or a drop and a create) */
void diff_ts_pair(struct differ *df, const struct sg_object *f,
		  const struct sg_object *t);
void diff_ts_renamed(struct differ *df, const struct sg_object *f,
		     const struct sg_object *t);

/*
 * statistics.c: statistics objects of a table pair; rule.c: rules of a
 * relation pair (tables here, views from their own pair, create and
 * drop).
 */
void diff_statistics(struct differ *df, const struct sg_table *ft,
		     const struct sg_table *tt);
void diff_rules(struct differ *df, const struct sg_table *ft,
		const struct sg_table *tt);
void diff_create_rules(struct differ *df, const struct sg_table *t);
void diff_drop_rules(struct differ *df, const struct sg_table *f);
/* Database-wide kinds (issue 10): casts (cast.c), event triggers
 * (evtrigger.c, with their declared renames). */
void diff_cast_pair(struct differ *df, const struct sg_object *f,
		    const struct sg_object *t);
void diff_event_trigger_pair(struct differ *df, const struct sg_object *f,
			     const struct sg_object *t);
void diff_event_trigger_renamed(struct differ *df, const struct sg_object *f,
				const struct sg_object *t);
/* publication.c */
void diff_publication_pair(struct differ *df, const struct sg_object *f,
			   const struct sg_object *t);
void diff_publication_renamed(struct differ *df, const struct sg_object *f,
			      const struct sg_object *t);

/*
 * A table's children of one kind, diffed by name (diff.c): pair() handles
 * the two of a name; same(), when there is one, says whether two of
 * different names are the same child renamed, looked for only in tables
 * with declared renames (m); the rest are dropped and created.
 */
struct colmap;
struct child_ops {
	void (*pair)(struct differ *df, struct colmap *m, const struct sg_object *f,
		     const struct sg_object *t);
	bool (*same)(struct differ *df, struct colmap *m, const struct sg_object *f,
		     const struct sg_object *t);
};
void diff_children(struct differ *df, struct colmap *m,
		   const struct sg_object *const *fv, size_t fn,
		   const struct sg_object *const *tv, size_t tn,
		   const struct child_ops *ops);
/* An array of children (struct sg_trigger **, ...) as their objects. */
#define DIFF_CHILD_OBJS(a, v, n)                                              \
	diff_child_objs((a), (const void *const *)(v), (n),                    \
			offsetof(__typeof__(**(v)), obj))
const struct sg_object *const *diff_child_objs(struct sg_arena *a,
					       const void *const *v, size_t n,
					       size_t off);
/*
 * Children that PostgreSQL can rename (statistics.c): those that declare
 * renamed_from pair with the child of the old name (in either direction)
 * and are renamed when same() says they are the same, then pair(); the
 * others go to diff_children() (m is NULL in both callbacks).
 */
void diff_renamed_children(struct differ *df, const struct sg_object *const *fv,
			   size_t fn, const struct sg_object *const *tv, size_t tn,
			   const struct child_ops *ops);

#endif
