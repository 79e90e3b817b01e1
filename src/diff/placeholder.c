// SPDX-License-Identifier: MIT
/* Placeholder until the diff stage has sources; remove it then. */
typedef int sg_diff_placeholder;
