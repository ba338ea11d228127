/* yun-bench-data.h: the personal-data benchmark.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

int yun_bench_data_run (int    argc,
                        char **argv);
