/* SPDX-License-Identifier: MIT */
/*
 * fuzz.h - what the fuzz targets share: libFuzzer's entry point (the same
 * function is driven by replay.c in the normal build) and a private
 * scratch directory for targets whose API takes a path.
 */
#ifndef SG_FUZZ_H
#define SG_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * Writes data to <scratch dir>/name (the directory is made once per
 * process and removed at exit) and returns the directory.
 */
const char *fuzz_put_file(const char *name, const uint8_t *data, size_t size);

#endif
