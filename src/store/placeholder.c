// SPDX-License-Identifier: MIT
/* Placeholder until the store stage has sources; remove it then. */
typedef int sg_store_placeholder;
