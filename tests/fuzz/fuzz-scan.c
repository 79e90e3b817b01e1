// SPDX-License-Identifier: MIT
/*
 * fuzz-scan.c - the SQL token scanner (src/normalise/scan.c) on any bytes:
 * every byte in exactly one token, each token where the last one ended,
 * nothing read past the length (libFuzzer's buffer is not NUL-terminated;
 * ASan sees a read past it), a closed token ending with its closer; then
 * the list and name splitters on the same text made a C string.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "schemagen/arena.h"
#include "schemagen/scan.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	struct sg_arena *a = sg_arena_new();
	size_t i = 0;
	const char **items, *schema, *name;
	size_t *offs, n;
	char *z;

	while (i < size) {
		struct sg_token t;
		size_t next = sg_sql_token(s, size, i, &t);

		if (t.start != i || t.len == 0 || next != i + t.len || next > size)
			abort();
		if (t.open && next != size)
			abort();
		if (!t.open && t.kind == SG_TOK_STRING && s[next - 1] != '\'')
			abort();
		if (!t.open && t.kind == SG_TOK_QIDENT && s[next - 1] != '"')
			abort();
		if (!t.open && t.kind == SG_TOK_BLOCK_COMMENT &&
		    (t.len < 4 || memcmp(s + next - 2, "*/", 2) != 0))
			abort();
		i = next;
	}
	z = sg_strndup(a, s, size);
	n = sg_sql_split_list(a, z, &items, &offs);
	for (size_t k = 0; k < n; k++)
		if (offs[k] >= strlen(z) || strncmp(z + offs[k], items[k], strlen(items[k])) != 0)
			abort();
	sg_sql_split_name(a, z, &schema, &name);
	sg_arena_free(a);
	return 0;
}
