// SPDX-License-Identifier: MIT
/*
 * config.c - schemagen.yaml: where the databases, the models and the
 * migrations are, which schemas are managed, and where schemagen keeps its
 * own tables.  See include/schemagen/config.h and docs/models.md.
 *
 * Values may say ${VAR}, ${VAR:-default} (VAR unset or empty) and
 * ${VAR-default} (VAR unset), as sh reads them; `$$` stands for a literal
 * `$` (as in docker-compose files).  A variable that is not set and has no
 * default is an error at its location: a misspelt ${DATABSE_URL} must not
 * quietly send `upgrade` to another database.  An empty database_url or
 * dev_url (`${DATABASE_URL:-}`) counts as not given.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "schemagen/arena.h"
#include "schemagen/config.h"
#include "schemagen/diag.h"
#include "schemagen/sbuf.h"
#include "schemagen/yaml.h"
#include "yaml-priv.h"

void sg_config_defaults(struct sg_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->root = ".";
	cfg->schema_dir = "schema";
	cfg->migrations_dir = "migrations";
	cfg->version_schema = "public";
	cfg->version_table = "schemagen_version";
	cfg->history_table = "schemagen_history";
}

static const char *const config_keys[] = {
	"database_url", "dev_url", "schema_dir", "migrations_dir", "schemas",
	"version_schema", "version_table", "history_table",
	"single_transaction", "lock_wait", "lock_timeout", "statement_timeout",
	"lint",
	"online", "online_lock_timeout", "online_lock_retries",
	"postgres_version", "postgres_versions", "allow_version_mismatch",
	"exclude", "file_template", "default_owner",
};

static int get_value(struct sg_arena *a, struct sg_arena *t, struct sg_diags *d,
		     const struct ynode *key, const struct ynode *v,
		     const char **out);

/* A supported major version (13 to 18) written as a scalar. */
static bool get_major(struct sg_diags *d, struct sg_arena *t,
		      const struct ynode *v, const char *what, int *out)
{
	int64_t n;

	if (!yget_int64(d, t, v, what, &n))
		return false;
	if (n < 13 || n > 18) {
		struct sg_diag *dg = sg_diag_error(d, v->loc,
			"\"%s\": PostgreSQL %lld is not supported", what, (long long)n);

		sg_diag_hint(dg, d, "write a major version from 13 to 18");
		return false;
	}
	*out = (int)n;
	return true;
}

static void load_versions(struct sg_arena *a, struct sg_arena *t,
			  struct sg_diags *d, const struct ynode *v,
			  struct sg_config *cfg)
{
	SG_VEC(struct sg_pg_bindir) dirs = { 0 };

	if (ynode_is_null(v))
		return;
	if (v->type != YN_MAP) {
		sg_diag_error(d, v->loc, "\"postgres_versions\" must be a mapping of "
			      "major versions to bin folders (17: /usr/lib/postgresql/17/bin), "
			      "found %s", ynode_found(t, v));
		return;
	}
	for (size_t i = 0; i + 1 < v->nkids; i += 2) {
		const struct ynode *k = v->kids[i], *p = v->kids[i + 1];
		struct sg_pg_bindir b;
		const char *s;
		char *full;

		if (!get_major(d, t, k, "postgres_versions", &b.major) ||
		    get_value(a, t, d, k, p, &s) <= 0)
			continue;
		if (!*s) {
			sg_diag_error(d, p->loc, "\"postgres_versions\": the bin folder "
				      "of PostgreSQL %d is empty", b.major);
			continue;
		}
		if (s[0] == '/' || strcmp(cfg->root, ".") == 0) {
			b.bindir = s;
		} else {
			full = sg_path_join(cfg->root, s);
			b.bindir = sg_strdup(a, full);
			free(full);
		}
		SG_VEC_PUSH(a, &dirs, b);
	}
	cfg->postgres_versions = dirs.v;
	cfg->npostgres_versions = dirs.n;
}

/* Digits with an optional unit, as the runner's timeouts take them. */
static bool valid_duration(const char *s)
{
	static const char *const units[] = { "", "ms", "s", "min", "h", "d" };
	size_t n = strspn(s, "0123456789");

	if (n == 0 || n > 9)
		return false;
	for (size_t i = 0; i < ARRAY_SIZE(units); i++)
		if (strcmp(s + n, units[i]) == 0)
			return true;
	return false;
}

/*
 * Expands ${VAR}, ${VAR:-default}, ${VAR-default} and $$ in s.  Returns 1
 * with *out set, -1 after a diagnostic (a bad name, a missing `}`), -2
 * after the diagnostic of an unset variable without a default.
 */
static int expand(struct sg_arena *a, struct sg_diags *d, const struct ynode *n,
		  const char *s, const char **out)
{
	struct sbuf sb = SBUF_INIT;
	int ret = 1;

	*out = NULL;
	for (const char *p = s; *p; p++) {
		const char *end, *val, *dflt = NULL;
		size_t namelen;
		bool colon = false;
		char *name;

		if (*p != '$' || (p[1] != '{' && p[1] != '$')) {
			sbuf_addch(&sb, *p);
			continue;
		}
		if (p[1] == '$') {
			sbuf_addch(&sb, '$');
			p++;
			continue;
		}
		end = strchr(p + 2, '}');
		if (!end) {
			struct sg_diag *dg = sg_diag_error(
				d, sg_loc_at(n->vloc, s, (size_t)(p - s)),
				"unterminated ${ in value");

			sg_diag_hint(dg, d, "write ${NAME}, or $$ for a literal $");
			ret = -1;
			break;
		}
		namelen = strspn(p + 2, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
				 "0123456789_");
		if (p + 2 + namelen < end) {
			/* ${VAR:-default} or ${VAR-default} */
			const char *op = p + 2 + namelen;

			if (op[0] == ':' && op[1] == '-') {
				colon = true;
				dflt = op + 2;
			} else if (op[0] == '-') {
				dflt = op + 1;
			} else {
				namelen = (size_t)(end - p - 2);
			}
		}
		name = sg_strndup(a, p + 2, namelen);
		if (!((name[0] >= 'A' && name[0] <= 'Z') ||
		      (name[0] >= 'a' && name[0] <= 'z') || name[0] == '_') ||
		    strspn(name, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
			   "0123456789_") != strlen(name)) {
			sg_diag_error(d, sg_loc_at(n->vloc, s, (size_t)(p - s)),
				      "invalid environment variable name %s",
				      yq(a, name));
			ret = -1;
			break;
		}
		val = getenv(name);
		if (dflt && (!val || (colon && !*val))) {
			sbuf_add(&sb, dflt, (size_t)(end - dflt));
		} else if (val) {
			sbuf_adds(&sb, val);
		} else {
			struct sg_diag *dg = sg_diag_error(
				d, sg_loc_at(n->vloc, s, (size_t)(p - s)),
				"environment variable %s is not set", name);

			sg_diag_hint(dg, d, "set it, or write ${%s:-default} for a fallback "
				     "(${%s:-} for none)", name, name);
			ret = -2;
		}
		p = end;
	}
	if (ret == 1)
		*out = sbuf_to_arena(&sb, a);
	sbuf_release(&sb);
	return ret;
}

/* A string setting: given (1), not given (0: null), or wrong (-1). */
static int get_value(struct sg_arena *a, struct sg_arena *t, struct sg_diags *d,
		     const struct ynode *key, const struct ynode *v,
		     const char **out)
{
	const char *s;

	*out = NULL;
	if (!yget_str(d, t, v, key->str, &s))
		return -1;
	if (!s)
		return 0;
	return expand(a, d, v, s, out);
}

static bool check_name(struct sg_diags *d, struct sg_arena *t,
		       const struct ynode *v, const char *key, const char *name)
{
	if (!*name) {
		sg_diag_error(d, v->loc, "\"%s\" is empty", key);
		return false;
	}
	if (strlen(name) > SG_NAME_MAX) {
		sg_diag_error(d, v->loc, "\"%s\": name %s is longer than %d bytes",
			      key, yq(t, name), SG_NAME_MAX);
		return false;
	}
	return true;
}

static void load_schemas(struct sg_arena *a, struct sg_arena *t,
			 struct sg_diags *d, const struct ynode *v,
			 struct sg_config *cfg)
{
	SG_VEC(const char *) names = { 0 };

	if (ynode_is_null(v))
		return;
	if (v->type != YN_SEQ) {
		struct sg_diag *dg = yexpect(d, t, v, "a list of schema names");

		if (v->type == YN_SCALAR)
			sg_diag_hint(dg, d, "write [%s]", v->str);
		return;
	}
	for (size_t i = 0; i < v->nkids; i++) {
		const struct ynode *it = v->kids[i];
		const char *s, *name;
		bool dup = false;

		if (!yname_ok(d, t, it, "schema name"))
			continue;
		s = it->str;
		if (expand(a, d, it, s, &name) < 0)
			continue;
		if (!check_name(d, t, it, "schemas", name))
			continue;
		for (size_t j = 0; j < names.n && !dup; j++)
			dup = strcmp(names.v[j], name) == 0;
		if (dup) {
			sg_diag_error(d, it->loc, "schema %s is listed twice",
				      yq(t, name));
			continue;
		}
		SG_VEC_PUSH(a, &names, name);
	}
	cfg->schemas = names.v;
	cfg->nschemas = names.n;
}

/* exclude: a list of name patterns, each once. */
static void load_exclude(struct sg_arena *a, struct sg_arena *t,
			 struct sg_diags *d, const struct ynode *v,
			 struct sg_config *cfg)
{
	SG_VEC(const char *) pats = { 0 };

	if (ynode_is_null(v))
		return;
	if (v->type != YN_SEQ) {
		struct sg_diag *dg = yexpect(d, t, v, "a list of names or patterns");

		if (v->type == YN_SCALAR)
			sg_diag_hint(dg, d, "write [%s]", v->str);
		return;
	}
	for (size_t i = 0; i < v->nkids; i++) {
		const struct ynode *it = v->kids[i];
		const char *s;
		bool dup = false;

		if (!yget_str(d, t, it, "exclude", &s) || !s)
			continue;
		if (!*s || s[0] == '.' || (strchr(s, '.') && !strchr(s, '.')[1])) {
			struct sg_diag *dg = sg_diag_error(d, it->loc,
				"\"exclude\": %s is not a name or pattern", yq(t, s));

			sg_diag_hint(dg, d, "write a name (alembic_version), a pattern "
				     "(*_backup) or schema.name (audit.*)");
			continue;
		}
		for (size_t j = 0; j < pats.n && !dup; j++)
			dup = strcmp(pats.v[j], s) == 0;
		if (dup) {
			sg_diag_error(d, it->loc, "\"exclude\": %s is listed twice",
				      yq(t, s));
			continue;
		}
		SG_VEC_PUSH(a, &pats, sg_strdup(a, s));
	}
	cfg->exclude = pats.v;
	cfg->nexclude = pats.n;
}

/* Resolves a directory of the config against the config's folder. */
static const char *resolve(struct sg_arena *a, const char *root, const char *dir)
{
	char *p;
	const char *r;

	if (!dir || dir[0] == '/' || strcmp(root, ".") == 0)
		return dir;
	p = sg_path_join(root, dir);
	r = sg_strdup(a, p);
	free(p);
	return r;
}

int yaml_load_config(struct sg_arena *a, const char *path,
		     struct sg_config *cfg, struct sg_diags *d)
{
	struct sg_arena *t;
	struct ynode *root;
	const char *file = sg_strdup(a, path);
	const char *slash = strrchr(file, '/');
	int nerrors = d->nerrors;
	size_t len;
	char *text;

	if (!cfg->root)
		sg_config_defaults(cfg);
	text = sg_read_file(path, &len);
	if (!text) {
		sg_diag_error(d, (struct sg_loc){ .file = sg_file_id(file) },
			      "cannot read file: %s", strerror(errno));
		return -1;
	}
	cfg->path = file;
	if (slash)
		cfg->root = slash == file ? "/" : sg_strndup(a, file, (size_t)(slash - file));
	else
		cfg->root = ".";

	t = sg_arena_new();
	ydoc_parse(t, file, text, len, &root, d);
	free(text);
	if (root && !ynode_is_null(root) && root->type != YN_MAP) {
		sg_diag_error(d, root->loc, "expected a mapping at the top level "
			      "of schemagen.yaml, found %s", ynode_found(t, root));
	} else if (root && root->type == YN_MAP) {
		for (size_t i = 0; i + 1 < root->nkids; i += 2) {
			const struct ynode *k = root->kids[i], *v = root->kids[i + 1];
			const char *s;
			const char **field = NULL;
			bool name = false;
			int r;

			if (!ykey_ok(d, t, k))
				continue;
			if (strcmp(k->str, "schemas") == 0) {
				load_schemas(a, t, d, v, cfg);
				continue;
			}
			if (strcmp(k->str, "exclude") == 0) {
				load_exclude(a, t, d, v, cfg);
				continue;
			}
			if (strcmp(k->str, "file_template") == 0) {
				if (yget_str(d, t, v, k->str, &s) && s) {
					cfg->file_template = sg_strdup(a, s);
					cfg->file_template_loc = v->vloc;
				}
				continue;
			}
			if (strcmp(k->str, "default_owner") == 0) {
				if (ynode_is_null(v))
					continue;
				if (v->type != YN_SCALAR) {
					yexpect(d, t, v, "a role name");
					continue;
				}
				if (!yget_str(d, t, v, k->str, &s) || !s ||
				    !check_name(d, t, v, k->str, s))
					continue;
				if (strcmp(s, SG_ROLE_PUBLIC) == 0) {
					sg_diag_error(d, v->loc, "\"default_owner\" "
						      "cannot be public");
					continue;
				}
				cfg->default_owner = sg_strdup(a, s);
				cfg->default_owner_loc = v->vloc;
				continue;
			}
			if (strcmp(k->str, "postgres_versions") == 0) {
				load_versions(a, t, d, v, cfg);
				continue;
			}
			if (strcmp(k->str, "postgres_version") == 0) {
				get_major(d, t, v, k->str, &cfg->postgres_version);
				continue;
			}
			if (strcmp(k->str, "allow_version_mismatch") == 0) {
				bool b;

				if (yget_bool(d, t, v, k->str, &b))
					cfg->allow_version_mismatch = b;
				continue;
			}
			if (strcmp(k->str, "single_transaction") == 0 ||
			    strcmp(k->str, "lint") == 0) {
				bool b;

				if (yget_bool(d, t, v, k->str, &b))
					*(k->str[0] == 'l' ? &cfg->lint : &cfg->single_transaction) = b;
				continue;
			}
			if (strcmp(k->str, "online") == 0) {
				bool b;

				if (yget_bool(d, t, v, k->str, &b))
					cfg->online = b;
				continue;
			}
			if (strcmp(k->str, "database_url") == 0) {
				field = &cfg->database_url;
			} else if (strcmp(k->str, "dev_url") == 0) {
				field = &cfg->dev_url;
			} else if (strcmp(k->str, "schema_dir") == 0) {
				field = &cfg->schema_dir;
			} else if (strcmp(k->str, "migrations_dir") == 0) {
				field = &cfg->migrations_dir;
			} else if (strcmp(k->str, "version_schema") == 0) {
				field = &cfg->version_schema;
				name = true;
			} else if (strcmp(k->str, "version_table") == 0) {
				field = &cfg->version_table;
				name = true;
			} else if (strcmp(k->str, "history_table") == 0) {
				field = &cfg->history_table;
				name = true;
			} else if (strcmp(k->str, "lock_wait") == 0) {
				field = &cfg->lock_wait;
			} else if (strcmp(k->str, "lock_timeout") == 0) {
				field = &cfg->lock_timeout;
			} else if (strcmp(k->str, "statement_timeout") == 0) {
				field = &cfg->statement_timeout;
			} else if (strcmp(k->str, "online_lock_timeout") == 0) {
				field = &cfg->online_lock_timeout;
			} else if (strcmp(k->str, "online_lock_retries") == 0) {
				field = &cfg->online_lock_retries;
			} else {
				yunknown_key(d, k, config_keys, ARRAY_SIZE(config_keys),
					     "schemagen.yaml");
				continue;
			}
			r = get_value(a, t, d, k, v, &s);
			if (r == -2 && (field == &cfg->database_url ||
					field == &cfg->dev_url)) {
				/*
				 * An unset variable in a URL is an error only
				 * when the URL is used (--url or DATABASE_URL may
				 * come first): the diagnostic waits in the config.
				 */
				struct sg_diag *dg = sg_alloc(a, sizeof(*dg));

				*dg = d->v[--d->n];
				dg->msg = sg_strdup(a, dg->msg);
				dg->hint = dg->hint ? sg_strdup(a, dg->hint) : NULL;
				d->nerrors--;
				if (field == &cfg->database_url)
					cfg->database_url_unset = dg;
				else
					cfg->dev_url_unset = dg;
				continue;
			}
			if (r <= 0)
				continue;
			if (name && !check_name(d, t, v, k->str, s))
				continue;
			if (field == &cfg->online_lock_retries &&
			    (!*s || strspn(s, "0123456789") != strlen(s) || strlen(s) > 3)) {
				sg_diag_error(d, v->loc, "\"%s\": %s is not a number of retries (0 to 999)",
					      k->str, yq(t, s));
				continue;
			}
			if ((field == &cfg->lock_wait || field == &cfg->lock_timeout ||
			     field == &cfg->statement_timeout ||
			     field == &cfg->online_lock_timeout) && !valid_duration(s)) {
				struct sg_diag *dg = sg_diag_error(d, v->loc,
					"\"%s\": %s is not a duration", k->str, yq(t, s));

				sg_diag_hint(dg, d, "write a whole number with a unit: 500ms, 5s, 2min, 1h%s",
					     field == &cfg->lock_wait ? " (a bare number is seconds)"
								      : " (0 turns the timeout off)");
				continue;
			}
			if (!*s && (field == &cfg->database_url ||
				    field == &cfg->dev_url)) {
				/* ${DATABASE_URL:-}: not given, the next source decides */
				*field = NULL;
				continue;
			}
			if (!name && !*s) {
				sg_diag_error(d, v->loc, "\"%s\" is empty", k->str);
				continue;
			}
			*field = s;
		}
	}
	sg_arena_free(t);
	cfg->schema_dir = resolve(a, cfg->root, cfg->schema_dir);
	cfg->migrations_dir = resolve(a, cfg->root, cfg->migrations_dir);
	return d->nerrors > nerrors ? -1 : 0;
}
