// SPDX-License-Identifier: MIT
/*
 * dump.c - `schemagen dump [--url URL] [-o DIR] [--force]`: writes YAML
 * models describing a live database, one file per schema; adopting an
 * existing database starts here (then `schemagen stamp head`).  Owners are
 * written only with --owners (models that name none leave them alone); into
 * the project's own schema folder, the owner of most objects is written
 * once, as default_owner in schemagen.yaml (owners_default()).  Without
 * --force it refuses to overwrite model files, except the placeholder
 * schema/public.yaml of `init` when that is all the folder holds.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "schemagen/arena.h"
#include "schemagen/conn.h"
#include "schemagen/model.h"
#include "schemagen/quote.h"
#include "schemagen/sbuf.h"
#include "schemagen/yaml.h"

/*
 * Is the only model file in dir (*.yaml / *.yml, subfolders too, as the
 * loader reads them) public.yaml exactly as `init` wrote it?
 */
static bool only_placeholder(const char *dir)
{
	char *path = sg_path_join(dir, "public.yaml");
	size_t len;
	char *text = sg_read_file(path, &len);
	bool ok = text && cli_is_init_placeholder(text, len);
	DIR *dp;
	struct dirent *e;

	free(text);
	free(path);
	if (!ok || !(dp = opendir(dir)))
		return false;
	while (ok && (e = readdir(dp))) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0 ||
		    strcmp(e->d_name, "public.yaml") == 0)
			continue;
		/* anything else (a model, a folder of them, a file dump would
		 * write) leaves the refusal in place */
		ok = e->d_name[0] == '.';
	}
	closedir(dp);
	return ok;
}

/* Do paths a and b name the same existing folder? */
static bool same_dir(const char *a, const char *b)
{
	char ra[PATH_MAX], rb[PATH_MAX];

	return realpath(a, ra) && realpath(b, rb) && strcmp(ra, rb) == 0;
}

/* The owner most objects with one have (a sequence owned by a column,
 * which follows its table, not counted); ties to the first by name. */
static const char *most_common_owner(const struct sg_catalog *cat)
{
	SG_VEC(const char *) names = { 0 };
	SG_VEC(size_t) counts = { 0 };
	const char *best = NULL;
	size_t nbest = 0;

	for (size_t i = 0; i < cat->nobjs; i++) {
		const struct sg_object *o = cat->objs[i];
		size_t k;

		if (!o || !o->owner || !sg_kind(o->kind)->owned ||
		    (o->kind == SG_KIND_SEQUENCE &&
		     ((const struct sg_sequence *)o)->owned_table))
			continue;
		for (k = 0; k < names.n && strcmp(names.v[k], o->owner) != 0; k++)
			;
		if (k == names.n) {
			SG_VEC_PUSH(cat->arena, &names, o->owner);
			SG_VEC_PUSH(cat->arena, &counts, 0);
		}
		counts.v[k]++;
	}
	for (size_t k = 0; k < names.n; k++)
		if (counts.v[k] > nbest ||
		    (counts.v[k] == nbest && strcmp(names.v[k], best) < 0)) {
			best = names.v[k];
			nbest = counts.v[k];
		}
	return best;
}

/*
 * dump --owners into the project's schema folder (schemagen.yaml next to
 * it): the configured default_owner, or else the owner most objects have,
 * written to schemagen.yaml as default_owner, is left out of the models;
 * `owner:` is written where another role owns the object.  Elsewhere (-o
 * another folder) every owner is written.  -1 after an error.
 */
static int owners_default(struct sg_ctx *ctx, struct sg_catalog *cat,
			  const char *dir)
{
	const char *def = ctx->cfg.default_owner;

	if (!ctx->cfg.path || !same_dir(dir, ctx->cfg.schema_dir))
		return 0;
	if (!def) {
		struct sbuf sb = SBUF_INIT;
		size_t len;
		char *text;
		int rc;

		if (!(def = most_common_owner(cat)))
			return 0;
		if (!(text = sg_read_file(ctx->cfg.path, &len))) {
			sg_error("cannot read %s: %s", ctx->cfg.path, strerror(errno));
			return -1;
		}
		sbuf_add(&sb, text, len);
		free(text);
		if (sb.len && sb.buf[sb.len - 1] != '\n')
			sbuf_addch(&sb, '\n');
		sbuf_adds(&sb, "default_owner: ");
		yaml_scalar(&sb, def);
		sbuf_addch(&sb, '\n');
		rc = sg_write_file_atomic(ctx->cfg.path, sb.buf, sb.len, false);
		sbuf_release(&sb);
		if (rc < 0) {
			sg_error("cannot write %s: %s", ctx->cfg.path, strerror(errno));
			return -1;
		}
		sg_info("Wrote default_owner: %s to %s", sg_qt(cat->arena, def),
			sg_qt(cat->arena, ctx->cfg.path));
	}
	for (size_t i = 0; i < cat->nobjs; i++)
		if (cat->objs[i] && cat->objs[i]->owner &&
		    strcmp(cat->objs[i]->owner, def) == 0)
			cat->objs[i]->owner = NULL;
	return 0;
}

/*
 * User mappings whose options pg_user_mappings hid from the role that
 * dumped: their options are unknown, not none, and are written as
 * `options_hidden: true` (the models do not manage them); one warning
 * names them.
 */
static void warn_hidden_options(struct sg_ctx *ctx, const struct sg_catalog *cat)
{
	struct sbuf sb = SBUF_INIT;

	for (size_t i = 0; i < cat->nbykind[SG_KIND_USER_MAPPING]; i++) {
		const struct sg_user_mapping *m =
			(const void *)cat->bykind[SG_KIND_USER_MAPPING][i];

		if (!m->options_hidden)
			continue;
		sbuf_adds(&sb, sb.len ? ", " : "");
		sbuf_adds(&sb, strcmp(m->role, SG_ROLE_PUBLIC) == 0 ? "PUBLIC"
			  : strcmp(m->role, SG_ROLE_CURRENT) == 0 ? "CURRENT_USER"
			  : sg_qt(ctx->a, sg_qi(ctx->a, m->role)));
		sbuf_adds(&sb, " on server ");
		sbuf_adds(&sb, sg_qt(ctx->a, sg_qi(ctx->a, m->server)));
	}
	if (sb.len)
		sg_warning("the options of the user mappings for %s are not written "
			   "(options_hidden: true): pg_user_mappings shows them only to "
			   "the mapped role, to the server's owner for PUBLIC, and to "
			   "superusers; dump as one of them to write them", sb.buf);
	sbuf_release(&sb);
}

int cmd_dump(struct sg_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "force", no_argument, NULL, 'f' },
		{ "owners", no_argument, NULL, 'W' },
		{ NULL, 0, NULL, 0 },
	};
	const struct sg_cmd *cmd = cli_find("dump");
	const char *dir = NULL;
	bool force = false, owners = false;
	struct sg_conn *conn;
	struct sg_catalog *cat;
	int c, rc;

	while ((c = cli_getopt(ctx, argc, argv, "o:f", longopts, cmd)) != -1) {
		switch (c) {
		case 0: break;
		case 'h': return EXIT_OK;
		case '?': return EXIT_ERR;
		case 'o': dir = optarg; break;
		case 'f': force = true; break;
		case 'W': owners = true; break;
		}
	}
	if (optind < argc)
		return cli_usage_error(cmd, "unexpected argument '%s'", argv[optind]);
	if (cli_load_config(ctx) < 0)
		return EXIT_ERR;
	if (!dir)
		dir = ctx->cfg.schema_dir;
	if (!force && only_placeholder(dir)) {
		/* init's untouched schema/public.yaml is all there is */
		sg_verbose("%s holds only the placeholder init wrote: replacing it", dir);
		force = true;
	}
	if (!(conn = cli_connect(ctx)))
		return EXIT_ERR;
	ctx->quiet_hidden_options = true;
	rc = cli_introspect(ctx, conn, &cat);
	sg_conn_close(conn);
	if (rc == 0)
		warn_hidden_options(ctx, cat);
	if (rc == 0 && !owners)
		sg_catalog_forget_owners(cat);
	else if (rc == 0 && owners_default(ctx, cat, dir) < 0)
		return EXIT_ERR;
	if (rc < 0 || yaml_write_models(cat, dir, force) < 0)
		return EXIT_ERR;
	sg_info("Dumped %zu schema%s to %s", cat->nbykind[SG_KIND_SCHEMA],
		cat->nbykind[SG_KIND_SCHEMA] == 1 ? "" : "s", dir);
	return EXIT_OK;
}
