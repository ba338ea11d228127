/* yun-bench-store.h: the store benchmark.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

int yun_bench_store_run (int    argc,
                         char **argv);
