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
#include <stdint.h>
#include "schemagen/model.h"

enum sg_op {
	SG_OP_CREATE,   /* to */
	SG_OP_DROP,     /* from */
	SG_OP_ALTER,    /* from -> to, `what` says which parts */
	SG_OP_RENAME,   /* from -> to (declared with renamed_from) */
};

/*
 * The parts of an object an SG_OP_ALTER changes: a set of bits, sg_chg,
 * one bit per part (SG_CHG_COMMENT, ...), combined with | and tested with
 * &.  The bits are numbered by enum sg_chg_bit; sg_chg holds 64 of them
 * (a _Static_assert says when more are needed: make sg_chg wider then).
 */
typedef uint64_t sg_chg;
#define SG_CHG(bit) ((sg_chg)1 << (bit))

enum sg_chg_bit {
	SG_CHGB_COMMENT,
	SG_CHGB_TYPE,           /* column type or collation */
	SG_CHGB_NOT_NULL,
	SG_CHGB_DEFAULT,
	SG_CHGB_IDENTITY,       /* identity added, dropped or switched */
	SG_CHGB_IDENTITY_OPTS,
	SG_CHGB_SEQ_OPTS,
	/* sequence OWNED BY: always a change of its own, never combined with
	 * other bits; `from` is NULL when it follows the sequence's CREATE */
	SG_CHGB_OWNED_BY,
	SG_CHGB_ENUM_VALUES,    /* values added */
	SG_CHGB_VALIDATE,       /* NOT VALID constraint becomes valid */
	/*
	 * An enum whose values are removed or reordered is rebuilt: its DROP
	 * and CREATE carry this bit; the old type is renamed aside first, the
	 * columns that use it are recast through text (SG_CHG_RECAST on their
	 * ALTER), then the old type is dropped.
	 */
	SG_CHGB_REBUILD,
	SG_CHGB_RECAST,        /* column: TYPE ... USING col::text::type */
	/* for the kinds of issue 3 (views, functions, triggers, policies, ...) */
	SG_CHGB_GRANTS,        /* privileges (GRANT / REVOKE) */
	/* replaceable in place (CREATE OR REPLACE); on the DROP and CREATE of
	 * an object dropped and created again because its definition changed
	 * (a view whose columns change), it says so to summaries */
	SG_CHGB_DEFINITION,
	SG_CHGB_OPTIONS,       /* storage parameters / view options */
	SG_CHGB_RLS,           /* ENABLE / FORCE ROW LEVEL SECURITY */
	SG_CHGB_REPLICA,       /* REPLICA IDENTITY */
	SG_CHGB_PERSISTENCE,   /* SET LOGGED / UNLOGGED */
	SG_CHGB_ENABLED,       /* trigger enabled state */
	SG_CHGB_PARTITION,     /* attach / detach, bounds */
	SG_CHGB_VERSION,       /* extension version */
	SG_CHGB_DOMAIN,        /* domain default, NOT NULL, checks */
	SG_CHGB_ATTRIBUTES,    /* composite type attributes */
	SG_CHGB_ENUM_RENAME,   /* enum values renamed */
	SG_CHGB_INHERIT,       /* INHERIT / NO INHERIT */
	SG_CHGB_POLICY,        /* policy roles / USING / WITH CHECK */
	/*
	 * Column, on a DROP or CREATE made by the orderer: only the column's
	 * default is dropped (DROP) or set again (CREATE), around a function
	 * its default calls that is dropped and created again.
	 */
	SG_CHGB_AROUND,
	/*
	 * With SG_CHG_PARTITION or SG_CHG_INHERIT on a table: the detaching
	 * half (DETACH PARTITION, NO INHERIT); without it, the attaching
	 * half (ATTACH PARTITION, INHERIT).
	 */
	SG_CHGB_DETACH,
	/*
	 * A change PostgreSQL makes by itself as part of another (a
	 * partition's column added with its parent's, an index cloned onto a
	 * new partition): the orderer folds it into the step that causes it,
	 * emit writes nothing for it but a rename to a name other than
	 * PostgreSQL's default.
	 */
	SG_CHGB_IMPLIED,
	/* schema: default privileges (ALTER DEFAULT PRIVILEGES IN SCHEMA) */
	SG_CHGB_DEFACL,
	/*
	 * Column DROP on a table whose INHERITS children keep the column as
	 * their own: ALTER TABLE ONLY ... DROP COLUMN, which leaves the
	 * children's copies, with their data, local (attislocal).
	 */
	SG_CHGB_ONLY,
	/* ALTER ... OWNER TO: always a change of its own (security.c) */
	SG_CHGB_OWNER,
	/* statistics object: ALTER STATISTICS ... SET STATISTICS */
	SG_CHGB_STATS_TARGET,
	/* foreign data wrapper: HANDLER / VALIDATOR */
	SG_CHGB_HANDLER,
	SG_CHGB__COUNT
};
_Static_assert(SG_CHGB__COUNT <= 64, "sg_chg holds 64 change bits");

#define SG_CHG_COMMENT SG_CHG(SG_CHGB_COMMENT)
#define SG_CHG_TYPE SG_CHG(SG_CHGB_TYPE)
#define SG_CHG_NOT_NULL SG_CHG(SG_CHGB_NOT_NULL)
#define SG_CHG_DEFAULT SG_CHG(SG_CHGB_DEFAULT)
#define SG_CHG_IDENTITY SG_CHG(SG_CHGB_IDENTITY)
#define SG_CHG_IDENTITY_OPTS SG_CHG(SG_CHGB_IDENTITY_OPTS)
#define SG_CHG_SEQ_OPTS SG_CHG(SG_CHGB_SEQ_OPTS)
#define SG_CHG_OWNED_BY SG_CHG(SG_CHGB_OWNED_BY)
#define SG_CHG_ENUM_VALUES SG_CHG(SG_CHGB_ENUM_VALUES)
#define SG_CHG_VALIDATE SG_CHG(SG_CHGB_VALIDATE)
#define SG_CHG_REBUILD SG_CHG(SG_CHGB_REBUILD)
#define SG_CHG_RECAST SG_CHG(SG_CHGB_RECAST)
#define SG_CHG_GRANTS SG_CHG(SG_CHGB_GRANTS)
#define SG_CHG_DEFINITION SG_CHG(SG_CHGB_DEFINITION)
#define SG_CHG_OPTIONS SG_CHG(SG_CHGB_OPTIONS)
#define SG_CHG_RLS SG_CHG(SG_CHGB_RLS)
#define SG_CHG_REPLICA SG_CHG(SG_CHGB_REPLICA)
#define SG_CHG_PERSISTENCE SG_CHG(SG_CHGB_PERSISTENCE)
#define SG_CHG_ENABLED SG_CHG(SG_CHGB_ENABLED)
#define SG_CHG_PARTITION SG_CHG(SG_CHGB_PARTITION)
#define SG_CHG_VERSION SG_CHG(SG_CHGB_VERSION)
#define SG_CHG_DOMAIN SG_CHG(SG_CHGB_DOMAIN)
#define SG_CHG_ATTRIBUTES SG_CHG(SG_CHGB_ATTRIBUTES)
#define SG_CHG_ENUM_RENAME SG_CHG(SG_CHGB_ENUM_RENAME)
#define SG_CHG_INHERIT SG_CHG(SG_CHGB_INHERIT)
#define SG_CHG_POLICY SG_CHG(SG_CHGB_POLICY)
#define SG_CHG_AROUND SG_CHG(SG_CHGB_AROUND)
#define SG_CHG_DETACH SG_CHG(SG_CHGB_DETACH)
#define SG_CHG_IMPLIED SG_CHG(SG_CHGB_IMPLIED)
#define SG_CHG_DEFACL SG_CHG(SG_CHGB_DEFACL)
#define SG_CHG_ONLY SG_CHG(SG_CHGB_ONLY)
#define SG_CHG_OWNER SG_CHG(SG_CHGB_OWNER)
#define SG_CHG_STATS_TARGET SG_CHG(SG_CHGB_STATS_TARGET)
#define SG_CHG_HANDLER SG_CHG(SG_CHGB_HANDLER)

struct sg_change {
	enum sg_op op;
	enum sg_kind kind;
	const struct sg_object *from;
	const struct sg_object *to;
	sg_chg what;
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
