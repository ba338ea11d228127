/* yun-bench-common.c: what every benchmark needs: a cloud serving an app,
 * a bridge, and statistics.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "yun-bench-common.h"

#include <glib/gstdio.h>

static void
on_manifest_ready (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  GTask *task = user_data;
  GError *error = NULL;
  YunManifest *manifest = yun_manifest_fetch_finish (result, &error);

  if (manifest == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, manifest, g_object_unref);
}

/**
 * yun_bench_setup_new:
 * @app_id: the app of webapps/ the benchmark uses
 * @error: return location for an error
 *
 * Starts yun-cloud in this process on $YUN_WEBAPPS_DIR (or the installed
 * apps), fetches the app's manifest and makes a bridge.  Needs GTK to be
 * initialised.
 *
 * Returns: (transfer full): the setup, or %NULL with @error set
 */
YunBenchSetup *
yun_bench_setup_new (const char  *app_id,
                     GError     **error)
{
  const char *webapps_dir = g_getenv ("YUN_WEBAPPS_DIR");

  return yun_bench_setup_new_in (webapps_dir != NULL ? webapps_dir : YUN_WEBAPPS_DIR, app_id,
                                 error);
}

/**
 * yun_bench_setup_new_in:
 * @webapps_dir: the folder of apps the cloud serves
 * @app_id: the app the benchmark uses
 * @error: return location for an error
 *
 * Like yun_bench_setup_new() with a folder of apps of the caller's.
 *
 * Returns: (transfer full): the setup, or %NULL with @error set
 */
YunBenchSetup *
yun_bench_setup_new_in (const char  *webapps_dir,
                        const char  *app_id,
                        GError     **error)
{
  g_autoptr(YunBenchSetup) setup = g_new0 (YunBenchSetup, 1);
  g_autoptr(YunPermissionStore) permissions = NULL;
  g_autoptr(YunPermissionGate) gate = NULL;
  g_autoptr(YunDevice) device = NULL;
  g_autoptr(GTask) task = NULL;
  g_autofree char *data_dir = NULL;
  g_autofree char *manifest_url = NULL;

  setup->tmp_dir = g_dir_make_tmp ("yun-bench-XXXXXX", error);
  if (setup->tmp_dir == NULL)
    return NULL;

  data_dir = g_build_filename (setup->tmp_dir, "cloud", NULL);
  setup->cloud = yun_cloud_server_new (webapps_dir, data_dir, error);
  if (setup->cloud == NULL || !yun_cloud_server_listen (setup->cloud, "127.0.0.1", 0, error))
    return NULL;

  setup->session = soup_session_new ();
  manifest_url = g_strconcat (yun_cloud_server_get_url (setup->cloud), "apps/", app_id,
                              "/manifest.json", NULL);
  task = g_task_new (NULL, NULL, NULL, NULL);
  yun_manifest_fetch_async (setup->session, manifest_url, NULL, on_manifest_ready, task);
  while (!g_task_get_completed (task))
    g_main_context_iteration (NULL, TRUE);
  setup->manifest = g_task_propagate_pointer (task, error);
  if (setup->manifest == NULL)
    return NULL;

  permissions = yun_permission_store_open (":memory:", error);
  if (permissions == NULL)
    return NULL;
  gate = yun_permission_gate_new (permissions);
  device = yun_device_new ();
  setup->bridge = yun_bridge_new (device, gate);

  return g_steal_pointer (&setup);
}

/**
 * yun_bench_setup_free:
 * @setup: (transfer full): a setup
 *
 * Stops the cloud.  The temporary folder stays, with the web data of the
 * benchmark's profiles, for a look afterwards.
 */
void
yun_bench_setup_free (YunBenchSetup *setup)
{
  g_clear_object (&setup->bridge);
  g_clear_object (&setup->manifest);
  g_clear_object (&setup->session);
  g_clear_object (&setup->cloud);
  g_free (setup->tmp_dir);
  g_free (setup);
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a;
  double y = *(const double *) b;

  return (x > y) - (x < y);
}

/**
 * yun_bench_stats:
 * @samples: (element-type double): the samples; sorted in place
 *
 * Returns: median, 99th percentile, minimum and mean of @samples
 */
YunBenchStats
yun_bench_stats (GArray *samples)
{
  YunBenchStats stats = { 0 };
  double sum = 0;

  if (samples->len == 0)
    return stats;

  g_array_sort (samples, compare_doubles);
  for (guint i = 0; i < samples->len; i++)
    sum += g_array_index (samples, double, i);

  stats.count = samples->len;
  stats.median = g_array_index (samples, double, samples->len / 2);
  stats.p99 = g_array_index (samples, double, MIN (samples->len - 1, (samples->len * 99) / 100));
  stats.min = g_array_index (samples, double, 0);
  stats.mean = sum / samples->len;
  return stats;
}

static void
on_wait_timeout (gpointer user_data)
{
  gboolean *timed_out = user_data;

  *timed_out = TRUE;
}

/**
 * yun_bench_wait:
 * @condition: a flag a callback sets
 * @seconds: how long to wait at most
 *
 * Runs the main loop until @condition is set.
 *
 * Returns: %TRUE when it was set in time
 */
gboolean
yun_bench_wait (gboolean *condition,
                guint     seconds)
{
  gboolean timed_out = FALSE;
  guint timeout_id = g_timeout_add_once (seconds * 1000, on_wait_timeout, &timed_out);

  while (!*condition && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (timeout_id);
  return *condition;
}

/**
 * yun_bench_median:
 * @samples: (element-type double): the samples; sorted in place
 *
 * Returns: their median, or -1 when there are none
 */
double
yun_bench_median (GArray *samples)
{
  YunBenchStats stats = yun_bench_stats (samples);

  return stats.count > 0 ? stats.median : -1;
}

/**
 * yun_bench_print_row:
 * @path: what was timed
 * @samples: (element-type double): its times in ms; sorted in place
 *
 * Prints one row of a table: samples, median, 99th percentile and
 * minimum, or n/a when there are none.
 */
void
yun_bench_print_row (const char *path,
                     GArray     *samples)
{
  YunBenchStats stats = yun_bench_stats (samples);

  if (stats.count == 0)
    g_print ("%-52s %8s\n", path, "n/a");
  else
    g_print ("%-52s %8u %10.1f %10.1f %10.1f\n", path, stats.count, stats.median, stats.p99,
             stats.min);
}

/**
 * yun_bench_remove_tree:
 * @path: a folder of the benchmark's own
 *
 * Removes it and everything in it, not following symbolic links.
 */
void
yun_bench_remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL) {
    g_autofree char *child = g_build_filename (path, name, NULL);

    if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
      yun_bench_remove_tree (child);
    else
      g_remove (child);
  }
  g_remove (path);
}
