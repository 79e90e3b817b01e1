// SPDX-License-Identifier: MIT
/*
 * fuzz-migration.c - one migration file as the CLI reads it: the header
 * as store_load() reads it (store_parse_header()), then the sections and
 * statements as the runner parses them before applying
 * (store_parse_body(): libpg_query's split and classification), and the
 * diagnostics formatted.  The text is libFuzzer's buffer as it is (not
 * NUL-terminated: the parser goes by the length).  One arena per input.
 */
#include <stdint.h>

#include "schemagen/arena.h"
#include "schemagen/diag.h"
#include "schemagen/sbuf.h"
#include "schemagen/store.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sg_arena *a = sg_arena_new();
	struct sg_revision *r;
	struct sg_diags d;
	struct sbuf sb = SBUF_INIT;

	sg_diags_init(&d, a);
	if (store_parse_header(a, "migrations/1a2b3c4d5e6f_fuzz.sql",
			       (const char *)data, size, &r, &d) == 0)
		store_parse_body(r, &d);
	for (size_t i = 0; i < d.n; i++)
		sg_diag_format(&sb, &d.v[i]);
	sbuf_release(&sb);
	sg_arena_free(a);
	return 0;
}
