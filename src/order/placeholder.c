// SPDX-License-Identifier: MIT
/* Placeholder until the order stage has sources; remove it then. */
typedef int sg_order_placeholder;
