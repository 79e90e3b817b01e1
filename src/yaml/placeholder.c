// SPDX-License-Identifier: MIT
/* Placeholder until the yaml stage has sources; remove it then. */
typedef int sg_yaml_placeholder;
