// SPDX-License-Identifier: MIT
/*
 * fuzz-config.c - schemagen.yaml as the CLI reads it: the input is written
 * to a schemagen.yaml and loaded by yaml_load_config() over the defaults,
 * and the diagnostics are formatted.  One arena per input.
 */
#include <stdint.h>
#include <stdlib.h>

#include "schemagen/arena.h"
#include "schemagen/config.h"
#include "schemagen/diag.h"
#include "schemagen/sbuf.h"
#include "schemagen/util.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *dir = fuzz_put_file("schemagen.yaml", data, size);
	struct sg_arena *a = sg_arena_new();
	char *path = sg_path_join(dir, "schemagen.yaml");
	struct sg_config cfg;
	struct sg_diags d;
	struct sbuf sb = SBUF_INIT;

	sg_config_defaults(&cfg);
	sg_diags_init(&d, a);
	yaml_load_config(a, path, &cfg, &d);
	for (size_t i = 0; i < d.n; i++)
		sg_diag_format(&sb, &d.v[i]);
	sbuf_release(&sb);
	free(path);
	sg_arena_free(a);
	return 0;
}
