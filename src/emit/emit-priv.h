/* SPDX-License-Identifier: MIT */
/*
 * emit-priv.h - what the emitters of the different kinds share (src/emit/
 * only).  A statement is built in e->sql; pieces copied from model files are
 * appended with emit_frag_text()/emit_frag_ident() so an error PostgreSQL
 * reports inside them maps back to the YAML file; emit_finish() closes the
 * statement with ";" and appends it to the script.
 *
 * Adding a kind: write src/emit/<kind>.c with a function
 * `void emit_<kind>(struct emitter *, const struct sg_step *)`, declare it
 * below, give the kind its row in emit_kinds[] in emit.c (emitter, what
 * describe says of its ALTER) and the file in meson.build.
 */
#ifndef SG_EMIT_PRIV_H
#define SG_EMIT_PRIV_H

#include <stdbool.h>

#include "schemagen/arena.h"
#include "schemagen/diag.h"
#include "schemagen/diff.h"
#include "schemagen/model.h"
#include "schemagen/order.h"
#include "schemagen/sbuf.h"
#include "schemagen/script.h"

struct emitter {
	struct sg_arena *a;
	struct sg_script *script;
	struct sbuf sql;                       /* statement being built */
	SG_VEC(struct sg_srcfrag) frags;       /* its fragments */
	/* function.c: check_function_bodies is off (said once per script),
	 * and the model functions to create again with checks on at the end */
	bool bodies_unchecked;
	SG_VEC(const struct sg_function *) recheck;
	/* online.c: an online plan, and the tables the plan creates */
	bool online;
	SG_VEC(const struct sg_object *) new_tables;
	/* the plan's catalog (NULL: unknown): global default privileges */
	const struct sg_catalog *to;
};

/* Appends SQL text copied from a model file (exact location mapping). */
void emit_frag_text(struct emitter *e, const char *text, struct sg_loc loc);
/* Appends an identifier from a model file, quoted (inexact location). */
void emit_frag_ident(struct emitter *e, const char *ident, struct sg_loc loc);
/* Ends the statement: ";", into the script with its origin and warning. */
struct sg_stmt *emit_finish(struct emitter *e, const struct sg_object *origin,
			    const char *warning);
/* "table public.t" (sg_object_describe) in the arena, for warnings. */
const char *emit_object_text(struct emitter *e, const struct sg_object *obj);
/* schema.table of a child's relation, or of the object itself. */
void emit_table_name(struct emitter *e, const struct sg_object *obj);
/* "ALTER TABLE schema.table " for a child. */
void emit_alter_table(struct emitter *e, const struct sg_object *child);
/* COMMENT ON <sqlref> IS 'text' | NULL, as a statement. */
void emit_comment_on(struct emitter *e, const struct sg_object *obj,
		     const char *text);
/* DROP <kind> <name>, as COMMENT ON names it (sg_object_sqlref()). */
void emit_drop_object(struct emitter *e, const struct sg_object *obj);
/* ALTER <kind> <from's name> RENAME TO <to's bare name>: languages,
 * wrappers, servers (emit.c). */
void emit_rename_object(struct emitter *e, const struct sg_object *from,
			const struct sg_object *to);
/* The COMMENT after a CREATE, when there is one. */
void emit_comment_after_create(struct emitter *e, const struct sg_object *obj);
/* foreign.c: foreign data wrappers, servers, user mappings */
void emit_fdw(struct emitter *e, const struct sg_step *s);
void emit_server(struct emitter *e, const struct sg_step *s);
void emit_user_mapping(struct emitter *e, const struct sg_step *s);
void emit_describe_foreign(struct sbuf *out, const struct sg_change *c, int *n);
/* " OPTIONS (k 'v', ...)" (nothing when none), and the ALTER form
 * " OPTIONS (DROP k, SET k 'v', ADD k 'v')" from f's options to t's */
void emit_fdw_create_options(struct emitter *e, const struct sg_object *obj,
			     const struct sg_fdw_option *v, size_t n);
void emit_fdw_alter_options(struct emitter *e, const struct sg_object *obj,
			    const struct sg_fdw_option *f, size_t nf,
			    const struct sg_fdw_option *t, size_t nt);
/* ftable.c: foreign tables */
void emit_foreign_table(struct emitter *e, const struct sg_step *s);
void emit_describe_foreign_table(struct sbuf *out, const struct sg_change *c, int *n);
/* Is obj a foreign table or one's column or constraint? */
bool emit_of_foreign_table(const struct sg_object *obj);
/* Is `to` created by step s with it (a column in its CREATE)? */
bool emit_absorbed(const struct sg_step *s, const struct sg_object *to);
/* the comments of a table's columns and constraints its CREATE holds */
void emit_children_comments(struct emitter *e, const struct sg_step *s,
			    const struct sg_table *t);
/* "[CONSTRAINT name] definition" of a created constraint. */
void emit_constraint_clause(struct emitter *e, const struct sg_constraint *k);
/* "(a, b, c)", each name quoted. */
void emit_name_list(struct sbuf *out, const char *const *names, size_t n);
/* Sequence options that differ from PostgreSQL's defaults. */
void emit_seq_options(struct sbuf *out, const struct sg_seqopts *o,
		      bool with_type, const char *sep);

bool emit_seqopts_same_but_type(const struct sg_seqopts *a,
				const struct sg_seqopts *b);
/* The options that differ between two complete option sets. */
void emit_seq_option_changes(struct sbuf *out, const struct sg_seqopts *f,
			     const struct sg_seqopts *t, bool with_type,
			     const char *prefix, const char *sep);
/* "name type [COLLATE c] [GENERATED ...] [DEFAULT e] [NOT NULL]" */
void emit_column_definition(struct emitter *e, const struct sg_column *col);
/* A constraint's definition: the server's text or built from the model. */
void emit_constraint_definition(struct emitter *e, const struct sg_constraint *k);

/*
 * Where a rebuilt type (enum, domain, composite) or collation waits, renamed
 * aside, until the columns that use it have moved to the new one.
 */
const char *emit_stash_name(struct emitter *e, const char *name);
/* An index key or exclusion element: column or (expression), COLLATE,
 * operator class, DESC, NULLS FIRST/LAST. */
void emit_index_key(struct emitter *e, const struct sg_index_key *k);

/* CREATE INDEX ...: the server's text or built from the model. */
void emit_index_definition(struct emitter *e, const struct sg_index *ix);

/*
 * online.c: the online forms (see there).  emit_online_index() and
 * emit_online_constraint() write a change's statements and return true,
 * or write nothing and return false (not an online plan, a table the plan
 * creates, a kind without an online form).  emit_online_not_null(): is
 * a column's SET NOT NULL written by emit_online_set_not_null() instead?
 * emit_online_not_online() starts the statement being built with a
 * `-- not online: why` line (online plans only).
 */
bool emit_online_index(struct emitter *e, const struct sg_change *c);
bool emit_online_constraint(struct emitter *e, const struct sg_change *c);
bool emit_online_not_null(const struct emitter *e, const struct sg_change *c);
void emit_online_set_not_null(struct emitter *e, const struct sg_column *col);
void emit_online_not_online(struct emitter *e, const char *why);

/* partition.c: partitioning, inheritance, table settings, clones */
/* Clones with a name of their own, created before the step that adopts them. */
void emit_implied_before(struct emitter *e, const struct sg_step *s);
/* Comments of the clones a step made. */
void emit_implied_after(struct emitter *e, const struct sg_step *s);
/* An attached index or constraint nothing else makes: made and attached. */
void emit_implied_alone(struct emitter *e, const struct sg_step *s);
/*
 * Is the partition this step creates made as a table of its own and then
 * attached (so that PostgreSQL adopts the indexes and keys it has under
 * names of their own), rather than with CREATE TABLE ... PARTITION OF?
 */
bool emit_standalone_partition(const struct sg_step *s);
/* "CREATE [UNLOGGED] TABLE name [PARTITION OF parent]" */
void emit_table_head(struct emitter *e, const struct sg_table *t, bool standalone);
/* An inherited column in CREATE TABLE: true when handled (written as
 * "name WITH OPTIONS ..." for a partition, or left out). */
bool emit_table_column(struct emitter *e, const struct sg_table *t,
		       const struct sg_column *c, int *n, bool standalone);
/* Is a created table's constraint written in its CREATE TABLE? */
bool emit_table_constraint(const struct sg_table *t, const struct sg_constraint *k,
			   bool standalone);
/* " INHERITS (...)", " FOR VALUES ...", " PARTITION BY ...", " WITH (...)" */
void emit_table_tail(struct emitter *e, const struct sg_table *t, bool standalone);
/* After CREATE TABLE: the attachment of a standalone partition, clones
 * renamed, an INHERITS child's own settings. */
void emit_table_created(struct emitter *e, const struct sg_step *s,
			bool standalone);
/* DETACH PARTITION before a partition's DROP TABLE, when it must. */
void emit_table_drop_detach(struct emitter *e, const struct sg_change *c);
/* ALTER TABLE for partitions, inheritance, persistence, options, replica. */
void emit_table_alter(struct emitter *e, const struct sg_change *c);
/* ALTER INDEX ... SET/RESET, ATTACH PARTITION. */
void emit_index_alter(struct emitter *e, const struct sg_change *c);
/* pg_get_indexdef() of a partitioned index without ONLY. */
const char *emit_recursive_indexdef(struct emitter *e, const char *def);

/* Describes the partition, inheritance and settings parts of an ALTER. */
void emit_describe_partition(struct sbuf *out, const struct sg_change *c, int *n);
/* Appends ": " or ", " and a formatted part of a description. */
void emit_said(struct sbuf *out, int *n, const char *fmt, ...) SG_PRINTF(3, 4);

/*
 * Privileges and row-level security (security.c).  After a CREATE:
 * the object's grants (from what CREATE gives to what it has), a table's
 * ENABLE / FORCE ROW LEVEL SECURITY; both called by
 * emit_comment_after_create().  emit_security_alter() emits the
 * SG_CHG_GRANTS and SG_CHG_RLS parts of any ALTER (called by emit_plan()
 * for every step, after the kind's own emitter).
 */
void emit_grants_after_create(struct emitter *e, const struct sg_object *obj);
/* ALTER ... OWNER TO obj->owner, when it names one (security.c). */
void emit_owner(struct emitter *e, const struct sg_object *obj);
void emit_rls_after_create(struct emitter *e, const struct sg_object *obj);
void emit_security_alter(struct emitter *e, const struct sg_change *c);
/*
 * ALTER DEFAULT PRIVILEGES ... IN SCHEMA that turn the default privileges
 * of schema f (NULL: none, after CREATE SCHEMA) into those of t.
 */
void emit_defacls_change(struct emitter *e, const struct sg_schema *f,
			 const struct sg_schema *t);
/* ", grants to app: select -> insert, select" for emit_describe(). */
void emit_describe_security(struct sbuf *out, int *n, const struct sg_change *c);
/* Global default privileges (security.c). */
void emit_default_acl(struct emitter *e, const struct sg_step *s);
void emit_describe_default_acl(struct sbuf *out, const struct sg_change *c,
			       int *n);

/* The emitters, one per kind. */
void emit_table(struct emitter *e, const struct sg_step *s);
/* types.c */
void emit_extension(struct emitter *e, const struct sg_step *s);
void emit_collation(struct emitter *e, const struct sg_step *s);
void emit_language(struct emitter *e, const struct sg_step *s);
void emit_domain(struct emitter *e, const struct sg_step *s);
void emit_composite(struct emitter *e, const struct sg_step *s);
/* One line for check and diff summaries, after "~ <object>": what changed
 * in a domain, composite type or extension (", "-separated via said). */
void emit_describe_type(struct sbuf *out, const struct sg_change *c, int *n);
void emit_function(struct emitter *e, const struct sg_step *s);
void emit_trigger(struct emitter *e, const struct sg_step *s);
/* At the end of a script: the model functions created again with
 * check_function_bodies on (see function.c). */
void emit_functions_recheck(struct emitter *e);
void emit_view(struct emitter *e, const struct sg_step *s);
/* aggregate.c, operator.c */
void emit_aggregate(struct emitter *e, const struct sg_step *s);
void emit_operator(struct emitter *e, const struct sg_step *s);
/* opclass.c */
void emit_opfamily(struct emitter *e, const struct sg_step *s);
void emit_opclass(struct emitter *e, const struct sg_step *s);
/* "restrict", "join": what an operator's ALTER changes */
void emit_describe_operator(struct sbuf *out, const struct sg_change *c, int *n);
/* ", SQL = value" of each option given (the first without ", " when
 * *count is 0); *count counts them */
void emit_def_options(struct emitter *e, const struct sg_opt_info *info,
		      const char *const *opts, const struct sg_loc *locs, int n,
		      int *count);
void emit_policy(struct emitter *e, const struct sg_step *s);
/* textsearch.c: text search dictionaries and configurations */
void emit_ts(struct emitter *e, const struct sg_step *s);
void emit_describe_ts(struct sbuf *out, const struct sg_change *c, int *n);
/* statistics.c: statistics objects and rules, and what changed in them */
void emit_statistics(struct emitter *e, const struct sg_step *s);
void emit_rule(struct emitter *e, const struct sg_step *s);
void emit_describe_statistics(struct sbuf *out, const struct sg_change *c, int *n);
/* Database-wide kinds (issue 10): casts (cast.c), event triggers
 * (evtrigger.c) */
void emit_cast(struct emitter *e, const struct sg_step *s);
void emit_event_trigger(struct emitter *e, const struct sg_step *s);
void emit_describe_event_trigger(struct sbuf *out, const struct sg_change *c,
				 int *n);
/* publication.c */
void emit_publication(struct emitter *e, const struct sg_step *s);
void emit_describe_publication(struct sbuf *out, const struct sg_change *c, int *n);

#endif
