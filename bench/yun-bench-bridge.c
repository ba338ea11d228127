/* yun-bench-bridge.c: the bridge round-trip benchmark.
 *
 * One web view of the hello app, loaded from an in-process yun-cloud, makes
 * sequential calls in alternating blocks: navigator.yun.device.info()
 * through the Yun bridge, and a raw WebKit script message with reply to a
 * handler that echoes it (the baseline).  Pages only get performance.now()
 * in whole milliseconds, so the time is taken in the UI process instead:
 * each call's request arrives there one full round trip after the previous
 * one's, so the gap between consecutive arrivals of the same kind is one
 * round trip, measured with the monotonic clock.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "yun-bench-bridge.h"

#include <gtk/gtk.h>
#include <libsoup/soup.h>

#include "yun-bench-common.h"

typedef enum {
  CALL_YUN,
  CALL_RAW,
} CallKind;

typedef struct {
  gint64 time;
  CallKind kind;
} Arrival;

typedef struct {
  WebKitWebView *web_view;
  GArray *arrivals;
  GError *error;
  gboolean loaded;
  gboolean done;
} Bench;

static void
record (Bench    *bench,
        CallKind  kind)
{
  Arrival arrival = { g_get_monotonic_time (), kind };

  g_array_append_val (bench->arrivals, arrival);
}

static gboolean
on_user_message_hook (GSignalInvocationHint *hint,
                      guint                  n_values,
                      const GValue          *values,
                      gpointer               user_data)
{
  Bench *bench = user_data;
  WebKitUserMessage *message = g_value_get_object (&values[1]);

  if (g_value_get_object (&values[0]) == bench->web_view &&
      g_strcmp0 (webkit_user_message_get_name (message), "yun.call") == 0)
    record (bench, CALL_YUN);
  return TRUE;
}

static gboolean
on_raw_message (WebKitUserContentManager *manager,
                JSCValue                 *value,
                WebKitScriptMessageReply *reply,
                Bench                    *bench)
{
  record (bench, CALL_RAW);
  webkit_script_message_reply_return_value (reply, value);
  return TRUE;
}

static void
on_load_finished (YunAppView *view,
                  Bench      *bench)
{
  bench->loaded = TRUE;
}

static void
on_run_ready (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Bench *bench = user_data;
  g_autoptr(JSCValue) value = NULL;

  value = webkit_web_view_call_async_javascript_function_finish (WEBKIT_WEB_VIEW (source), result,
                                                                 &bench->error);
  bench->done = TRUE;
}

/* Round trips of @kind in microseconds: gaps between consecutive arrivals
 * that are both of @kind, leaving out the first @skip arrivals (warm-up). */
static YunBenchStats
round_trips (GArray   *arrivals,
             CallKind  kind,
             guint     skip)
{
  g_autoptr(GArray) gaps = g_array_new (FALSE, FALSE, sizeof (double));

  for (guint i = MAX (skip, 1); i < arrivals->len; i++) {
    Arrival *previous = &g_array_index (arrivals, Arrival, i - 1);
    Arrival *current = &g_array_index (arrivals, Arrival, i);
    double gap = current->time - previous->time;

    if (previous->kind == kind && current->kind == kind)
      g_array_append_val (gaps, gap);
  }

  return yun_bench_stats (gaps);
}

static const char run_script[] =
  "for (let round = 0; round < rounds; round++) {"
  "  for (let i = 0; i < block; i++)"
  "    await navigator.yun.device.info ();"
  "  for (let i = 0; i < block; i++)"
  "    await window.webkit.messageHandlers.yunBenchRaw.postMessage (i);"
  "}"
  "return true;";

int
yun_bench_bridge_run (int    argc,
                      char **argv)
{
  int calls = 5000;
  int block = 250;
  const GOptionEntry entries[] = {
    { "calls", 0, 0, G_OPTION_ARG_INT, &calls, "Calls of each kind to measure (default 5000)", "N" },
    { "block", 0, 0, G_OPTION_ARG_INT, &block, "Calls per block before switching kind (default 250)", "N" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("- bridge round trip");
  g_autoptr(GError) error = NULL;
  g_autoptr(YunBenchSetup) setup = NULL;
  g_autoptr(GVariantDict) arguments = NULL;
  Bench bench = { 0 };
  GtkWidget *window;
  YunAppView *view;
  WebKitUserContentManager *content;
  YunBenchStats yun, raw;
  int rounds;
  gulong hook;
  guint signal_id;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || calls < 1 || block < 2) {
    g_printerr ("yun-bench bridge: %s\n", error != NULL ? error->message : "--calls and --block must be positive");
    return 2;
  }
  if (!gtk_init_check ()) {
    g_printerr ("yun-bench bridge: needs a display; run it under xvfb-run -a\n");
    return 2;
  }

  setup = yun_bench_setup_new ("hello", &error);
  if (setup == NULL) {
    g_printerr ("yun-bench bridge: %s\n", error->message);
    return 1;
  }

  bench.arrivals = g_array_sized_new (FALSE, FALSE, sizeof (Arrival), 2 * calls + 4 * block);
  view = yun_app_view_new ("hello", setup->manifest, setup->tmp_dir, setup->bridge);
  bench.web_view = yun_app_view_get_web_view (view);
  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 360, 760);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (view));
  gtk_window_present (GTK_WINDOW (window));

  content = webkit_web_view_get_user_content_manager (bench.web_view);
  webkit_user_content_manager_register_script_message_handler_with_reply (content, "yunBenchRaw", NULL);
  g_signal_connect (content, "script-message-with-reply-received::yunBenchRaw",
                    G_CALLBACK (on_raw_message), &bench);
  signal_id = g_signal_lookup ("user-message-received", WEBKIT_TYPE_WEB_VIEW);
  hook = g_signal_add_emission_hook (signal_id, 0, on_user_message_hook, &bench, NULL);

  g_signal_connect (view, "load-finished", G_CALLBACK (on_load_finished), &bench);
  yun_app_view_start (view, g_get_real_time (), NULL);
  if (!yun_bench_wait (&bench.loaded, 60))
    goto failed;

  /* One extra round first, for warm-up; the page's own start-up calls
   * land before it and are left out with it. */
  rounds = (calls + block - 1) / block + 1;
  arguments = g_variant_dict_new (NULL);
  g_variant_dict_insert (arguments, "rounds", "i", rounds);
  g_variant_dict_insert (arguments, "block", "i", block);
  g_array_set_size (bench.arrivals, 0);
  webkit_web_view_call_async_javascript_function (bench.web_view, run_script, -1,
                                                  g_variant_dict_end (arguments), NULL, NULL, NULL,
                                                  on_run_ready, &bench);
  if (!yun_bench_wait (&bench.done, 600) || bench.error != NULL)
    goto failed;

  g_signal_remove_emission_hook (signal_id, hook);
  yun = round_trips (bench.arrivals, CALL_YUN, 2 * block);
  raw = round_trips (bench.arrivals, CALL_RAW, 2 * block);

  g_print ("Bridge round trip, sequential calls, %d per kind (WebKitGTK %u.%u.%u)\n\n",
           calls, webkit_get_major_version (), webkit_get_minor_version (),
           webkit_get_micro_version ());
  g_print ("%-42s %7s %10s %10s %10s %10s\n", "path", "calls", "median us", "p99 us", "min us", "mean us");
  g_print ("%-42s %7u %10.1f %10.1f %10.1f %10.1f\n", "navigator.yun.device.info()",
           yun.count, yun.median, yun.p99, yun.min, yun.mean);
  g_print ("%-42s %7u %10.1f %10.1f %10.1f %10.1f\n", "raw script message with reply (baseline)",
           raw.count, raw.median, raw.p99, raw.min, raw.mean);
  g_print ("\nratio of medians (Yun / raw): %.2f\n\n", yun.median / raw.median);
  g_print ("bridge: median_us=%.1f p99_us=%.1f raw_median_us=%.1f raw_p99_us=%.1f ratio=%.2f calls=%u\n",
           yun.median, yun.p99, raw.median, raw.p99, yun.median / raw.median, yun.count);

  gtk_window_destroy (GTK_WINDOW (window));
  g_array_unref (bench.arrivals);
  return 0;

failed:
  g_printerr ("yun-bench bridge: %s\n",
              bench.error != NULL ? bench.error->message : "the page did not finish in time");
  return 1;
}
