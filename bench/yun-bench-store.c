/* yun-bench-store.c: the store benchmark.
 *
 * Catalog search: yun-cloud in this process on a catalog of 500 apps (the
 * one it generates) and on one of 10,000 generated into a temporary folder
 * in the same run, each searched over real HTTP on loopback with the
 * words people type (whole words, prefixes, two words, a miss), one
 * request at a time; the latency of each answer is a sample.
 *
 * First paint: each of the four cloud apps (store, local, prices,
 * groupbuy) launched cold in the shell's app view, as the launch
 * benchmark does, tap to first contentful paint, beside the hello app
 * (the smallest page) in the same run; needs a display (run under
 * xvfb-run -a), and is left out without one.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "yun-bench-store.h"

#include "yun-bench-common.h"
#include "yun-catalog-generator.h"
#include "yun-catalog.h"

#include <math.h>

static const char * const queries[] = {
  "ledger", "jade", "tea", "puzzle", "maps", "photo", "music radio", "pocket notes", "b",
  "lo", "weather", "hangzhou", "offline", "kids", "qwertyuiop",
};

static const char * const cloud_apps[] = { "store", "local", "prices", "groupbuy" };

static double
percentile (GArray *samples,
            double  fraction)
{
  guint index;

  if (samples->len == 0)
    return NAN;
  /* yun_bench_stats () sorted them. */
  index = (guint) ceil (fraction * samples->len) - 1;
  return g_array_index (samples, double, MIN (index, samples->len - 1));
}

typedef struct {
  gboolean done;
  guint status;
} Sent;

static void
on_sent (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Sent *sent = user_data;
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, NULL);

  sent->status = body != NULL ? 200 : 0;
  sent->done = TRUE;
}

/* One search over HTTP; the time to the whole answer, in ms, or -1. */
static double
search_once (SoupSession *session,
             const char  *base,
             const char  *q)
{
  g_autofree char *escaped = g_uri_escape_string (q, NULL, FALSE);
  g_autofree char *url = g_strconcat (base, "api/store/apps?limit=20&q=", escaped, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  Sent sent = { 0 };
  gint64 start = g_get_monotonic_time ();

  soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, on_sent, &sent);
  if (!yun_bench_wait (&sent.done, 30) || soup_message_get_status (msg) != SOUP_STATUS_OK)
    return -1;
  return (g_get_monotonic_time () - start) / 1000.0;
}

typedef struct {
  guint apps;
  YunBenchStats stats;
  double p95;
} SearchResult;

/* Searches a cloud on @data_dir; its catalog is generated first if
 * @n_apps is not the default. */
static gboolean
bench_search (const char    *data_dir,
              guint          n_apps,
              guint          rounds,
              SearchResult  *result,
              GError       **error)
{
  const char *webapps_dir = g_getenv ("YUN_WEBAPPS_DIR");
  g_autoptr(YunCloudServer) cloud = NULL;
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(GArray) samples = g_array_new (FALSE, FALSE, sizeof (double));
  const char *base;

  if (n_apps != YUN_CATALOG_GENERATOR_APPS) {
    g_autofree char *path = g_build_filename (data_dir, "store.db", NULL);
    g_autoptr(YunCloudDb) db = NULL;
    gint64 start = g_get_monotonic_time ();

    if (g_mkdir_with_parents (data_dir, 0700) != 0) {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED, "Could not create %s", data_dir);
      return FALSE;
    }
    db = yun_catalog_open (path, YUN_CATALOG_GENERATOR_SEED, n_apps, error);
    if (db == NULL)
      return FALSE;
    g_print ("Generated %u apps in %.0f ms\n", n_apps, (g_get_monotonic_time () - start) / 1000.0);
  }

  cloud = yun_cloud_server_new (webapps_dir != NULL ? webapps_dir : YUN_WEBAPPS_DIR, data_dir,
                                error);
  if (cloud == NULL || !yun_cloud_server_listen (cloud, "127.0.0.1", 0, error))
    return FALSE;
  base = yun_cloud_server_get_url (cloud);
  soup_session_set_proxy_resolver (session, NULL);

  /* Not counted: the first request opens the catalog (and generates the
   * default one), and each query is run once to warm the caches. */
  for (guint q = 0; q < G_N_ELEMENTS (queries); q++) {
    if (search_once (session, base, queries[q]) < 0) {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "A search for “%s” failed", queries[q]);
      return FALSE;
    }
  }

  for (guint r = 0; r < rounds; r++) {
    for (guint q = 0; q < G_N_ELEMENTS (queries); q++) {
      double ms = search_once (session, base, queries[q]);

      if (ms < 0) {
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "A search for “%s” failed", queries[q]);
        return FALSE;
      }
      g_array_append_val (samples, ms);
    }
  }

  result->apps = n_apps;
  result->stats = yun_bench_stats (samples);
  result->p95 = percentile (samples, 0.95);
  soup_session_abort (session);
  return TRUE;
}

typedef struct {
  gboolean finished;
  double first_paint_ms;
} Launch;

static void
on_app_loaded (YunAppView *view,
               Launch     *launch)
{
  GArray *marks = yun_app_view_get_launch_marks (view);
  gint64 tap = g_array_index (marks, YunLaunchMark, 0).time;

  launch->first_paint_ms = -1;
  for (guint i = 0; i < marks->len; i++) {
    YunLaunchMark *mark = &g_array_index (marks, YunLaunchMark, i);

    if (g_str_equal (mark->name, "first-paint"))
      launch->first_paint_ms = (mark->time - tap) / 1000.0;
  }
  launch->finished = TRUE;
}

/* The median cold first paint of @app_id over @launches, or -1. */
static double
bench_first_paint (const char *app_id,
                   GtkWindow  *window,
                   int         launches,
                   GError    **error)
{
  g_autoptr(YunBenchSetup) setup = yun_bench_setup_new (app_id, error);
  g_autoptr(GArray) samples = g_array_new (FALSE, FALSE, sizeof (double));
  g_autofree char *id = g_strconcat (app_id, "-bench", NULL);

  if (setup == NULL)
    return -1;

  /* One launch first, not counted: caches, fonts, the first process. */
  for (int i = -1; i < launches; i++) {
    YunAppView *view = yun_app_view_new (id, setup->manifest, setup->tmp_dir, setup->bridge);
    Launch launch = { 0 };

    g_signal_connect (view, "load-finished", G_CALLBACK (on_app_loaded), &launch);
    gtk_window_set_child (window, GTK_WIDGET (view));
    yun_app_view_start (view, g_get_real_time (), NULL);
    if (!yun_bench_wait (&launch.finished, 60)) {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "%s did not load in 60 s", app_id);
      return -1;
    }
    g_signal_handlers_disconnect_by_func (view, on_app_loaded, &launch);
    if (i >= 0 && launch.first_paint_ms >= 0)
      g_array_append_val (samples, launch.first_paint_ms);
  }
  gtk_window_set_child (window, NULL);

  if (samples->len == 0) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s reported no first paint", app_id);
    return -1;
  }
  return yun_bench_stats (samples).median;
}

int
yun_bench_store_run (int    argc,
                     char **argv)
{
  int rounds = 20;
  int launches = 5;
  int big = 10000;
  gboolean no_paint = FALSE;
  const GOptionEntry entries[] = {
    { "rounds", 0, 0, G_OPTION_ARG_INT, &rounds, "Rounds of every query (default 20)", "N" },
    { "big", 0, 0, G_OPTION_ARG_INT, &big, "Apps in the big catalog (default 10000)", "N" },
    { "launches", 0, 0, G_OPTION_ARG_INT, &launches, "Launches of each app (default 5)", "N" },
    { "no-paint", 0, 0, G_OPTION_ARG_NONE, &no_paint, "Leave out the first paints", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("- catalog search and first paint");
  g_autoptr(GError) error = NULL;
  g_autofree char *tmp_dir = NULL;
  g_autofree char *small_dir = NULL;
  g_autofree char *big_dir = NULL;
  SearchResult small = { 0 }, large = { 0 };
  double paints[G_N_ELEMENTS (cloud_apps)];
  double paint_max = -1;
  double baseline = -1;
  gboolean have_display;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || rounds < 1 || launches < 1 ||
      big < 1) {
    g_printerr ("yun-bench store: %s\n",
                error != NULL ? error->message : "--rounds, --launches and --big must be positive");
    return 2;
  }

  tmp_dir = g_dir_make_tmp ("yun-bench-store-XXXXXX", &error);
  if (tmp_dir == NULL) {
    g_printerr ("yun-bench store: %s\n", error->message);
    return 1;
  }
  small_dir = g_build_filename (tmp_dir, "small", NULL);
  big_dir = g_build_filename (tmp_dir, "big", NULL);

  if (!bench_search (small_dir, YUN_CATALOG_GENERATOR_APPS, rounds, &small, &error) ||
      !bench_search (big_dir, big, rounds, &large, &error)) {
    g_printerr ("yun-bench store: %s\n", error->message);
    return 1;
  }

  have_display = !no_paint && gtk_init_check ();
  if (have_display) {
    GtkWidget *window = gtk_window_new ();

    gtk_window_set_default_size (GTK_WINDOW (window), 360, 760);
    gtk_window_present (GTK_WINDOW (window));
    /* The baseline: the hello app, the smallest page, in the same run. */
    baseline = bench_first_paint ("hello", GTK_WINDOW (window), launches, &error);
    if (baseline < 0) {
      g_printerr ("yun-bench store: %s\n", error->message);
      return 1;
    }
    for (guint i = 0; i < G_N_ELEMENTS (cloud_apps); i++) {
      paints[i] = bench_first_paint (cloud_apps[i], GTK_WINDOW (window), launches, &error);
      if (paints[i] < 0) {
        g_printerr ("yun-bench store: %s\n", error->message);
        return 1;
      }
      paint_max = MAX (paint_max, paints[i]);
    }
    gtk_window_destroy (GTK_WINDOW (window));
  }

  g_print ("\nCatalog search over HTTP on loopback, %u queries × %d rounds, top 20 by relevance\n\n",
           (guint) G_N_ELEMENTS (queries), rounds);
  g_print ("%-28s %8s %10s %10s %10s %10s\n", "catalog", "samples", "median ms", "p95 ms",
           "p99 ms", "min ms");
  g_print ("%-28s %8u %10.2f %10.2f %10.2f %10.2f\n", "500 apps (generated at start)",
           small.stats.count, small.stats.median, small.p95, small.stats.p99, small.stats.min);
  g_print ("%5d %-22s %8u %10.2f %10.2f %10.2f %10.2f\n", big, "apps", large.stats.count,
           large.stats.median, large.p95, large.stats.p99, large.stats.min);
  g_print ("\nratio of p95 (%d / 500): %.2f\n", big, large.p95 / small.p95);

  if (have_display) {
    g_print ("\nCold launch in the shell's app view, tap to first contentful paint, median of %d\n\n",
             launches);
    for (guint i = 0; i < G_N_ELEMENTS (cloud_apps); i++)
      g_print ("%-28s %10.1f ms   %.2f× hello\n", cloud_apps[i], paints[i], paints[i] / baseline);
    g_print ("%-28s %10.1f ms\n", "hello (baseline)", baseline);
    g_print ("\nstore: catalog_apps=%u search_p95_ms=%.2f search_p95_ms_10k=%.2f "
             "first_paint_ms_max=%.1f\n", small.apps, small.p95, large.p95, paint_max);
  } else {
    g_print ("\n(no display: first paints left out; run under xvfb-run -a)\n");
    g_print ("\nstore: catalog_apps=%u search_p95_ms=%.2f search_p95_ms_10k=%.2f\n",
             small.apps, small.p95, large.p95);
  }

  return 0;
}
