/* SPDX-License-Identifier: MIT */
/*
 * scan.h - SQL text read without the parser (src/normalise/scan.c).
 */
#ifndef SG_SCAN_H
#define SG_SCAN_H

struct sg_arena;

/*
 * Splits SQL text "a", "\"A b\"", U&"..." or "s.n" into at most two parts,
 * unquoting (unquoted parts folded to lower case); returns the number of
 * parts (1 or 2), or 0 when text is not a plain possibly-qualified name.
 */
int sg_sql_split_name(struct sg_arena *a, const char *text, const char **schema,
		      const char **name);

#endif
