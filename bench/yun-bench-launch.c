/* yun-bench-launch.c: the launch benchmark.
 *
 * In this process: the hello app launched cold (a new web context, so a
 * new web process) again and again, tap → first contentful paint from the
 * shell's launch marks, against a bare WebKitWebView in a new web context
 * loading the same URL, alternately; and returning to a running app in
 * the shell's window, switch → next frame.
 *
 * As separate processes: yun-shell's start to its first frame; its memory
 * with no apps (against a bare GTK 4 + WebKit window) and per extra live
 * app; and the same app opened from nothing by yun-shell --app, by
 * chromium --app and by epiphany, each page reporting its first
 * contentful paint to a beacon.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "yun-bench-launch.h"

#include "yun-bench-common.h"
#include "yun-bench-process.h"
#include "yun-shell-window.h"
#include "yun-warm-pool.h"

#include <unistd.h>

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

/* Extra live apps for the memory figures: copies of hello under ids of
 * their own, so each gets its own web context and process. */
#define EXTRA_APPS 2

typedef struct {
  GtkWidget *widget;
  gboolean painted;
} Frame;

static void
on_frame_painted (GdkFrameClock *clock,
                  Frame         *frame)
{
  g_signal_handlers_disconnect_by_func (clock, on_frame_painted, frame);
  frame->painted = TRUE;
}

static gboolean
wait_for_frame (GtkWidget *widget)
{
  Frame frame = { widget, FALSE };

  g_signal_connect (gtk_widget_get_frame_clock (widget), "after-paint",
                    G_CALLBACK (on_frame_painted), &frame);
  gtk_widget_queue_draw (widget);
  return yun_bench_wait (&frame.painted, 10);
}

static YunAppView *
open_in_shell (YunBenchSetup  *setup,
               YunShellWindow *window,
               const char     *app_id)
{
  YunAppView *view = yun_app_view_new (app_id, setup->manifest, setup->tmp_dir, setup->bridge);
  Run run = { 0 };

  g_signal_connect (view, "load-finished", G_CALLBACK (on_app_loaded), &run);
  yun_running_apps_add (yun_shell_window_get_running_apps (window), view, FALSE);
  yun_shell_window_show_app (window, view);
  yun_app_view_start (view, g_get_real_time (), NULL);
  yun_bench_wait (&run.finished, 60);
  g_signal_handlers_disconnect_by_func (view, on_app_loaded, &run);
  return view;
}

/* Back to a running app: from the switch to the shell's next frame. */
static GArray *
measure_resume (YunBenchSetup *setup,
                int            switches)
{
  GArray *samples = g_array_new (FALSE, FALSE, sizeof (double));
  YunShellWindow *window = yun_shell_window_new (NULL, 360, 760, 4);
  YunAppView *first;
  YunAppView *second;

  gtk_window_present (GTK_WINDOW (window));
  first = open_in_shell (setup, window, "hello");
  second = open_in_shell (setup, window, "hello-2");
  for (int i = -1; i < switches; i++) {
    YunAppView *target = i % 2 == 0 ? first : second;
    gint64 start = g_get_monotonic_time ();

    yun_shell_window_show_app (window, target);
    if (!wait_for_frame (GTK_WIDGET (window)))
      break;
    if (i >= 0) {
      double ms = (g_get_monotonic_time () - start) / 1000.0;

      g_array_append_val (samples, ms);
    }
  }
  gtk_window_destroy (GTK_WINDOW (window));
  return samples;
}

/* A launch from the warm pool: the view's processes were started, and
 * left to settle, before the tap. */
static gboolean
launch_warm (YunBenchSetup *setup,
             GtkWindow     *window,
             Run           *run)
{
  g_autoptr(YunWarmPool) pool = yun_warm_pool_new ();
  YunAppView *view;

  yun_warm_pool_fill (pool, "hello", setup->manifest, setup->tmp_dir, setup->bridge);
  yun_bench_idle_for (1500);
  view = yun_warm_pool_take (pool, "hello", setup->manifest);
  g_signal_connect (view, "load-finished", G_CALLBACK (on_app_loaded), run);
  gtk_window_set_child (window, GTK_WIDGET (view));
  g_object_unref (view);
  yun_app_view_start (view, g_get_real_time (), NULL);
  return yun_bench_wait (&run->finished, 60);
}

/* The shell's first frame, µs since the epoch, or 0. */
static gint64
wait_for_first_frame (GDBusProxy *automation)
{
  for (int i = 0; i < 2000; i++) {
    g_autoptr(GVariant) reply = yun_bench_call_shell (automation, "GetShellMarks", NULL, NULL);
    g_autoptr(GVariantIter) marks = NULL;
    const char *name;
    gint64 time;

    if (reply == NULL)
      return 0;
    g_variant_get (reply, "(a(sx))", &marks);
    while (g_variant_iter_next (marks, "(&sx)", &name, &time)) {
      if (g_str_equal (name, "first-frame"))
        return time;
    }
    yun_bench_idle_for (5);
  }
  return 0;
}

static GSubprocess *
spawn_shell (YunBenchSetup *setup,
             const char    *profile,
             const char    *app_url_or_id,
             GError       **error)
{
  g_autofree char *binary = yun_bench_shell_binary ();
  const char *argv[] = { binary, "--automation", "--cloud", yun_cloud_server_get_url (setup->cloud),
                         "--profile", profile, "--max-live-apps", "8",
                         app_url_or_id != NULL ? "--app" : NULL, app_url_or_id, NULL };

  return yun_bench_spawn (argv, NULL, error);
}

static double
settle_and_weigh (GSubprocess *process,
                  gboolean     with_descendants)
{
  yun_bench_idle_for (2000);
  return yun_bench_pss_mb ((GPid) g_ascii_strtoll (g_subprocess_get_identifier (process), NULL, 10),
                           with_descendants);
}

typedef struct {
  GArray *start_ms;
  double shell_pss_mb;
  double tree_one_app_mb;
  double tree_more_apps_mb;
} ShellFigures;

/* yun-shell as the phone starts it: start → first frame, then its memory
 * alone and with 1 and 1 + EXTRA_APPS live apps. */
static gboolean
measure_shell (YunBenchSetup *setup,
               int            starts,
               ShellFigures  *figures,
               GError       **error)
{
  figures->start_ms = g_array_new (FALSE, FALSE, sizeof (double));
  for (int i = 0; i < starts; i++) {
    g_autofree char *profile = g_strdup_printf ("%s/shell-%d", setup->tmp_dir, i);
    gint64 spawned = g_get_real_time ();
    g_autoptr(GSubprocess) shell = spawn_shell (setup, profile, NULL, error);
    g_autoptr(GDBusProxy) automation = NULL;
    gint64 first_frame;
    double ms;

    if (shell == NULL)
      return FALSE;
    automation = yun_bench_wait_for_automation (shell);
    first_frame = automation != NULL ? wait_for_first_frame (automation) : 0;
    if (first_frame == 0) {
      yun_bench_kill (shell);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "yun-shell did not show a frame");
      return FALSE;
    }
    ms = (first_frame - spawned) / 1000.0;
    g_array_append_val (figures->start_ms, ms);

    if (i == 0) {
      const char *apps[] = { "hello", "hello-2", "hello-3" };

      figures->shell_pss_mb = settle_and_weigh (shell, FALSE);
      for (guint a = 0; a < G_N_ELEMENTS (apps); a++) {
        g_autoptr(GVariant) reply = yun_bench_call_shell (automation, "Launch",
                                                g_variant_new ("(s)", apps[a]), error);
        if (reply == NULL) {
          yun_bench_kill (shell);
          return FALSE;
        }
        if (a == 0)
          figures->tree_one_app_mb = settle_and_weigh (shell, TRUE);
      }
      figures->tree_more_apps_mb = settle_and_weigh (shell, TRUE);
    }
    yun_bench_kill (shell);
  }
  return TRUE;
}

/* A bare GTK 4 window with a WebKitWebView: the UI process the shell's
 * memory is measured against. */
static int
run_bare_window (void)
{
  GtkWidget *window;
  GtkWidget *web_view;

  if (!gtk_init_check ())
    return 2;
  window = gtk_window_new ();
  web_view = webkit_web_view_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 360, 760);
  gtk_window_set_child (GTK_WINDOW (window), web_view);
  webkit_web_view_load_uri (WEBKIT_WEB_VIEW (web_view), "about:blank");
  gtk_window_present (GTK_WINDOW (window));
  for (;;)
    g_main_context_iteration (NULL, TRUE);
  return 0;
}

static double
measure_bare_window_pss (GError **error)
{
  g_autofree char *self = g_file_read_link ("/proc/self/exe", NULL);
  const char *argv[] = { self, "launch", "--bare-window", NULL };
  g_autoptr(GSubprocess) bare = yun_bench_spawn (argv, NULL, error);
  double pss;

  if (bare == NULL)
    return -1;
  yun_bench_idle_for (1000);
  pss = settle_and_weigh (bare, FALSE);
  yun_bench_kill (bare);
  return pss;
}

typedef enum {
  OPENER_YUN_SHELL,
  OPENER_CHROMIUM,
  OPENER_EPIPHANY,
} Opener;

static const char * const opener_names[] = { "yun-shell --app", "chromium --app", "epiphany" };

/* Opens the probe app from nothing; spawn → the page's first contentful
 * paint, or a negative number when the program is missing or failed. */
static double
open_from_nothing (YunBenchSetup  *setup,
                   YunBenchBeacon *beacon,
                   Opener          opener,
                   int             run)
{
  /* The shell opens the probe at its manifest's start URL, ?run=yun. */
  g_autofree char *tag = opener == OPENER_YUN_SHELL ? g_strdup ("yun")
                                                    : g_strdup_printf ("%d-%d", opener, run);
  g_autofree char *url = g_strdup_printf ("%sapps/probe/?run=%s",
                                          yun_cloud_server_get_url (setup->cloud), tag);
  g_autofree char *profile = g_strdup_printf ("%s/open-%s", setup->tmp_dir, tag);
  g_autofree char *app_arg = g_strdup_printf ("--app=%s", url);
  g_autofree char *data_arg = g_strdup_printf ("--user-data-dir=%s", profile);
  g_autofree char *epiphany_profile = g_strdup_printf ("--profile=%s", profile);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  gint64 spawned = g_get_real_time ();
  double paint = 0;

  yun_bench_beacon_forget (beacon, tag);
  switch (opener) {
  case OPENER_YUN_SHELL:
    process = spawn_shell (setup, profile, "probe", &error);
    break;
  case OPENER_CHROMIUM: {
    g_autofree char *path = g_find_program_in_path ("chromium");
    const char *argv[] = { path, app_arg, data_arg, "--no-sandbox", "--no-first-run",
                           "--disable-gpu", "--disable-background-networking",
                           "--disable-component-update", "--disable-sync", "--disable-quic",
                           "--password-store=basic", "--window-size=360,760", NULL };

    if (path == NULL)
      return -1;
    process = yun_bench_spawn (argv, NULL, &error);
    break;
  }
  case OPENER_EPIPHANY: {
    /* Epiphany's web extension reaches its UI process through a socket
     * under XDG_RUNTIME_DIR; without one its sandboxed web process dies. */
    g_autofree char *runtime_dir = g_build_filename (setup->tmp_dir, "xdg-runtime", NULL);
    g_autofree char *runtime_env = g_strconcat ("XDG_RUNTIME_DIR=", runtime_dir, NULL);
    const char * const env[] = { runtime_env, NULL };
    g_autofree char *path = g_find_program_in_path ("epiphany");
    const char *argv[] = { path, epiphany_profile, "--new-window", url, NULL };

    if (path == NULL || g_mkdir_with_parents (runtime_dir, 0700) != 0)
      return -1;
    process = yun_bench_spawn (argv, env, &error);
    break;
  }
  }
  if (process == NULL) {
    g_printerr ("yun-bench launch: %s: %s\n", opener_names[opener], error->message);
    return -1;
  }
  if (!yun_bench_beacon_wait (beacon, tag, 60, &paint)) {
    g_printerr ("yun-bench launch: %s never painted the app\n", opener_names[opener]);
    yun_bench_kill (process);
    return -1;
  }
  yun_bench_kill (process);
  return paint - spawned / 1000.0;
}

static gboolean
set_start_url (const char  *app_dir,
               const char  *start_url,
               GError     **error)
{
  g_autofree char *path = g_build_filename (app_dir, "manifest.json", NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();

  if (!json_parser_load_from_file (parser, path, error))
    return FALSE;
  json_object_set_string_member (json_node_get_object (json_parser_get_root (parser)),
                                 "start_url", start_url);
  json_generator_set_root (generator, json_parser_get_root (parser));
  return json_generator_to_file (generator, path, error);
}

/* Copies of hello in a webapps folder of the benchmark's own: hello,
 * hello-2 … for several live apps, and probe, with the paint beacon. */
static char *
prepare_webapps (const char      *tmp_dir,
                 YunBenchBeacon  *beacon,
                 GError         **error)
{
  const char *installed = g_getenv ("YUN_WEBAPPS_DIR");
  g_autofree char *hello = g_build_filename (installed != NULL ? installed : YUN_WEBAPPS_DIR,
                                             "hello", NULL);
  g_autofree char *webapps = g_build_filename (tmp_dir, "webapps", NULL);
  g_autofree char *script = yun_bench_beacon_script (beacon);
  const char *copies[] = { "hello", "hello-2", "hello-3" };
  g_autofree char *probe = g_build_filename (webapps, "probe", NULL);

  for (guint i = 0; i < G_N_ELEMENTS (copies); i++) {
    g_autofree char *target = g_build_filename (webapps, copies[i], NULL);

    if (!yun_bench_copy_app (hello, target, NULL, error))
      return NULL;
  }
  if (!yun_bench_copy_app (hello, probe, script, error) ||
      !set_start_url (probe, "./?run=yun", error))
    return NULL;
  return g_steal_pointer (&webapps);
}

int
yun_bench_launch_run (int    argc,
                      char **argv)
{
  int launches = 10;
  int opens = 5;
  gboolean bare_window = FALSE;
  const GOptionEntry entries[] = {
    { "launches", 0, 0, G_OPTION_ARG_INT, &launches, "Launches of each kind (default 10)", "N" },
    { "opens", 0, 0, G_OPTION_ARG_INT, &opens,
      "Opens from nothing per program (default 5)", "N" },
    { "bare-window", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_NONE, &bare_window, NULL, NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("- launch, return, start and memory");
  g_autoptr(GError) error = NULL;
  g_autoptr(YunBenchSetup) setup = NULL;
  g_autoptr(YunBenchBeacon) beacon = NULL;
  g_autoptr(GArray) yun_paint = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) yun_load = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) base_paint = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) base_load = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) resume = NULL;
  g_autoptr(GArray) warm_paint = g_array_new (FALSE, FALSE, sizeof (double));
  GArray *opened[3] = { NULL, NULL, NULL };
  g_autofree char *tmp_dir = NULL;
  g_autofree char *webapps = NULL;
  ShellFigures shell = { 0 };
  double bare_pss, per_app;
  GtkWidget *window;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || launches < 1 || opens < 0) {
    g_printerr ("yun-bench launch: %s\n",
                error != NULL ? error->message : "--launches must be positive");
    return 2;
  }
  if (bare_window)
    return run_bare_window ();
  if (!gtk_init_check ()) {
    g_printerr ("yun-bench launch: needs a display; run it under xvfb-run -a\n");
    return 2;
  }

  tmp_dir = g_dir_make_tmp ("yun-bench-launch-XXXXXX", &error);
  beacon = tmp_dir != NULL ? yun_bench_beacon_new (&error) : NULL;
  webapps = beacon != NULL ? prepare_webapps (tmp_dir, beacon, &error) : NULL;
  setup = webapps != NULL ? yun_bench_setup_new_in (webapps, "hello", &error) : NULL;
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
  for (int i = -1; i < launches; i++) {
    Run warm = { 0 };

    if (!launch_warm (setup, GTK_WINDOW (window), &warm)) {
      g_printerr ("yun-bench launch: a warm launch did not finish in 60 s\n");
      return 1;
    }
    if (i >= 0 && warm.first_paint_ms >= 0)
      g_array_append_val (warm_paint, warm.first_paint_ms);
  }
  gtk_window_destroy (GTK_WINDOW (window));

  resume = measure_resume (setup, launches);

  if (!measure_shell (setup, 3, &shell, &error)) {
    g_printerr ("yun-bench launch: %s\n", error->message);
    return 1;
  }
  bare_pss = measure_bare_window_pss (&error);

  for (int opener = 0; opener < 3; opener++) {
    opened[opener] = g_array_new (FALSE, FALSE, sizeof (double));
    for (int i = 0; i < opens; i++) {
      double ms = open_from_nothing (setup, beacon, opener, i);

      if (ms < 0)
        break;
      g_array_append_val (opened[opener], ms);
    }
  }

  per_app = (shell.tree_more_apps_mb - shell.tree_one_app_mb) / EXTRA_APPS;

  g_print ("Launch, return, start and memory (WebKitGTK %u.%u.%u)\n\n",
           webkit_get_major_version (), webkit_get_minor_version (), webkit_get_micro_version ());
  g_print ("%-52s %8s %10s %10s %10s\n", "path", "samples", "median ms", "p99 ms", "min ms");
  yun_bench_print_row ("yun-shell: tap to first contentful paint (cold)", yun_paint);
  yun_bench_print_row ("yun-shell: tap to load finished (cold)", yun_load);
  yun_bench_print_row ("yun-shell: tap to first contentful paint (warm)", warm_paint);
  yun_bench_print_row ("bare web view: load to first paint", base_paint);
  yun_bench_print_row ("bare web view: load to load finished", base_load);
  yun_bench_print_row ("yun-shell: back to a running app, to next frame", resume);
  yun_bench_print_row ("yun-shell: process start to first frame", shell.start_ms);
  for (int opener = 0; opener < 3; opener++) {
    g_autofree char *label = g_strdup_printf ("%s: start to app's first paint", opener_names[opener]);

    yun_bench_print_row (label, opened[opener]);
  }
  g_print ("\n%-50s %10s\n", "memory (PSS)", "MB");
  g_print ("%-50s %10.1f\n", "yun-shell UI process, no apps", shell.shell_pss_mb);
  g_print ("%-50s %10.1f\n", "bare GTK 4 + WebKit window, UI process", bare_pss);
  g_print ("%-50s %10.1f\n", "yun-shell and its processes, 1 live app", shell.tree_one_app_mb);
  g_print ("%-50s %10.1f\n", "yun-shell and its processes, 3 live apps", shell.tree_more_apps_mb);
  g_print ("%-50s %10.1f\n", "per extra live app", per_app);
  g_print ("\nratios: cold first paint Yun / bare web view %.2f; "
           "start to first paint yun-shell / chromium %.2f, / epiphany %.2f\n\n",
           yun_bench_median (yun_paint) / yun_bench_median (base_paint),
           yun_bench_median (opened[OPENER_YUN_SHELL]) / yun_bench_median (opened[OPENER_CHROMIUM]),
           yun_bench_median (opened[OPENER_YUN_SHELL]) / yun_bench_median (opened[OPENER_EPIPHANY]));

  g_print ("launch: start_ms=%.1f cold_ms=%.1f warm_ms=%.1f cold_load_ms=%.1f baseline_cold_ms=%.1f "
           "resume_ms=%.1f shell_pss_mb=%.1f bare_window_pss_mb=%.1f pss_per_app_mb=%.1f "
           "shell_app_cold_ms=%.1f chromium_cold_ms=%.1f epiphany_cold_ms=%.1f launches=%d\n",
           yun_bench_median (shell.start_ms), yun_bench_median (yun_paint), yun_bench_median (warm_paint),
           yun_bench_median (yun_load),
           yun_bench_median (base_paint), yun_bench_median (resume), shell.shell_pss_mb, bare_pss, per_app,
           yun_bench_median (opened[OPENER_YUN_SHELL]), yun_bench_median (opened[OPENER_CHROMIUM]),
           yun_bench_median (opened[OPENER_EPIPHANY]), launches);
  g_array_unref (shell.start_ms);
  for (int opener = 0; opener < 3; opener++)
    g_array_unref (opened[opener]);
  return 0;
}
