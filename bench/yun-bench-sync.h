/* yun-bench-sync.h: the sync benchmark.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

int yun_bench_sync_run (int    argc,
                        char **argv);
