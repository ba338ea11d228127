/* yun-bench-process.c: other programs in a benchmark: start them in a
 * process group of their own, weigh their memory, hear their pages paint.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "yun-bench-process.h"

#include <signal.h>
#include <unistd.h>

static void
new_process_group (gpointer user_data)
{
  setpgid (0, 0);
}

/**
 * yun_bench_spawn:
 * @argv: the program and its arguments
 * @env: (nullable): NAME=VALUE settings to add to its environment
 * @error: return location for an error
 *
 * Starts a program in a process group of its own, so that
 * yun_bench_kill() also ends what it started (web processes, helpers).
 * Its output goes to this process's standard error.
 *
 * Returns: (transfer full): the process, or %NULL with @error set
 */
GSubprocess *
yun_bench_spawn (const char * const  *argv,
                 const char * const  *env,
                 GError             **error)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);

  for (guint i = 0; env != NULL && env[i] != NULL; i++) {
    g_auto(GStrv) pair = g_strsplit (env[i], "=", 2);

    g_subprocess_launcher_setenv (launcher, pair[0], pair[1] != NULL ? pair[1] : "", TRUE);
  }

  g_subprocess_launcher_set_child_setup (launcher, new_process_group, NULL, NULL);
  g_subprocess_launcher_take_stdout_fd (launcher, dup (STDERR_FILENO));
  return g_subprocess_launcher_spawnv (launcher, argv, error);
}

/**
 * yun_bench_kill:
 * @process: a process from yun_bench_spawn()
 *
 * Ends the process and its process group, and waits for it.
 */
void
yun_bench_kill (GSubprocess *process)
{
  const char *id = g_subprocess_get_identifier (process);

  if (id != NULL) {
    pid_t pid = (pid_t) g_ascii_strtoll (id, NULL, 10);

    kill (-pid, SIGTERM);
    for (int i = 0; i < 50 && g_subprocess_get_identifier (process) != NULL; i++) {
      g_usleep (20 * 1000);
      while (g_main_context_iteration (NULL, FALSE));
    }
    kill (-pid, SIGKILL);
  }
  g_subprocess_wait (process, NULL, NULL);
}

static gint64
pss_kb (GPid pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/smaps_rollup", pid);
  g_autofree char *text = NULL;
  const char *line;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    return 0;
  line = strstr (text, "\nPss:");
  return line != NULL ? g_ascii_strtoll (line + 5, NULL, 10) : 0;
}

static GPid
parent_of (GPid pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/stat", pid);
  g_autofree char *text = NULL;
  const char *end;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    return 0;
  /* "pid (comm) state ppid ...": comm may hold spaces and parentheses. */
  end = strrchr (text, ')');
  if (end == NULL || strlen (end) < 5)
    return 0;
  return (GPid) g_ascii_strtoll (end + 4, NULL, 10);
}

static gboolean
descends_from (GPid pid,
               GPid ancestor)
{
  for (int depth = 0; pid > 1 && depth < 64; depth++) {
    if (pid == ancestor)
      return TRUE;
    pid = parent_of (pid);
  }
  return FALSE;
}

/**
 * yun_bench_pss_mb:
 * @pid: a process
 * @with_descendants: add every process it started, and theirs
 *
 * Returns: its proportional set size (memory with shared pages divided
 *   among their users), in MB
 */
double
yun_bench_pss_mb (GPid     pid,
                  gboolean with_descendants)
{
  g_autoptr(GDir) proc = NULL;
  gint64 total = pss_kb (pid);
  const char *name;

  if (with_descendants && (proc = g_dir_open ("/proc", 0, NULL)) != NULL) {
    while ((name = g_dir_read_name (proc)) != NULL) {
      GPid other = (GPid) g_ascii_strtoll (name, NULL, 10);

      if (other > 0 && other != pid && descends_from (other, pid))
        total += pss_kb (other);
    }
  }
  return total / 1024.0;
}

struct _YunBenchBeacon {
  SoupServer *server;
  char *url;
  /* run → first contentful paint, ms since the epoch (double *) */
  GHashTable *paints;
};

static void
on_paint (SoupServer        *server,
          SoupServerMessage *message,
          const char        *path,
          GHashTable        *query,
          gpointer           user_data)
{
  YunBenchBeacon *beacon = user_data;
  const char *run = query != NULL ? g_hash_table_lookup (query, "run") : NULL;
  const char *time = query != NULL ? g_hash_table_lookup (query, "t") : NULL;
  double *paint;

  soup_server_message_set_status (message, SOUP_STATUS_NO_CONTENT, NULL);
  if (run == NULL || time == NULL)
    return;
  paint = g_new (double, 1);
  *paint = g_ascii_strtod (time, NULL);
  g_hash_table_insert (beacon->paints, g_strdup (run), paint);
}

/**
 * yun_bench_beacon_new:
 * @error: return location for an error
 *
 * Returns: (transfer full): a beacon listening on a free loopback port
 */
YunBenchBeacon *
yun_bench_beacon_new (GError **error)
{
  g_autoptr(YunBenchBeacon) beacon = g_new0 (YunBenchBeacon, 1);
  g_autoslist(GUri) uris = NULL;

  beacon->paints = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  beacon->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (beacon->server, "/paint", on_paint, beacon, NULL);
  if (!soup_server_listen_local (beacon->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, error))
    return NULL;
  uris = soup_server_get_uris (beacon->server);
  beacon->url = g_uri_to_string (uris->data);
  return g_steal_pointer (&beacon);
}

/**
 * yun_bench_beacon_free:
 * @beacon: (transfer full): a beacon
 */
void
yun_bench_beacon_free (YunBenchBeacon *beacon)
{
  if (beacon->server != NULL)
    soup_server_disconnect (beacon->server);
  g_clear_object (&beacon->server);
  g_clear_pointer (&beacon->paints, g_hash_table_unref);
  g_free (beacon->url);
  g_free (beacon);
}

/**
 * yun_bench_beacon_script:
 * @beacon: a beacon
 *
 * Returns: (transfer full): a script element for a page's head that
 *   reports the page's first contentful paint, with the `run` query
 *   parameter of the page's URL
 */
char *
yun_bench_beacon_script (YunBenchBeacon *beacon)
{
  return g_strdup_printf (
    "<script>\n"
    "new PerformanceObserver ((list) => {\n"
    "  for (const entry of list.getEntries ()) {\n"
    "    if (entry.name !== 'first-contentful-paint') continue;\n"
    "    const run = new URLSearchParams (location.search).get ('run');\n"
    "    if (run) fetch ('%spaint?run=' + encodeURIComponent (run) + '&t=' +\n"
    "                    (performance.timeOrigin + entry.startTime), { mode: 'no-cors' });\n"
    "  }\n"
    "}).observe ({ type: 'paint', buffered: true });\n"
    "</script>\n", beacon->url);
}

/**
 * yun_bench_beacon_forget:
 * @beacon: a beacon
 * @run: a run
 *
 * Forgets what @run reported, to wait for it again.
 */
void
yun_bench_beacon_forget (YunBenchBeacon *beacon,
                         const char     *run)
{
  g_hash_table_remove (beacon->paints, run);
}

/**
 * yun_bench_beacon_wait:
 * @beacon: a beacon
 * @run: the run to wait for
 * @seconds: how long to wait at most
 * @paint_ms: (out): when the page painted, in ms since the epoch
 *
 * Returns: %TRUE when the page reported in time
 */
gboolean
yun_bench_beacon_wait (YunBenchBeacon *beacon,
                       const char     *run,
                       guint           seconds,
                       double         *paint_ms)
{
  gint64 deadline = g_get_monotonic_time () + seconds * G_USEC_PER_SEC;
  double *paint;

  while ((paint = g_hash_table_lookup (beacon->paints, run)) == NULL) {
    if (g_get_monotonic_time () > deadline)
      return FALSE;
    g_main_context_iteration (NULL, FALSE);
    g_usleep (2000);
  }
  *paint_ms = *paint;
  return TRUE;
}

/**
 * yun_bench_copy_app:
 * @source_dir: an app's folder
 * @target_dir: where the copy goes; created
 * @extra_head: (nullable): text to put before `</head>` of index.html
 * @error: return location for an error
 *
 * Copies the files of an app folder (not its subfolders).
 *
 * Returns: %TRUE on success
 */
gboolean
yun_bench_copy_app (const char  *source_dir,
                    const char  *target_dir,
                    const char  *extra_head,
                    GError     **error)
{
  g_autoptr(GDir) dir = g_dir_open (source_dir, 0, error);
  const char *name;

  if (dir == NULL)
    return FALSE;
  if (g_mkdir_with_parents (target_dir, 0700) != 0) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "cannot create %s", target_dir);
    return FALSE;
  }
  while ((name = g_dir_read_name (dir)) != NULL) {
    g_autofree char *from = g_build_filename (source_dir, name, NULL);
    g_autofree char *to = g_build_filename (target_dir, name, NULL);
    g_autofree char *text = NULL;
    gsize length;

    if (!g_file_test (from, G_FILE_TEST_IS_REGULAR))
      continue;
    if (!g_file_get_contents (from, &text, &length, error))
      return FALSE;
    if (extra_head != NULL && g_str_equal (name, "index.html")) {
      g_auto(GStrv) parts = g_strsplit (text, "</head>", 2);

      if (parts[1] != NULL) {
        g_free (text);
        text = g_strconcat (parts[0], extra_head, "</head>", parts[1], NULL);
        length = strlen (text);
      }
    }
    if (!g_file_set_contents (to, text, length, error))
      return FALSE;
  }
  return TRUE;
}

/**
 * yun_bench_shell_binary:
 *
 * Returns: (transfer full): $YUN_SHELL_BIN, or the yun-shell built beside
 *   this benchmark
 */
char *
yun_bench_shell_binary (void)
{
  g_autofree char *self = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *dir = self != NULL ? g_path_get_dirname (self) : g_strdup (".");
  const char *env = g_getenv ("YUN_SHELL_BIN");

  return env != NULL ? g_strdup (env) : g_build_filename (dir, "..", "shell", "yun-shell", NULL);
}

/**
 * yun_bench_idle_for:
 * @ms: how long
 *
 * Runs the main loop for a while, so that this process's cloud and
 * beacon keep serving.
 */
void
yun_bench_idle_for (guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < end) {
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (1000);
  }
}

/**
 * yun_bench_wait_for_automation:
 * @shell: a yun-shell started with --automation
 *
 * Returns: (transfer full) (nullable): its org.yun.Shell1, once it owns
 *   its name; %NULL when it died or took over a minute
 */
GDBusProxy *
yun_bench_wait_for_automation (GSubprocess *shell)
{
  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  gint64 deadline = g_get_monotonic_time () + YUN_BENCH_SHELL_WAIT_SECONDS * G_USEC_PER_SEC;

  while (bus != NULL && g_get_monotonic_time () < deadline &&
         g_subprocess_get_identifier (shell) != NULL) {
    g_autoptr(GVariant) owned = NULL;
    gboolean has_owner = FALSE;

    owned = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                         "org.freedesktop.DBus", "NameHasOwner",
                                         g_variant_new ("(s)", "org.yun.Shell"),
                                         G_VARIANT_TYPE ("(b)"), G_DBUS_CALL_FLAGS_NONE, -1,
                                         NULL, NULL);
    if (owned != NULL)
      g_variant_get (owned, "(b)", &has_owner);
    if (has_owner)
      return g_dbus_proxy_new_sync (bus, G_DBUS_PROXY_FLAGS_DO_NOT_LOAD_PROPERTIES |
                                    G_DBUS_PROXY_FLAGS_DO_NOT_CONNECT_SIGNALS, NULL,
                                    "org.yun.Shell", "/org/yun/Shell", "org.yun.Shell1",
                                    NULL, NULL);
    yun_bench_idle_for (5);
  }
  return NULL;
}

typedef struct {
  gboolean done;
  GVariant *reply;
  GError *error;
} Call;

static void
on_called (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Call *call = user_data;

  call->reply = g_dbus_proxy_call_finish (G_DBUS_PROXY (source), result, &call->error);
  call->done = TRUE;
}

/**
 * yun_bench_call_shell:
 * @automation: the shell's org.yun.Shell1
 * @method: a method
 * @parameters: (nullable): its parameters
 * @error: return location for an error
 *
 * Calls the shell while this process's main loop keeps running, so that
 * its cloud can answer the shell meanwhile.
 *
 * Returns: (transfer full) (nullable): the reply
 */
GVariant *
yun_bench_call_shell (GDBusProxy  *automation,
                      const char  *method,
                      GVariant    *parameters,
                      GError     **error)
{
  Call call = { 0 };
  gint64 deadline = g_get_monotonic_time () +
                    (YUN_BENCH_SHELL_WAIT_SECONDS + 10) * G_USEC_PER_SEC;

  g_dbus_proxy_call (automation, method, parameters, G_DBUS_CALL_FLAGS_NONE,
                     YUN_BENCH_SHELL_WAIT_SECONDS * 1000, NULL, on_called, &call);
  while (!call.done && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  if (!call.done) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "%s did not answer", method);
    return NULL;
  }
  if (call.error != NULL)
    g_propagate_error (error, call.error);
  return call.reply;
}
