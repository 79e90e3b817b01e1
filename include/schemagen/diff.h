/* SPDX-License-Identifier: MIT */
/*
 * diff.h - what differs between two catalogs (src/diff/).
 *
 * diff_catalogs(from, to) merge-walks the per-kind sorted arrays of both
 * catalogs (pgquarrel's quarrel* functions) and records one change per
 * object that must be created, dropped, altered or renamed to turn `from`
 * into `to`.  It says *what* changed; order/ decides when, emit/ how.
 * Upgrade = diff(live, desired); downgrade = diff(desired, live).
 */
#ifndef SG_DIFF_H
#define SG_DIFF_H

#include <stdbool.h>
#include <stddef.h>
#include "schemagen/model.h"

enum sg_op {
	SG_OP_CREATE,   /* to */
	SG_OP_DROP,     /* from */
	SG_OP_ALTER,    /* from -> to, `what` says which parts */
	SG_OP_RENAME,   /* from -> to (declared with renamed_from) */
};

/* Bits of sg_change.what for SG_OP_ALTER. */
enum {
	SG_CHG_COMMENT       = 1 << 0,
	SG_CHG_TYPE          = 1 << 1,   /* column type or collation */
	SG_CHG_NOT_NULL      = 1 << 2,
	SG_CHG_DEFAULT       = 1 << 3,
	SG_CHG_IDENTITY      = 1 << 4,   /* identity added, dropped or switched */
	SG_CHG_IDENTITY_OPTS = 1 << 5,
	SG_CHG_SEQ_OPTS      = 1 << 6,
	/* sequence OWNED BY: always a change of its own, never combined with
	 * other bits; `from` is NULL when it follows the sequence's CREATE */
	SG_CHG_OWNED_BY      = 1 << 7,
	SG_CHG_ENUM_VALUES   = 1 << 8,   /* values added */
	SG_CHG_VALIDATE      = 1 << 9,   /* NOT VALID constraint becomes valid */
	/*
	 * An enum whose values are removed or reordered is rebuilt: its DROP
	 * and CREATE carry this bit; the old type is renamed aside first, the
	 * columns that use it are recast through text (SG_CHG_RECAST on their
	 * ALTER), then the old type is dropped.
	 */
	SG_CHG_REBUILD       = 1 << 10,
	SG_CHG_RECAST        = 1 << 11,  /* column: TYPE ... USING col::text::type */
	/* for the kinds of issue 3 (views, functions, triggers, policies, ...) */
	SG_CHG_GRANTS        = 1 << 12,  /* privileges (GRANT / REVOKE) */
	/* replaceable in place (CREATE OR REPLACE); on the DROP and CREATE of
	 * an object dropped and created again because its definition changed
	 * (a view whose columns change), it says so to summaries */
	SG_CHG_DEFINITION    = 1 << 13,
	SG_CHG_OPTIONS       = 1 << 14,  /* storage parameters / view options */
	SG_CHG_RLS           = 1 << 15,  /* ENABLE / FORCE ROW LEVEL SECURITY */
	SG_CHG_REPLICA       = 1 << 16,  /* REPLICA IDENTITY */
	SG_CHG_PERSISTENCE   = 1 << 17,  /* SET LOGGED / UNLOGGED */
	SG_CHG_ENABLED       = 1 << 18,  /* trigger enabled state */
	SG_CHG_PARTITION     = 1 << 19,  /* attach / detach, bounds */
	SG_CHG_VERSION       = 1 << 20,  /* extension version */
	SG_CHG_DOMAIN        = 1 << 21,  /* domain default, NOT NULL, checks */
	SG_CHG_ATTRIBUTES    = 1 << 22,  /* composite type attributes */
	SG_CHG_ENUM_RENAME   = 1 << 23,  /* enum values renamed */
	SG_CHG_INHERIT       = 1 << 24,  /* INHERIT / NO INHERIT */
	SG_CHG_POLICY        = 1 << 25,  /* policy roles / USING / WITH CHECK */
	/*
	 * Column, on a DROP or CREATE made by the orderer: only the column's
	 * default is dropped (DROP) or set again (CREATE), around a function
	 * its default calls that is dropped and created again.
	 */
	SG_CHG_AROUND        = 1 << 26,
	/*
	 * With SG_CHG_PARTITION or SG_CHG_INHERIT on a table: the detaching
	 * half (DETACH PARTITION, NO INHERIT); without it, the attaching
	 * half (ATTACH PARTITION, INHERIT).
	 */
	SG_CHG_DETACH        = 1 << 27,
	/*
	 * A change PostgreSQL makes by itself as part of another (a
	 * partition's column added with its parent's, an index cloned onto a
	 * new partition): the orderer folds it into the step that causes it,
	 * emit writes nothing for it but a rename to a name other than
	 * PostgreSQL's default.
	 */
	SG_CHG_IMPLIED       = 1 << 28,
	/* schema: default privileges (ALTER DEFAULT PRIVILEGES IN SCHEMA) */
	SG_CHG_DEFACL        = 1 << 29,
	/*
	 * Column DROP on a table whose INHERITS children keep the column as
	 * their own: ALTER TABLE ONLY ... DROP COLUMN, which leaves the
	 * children's copies, with their data, local (attislocal).
	 */
	SG_CHG_ONLY          = 1 << 30,
};

struct sg_change {
	enum sg_op op;
	enum sg_kind kind;
	const struct sg_object *from;
	const struct sg_object *to;
	unsigned what;
	int id;                 /* position in the change list */
	/*
	 * SG_CHG_RECAST of a column: the type being rebuilt (from side) and
	 * what it becomes (to side), set by the orderer, so that a column of
	 * a rebuilt composite type is converted attribute by attribute.
	 */
	const struct sg_object *recast_from, *recast_to;
};

struct sg_changes {
	struct sg_change **v;
	size_t n, cap;
};

/*
 * Computes the changes; `to` objects with renamed_from (or `from` objects
 * with renamed_from, for the reverse direction) pair up with the object of
 * the old name.  Returns 0, or -1 after adding diagnostics for changes
 * schemagen cannot make (with the object's model location when known).
 */
struct sg_diags;
int diff_catalogs(struct sg_arena *a, const struct sg_catalog *from,
		  const struct sg_catalog *to, struct sg_changes *out,
		  struct sg_diags *d);

/* Does the differ have its row for this kind?  (tests/unit/t-kinds) */
bool diff_kind_supported(enum sg_kind kind);

#endif
