/* yun-bench-launch.c: the app launch benchmark.
 *
 * Launches the hello app cold (a new web context, so a new web process)
 * again and again in one window, and times tap → first contentful paint
 * and tap → load finished from the shell's launch marks.  The baseline,
 * run alternately in the same process, is a bare WebKitWebView in a new
 * web context loading the same URL: the cost of the engine alone.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "yun-bench-launch.h"

#include "yun-bench-common.h"

typedef struct {
  gboolean finished;
  double first_paint_ms;
  double load_ms;
} Run;

static double
mark_ms (GArray     *marks,
         const char *name)
{
  gint64 tap = g_array_index (marks, YunLaunchMark, 0).time;

  for (guint i = 0; i < marks->len; i++) {
    YunLaunchMark *mark = &g_array_index (marks, YunLaunchMark, i);

    if (g_str_equal (mark->name, name))
      return (mark->time - tap) / 1000.0;
  }
  return -1;
}

static void
on_app_loaded (YunAppView *view,
               Run        *run)
{
  GArray *marks = yun_app_view_get_launch_marks (view);

  run->first_paint_ms = mark_ms (marks, "first-paint");
  run->load_ms = mark_ms (marks, "load-finished");
  run->finished = TRUE;
}

static gboolean
launch_yun (YunBenchSetup *setup,
            GtkWindow     *window,
            Run           *run)
{
  YunAppView *view = yun_app_view_new ("hello", setup->manifest, setup->tmp_dir, setup->bridge);

  g_signal_connect (view, "load-finished", G_CALLBACK (on_app_loaded), run);
  gtk_window_set_child (window, GTK_WIDGET (view));
  yun_app_view_start (view, g_get_real_time (), NULL);
  return yun_bench_wait (&run->finished, 60);
}

/* The same Paint Timing question the shell asks, for the bare web view. */
static const char first_paint_script[] =
  "const paints = performance.getEntriesByType ('paint');"
  "const first = paints.find (p => p.name === 'first-contentful-paint') || paints[0];"
  "return first ? performance.timeOrigin + first.startTime : null;";

typedef struct {
  Run *run;
  gint64 tap;
} Baseline;

static void
on_baseline_paint (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  Baseline *baseline = user_data;
  g_autoptr(JSCValue) value = NULL;

  value = webkit_web_view_call_async_javascript_function_finish (WEBKIT_WEB_VIEW (source), result,
                                                                 NULL);
  baseline->run->first_paint_ms = value != NULL && jsc_value_is_number (value)
    ? jsc_value_to_double (value) - baseline->tap / 1000.0 : -1;
  baseline->run->finished = TRUE;
}

static void
on_baseline_load_changed (WebKitWebView   *web_view,
                          WebKitLoadEvent  event,
                          Baseline        *baseline)
{
  if (event != WEBKIT_LOAD_FINISHED)
    return;
  baseline->run->load_ms = (g_get_real_time () - baseline->tap) / 1000.0;
  webkit_web_view_call_async_javascript_function (web_view, first_paint_script, -1, NULL,
                                                  "bench", NULL, NULL, on_baseline_paint, baseline);
}

static gboolean
launch_baseline (const char *url,
                 GtkWindow  *window,
                 Run        *run)
{
  g_autoptr(WebKitWebContext) context = webkit_web_context_new ();
  g_autoptr(WebKitNetworkSession) session = webkit_network_session_new_ephemeral ();
  Baseline baseline = { run, g_get_real_time () };
  GtkWidget *web_view = g_object_new (WEBKIT_TYPE_WEB_VIEW, "web-context", context,
                                      "network-session", session, NULL);
  gboolean finished;

  g_signal_connect (web_view, "load-changed", G_CALLBACK (on_baseline_load_changed), &baseline);
  gtk_window_set_child (window, web_view);
  webkit_web_view_load_uri (WEBKIT_WEB_VIEW (web_view), url);
  finished = yun_bench_wait (&run->finished, 60);
  g_signal_handlers_disconnect_by_func (web_view, on_baseline_load_changed, &baseline);
  return finished;
}

int
yun_bench_launch_run (int    argc,
                      char **argv)
{
  int launches = 10;
  const GOptionEntry entries[] = {
    { "launches", 0, 0, G_OPTION_ARG_INT, &launches, "Launches of each kind (default 10)", "N" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("- cold app launch");
  g_autoptr(GError) error = NULL;
  g_autoptr(YunBenchSetup) setup = NULL;
  g_autoptr(GArray) yun_paint = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) yun_load = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) base_paint = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) base_load = g_array_new (FALSE, FALSE, sizeof (double));
  YunBenchStats yp, yl, bp, bl;
  GtkWidget *window;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || launches < 1) {
    g_printerr ("yun-bench launch: %s\n", error != NULL ? error->message : "--launches must be positive");
    return 2;
  }
  if (!gtk_init_check ()) {
    g_printerr ("yun-bench launch: needs a display; run it under xvfb-run -a\n");
    return 2;
  }

  setup = yun_bench_setup_new ("hello", &error);
  if (setup == NULL) {
    g_printerr ("yun-bench launch: %s\n", error->message);
    return 1;
  }

  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 360, 760);
  gtk_window_present (GTK_WINDOW (window));

  /* One of each first, not counted: caches, fonts, the first process. */
  for (int i = -1; i < launches; i++) {
    Run yun = { 0 }, base = { 0 };

    if (!launch_yun (setup, GTK_WINDOW (window), &yun) ||
        !launch_baseline (yun_manifest_get_start_url (setup->manifest), GTK_WINDOW (window), &base)) {
      g_printerr ("yun-bench launch: a launch did not finish in 60 s\n");
      return 1;
    }
    if (i < 0)
      continue;
    /* A page that reported no paint entry has no first-paint sample. */
    if (yun.first_paint_ms >= 0)
      g_array_append_val (yun_paint, yun.first_paint_ms);
    if (base.first_paint_ms >= 0)
      g_array_append_val (base_paint, base.first_paint_ms);
    g_array_append_val (yun_load, yun.load_ms);
    g_array_append_val (base_load, base.load_ms);
  }

  yp = yun_bench_stats (yun_paint);
  yl = yun_bench_stats (yun_load);
  bp = yun_bench_stats (base_paint);
  bl = yun_bench_stats (base_load);

  g_print ("Cold launch of the hello app, %d launches each, alternating (WebKitGTK %u.%u.%u)\n\n",
           launches, webkit_get_major_version (), webkit_get_minor_version (),
           webkit_get_micro_version ());
  g_print ("%-44s %8s %12s %12s %12s\n", "path", "samples", "median ms", "p99 ms", "min ms");
  g_print ("%-44s %8u %12.1f %12.1f %12.1f\n", "yun-shell: tap to first contentful paint",
           yp.count, yp.median, yp.p99, yp.min);
  g_print ("%-44s %8u %12.1f %12.1f %12.1f\n", "yun-shell: tap to load finished",
           yl.count, yl.median, yl.p99, yl.min);
  g_print ("%-44s %8u %12.1f %12.1f %12.1f\n", "bare web view: load to first paint",
           bp.count, bp.median, bp.p99, bp.min);
  g_print ("%-44s %8u %12.1f %12.1f %12.1f\n", "bare web view: load to load finished",
           bl.count, bl.median, bl.p99, bl.min);
  g_print ("\nratio of first-paint medians (Yun / bare): %.2f\n\n", yp.median / bp.median);
  g_print ("launch: cold_first_paint_ms=%.1f cold_load_ms=%.1f baseline_first_paint_ms=%.1f "
           "baseline_load_ms=%.1f ratio=%.2f launches=%d\n",
           yp.median, yl.median, bp.median, bl.median, yp.median / bp.median, launches);

  gtk_window_destroy (GTK_WINDOW (window));
  return 0;
}
