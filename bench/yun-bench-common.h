/* yun-bench-common.h: what every benchmark needs: a cloud serving an app,
 * a bridge, and statistics.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>
#include <libsoup/soup.h>

#include "yun-app-view.h"
#include "yun-cloud-server.h"

G_BEGIN_DECLS

/**
 * YunBenchSetup:
 * @tmp_dir: a folder of the benchmark's own (the cloud's data, profiles)
 * @cloud: yun-cloud, in this process, on a free loopback port
 * @session: an HTTP session
 * @manifest: the app's manifest, as the cloud serves it
 * @bridge: a bridge with an in-memory permission store
 */
typedef struct {
  char *tmp_dir;
  YunCloudServer *cloud;
  SoupSession *session;
  YunManifest *manifest;
  YunBridge *bridge;
} YunBenchSetup;

YunBenchSetup *yun_bench_setup_new  (const char     *app_id,
                                     GError        **error);
YunBenchSetup *yun_bench_setup_new_in (const char    *webapps_dir,
                                       const char    *app_id,
                                       GError       **error);
void           yun_bench_setup_free (YunBenchSetup  *setup);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (YunBenchSetup, yun_bench_setup_free)

/**
 * YunBenchStats:
 * @count: how many samples
 * @median: the median
 * @p99: the 99th percentile
 * @min: the smallest
 * @mean: the mean
 */
typedef struct {
  guint count;
  double median;
  double p99;
  double min;
  double mean;
} YunBenchStats;

YunBenchStats  yun_bench_stats (GArray *samples);
double         yun_bench_median (GArray *samples);
void           yun_bench_print_row (const char *path,
                                    GArray     *samples);
void           yun_bench_remove_tree (const char *path);

gboolean       yun_bench_wait  (gboolean *condition,
                                guint     seconds);

G_END_DECLS
