/* SPDX-License-Identifier: MIT */
/*
 * memo.h - the SQL fragments of the models already checked (memo.c).
 */
#ifndef SG_NORMALISE_MEMO_H
#define SG_NORMALISE_MEMO_H

#include <stdbool.h>
#include <stddef.h>

#include "schemagen/sql.h"

/* The checked text of (kind, text) when it passed before, else NULL. */
const char *sg_frag_memo_get(enum sg_frag kind, const char *text);
/* Records that (kind, text) passed, giving out. */
void sg_frag_memo_put(enum sg_frag kind, const char *text, const char *out);

/*
 * The references of (kind, text) found before (sg_sql_refs()): true and
 * *refs (n entries, the memo's: copy the array) when there are.
 */
bool sg_refs_memo_get(enum sg_frag kind, const char *text,
		      const struct sg_sql_ref **refs, size_t *n);
void sg_refs_memo_put(enum sg_frag kind, const char *text,
		      const struct sg_sql_ref *refs, size_t n);

#endif
