// SPDX-License-Identifier: MIT
/* Placeholder until the emit stage has sources; remove it then. */
typedef int sg_emit_placeholder;
