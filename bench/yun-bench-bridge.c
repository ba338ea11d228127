/* yun-bench-bridge.c: the bridge round-trip benchmark.
 *
 * One web view of the hello app, loaded from an in-process yun-cloud, makes
 * sequential calls in alternating blocks: navigator.yun.echo({data})
 * through the Yun bridge, and a raw WebKit script message with reply,
 * carrying the same string, to a handler that echoes it (the baseline).
 * Three payloads: 30 B (the no-op), 64 KiB and 1,000,000 B (the largest
 * that fits under the bridge's 1 MiB request limit).  Pages only get
 * performance.now() in whole milliseconds, so round trips are timed in the
 * UI process instead: each call's request arrives there one full round
 * trip after the previous one's, so the gap between consecutive arrivals
 * of the same kind and size is one round trip, measured with the monotonic
 * clock.  The page announces each size on a third handler before its
 * calls.
 *
 * Then a burst: 10,000 calls started at once, through the bridge and raw,
 * timed in the page from the first call to the last answer.
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

/* The payloads, in bytes of the string each call carries. */
static const struct {
  const char *name;
  const char *key;
  int bytes;
} sizes[] = {
  { "30 B", "", 30 },
  { "64 KiB", "_64k", 64 * 1024 },
  { "1 MB", "_1m", 1000000 },
};

typedef struct {
  gint64 time;
  CallKind kind;
  guint size;
} Arrival;

typedef struct {
  WebKitWebView *web_view;
  GArray *arrivals;
  guint size;
  GError *error;
  JSCValue *result;
  gboolean loaded;
  gboolean done;
} Bench;

static void
record (Bench    *bench,
        CallKind  kind)
{
  Arrival arrival = { g_get_monotonic_time (), kind, bench->size };

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

static gboolean
on_size_message (WebKitUserContentManager *manager,
                 JSCValue                 *value,
                 WebKitScriptMessageReply *reply,
                 Bench                    *bench)
{
  bench->size = jsc_value_to_int32 (value);
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

  bench->result = webkit_web_view_call_async_javascript_function_finish (WEBKIT_WEB_VIEW (source),
                                                                         result, &bench->error);
  bench->done = TRUE;
}

/* Round trips of @kind with payload @size in microseconds: gaps between
 * consecutive arrivals that are both of @kind and @size, leaving out the
 * first round of that size (warm-up). */
static YunBenchStats
round_trips (GArray   *arrivals,
             CallKind  kind,
             guint     size,
             guint     warm_up)
{
  g_autoptr(GArray) gaps = g_array_new (FALSE, FALSE, sizeof (double));
  guint seen = 0;

  for (guint i = 1; i < arrivals->len; i++) {
    Arrival *previous = &g_array_index (arrivals, Arrival, i - 1);
    Arrival *current = &g_array_index (arrivals, Arrival, i);
    double gap = current->time - previous->time;

    if (current->size != size || seen++ < warm_up)
      continue;
    if (previous->kind == kind && current->kind == kind && previous->size == size)
      g_array_append_val (gaps, gap);
  }

  return yun_bench_stats (gaps);
}

/* For each size: tell the UI process, then alternate blocks of bridge and
 * raw calls, one extra round first for warm-up.  Then the bursts. */
static const char run_script[] =
  "const handlers = window.webkit.messageHandlers;"
  "const sizes = JSON.parse (plan);"
  "for (let size = 0; size < sizes.length; size++) {"
  "  const [bytes, calls] = sizes[size];"
  "  const data = 'x'.repeat (bytes);"
  "  const step = Math.min (block, calls);"
  "  await handlers.yunBenchSize.postMessage (size);"
  "  for (let round = 0; round < Math.ceil (calls / step) + 1; round++) {"
  "    for (let i = 0; i < step; i++)"
  "      await navigator.yun.echo ({ data });"
  "    for (let i = 0; i < step; i++)"
  "      await handlers.yunBenchRaw.postMessage (data);"
  "  }"
  "}"
  "await handlers.yunBenchSize.postMessage (-1);"
  "const small = 'x'.repeat (30);"
  "const time = async (start) => {"
  "  const t0 = performance.now ();"
  "  await Promise.all (Array.from ({ length: burst }, start));"
  "  return performance.now () - t0;"
  "};"
  "await time (() => navigator.yun.echo ({ data: small }));"
  "const yun = await time (() => navigator.yun.echo ({ data: small }));"
  "const raw = await time (() => handlers.yunBenchRaw.postMessage (small));"
  "return [yun, raw];";

static void
print_row (const char    *path,
           YunBenchStats *stats)
{
  g_print ("%-34s %7u %10.1f %10.1f %10.1f %10.1f\n", path, stats->count, stats->median,
           stats->p99, stats->min, stats->mean);
}

int
yun_bench_bridge_run (int    argc,
                      char **argv)
{
  int calls[G_N_ELEMENTS (sizes)] = { 5000, 500, 100 };
  int block = 250;
  int burst = 10000;
  const GOptionEntry entries[] = {
    { "calls", 0, 0, G_OPTION_ARG_INT, &calls[0], "30 B calls of each kind to measure (default 5000)", "N" },
    { "calls-64k", 0, 0, G_OPTION_ARG_INT, &calls[1], "64 KiB calls of each kind (default 500)", "N" },
    { "calls-1m", 0, 0, G_OPTION_ARG_INT, &calls[2], "1 MB calls of each kind (default 100)", "N" },
    { "block", 0, 0, G_OPTION_ARG_INT, &block, "Calls per block before switching kind (default 250)", "N" },
    { "burst", 0, 0, G_OPTION_ARG_INT, &burst, "Calls started at once in the burst (default 10000)", "N" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("- bridge round trip");
  g_autoptr(GError) error = NULL;
  g_autoptr(YunBenchSetup) setup = NULL;
  g_autoptr(GVariantDict) arguments = NULL;
  g_autoptr(GString) summary = g_string_new ("bridge:");
  g_autoptr(GString) plan = g_string_new (NULL);
  g_autoptr(JSCValue) yun_burst = NULL;
  g_autoptr(JSCValue) raw_burst = NULL;
  Bench bench = { 0 };
  GtkWidget *window;
  YunAppView *view;
  WebKitUserContentManager *content;
  double burst_ms, raw_burst_ms;
  gulong hook;
  guint signal_id;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || calls[0] < 1 || calls[1] < 1 ||
      calls[2] < 1 || block < 2 || burst < 1) {
    g_printerr ("yun-bench bridge: %s\n",
                error != NULL ? error->message : "--calls*, --block and --burst must be positive");
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

  bench.arrivals = g_array_new (FALSE, FALSE, sizeof (Arrival));
  bench.size = G_N_ELEMENTS (sizes);
  view = yun_app_view_new ("hello", setup->manifest, setup->tmp_dir, setup->bridge);
  bench.web_view = yun_app_view_get_web_view (view);
  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 360, 760);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (view));
  gtk_window_present (GTK_WINDOW (window));

  content = webkit_web_view_get_user_content_manager (bench.web_view);
  webkit_user_content_manager_register_script_message_handler_with_reply (content, "yunBenchRaw", NULL);
  webkit_user_content_manager_register_script_message_handler_with_reply (content, "yunBenchSize", NULL);
  g_signal_connect (content, "script-message-with-reply-received::yunBenchRaw",
                    G_CALLBACK (on_raw_message), &bench);
  g_signal_connect (content, "script-message-with-reply-received::yunBenchSize",
                    G_CALLBACK (on_size_message), &bench);
  signal_id = g_signal_lookup ("user-message-received", WEBKIT_TYPE_WEB_VIEW);
  hook = g_signal_add_emission_hook (signal_id, 0, on_user_message_hook, &bench, NULL);

  g_signal_connect (view, "load-finished", G_CALLBACK (on_load_finished), &bench);
  yun_app_view_start (view, g_get_real_time (), NULL);
  if (!yun_bench_wait (&bench.loaded, 60))
    goto failed;

  /* As JSON: the function call only takes basic types. */
  g_string_append_c (plan, '[');
  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    g_string_append_printf (plan, "%s[%d, %d]", i > 0 ? ", " : "", sizes[i].bytes, calls[i]);
  g_string_append_c (plan, ']');
  arguments = g_variant_dict_new (NULL);
  g_variant_dict_insert (arguments, "plan", "s", plan->str);
  g_variant_dict_insert (arguments, "block", "i", block);
  g_variant_dict_insert (arguments, "burst", "i", burst);
  webkit_web_view_call_async_javascript_function (bench.web_view, run_script, -1,
                                                  g_variant_dict_end (arguments), NULL, NULL, NULL,
                                                  on_run_ready, &bench);
  if (!yun_bench_wait (&bench.done, 1200) || bench.error != NULL)
    goto failed;
  g_signal_remove_emission_hook (signal_id, hook);

  g_print ("Bridge round trip, sequential calls of navigator.yun.echo({data}) against a raw\n"
           "script message with reply carrying the same string (WebKitGTK %u.%u.%u)\n\n",
           webkit_get_major_version (), webkit_get_minor_version (), webkit_get_micro_version ());
  g_print ("%-34s %7s %10s %10s %10s %10s\n", "path", "calls", "median us", "p99 us", "min us",
           "mean us");
  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++) {
    guint warm_up = 2 * MIN (block, calls[i]);
    YunBenchStats yun = round_trips (bench.arrivals, CALL_YUN, i, warm_up);
    YunBenchStats raw = round_trips (bench.arrivals, CALL_RAW, i, warm_up);
    g_autofree char *yun_path = g_strdup_printf ("Yun bridge, %s", sizes[i].name);
    g_autofree char *raw_path = g_strdup_printf ("raw message, %s (baseline)", sizes[i].name);

    print_row (yun_path, &yun);
    print_row (raw_path, &raw);
    g_print ("%-34s %7s %10.2f %10.2f\n", "  ratio (Yun / raw)", "",
             yun.median / raw.median, yun.p99 / raw.p99);
    if (i == 0)
      g_string_append_printf (summary, " ratio=%.2f", yun.median / raw.median);
    g_string_append_printf (summary, " median%s_us=%.1f p99%s_us=%.1f raw_median%s_us=%.1f"
                            " raw_p99%s_us=%.1f", sizes[i].key, yun.median, sizes[i].key, yun.p99,
                            sizes[i].key, raw.median, sizes[i].key, raw.p99);
  }

  yun_burst = jsc_value_object_get_property_at_index (bench.result, 0);
  raw_burst = jsc_value_object_get_property_at_index (bench.result, 1);
  burst_ms = jsc_value_to_double (yun_burst);
  raw_burst_ms = jsc_value_to_double (raw_burst);
  g_print ("\n%d calls at once, first call to last answer: Yun %.1f ms, raw %.1f ms (ratio %.2f)\n\n",
           burst, burst_ms, raw_burst_ms, burst_ms / raw_burst_ms);
  g_string_append_printf (summary, " burst_ms=%.1f raw_burst_ms=%.1f calls=%d", burst_ms,
                          raw_burst_ms, calls[0]);
  g_print ("%s\n", summary->str);

  gtk_window_destroy (GTK_WINDOW (window));
  g_array_unref (bench.arrivals);
  g_clear_object (&bench.result);
  return 0;

failed:
  g_printerr ("yun-bench bridge: %s\n",
              bench.error != NULL ? bench.error->message : "the page did not finish in time");
  return 1;
}
