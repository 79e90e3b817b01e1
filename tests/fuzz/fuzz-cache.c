// SPDX-License-Identifier: MIT
/*
 * fuzz-cache.c - the cache files' readers (src/cli/cache.c, modeldb.c):
 * the input as a model cache file (any key, then the key it names: both
 * paths of cli_cache_parse(), which deserialises the catalog) and as the
 * model database's digests file (under the key it names).  A catalog
 * read is serialised again (every pointer it holds is followed).  One
 * arena per input.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/cli/cli.h"
#include "schemagen/arena.h"
#include "schemagen/model.h"
#include "schemagen/sbuf.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sg_arena *a = sg_arena_new();
	const char *text = (const char *)data, *why;
	char got[65], key[65];
	struct sg_catalog *cat;
	size_t off = strlen("schemagen model cache 1\n");

	cat = cli_cache_parse(a, text, size, NULL, got, &why);
	if (cat) {
		struct sbuf sb = SBUF_INIT;

		sg_catalog_serialise(&sb, cat);
		for (size_t i = 0; i < cat->nobjs; i++)
			if (cat->objs[i])
				(void)sg_object_digest(cat->objs[i]);
		sbuf_release(&sb);
		cli_cache_parse(a, text, size, got, NULL, &why);
	}
	off = strlen("schemagen model digests 2\n");
	if (size >= off + 64) {
		memcpy(key, text + off, 64);
		key[64] = '\0';
		cli_digests_parse(a, text, size, key);
	}
	sg_arena_free(a);
	return 0;
}
