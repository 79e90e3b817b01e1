// SPDX-License-Identifier: MIT
/*
 * cache.c - the cached model catalog: what materialising the models in a
 * scratch database and reading it back gave, kept for the next run when
 * nothing it depends on changed.
 *
 * Where: <home>/models/<16 hex digits of the project folder's path>.cache,
 * <home> being the embedded server's (SCHEMAGEN_HOME, else
 * $XDG_CACHE_HOME/schemagen, else ~/.cache/schemagen; as root
 * /var/tmp/schemagen-root), the place for caches.  Not in the project:
 * read-only commands (diff, check) write nothing there (t0300 pins it),
 * a read-only checkout works, nothing needs a .gitignore; and not in the
 * scratch server, which may be a dev_url server.  One file per project
 * folder, so checkouts and worktrees keep their own; each file names its
 * folder, and writing one deletes those of folders that no longer exist
 * (test projects in temporary folders).  The folder is made 0700 and must
 * be ours, not a symbolic link, not writable by others.  Written
 * atomically (a temporary file renamed over it): concurrent runs read an
 * old or a new cache, never half of one.
 *
 * The key: SHA-256 of the cache format, schemagen's version and binary
 * (size and modification time: a rebuilt schemagen may read catalogs
 * differently), the project's schemagen.yaml, every model file's path and
 * content (yaml_load_models_digest()), the scratch server chosen (its
 * connection string; a password never leaves the hash) and what one query
 * tells of it: the full server version, every setting not at its default
 * except the session's, template0's encoding and locale; and which of the
 * roles the models name do not exist there (a grant materialises only
 * where its role does; other roles come and go without effect, and a role
 * the models start or stop naming that exists changes nothing the models'
 * digest does not: the model database's key, which has no models, stays).
 * Looking it up costs a connection to the scratch server and that query;
 * nothing is created.
 *
 * The model database (modeldb.c) finds the catalog it holds in the same
 * file, under whatever key it was stored (cli_cache_load_any()), and the
 * catalog of an empty database in <16 hex digits>.fresh, under its
 * environment key.
 *
 * The replayed migrations (`check` without a database, replay.c) are
 * cached the same way in <16 hex digits>.replay, under the same key with
 * the chain of revisions (ids, parents, checksums) in place of the models.
 *
 * The file: "schemagen model cache 1\n", the key (64 hex digits), "\n",
 * sg_hash64 of the payload (16 hex digits), "\n", the project folder's
 * length in bytes, " ", the folder, "\n", then the payload
 * (sg_catalog_serialise(): the introspected catalog before the models'
 * locations are put on it).  A missing file, another key, a wrong hash or
 * a payload the reader refuses is a miss: the models are materialised
 * again and the cache rewritten, silently (-v says why).  Written
 * streamed (cli_cache_open()): the header with the hash as zeros, the
 * payload hashed as it goes through a 64 kB buffer, the hash put in the
 * header before the file is renamed into place; never the whole file in
 * memory (at 10,000 tables 12 MB, at the peak of a run).
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "schemagen/arena.h"
#include "schemagen/embedded.h"
#include "schemagen/model.h"
#include "schemagen/pgconn.h"
#include "schemagen/sbuf.h"
#include "schemagen/util.h"
#include "sg-config.h"

#define CACHE_DIR "models"
#define CACHE_HEADER "schemagen model cache 1\n"

static const char *project_of(struct sg_ctx *ctx)
{
	return ctx->project_dir ? ctx->project_dir :
	       ctx->cfg.root ? ctx->cfg.root : ".";
}

/* <home>/models, made 0700 when missing; NULL (said with -v) when unsafe. */
static const char *cache_dir(struct sg_ctx *ctx)
{
	char *home;
	const char *dir;
	struct stat st;

	/* sg_embedded_home() would say it as an error */
	if (!getenv("SCHEMAGEN_HOME") && geteuid() != 0 &&
	    !getenv("XDG_CACHE_HOME") && !getenv("HOME"))
		return NULL;
	home = sg_embedded_home();
	if (!home)
		return NULL;
	dir = sg_printf(ctx->a, "%s/" CACHE_DIR, home);
	free(home);
	if (sg_mkdir_p(dir, 0700) < 0 || lstat(dir, &st) < 0) {
		sg_verbose("model cache: cannot make %s: %s", dir, strerror(errno));
		return NULL;
	}
	if (!S_ISDIR(st.st_mode) || st.st_uid != geteuid() || (st.st_mode & 022)) {
		sg_verbose("model cache: %s is not a directory of ours that only we "
			   "can write; no cache", dir);
		return NULL;
	}
	return dir;
}

/* ext: ".cache" (the models), ".replay" (the replayed migrations) */
static const char *cache_path(struct sg_ctx *ctx, const char *dir, const char *ext)
{
	const char *project = project_of(ctx);
	char sum[65];

	sg_sha256_hex(project, strlen(project), sum);
	sum[16] = '\0';
	return sg_printf(ctx->a, "%s/%s%s", dir, sum, ext);
}

const char *cli_cache_file(struct sg_ctx *ctx, const char *ext)
{
	const char *dir = cache_dir(ctx);

	return dir ? cache_path(ctx, dir, ext) : NULL;
}

/*
 * The project folder a cache file names (malloc'd), read from its first
 * lines; NULL when it is no cache file.
 */
static char *file_project(const char *path)
{
	char head[sizeof(CACHE_HEADER) + 65 + 17 + 32 + PATH_MAX];
	FILE *f = fopen(path, "re");
	size_t n, hlen = strlen(CACHE_HEADER), off = hlen + 65 + 17;
	unsigned long len;
	char *sp, *r = NULL;

	if (!f)
		return NULL;
	n = fread(head, 1, sizeof(head) - 1, f);
	fclose(f);
	head[n] = '\0';
	if (n <= off || memcmp(head, CACHE_HEADER, hlen) != 0)
		return NULL;
	len = strtoul(head + off, &sp, 10);
	if (*sp == ' ' && len < PATH_MAX && (size_t)(sp + 1 - head) + len < n) {
		r = malloc(len + 1);
		if (r) {
			memcpy(r, sp + 1, len);
			r[len] = '\0';
		}
	}
	return r;
}

/* Deletes the cache files of project folders that are gone. */
static void prune(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	struct stat st;

	if (!d)
		return;
	while ((e = readdir(d)) != NULL) {
		size_t n = strlen(e->d_name);
		char *path, *project;

		if (!(n == 16 + 6 && strcmp(e->d_name + 16, ".cache") == 0) &&
		    !(n == 16 + 6 && strcmp(e->d_name + 16, ".fresh") == 0) &&
		    !(n == 16 + 7 && strcmp(e->d_name + 16, ".models") == 0) &&
		    !(n == 16 + 7 && strcmp(e->d_name + 16, ".replay") == 0) &&
		    !(n == 16 + 5 && strcmp(e->d_name + 16, ".warm") == 0))
			continue;
		path = sg_path_join(dir, e->d_name);
		project = file_project(path);
		if (project && stat(project, &st) < 0 && errno == ENOENT) {
			sg_verbose("model cache: removing %s (%s is gone)", path, project);
			unlink(path);
		}
		free(project);
		free(path);
	}
	closedir(d);
}

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int cli_cache_key(struct sg_ctx *ctx, struct sg_scratch *srv,
		  const char *models_digest, char key[65])
{
	static const char query[] =
		"SELECT pg_catalog.version(), "
		"pg_catalog.current_setting('server_version_num'), "
		"(SELECT pg_catalog.string_agg(name || '=' || setting, ',' ORDER BY name) "
		" FROM pg_catalog.pg_settings "
		" WHERE source NOT IN ('default', 'client', 'session', 'override')), "
		"(SELECT pg_catalog.concat_ws(',', pg_catalog.pg_encoding_to_char(encoding), "
		"  datcollate, datctype) FROM pg_catalog.pg_database "
		" WHERE datname = 'template0')";
	struct sbuf sb = SBUF_INIT;
	struct stat st;
	PGresult *res;
	char *conf = NULL;
	size_t conflen = 0, nmissing = 0;
	const char **missing;

	res = sg_conn_query(srv->admin, query, 0, NULL);
	if (!res)
		return -1;
	sbuf_addf(&sb, "%s\n%s\n", CACHE_HEADER, SG_VERSION);
	if (stat("/proc/self/exe", &st) == 0)
		sbuf_addf(&sb, "%lld %lld.%09ld\n", (long long)st.st_size,
			  (long long)st.st_mtim.tv_sec, (long)st.st_mtim.tv_nsec);
	if (ctx->cfg.path)
		conf = sg_read_file(ctx->cfg.path, &conflen);
	sbuf_addf(&sb, "%zu\n", conflen);
	if (conf)
		sbuf_add(&sb, conf, conflen);
	free(conf);
	sbuf_addf(&sb, "\n%s\n%s\n%d %d\n", models_digest,
		  srv->admin_conninfo ? srv->admin_conninfo : "",
		  sg_pg_want.major, sg_pg_want.allow_mismatch);
	for (int i = 0; i < PQnfields(res); i++) {
		sbuf_adds(&sb, PQgetisnull(res, 0, i) ? "" : PQgetvalue(res, 0, i));
		sbuf_addch(&sb, '\0');
	}
	PQclear(res);
	/* the roles the models name that do not exist there (other roles
	 * come and go; a role named or no longer named that exists changes
	 * nothing the models' own digest does not say) */
	res = sg_conn_query(srv->admin, "SELECT rolname FROM pg_catalog.pg_roles",
			    0, NULL);
	if (!res) {
		sbuf_release(&sb);
		return -1;
	}
	missing = sg_alloc_array(ctx->a, ctx->nroles + 1, sizeof(*missing));
	for (size_t k = 0; k < ctx->nroles; k++) {
		int i;

		for (i = 0; i < PQntuples(res); i++)
			if (strcmp(ctx->roles[k], PQgetvalue(res, i, 0)) == 0)
				break;
		if (i == PQntuples(res))
			missing[nmissing++] = ctx->roles[k];
	}
	PQclear(res);
	qsort(missing, nmissing, sizeof(*missing), str_cmp);
	for (size_t k = 0; k < nmissing; k++)
		if (k == 0 || strcmp(missing[k], missing[k - 1]) != 0) {
			sbuf_adds(&sb, "missing role ");
			sbuf_adds(&sb, missing[k]);
			sbuf_addch(&sb, '\0');
		}
	sg_sha256_hex(sb.buf, sb.len, key);
	sbuf_release(&sb);
	return 0;
}

struct sg_catalog *cli_cache_parse(struct sg_arena *a, const char *data, size_t len,
				   const char *key, char *got, const char **why)
{
	size_t hlen = strlen(CACHE_HEADER);
	struct sg_catalog *cat = NULL;
	const char *p, *payload;
	char *sp, sum[17];
	unsigned long plen;

	*why = NULL;
	if (len < hlen + 65 + 17 || memcmp(data, CACHE_HEADER, hlen) != 0 ||
	    data[hlen + 64] != '\n' || data[hlen + 65 + 16] != '\n') {
		*why = "not a cache file of this version";
		return NULL;
	}
	if (key && memcmp(data + hlen, key, 64) != 0) {
		*why = "another key";
		return NULL;
	}
	/* the folder's length, a space, the folder, a newline */
	p = data + hlen + 65 + 17;
	plen = 0;
	for (sp = (char *)p; sp < data + len && *sp >= '0' && *sp <= '9' &&
	     sp - p < 10; sp++)
		plen = plen * 10 + (unsigned long)(*sp - '0');
	if (sp == p || sp >= data + len || *sp != ' ' ||
	    plen >= len - (size_t)(sp + 1 - data) || sp[1 + plen] != '\n') {
		*why = "not a cache file of this version";
		return NULL;
	}
	payload = sp + 1 + plen + 1;
	plen = len - (size_t)(payload - data);
	snprintf(sum, sizeof(sum), "%016llx",
		 (unsigned long long)sg_hash64(payload, plen));
	if (memcmp(sum, data + hlen + 65, 16) != 0)
		*why = "damaged (checksum)";
	else if (!(cat = sg_catalog_deserialise(a, payload, plen)))
		*why = "damaged (unreadable catalog)";
	else if (got) {
		memcpy(got, data + hlen, 64);
		got[64] = '\0';
	}
	return cat;
}

/*
 * The catalog in <project><ext> stored under key; with key NULL, whatever
 * key it was stored under (copied to got, when not NULL).
 */
static struct sg_catalog *load(struct sg_ctx *ctx, const char *key,
				const char *ext, const char *what, const char *miss,
				char *got)
{
	const char *dir = cache_dir(ctx), *path;
	size_t len;
	char *data;
	struct sg_catalog *cat = NULL;
	const char *why = NULL;

	if (!dir)
		return NULL;
	path = cache_path(ctx, dir, ext);
	data = sg_read_file(path, &len);
	if (!data)
		why = errno == ENOENT ? "none yet" : strerror(errno);
	else
		cat = cli_cache_parse(ctx->a, data, len, key, got, &why);
	if (why && strcmp(why, "another key") == 0)
		why = miss;
	if (why && !key)
		sg_verbose("%s cache %s: %s", what, path, why);
	else if (why)
		sg_verbose("%s cache %s: %s; %s", what, path, why,
			   strcmp(ext, ".replay") != 0 ? "materialising the models" :
			   "replaying the migrations");
	else if (!key)
		sg_verbose("%s cache %s: the catalog of the model database (%zu objects)",
			   what, path, cat->nobjs);
	else if (strcmp(ext, ".fresh") == 0)
		sg_verbose("%s cache %s: read (%zu objects)", what, path, cat->nobjs);
	else
		sg_verbose("%s cache %s: the %s are unchanged (%zu objects)", what,
			   path, strcmp(ext, ".cache") == 0 ? "models" : "migrations",
			   cat->nobjs);
	free(data);
	return cat;
}

struct sg_catalog *cli_cache_load(struct sg_ctx *ctx, const char key[65])
{
	return load(ctx, key, ".cache", "model",
		    "the models, schemagen or the scratch server changed", NULL);
}

struct sg_catalog *cli_cache_load_any(struct sg_ctx *ctx, char key[65])
{
	return load(ctx, NULL, ".cache", "model", NULL, key);
}

struct sg_catalog *cli_fresh_cache_load(struct sg_ctx *ctx, const char key[65])
{
	return load(ctx, key, ".fresh", "empty database", "another environment", NULL);
}

struct sg_catalog *cli_replay_cache_load(struct sg_ctx *ctx, const char key[65])
{
	return load(ctx, key, ".replay", "replay",
		    "the migrations, schemagen or the scratch server changed", NULL);
}

/*
 * The header of a cache file, its payload's hash left as zeros (at
 * HASH_AT), written before the payload and filled in after it.  Returns
 * where the payload starts.
 */
#define HASH_AT (strlen(CACHE_HEADER) + 65)

static size_t cache_header(struct sbuf *sb, const char key[65], const char *project)
{
	sbuf_adds(sb, CACHE_HEADER);
	sbuf_add(sb, key, 64);
	sbuf_addf(sb, "\n%016llx\n%zu %s\n", 0ULL, strlen(project), project);
	return sb->len;
}

static void cache_seal(struct sbuf *sb, size_t start)
{
	char h[17];

	snprintf(h, sizeof(h), "%016llx",
		 (unsigned long long)sg_hash64(sb->buf + start, sb->len - start));
	memcpy(sb->buf + HASH_AT, h, 16);
}

void cli_cache_format(struct sbuf *sb, const char key[65], const char *project,
		      const struct sg_catalog *cat)
{
	size_t start = cache_header(sb, key, project);

	sg_catalog_serialise(sb, cat);
	cache_seal(sb, start);
}

int cli_cache_open(struct sg_ctx *ctx, struct cli_cache_out *o, const char *path,
		   const char key[65])
{
	struct sbuf sb = SBUF_INIT;

	if (sg_afile_open(&o->f, path, false) < 0)
		return -1;
	o->hash = SG_HASH64_INIT;
	cache_header(&sb, key, project_of(ctx));
	sg_afile_write(&o->f, sb.buf, sb.len);
	sbuf_release(&sb);
	return 0;
}

void cli_cache_put(void *out, const void *data, size_t len)
{
	struct cli_cache_out *o = out;

	o->hash = sg_hash64_more(o->hash, data, len);
	sg_afile_write(&o->f, data, len);
}

int cli_cache_close(struct cli_cache_out *o, uint64_t *size)
{
	char h[17];

	snprintf(h, sizeof(h), "%016llx", (unsigned long long)o->hash);
	sg_afile_patch(&o->f, HASH_AT, h, 16);
	if (size)
		*size = o->f.size;
	return sg_afile_commit(&o->f);
}

static void store(struct sg_ctx *ctx, const char key[65],
		  const struct sg_catalog *cat, const char *ext, const char *what)
{
	const char *dir = cache_dir(ctx), *path;
	struct cli_cache_out o;
	uint64_t size;

	if (!dir)
		return;
	prune(dir);
	path = cache_path(ctx, dir, ext);
	if (cli_cache_open(ctx, &o, path, key) < 0) {
		sg_verbose("%s cache: cannot write %s: %s", what, path, strerror(errno));
		return;
	}
	sg_catalog_serialise_to(cat, cli_cache_put, &o);
	if (cli_cache_close(&o, &size) < 0)
		sg_verbose("%s cache: cannot write %s: %s", what, path, strerror(errno));
	else
		sg_verbose("%s cache %s written (%llu bytes)", what, path,
			   (unsigned long long)size);
}

void cli_cache_store(struct sg_ctx *ctx, const char key[65],
		     const struct sg_catalog *cat)
{
	store(ctx, key, cat, ".cache", "model");
}

void cli_fresh_cache_store(struct sg_ctx *ctx, const char key[65],
			   const struct sg_catalog *cat)
{
	store(ctx, key, cat, ".fresh", "empty database");
}

void cli_replay_cache_store(struct sg_ctx *ctx, const char key[65],
			    const struct sg_catalog *cat)
{
	store(ctx, key, cat, ".replay", "replay");
}

/*
 * The header of a file in the cache file's format (any extension): the key
 * it is stored under (copied to key), its payload and the payload's hash,
 * checked; -1 when it is not such a file or the checksum is wrong.
 */
/*
 * The header at data (len bytes, the header whole in them): the key
 * (copied), the payload's hash and where the payload starts; -1 when it
 * is not one.
 */
static int header_parse(const char *data, size_t len, char key[65], uint64_t *hash,
			size_t *start)
{
	size_t hlen = strlen(CACHE_HEADER);
	const char *p, *sp;
	unsigned long flen = 0;
	uint64_t h = 0;

	if (len < hlen + 65 + 17 || memcmp(data, CACHE_HEADER, hlen) != 0 ||
	    data[hlen + 64] != '\n' || data[hlen + 65 + 16] != '\n')
		return -1;
	if (!sg_hex64(data + hlen + 65, &h))
		return -1;
	p = data + hlen + 65 + 17;
	for (sp = p; sp < data + len && *sp >= '0' && *sp <= '9' && sp - p < 10; sp++)
		flen = flen * 10 + (unsigned long)(*sp - '0');
	if (sp == p || sp >= data + len || *sp != ' ' ||
	    flen >= len - (size_t)(sp + 1 - data) || sp[1 + flen] != '\n')
		return -1;
	*start = (size_t)(sp + 1 + flen + 1 - data);
	memcpy(key, data + hlen, 64);
	key[64] = '\0';
	*hash = h;
	return 0;
}

int cli_cache_payload(const char *data, size_t len, char key[65],
		      const char **payload, size_t *plen, uint64_t *hash)
{
	size_t start;

	if (header_parse(data, len, key, hash, &start) < 0)
		return -1;
	*payload = data + start;
	*plen = len - start;
	return sg_hash64(*payload, *plen) == *hash ? 0 : -1;
}

int cli_cache_file_check(const char *path, char key[65], uint64_t *hash)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	size_t n, start;
	uint64_t h;
	int rc = -1;

	if (!f)
		return -2;
	buf = xmalloc(SG_AFILE_BUFSIZE);
	/* the header is in the first piece: a project folder is shorter */
	n = fread(buf, 1, SG_AFILE_BUFSIZE, f);
	if (header_parse(buf, n, key, hash, &start) < 0)
		goto out;
	h = sg_hash64_more(SG_HASH64_INIT, buf + start, n - start);
	while ((n = fread(buf, 1, SG_AFILE_BUFSIZE, f)) > 0)
		h = sg_hash64_more(h, buf, n);
	if (!ferror(f) && h == *hash)
		rc = 0;
out:
	free(buf);
	fclose(f);
	return rc;
}
