// SPDX-License-Identifier: MIT
/*
 * fuzz-model.c - the model loader as the CLI runs it: the input is the one
 * file of a schema/ folder, read by yaml_load_models() (YAML tree, every
 * object kind's walker, SQL fragments through libpg_query, cross-file
 * checks), and the diagnostics are formatted.  One arena per input.
 */
#include <stdint.h>

#include "schemagen/arena.h"
#include "schemagen/config.h"
#include "schemagen/diag.h"
#include "schemagen/model.h"
#include "schemagen/sbuf.h"
#include "schemagen/yaml.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *dir = fuzz_put_file("fuzz.yaml", data, size);
	struct sg_arena *a = sg_arena_new();
	struct sg_catalog *cat = sg_catalog_new(a, "models");
	struct sg_config cfg;
	struct sg_diags d;
	struct sbuf sb = SBUF_INIT;

	sg_config_defaults(&cfg);
	sg_diags_init(&d, a);
	yaml_load_models(dir, &cfg, cat, &d);
	for (size_t i = 0; i < d.n; i++)
		sg_diag_format(&sb, &d.v[i]);
	sbuf_release(&sb);
	sg_arena_free(a);
	return 0;
}
