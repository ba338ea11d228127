/* yun-bench-camera.c: the camera benchmark.
 *
 * The real yun-shell with GStreamer's test source (--camera test), driven
 * over its automation interface, with yun-cloud in this process serving a
 * small probe app that declares the camera.  Each run calls
 * navigator.yun.camera.takePicture() in the page; the benchmark presses
 * the shutter as soon as the viewfinder is open, the way the quickest user
 * would, and the page times the call until its Promise resolves.  The
 * shell's camera marks split that time: the call reaching the viewfinder,
 * the camera starting and showing its first frame, the capture alone
 * (shutter → JPEG) and keeping the photo (library, URL, reply).  Then the
 * shell process's memory (PSS) with the viewfinder running and without.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "yun-bench-camera.h"

#include "yun-bench-common.h"
#include "yun-bench-process.h"

#include <glib/gstdio.h>

#define APP_ID "camera-probe"
#define WAIT_SECONDS 60

static const char probe_manifest[] =
  "{\n"
  "  \"name\": \"Camera probe\",\n"
  "  \"short_name\": \"Camera probe\",\n"
  "  \"start_url\": \"./\",\n"
  "  \"yun\": { \"permissions\": {\n"
  "    \"camera\": { \"access\": \"read\", \"reason\": \"To time the camera\" } } }\n"
  "}\n";

static const char probe_page[] =
  "<!doctype html>\n"
  "<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Camera probe</title></head>\n"
  "<body><p>yun-bench camera</p></body></html>\n";

static char *
write_probe_app (const char  *tmp_dir,
                 GError     **error)
{
  g_autofree char *webapps = g_build_filename (tmp_dir, "webapps", NULL);
  g_autofree char *app = g_build_filename (webapps, APP_ID, NULL);
  g_autofree char *manifest = g_build_filename (app, "manifest.json", NULL);
  g_autofree char *page = g_build_filename (app, "index.html", NULL);

  if (g_mkdir_with_parents (app, 0700) != 0) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "cannot make %s", app);
    return NULL;
  }
  if (!g_file_set_contents (manifest, probe_manifest, -1, error) ||
      !g_file_set_contents (page, probe_page, -1, error))
    return NULL;
  return g_steal_pointer (&webapps);
}

/* Runs @script in the probe's page; its value as JSON text, or NULL. */
static char *
eval (GDBusProxy  *automation,
      const char  *script,
      GError     **error)
{
  g_autoptr(GVariant) reply = yun_bench_call_shell (automation, "Eval",
                                          g_variant_new ("(ss)", APP_ID, script), error);
  char *json = NULL;

  if (reply != NULL)
    g_variant_get (reply, "(s)", &json);
  return json;
}

/* Polls @script until its value is not null. */
static char *
wait_for_value (GDBusProxy  *automation,
                const char  *script,
                GError     **error)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_SECONDS * G_USEC_PER_SEC;

  while (g_get_monotonic_time () < deadline) {
    g_autoptr(GError) local = NULL;
    g_autofree char *json = eval (automation, script, &local);

    if (json != NULL && !g_str_equal (json, "null"))
      return g_steal_pointer (&json);
    yun_bench_idle_for (2);
  }
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "waited %d s for: %s", WAIT_SECONDS,
               script);
  return NULL;
}

static gboolean
camera_open (GDBusProxy  *automation,
             GError     **error)
{
  g_autoptr(GVariant) reply = yun_bench_call_shell (automation, "GetCamera", NULL, error);
  gboolean open = FALSE;

  if (reply != NULL)
    g_variant_get (reply, "(b&s&s)", &open, NULL, NULL);
  return open;
}

/* Waits for the viewfinder, answering the first permission question. */
static gboolean
wait_camera_open (GDBusProxy  *automation,
                  GError     **error)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_SECONDS * G_USEC_PER_SEC;

  while (g_get_monotonic_time () < deadline) {
    g_autoptr(GVariant) prompt = NULL;
    gboolean open = FALSE;

    if (camera_open (automation, error))
      return TRUE;
    if (error != NULL && *error != NULL)
      return FALSE;
    prompt = yun_bench_call_shell (automation, "GetPrompt", NULL, error);
    if (prompt == NULL)
      return FALSE;
    g_variant_get (prompt, "(b&s&s&s&s)", &open, NULL, NULL, NULL, NULL);
    if (open) {
      g_autoptr(GVariant) answered = yun_bench_call_shell (automation, "AnswerPrompt",
                                                 g_variant_new ("(s)", "always"), error);
      if (answered == NULL)
        return FALSE;
    }
  }
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "the viewfinder did not open");
  return FALSE;
}

/* A mark of the last viewfinder session, in ms since the epoch, or -1. */
static double
camera_mark_ms (GVariant   *marks,
                const char *name)
{
  g_autoptr(GVariantIter) iter = NULL;
  const char *mark;
  gint64 time;

  g_variant_get (marks, "(a(sx))", &iter);
  while (g_variant_iter_next (iter, "(&sx)", &mark, &time)) {
    if (g_str_equal (mark, name))
      return time / 1000.0;
  }
  return -1;
}

typedef struct {
  double total;        /* takePicture() → resolved, in the page */
  double to_open;      /* the call → the viewfinder open */
  double camera_ready; /* open → the camera started */
  double first_frame;  /* open → its first frame shown */
  double waiting;      /* open → shutter: the "user", here the benchmark */
  double capture;      /* shutter → JPEG */
  double keep;         /* JPEG → resolved: photo library, URL, reply */
  double width;
  double height;
} Take;

static const char take_script[] =
  "window.taken = null;\n"
  "window.started = performance.timeOrigin + performance.now ();\n"
  "navigator.yun.camera.takePicture (%s).then ((photo) => {\n"
  "  window.taken = { start: window.started,\n"
  "                   end: performance.timeOrigin + performance.now (),\n"
  "                   width: photo.width, height: photo.height };\n"
  "}, (e) => { window.taken = { error: e.name + ': ' + e.message }; });\n"
  "return true;";

static gboolean
take_one (GDBusProxy  *automation,
          const char  *options,
          Take        *take,
          GError     **error)
{
  g_autofree char *script = g_strdup_printf (take_script, options);
  g_autofree char *started = NULL;
  g_autofree char *taken = NULL;
  g_autoptr(GVariant) shutter = NULL;
  g_autoptr(GVariant) marks = NULL;
  g_autoptr(JsonNode) node = NULL;
  JsonObject *result;
  double start, end;

  started = eval (automation, script, error);
  if (started == NULL || !wait_camera_open (automation, error))
    return FALSE;
  shutter = yun_bench_call_shell (automation, "Shutter", NULL, error);
  if (shutter == NULL)
    return FALSE;
  taken = wait_for_value (automation, "return window.taken;", error);
  if (taken == NULL)
    return FALSE;
  node = json_from_string (taken, error);
  if (node == NULL)
    return FALSE;
  result = json_node_get_object (node);
  if (json_object_has_member (result, "error")) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "takePicture failed: %s",
                 json_object_get_string_member (result, "error"));
    return FALSE;
  }
  marks = yun_bench_call_shell (automation, "GetCameraMarks", NULL, error);
  if (marks == NULL)
    return FALSE;

  start = json_object_get_double_member (result, "start");
  end = json_object_get_double_member (result, "end");
  take->total = end - start;
  take->to_open = camera_mark_ms (marks, "open") - start;
  take->camera_ready = camera_mark_ms (marks, "camera-ready") - camera_mark_ms (marks, "open");
  take->first_frame = camera_mark_ms (marks, "first-frame") - camera_mark_ms (marks, "open");
  take->waiting = camera_mark_ms (marks, "shutter") - camera_mark_ms (marks, "open");
  take->capture = camera_mark_ms (marks, "captured") - camera_mark_ms (marks, "shutter");
  take->keep = end - camera_mark_ms (marks, "captured");
  take->width = json_object_get_double_member (result, "width");
  take->height = json_object_get_double_member (result, "height");
  return TRUE;
}

/* The shell process's PSS after it has settled for a moment. */
static double
weigh (GSubprocess *shell)
{
  yun_bench_idle_for (1500);
  return yun_bench_pss_mb ((GPid) g_ascii_strtoll (g_subprocess_get_identifier (shell), NULL, 10),
                           FALSE);
}

typedef struct {
  GArray *idle;
  GArray *running;
} Memory;

/* The shell's own memory without the viewfinder, then with it open and
 * the frames flowing, @rounds times. */
static gboolean
measure_memory (GDBusProxy   *automation,
                GSubprocess  *shell,
                int           rounds,
                Memory       *memory,
                GError      **error)
{
  for (int i = 0; i < rounds; i++) {
    g_autofree char *started = NULL;
    g_autofree char *taken = NULL;
    g_autoptr(GVariant) cancelled = NULL;
    double mb = weigh (shell);

    g_array_append_val (memory->idle, mb);
    started = eval (automation, "window.taken = null;\n"
                                "navigator.yun.camera.takePicture ({}).catch ("
                                "  (e) => { window.taken = e.name; });\n"
                                "return true;", error);
    if (started == NULL || !wait_camera_open (automation, error))
      return FALSE;
    mb = weigh (shell);
    g_array_append_val (memory->running, mb);
    cancelled = yun_bench_call_shell (automation, "CancelCamera", NULL, error);
    if (cancelled == NULL)
      return FALSE;
    taken = wait_for_value (automation, "return window.taken;", error);
    if (taken == NULL)
      return FALSE;
  }
  return TRUE;
}

static void
add (GArray *samples,
     double  value)
{
  g_array_append_val (samples, value);
}

enum {
  T_TOTAL, T_OPEN, T_READY, T_FIRST_FRAME, T_WAITING, T_CAPTURE, T_KEEP, T_OWN, N_TIMES
};

static const char * const time_labels[N_TIMES] = {
  "takePicture() to resolved Promise",
  "  call to viewfinder open (bridge, gate)",
  "  open to camera started",
  "  open to first frame shown",
  "  open to shutter (the benchmark pressing it)",
  "  shutter to JPEG (capture alone)",
  "  JPEG to resolved (library, URL, reply)",
  "takePicture() to resolved, without the user's wait",
};

static int
run_benchmark (YunBenchSetup *setup,
               GSubprocess   *shell,
               GDBusProxy    *automation,
               int            runs,
               int            rounds,
               const char    *options)
{
  GArray *times[N_TIMES];
  Memory memory = { g_array_new (FALSE, FALSE, sizeof (double)),
                    g_array_new (FALSE, FALSE, sizeof (double)) };
  g_autoptr(GError) error = NULL;
  g_autofree char *ready = NULL;
  Take take = { 0 };
  double idle_mb, running_mb;

  for (guint i = 0; i < N_TIMES; i++)
    times[i] = g_array_new (FALSE, FALSE, sizeof (double));

  ready = wait_for_value (automation,
                          "return navigator.yun && document.readyState === 'complete' ? true : null;",
                          &error);
  /* One run first, not counted: the permission question, the camera
   * looked for, GStreamer's plugins loaded. */
  for (int i = -1; ready != NULL && i < runs; i++) {
    if (!take_one (automation, options, &take, &error))
      break;
    if (i < 0)
      continue;
    add (times[T_TOTAL], take.total);
    add (times[T_OPEN], take.to_open);
    add (times[T_READY], take.camera_ready);
    add (times[T_FIRST_FRAME], take.first_frame);
    add (times[T_WAITING], take.waiting);
    add (times[T_CAPTURE], take.capture);
    add (times[T_KEEP], take.keep);
    add (times[T_OWN], take.total - take.waiting);
  }
  if (error == NULL)
    measure_memory (automation, shell, rounds, &memory, &error);
  if (error != NULL) {
    g_printerr ("yun-bench camera: %s\n", error->message);
    return 1;
  }
  idle_mb = yun_bench_median (memory.idle);
  running_mb = yun_bench_median (memory.running);

  g_print ("Camera: takePicture() with GStreamer's test source, %.0f×%.0f JPEG "
           "(yun-shell --camera test)\n\n", take.width, take.height);
  g_print ("%-52s %8s %10s %10s %10s\n", "path", "samples", "median ms", "p99 ms", "min ms");
  for (guint i = 0; i < N_TIMES; i++)
    yun_bench_print_row (time_labels[i], times[i]);
  g_print ("\n%-52s %10s\n", "memory of the shell process (PSS)", "MB");
  g_print ("%-52s %10.1f\n", "app open, no viewfinder", idle_mb);
  g_print ("%-52s %10.1f\n", "viewfinder running", running_mb);
  g_print ("%-52s %10.1f\n", "the viewfinder's share", running_mb - idle_mb);
  g_print ("\ncamera: capture_ms=%.1f capture_only_ms=%.1f own_ms=%.1f open_ms=%.1f "
           "first_frame_ms=%.1f keep_ms=%.1f viewfinder_pss_mb=%.1f idle_pss_mb=%.1f "
           "viewfinder_extra_mb=%.1f runs=%d\n",
           yun_bench_median (times[T_TOTAL]), yun_bench_median (times[T_CAPTURE]), yun_bench_median (times[T_OWN]),
           yun_bench_median (times[T_OPEN]), yun_bench_median (times[T_FIRST_FRAME]), yun_bench_median (times[T_KEEP]),
           running_mb, idle_mb, running_mb - idle_mb, runs);

  for (guint i = 0; i < N_TIMES; i++)
    g_array_unref (times[i]);
  g_array_unref (memory.idle);
  g_array_unref (memory.running);
  return 0;
}

int
yun_bench_camera_run (int    argc,
                      char **argv)
{
  int runs = 20;
  int rounds = 3;
  int max_width = 0;
  int max_height = 0;
  const GOptionEntry entries[] = {
    { "runs", 0, 0, G_OPTION_ARG_INT, &runs, "Pictures taken and timed (default 20)", "N" },
    { "rounds", 0, 0, G_OPTION_ARG_INT, &rounds,
      "Memory weighings with and without the viewfinder (default 3)", "N" },
    { "max-width", 0, 0, G_OPTION_ARG_INT, &max_width,
      "takePicture's maxWidth (default: the full 1280)", "PIXELS" },
    { "max-height", 0, 0, G_OPTION_ARG_INT, &max_height,
      "takePicture's maxHeight (default: the full 720)", "PIXELS" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("- takePicture() time and memory");
  g_autoptr(GError) error = NULL;
  g_autoptr(YunBenchSetup) setup = NULL;
  g_autoptr(GSubprocess) shell = NULL;
  g_autoptr(GDBusProxy) automation = NULL;
  g_autoptr(GString) options = g_string_new ("{");
  g_autofree char *tmp_dir = NULL;
  g_autofree char *webapps = NULL;
  g_autofree char *profile = NULL;
  g_autofree char *binary = yun_bench_shell_binary ();
  int status;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || runs < 1 || rounds < 1 ||
      max_width < 0 || max_height < 0) {
    g_printerr ("yun-bench camera: %s\n",
                error != NULL ? error->message : "--runs and --rounds must be positive");
    return 2;
  }
  if (max_width > 0)
    g_string_append_printf (options, " maxWidth: %d,", max_width);
  if (max_height > 0)
    g_string_append_printf (options, " maxHeight: %d,", max_height);
  g_string_append (options, " }");
  if (!gtk_init_check ()) {
    g_printerr ("yun-bench camera: needs a display; run it under xvfb-run -a dbus-run-session\n");
    return 2;
  }

  tmp_dir = g_dir_make_tmp ("yun-bench-camera-XXXXXX", &error);
  webapps = tmp_dir != NULL ? write_probe_app (tmp_dir, &error) : NULL;
  setup = webapps != NULL ? yun_bench_setup_new_in (webapps, APP_ID, &error) : NULL;
  if (setup == NULL) {
    g_printerr ("yun-bench camera: %s\n", error->message);
    return 1;
  }

  profile = g_build_filename (tmp_dir, "profile", NULL);
  {
    const char *shell_argv[] = { binary, "--automation", "--camera", "test",
                                 "--cloud", yun_cloud_server_get_url (setup->cloud),
                                 "--profile", profile, "--app", APP_ID, NULL };

    shell = yun_bench_spawn (shell_argv, NULL, &error);
  }
  automation = shell != NULL ? yun_bench_wait_for_automation (shell) : NULL;
  if (automation == NULL) {
    g_printerr ("yun-bench camera: yun-shell did not start%s%s\n", error != NULL ? ": " : "",
                error != NULL ? error->message : " (is there a session bus?)");
    if (shell != NULL)
      yun_bench_kill (shell);
    return 1;
  }

  status = run_benchmark (setup, shell, automation, runs, rounds, options->str);
  yun_bench_kill (shell);
  yun_bench_remove_tree (tmp_dir);
  return status;
}
