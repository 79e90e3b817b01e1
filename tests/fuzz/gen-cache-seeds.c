// SPDX-License-Identifier: MIT
/*
 * gen-cache-seeds.c - fuzz-cache's seeds, made at build time in the
 * current formats (cache file, serialised catalog, digests file) so that
 * they never fall behind SERIAL_VERSION and the fuzzer starts from inputs
 * the readers accept:
 *
 *     gen-cache-seeds OUTDIR NAME=MODELDIR...
 *
 * writes OUTDIR/NAME.cache (the models of MODELDIR loaded and serialised,
 * as a model cache file) and OUTDIR/NAME.models (their digests file under
 * the same key) per model folder, and OUTDIR/empty.fresh (an empty
 * catalog).  The meson target (tests/fuzz/cache-seeds/) runs it on
 * tests/fixtures/yaml/good and write.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/cli/cli.h"
#include "schemagen/arena.h"
#include "schemagen/diag.h"
#include "schemagen/model.h"
#include "schemagen/sbuf.h"
#include "schemagen/sql.h"
#include "schemagen/util.h"
#include "schemagen/yaml.h"

static int put(const char *dir, const char *name, const char *ext, const struct sbuf *sb)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s%s", dir, name, ext);
	f = fopen(path, "wb");
	if (!f || fwrite(sb->buf, 1, sb->len, f) != sb->len || fclose(f) != 0) {
		fprintf(stderr, "gen-cache-seeds: cannot write %s\n", path);
		return -1;
	}
	return 0;
}

static int seed(struct sg_arena *a, const char *out, const char *name, struct sg_catalog *cat)
{
	struct sbuf sb = SBUF_INIT;
	char key[65];
	int rc;

	const char *why;

	/* each is read back as the readers would: a seed they refuse would
	 * only fuzz the refusal */
	sg_sha256_hex(name, strlen(name), key);
	cli_cache_format(&sb, key, "/nonexistent/fuzz-seed", cat);
	if (!cli_cache_parse(a, sb.buf, sb.len, key, NULL, &why)) {
		fprintf(stderr, "gen-cache-seeds: %s: the cache file is refused: %s\n",
			name, why);
		rc = 1;
	} else {
		rc = put(out, name, strcmp(name, "empty") == 0 ? ".fresh" : ".cache", &sb);
	}
	sbuf_release(&sb);
	sb = (struct sbuf)SBUF_INIT;
	if (rc == 0 && strcmp(name, "empty") != 0) {
		cli_digests_format(a, &sb, key, cat);
		if (!cli_digests_parse(a, sb.buf, sb.len, key)) {
			fprintf(stderr, "gen-cache-seeds: %s: the digests file is refused\n", name);
			rc = 1;
		} else {
			rc = put(out, name, ".models", &sb);
		}
		sbuf_release(&sb);
	}
	return rc;
}

int main(int argc, char **argv)
{
	struct sg_arena *a = sg_arena_new();
	int rc = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: gen-cache-seeds OUTDIR NAME=MODELDIR...\n");
		return 2;
	}
	for (int i = 2; i < argc && rc == 0; i++) {
		struct sg_catalog *cat = sg_catalog_new(a, "models");
		char *eq = strchr(argv[i], '='), digest[65];
		struct sg_diags d;

		if (!eq) {
			fprintf(stderr, "gen-cache-seeds: %s is not NAME=MODELDIR\n", argv[i]);
			rc = 2;
			break;
		}
		*eq = '\0';
		sg_diags_init(&d, a);
		if (yaml_load_models_digest(eq + 1, NULL, cat, &d, digest) < 0 || d.nerrors) {
			sg_diags_print(&d);
			rc = 1;
			break;
		}
		rc = seed(a, argv[1], argv[i], cat);
	}
	if (rc == 0) {
		struct sg_catalog *empty = sg_catalog_new(a, "database");

		sg_catalog_finish(empty);
		rc = seed(a, argv[1], "empty", empty);
	}
	sg_sql_cleanup();
	sg_arena_free(a);
	return rc;
}
