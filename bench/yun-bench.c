/* yun-bench.c: yun-bench NAME runs one benchmark and prints a table that
 * ends with one summary line "NAME: key=value ...".
 *
 * Benchmarks inform; they never pass or fail.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gtk/gtk.h>

#include "yun-bench-bridge.h"
#include "yun-bench-camera.h"
#include "yun-bench-data.h"
#include "yun-bench-launch.h"
#include "yun-bench-store.h"
#include "yun-bench-sync.h"

typedef struct {
  const char *name;
  const char *summary;
  int (*run) (int argc, char **argv);
} Benchmark;

static const Benchmark benchmarks[] = {
  { "bridge", "no-op navigator.yun round trip against WebKit's raw script message",
    yun_bench_bridge_run },
  { "camera", "takePicture() to resolved Promise with the test source, memory with the viewfinder",
    yun_bench_camera_run },
  { "data", "as-you-type contact search over 100k contacts against FTS5 bm25, vCard import, notes",
    yun_bench_data_run },
  { "launch", "app launch and return, shell start and memory, against a bare web view and browsers",
    yun_bench_launch_run },
  { "store", "catalog search latency with 500 and 10,000 apps; the cloud apps' first paint",
    yun_bench_store_run },
  { "sync", "initial sync of 10k notes and one change among 100k with yun-cloud, against pouchdb-server",
    yun_bench_sync_run },
};

static void
usage (void)
{
  g_printerr ("usage: yun-bench NAME [OPTION...]\n\nbenchmarks:\n");
  for (guint i = 0; i < G_N_ELEMENTS (benchmarks); i++)
    g_printerr ("  %-10s %s\n", benchmarks[i].name, benchmarks[i].summary);
}

int
main (int   argc,
      char *argv[])
{
  if (argc < 2 || g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h")) {
    usage ();
    return argc < 2 ? 2 : 0;
  }

  for (guint i = 0; i < G_N_ELEMENTS (benchmarks); i++) {
    if (g_str_equal (argv[1], benchmarks[i].name))
      return benchmarks[i].run (argc - 1, argv + 1);
  }

  g_printerr ("yun-bench: no benchmark called “%s”\n", argv[1]);
  usage ();
  return 2;
}
