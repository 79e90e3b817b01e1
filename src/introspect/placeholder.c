// SPDX-License-Identifier: MIT
/* Placeholder until the introspect stage has sources; remove it then. */
typedef int sg_introspect_placeholder;
