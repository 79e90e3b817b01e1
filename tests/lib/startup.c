// SPDX-License-Identifier: MIT
/*
 * startup.c - an application that migrates its database at start-up
 * through libschemagen (t3810-lib.sh compiles it against an installed
 * prefix with `pkg-config --cflags --libs libschemagen`; the README shows
 * the same calls).
 *
 *     startup DIR [URL]
 *
 * Prints the current and pending revisions, upgrades to head, prints them
 * again and runs check; every error as file:line:col: message (+ hint).
 * Exit 0 when all went well, 1 when check found differences, 2 on errors.
 */
#include <stdio.h>
#include <string.h>

#include <schemagen.h>

static void print_ids(const char *what, const char *const *ids, size_t n)
{
	printf("%s:", what);
	if (n == 0)
		printf(" (none)");
	for (size_t i = 0; i < n; i++)
		printf(" %s", ids[i]);
	printf("\n");
}

static int fail(schemagen *sg, const char *call)
{
	printf("%s failed:\n", call);
	for (size_t i = 0; i < schemagen_error_count(sg); i++) {
		const schemagen_error *e = schemagen_error_get(sg, i);

		if (e->file)
			printf("  %s:%d:%d: %s\n", e->file, e->line, e->column, e->message);
		else
			printf("  %s\n", e->message);
		if (e->hint)
			printf("    hint: %s\n", e->hint);
	}
	schemagen_close(sg);
	return 2;
}

int main(int argc, char **argv)
{
	schemagen *sg;
	const char *const *ids;
	const char *json;
	size_t n, applied;
	int rc;

	if (argc < 2) {
		fprintf(stderr, "usage: startup DIR [URL]\n");
		return 2;
	}
	printf("libschemagen %s\n", schemagen_version());
	sg = schemagen_open(argv[1], argc > 2 ? argv[2] : NULL);
	if (schemagen_current(sg, &ids, &n) < 0)
		return fail(sg, "current");
	print_ids("current", ids, n);
	if (schemagen_pending(sg, &ids, &n) < 0)
		return fail(sg, "pending");
	print_ids("pending", ids, n);
	rc = schemagen_upgrade(sg, "head", &applied);
	printf("upgrade: %zu applied\n", applied);
	if (rc < 0)
		return fail(sg, "upgrade");
	if (schemagen_current(sg, &ids, &n) < 0)
		return fail(sg, "current");
	print_ids("current", ids, n);
	rc = schemagen_check(sg, &json);
	if (rc < 0)
		return fail(sg, "check");
	printf("check: %s\n", rc == 0 ? "in sync" : "differences");
	printf("check json in_sync: %s\n",
	       strstr(json, "\"in_sync\":true") ? "true" : "false");
	schemagen_close(sg);
	return rc;
}
