/* yun-bench-launch.h: the app launch benchmark.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

int yun_bench_launch_run (int    argc,
                          char **argv);
