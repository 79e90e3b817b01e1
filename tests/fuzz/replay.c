// SPDX-License-Identifier: MIT
/*
 * replay.c - runs a fuzz target's LLVMFuzzerTestOneInput() once on every
 * file under the folders (or files) given, in name order, as a TAP test:
 * the normal builds (plain, sanitizers, valgrind) replay the seed corpora
 * and the regression inputs of tests/fuzz/regressions/ this way, without
 * clang.  A crash fails the test; so does a folder that cannot be read.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "schemagen/sql.h"
#include "schemagen/util.h"
#include "fuzz.h"

static int count;
static int failed;

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void replay(const char *path)
{
	struct stat st;

	if (stat(path, &st) < 0) {
		printf("not ok %d - cannot read %s\n", ++count, path);
		failed++;
		return;
	}
	if (S_ISDIR(st.st_mode)) {
		DIR *dh = opendir(path);
		struct dirent *de;
		char **names = NULL;
		size_t n = 0, cap = 0;

		if (!dh) {
			printf("not ok %d - cannot open %s\n", ++count, path);
			failed++;
			return;
		}
		while ((de = readdir(dh)) != NULL) {
			if (de->d_name[0] == '.')
				continue;
			if (n == cap) {
				cap = cap ? 2 * cap : 16;
				names = realloc(names, cap * sizeof(*names));
				if (!names)
					abort();
			}
			names[n++] = sg_path_join(path, de->d_name);
		}
		closedir(dh);
		if (n > 1)
			qsort(names, n, sizeof(*names), str_cmp);
		for (size_t i = 0; i < n; i++) {
			replay(names[i]);
			free(names[i]);
		}
		free(names);
		return;
	}
	{
		size_t len;
		char *text = sg_read_file(path, &len);

		if (!text) {
			printf("not ok %d - cannot read %s\n", ++count, path);
			failed++;
			return;
		}
		/* an exact-size copy, as libFuzzer gives it: no terminator
		 * for a parser to rely on (the sanitizer builds see an
		 * overread) */
		uint8_t *data = malloc(len ? len : 1);

		if (!data)
			abort();
		memcpy(data, text, len);
		free(text);
		fflush(stdout);
		LLVMFuzzerTestOneInput(data, len);
		free(data);
		printf("ok %d - %s\n", ++count, path);
	}
}

int main(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		replay(argv[i]);
	sg_sql_cleanup();
	printf("1..%d\n", count);
	return failed ? 1 : 0;
}
