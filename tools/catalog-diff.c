// SPDX-License-Identifier: MIT
/*
 * catalog-diff.c - sg-catalog-diff CONNINFO_A CONNINFO_B: reads both
 * databases with schemagen's introspector and lists what differs (column
 * order and owners are not compared).  Exit 0 equal, 1 different, 2 error.
 * Used by tools/corpus.sh to decide whether a migrated database equals the
 * reference one.
 */
#include <stdio.h>

#include "schemagen/arena.h"
#include "schemagen/conn.h"
#include "schemagen/diag.h"
#include "schemagen/diff.h"
#include "schemagen/emit.h"
#include "schemagen/introspect.h"
#include "schemagen/model.h"
#include "schemagen/sbuf.h"

static struct sg_catalog *read_db(struct sg_arena *a, const char *conninfo)
{
	struct sg_introspect_opts o = { .version_schema = "public",
					.version_table = "schemagen_version",
					.history_table = "schemagen_history" };
	struct sg_conn *c = sg_conn_open(conninfo);
	struct sg_catalog *cat;

	if (!c)
		return NULL;
	cat = sg_catalog_new(a, conninfo);
	if (introspect_catalog(c, &o, cat) < 0)
		cat = NULL;
	sg_conn_close(c);
	return cat;
}

int main(int argc, char **argv)
{
	struct sg_arena *a;
	struct sg_catalog *x, *y;
	struct sg_changes ch = { 0 };
	struct sg_diags d;
	int rc = 0;

	if (argc != 3) {
		fprintf(stderr, "usage: sg-catalog-diff CONNINFO_A CONNINFO_B\n");
		return 2;
	}
	a = sg_arena_new();
	sg_diags_init(&d, a);
	if (!(x = read_db(a, argv[1])) || !(y = read_db(a, argv[2])))
		rc = 2;
	else if (diff_catalogs(a, x, y, &ch, &d) < 0)
		rc = 1;
	for (size_t i = 0; rc != 2 && i < ch.n; i++) {
		struct sbuf sb = SBUF_INIT;

		emit_describe(&sb, ch.v[i]);
		if (sb.len) {
			printf("%s\n", sb.buf);
			rc = 1;
		}
		sbuf_release(&sb);
	}
	if (d.n)
		sg_diags_print(&d);
	sg_arena_free(a);
	return rc;
}
