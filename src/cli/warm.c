// SPDX-License-Identifier: MIT
/*
 * warm.c - the models' catalog as `diff`, `check` and `revision
 * --autogenerate` use it (the model cache's catalog with the models'
 * locations, owners and renames put on it), kept so that a run with the
 * models unchanged neither parses them nor reads the model cache's
 * catalog (issue 12: at 10,000 tables parsing the YAML cost more memory
 * than the rest of the run).
 *
 * <home>/models/<16 hex digits>.warm, in the model cache file's format
 * (cache.c: header, key, checksum, project folder) under the same key,
 * with the payload:
 *
 *     <models digest, 64 hex digits>\n
 *     <sg_hash64 of the model cache file's payload, 16 hex digits>\n
 *     <owners: 0 or 1>\n
 *     <number of roles>\n  the models' roles, each NUL-terminated
 *     the catalog (sg_catalog_serialise())
 *
 * Used only when everything agrees: the models' files (their digest,
 * without parsing them), then the key computed with the roles it lists
 * (the models' roles: the same files name the same roles), then the model
 * cache file under that key whose checksum is the one recorded (so that a
 * model cache file damaged, replaced or rewritten makes the run take the
 * model cache's own path, which says why).  Anything else, silently: the
 * models are loaded and the model cache read as before, and this file is
 * written again.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "schemagen/arena.h"
#include "schemagen/model.h"
#include "schemagen/sbuf.h"
#include "schemagen/util.h"

struct cli_warm {
	char *data;             /* the file, malloc'd */
	const char *path;
	char key[65];
	uint64_t cache_hash;
	bool owners;
	const char *cat;        /* the serialised catalog */
	size_t catlen;
};

struct cli_warm *cli_warm_read(struct sg_ctx *ctx, const char digest[65])
{
	const char *path = cli_cache_file(ctx, ".warm"), *p, *end;
	struct cli_warm *w;
	const char **roles;
	size_t len, plen;
	unsigned long nroles = 0;
	uint64_t h;
	char *data;

	if (!path || !(data = sg_read_file(path, &len)))
		return NULL;
	w = sg_alloc(ctx->a, sizeof(*w));
	w->data = data;
	w->path = path;
	if (cli_cache_payload(data, len, w->key, &p, &plen, &h) < 0)
		goto miss;
	end = p + plen;
	if (plen < 65 + 17 + 2 || memcmp(p, digest, 64) != 0 || p[64] != '\n' ||
	    !sg_hex64(p + 65, &w->cache_hash) || p[81] != '\n' ||
	    (p[82] != '0' && p[82] != '1') || p[83] != '\n')
		goto miss;
	w->owners = p[82] == '1';
	for (p += 84; p < end && *p >= '0' && *p <= '9' && nroles < 1000000; p++)
		nroles = nroles * 10 + (unsigned long)(*p - '0');
	if (p >= end || *p++ != '\n')
		goto miss;
	roles = sg_alloc_array(ctx->a, nroles + 1, sizeof(*roles));
	for (unsigned long i = 0; i < nroles; i++) {
		const char *nul = memchr(p, '\0', (size_t)(end - p));

		if (!nul)
			goto miss;
		roles[i] = sg_strdup(ctx->a, p);
		p = nul + 1;
	}
	w->cat = p;
	w->catlen = (size_t)(end - p);
	ctx->roles = roles;
	ctx->nroles = nroles;
	return w;
miss:
	free(data);
	return NULL;
}

struct sg_catalog *cli_warm_take(struct sg_ctx *ctx, struct sg_scratch *srv,
				 const char digest[65], struct cli_warm *w)
{
	const char *path = cli_cache_file(ctx, ".cache");
	struct sg_catalog *cat = NULL;
	char key[65], ckey[65];
	uint64_t h;

	if (cli_cache_key(ctx, srv, digest, key) < 0 || strcmp(key, w->key) != 0)
		goto out;
	/* the model cache file it was made with, checked whole (in pieces) */
	if (path && cli_cache_file_check(path, ckey, &h) == 0 &&
	    strcmp(ckey, key) == 0 && h == w->cache_hash)
		cat = sg_catalog_deserialise(ctx->a, w->cat, w->catlen);
	if (cat) {
		cat->owners = w->owners;
		sg_verbose("model cache %s: the models are unchanged (%zu objects, "
			   "as the models give them in %s)", path, cat->nobjs,
			   w->path);
	}
out:
	cli_warm_drop(w);
	return cat;
}

void cli_warm_drop(struct cli_warm *w)
{
	free(w->data);
	w->data = NULL;
}

void cli_warm_store(struct sg_ctx *ctx, const char key[65], const char digest[65],
		    const struct sg_catalog *desired)
{
	const char *path = cli_cache_file(ctx, ".warm");
	const char *cpath = cli_cache_file(ctx, ".cache");
	struct cli_cache_out o;
	struct sbuf sb = SBUF_INIT;
	char ckey[65];
	uint64_t h;
	int rc;

	if (!path || !cpath || (rc = cli_cache_file_check(cpath, ckey, &h)) == -2)
		return;
	/* only beside the model cache file it goes with */
	if (rc < 0 || strcmp(ckey, key) != 0) {
		unlink(path);
		return;
	}
	if (cli_cache_open(ctx, &o, path, key) < 0) {
		sg_verbose("model cache: cannot write %s", path);
		return;
	}
	sbuf_add(&sb, digest, 64);
	sbuf_addf(&sb, "\n%016llx\n%c\n%zu\n", (unsigned long long)h,
		  desired->owners ? '1' : '0', ctx->nroles);
	for (size_t i = 0; i < ctx->nroles; i++) {
		sbuf_adds(&sb, ctx->roles[i]);
		sbuf_addch(&sb, '\0');
	}
	cli_cache_put(&o, sb.buf, sb.len);
	sbuf_release(&sb);
	sg_catalog_serialise_to(desired, cli_cache_put, &o);
	if (cli_cache_close(&o, NULL) < 0)
		sg_verbose("model cache: cannot write %s", path);
}
