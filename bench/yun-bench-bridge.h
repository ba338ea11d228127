/* yun-bench-bridge.h: the bridge round-trip benchmark.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

int yun_bench_bridge_run (int    argc,
                          char **argv);
