// SPDX-License-Identifier: MIT
/* Placeholder until the cli stage has sources; remove it then. */
typedef int sg_cli_placeholder;
