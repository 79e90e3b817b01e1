// SPDX-License-Identifier: MIT
/*
 * downgrade.c - `schemagen downgrade TARGET [--sql]`: reverts migrations
 * down to TARGET (-N, a revision, base).
 */
#include "cli.h"

int cli_migrate(struct sg_ctx *ctx, int argc, char **argv, bool up);

int cmd_downgrade(struct sg_ctx *ctx, int argc, char **argv)
{
	return cli_migrate(ctx, argc, argv, false);
}
