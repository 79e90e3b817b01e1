// SPDX-License-Identifier: MIT
/* main.c - placeholder; the command table comes with src/cli/. */
#include <stdio.h>
#include "sg-config.h"

int main(void)
{
	printf("schemagen %s\n", SG_VERSION);
	return 0;
}
