/* yun-e2e.c: start a real yun-cloud and a real yun-shell for a test.
 *
 * Each test program gets its own session bus (GTestDBus), its own cloud on
 * a free loopback port with its data in a temporary folder, and a shell
 * with automation on, driven over org.yun.Shell1.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "yun-e2e.h"

#include "yun-test-files.h"

#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

/* Generous: the first web process start on a loaded 2-core machine. */
#define WAIT_SECONDS 60
/* One script; waiting scripts poll, so they retry after this. */
#define EVAL_TIMEOUT_MS 15000

static const char *
required_env (const char *name)
{
  const char *value = g_getenv (name);

  if (value == NULL || *value == '\0')
    g_error ("%s is not set: run the e2e tests through meson test", name);
  return value;
}

/* If the test dies, its children die with it instead of holding the test
 * runner's pipes open. */
static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

static GSubprocessLauncher *
new_launcher (GSubprocessFlags flags)
{
  GSubprocessLauncher *launcher = g_subprocess_launcher_new (flags);

  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);

  /* TAP owns this process's stdout: children write to stderr instead. */
  if (!(flags & G_SUBPROCESS_FLAGS_STDOUT_PIPE))
    g_subprocess_launcher_take_stdout_fd (launcher, dup (STDERR_FILENO));
  return launcher;
}

static void
start_cloud (YunE2e     *e2e,
             const char *webapps_dir)
{
  g_autoptr(GSubprocessLauncher) launcher = new_launcher (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autofree char *data_dir = g_build_filename (e2e->tmp_dir, "cloud", NULL);
  g_autoptr(GDataInputStream) lines = NULL;
  g_autoptr(GError) error = NULL;

  e2e->cloud = g_subprocess_launcher_spawn (launcher, &error, required_env ("YUN_CLOUD_BIN"),
                                            "--port", "0", "--data", data_dir,
                                            "--webapps", webapps_dir, NULL);
  g_assert_no_error (error);

  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (e2e->cloud));
  e2e->cloud_url = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (e2e->cloud_url);
  g_assert_true (g_str_has_prefix (e2e->cloud_url, "http://127.0.0.1:"));
}

static void
start_shell (YunE2e             *e2e,
             const char         *app_id,
             const char * const *extra_args)
{
  g_autoptr(GSubprocessLauncher) launcher = new_launcher (G_SUBPROCESS_FLAGS_NONE);
  g_autofree char *profile = g_build_filename (e2e->tmp_dir,
                                              e2e->profile_name != NULL ? e2e->profile_name
                                                                        : "profile", NULL);
  g_autoptr(GDBusConnection) connection = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) argv = NULL;
  gint64 deadline = g_get_monotonic_time () + WAIT_SECONDS * G_USEC_PER_SEC;

  /* GTestDBus unsets DISPLAY so that nothing autolaunches a bus; the
   * shell needs it back. */
  g_subprocess_launcher_setenv (launcher, "DISPLAY", e2e->display, TRUE);
  /* The web processes inherit the shell's environment and warn that the
   * private bus has no accessibility bus; that warning must not kill them. */
  g_subprocess_launcher_setenv (launcher, "G_DEBUG", "gc-friendly", TRUE);
  /* A new profile starts empty unless the test asked for the built-in apps. */
  if (e2e->default_apps)
    g_subprocess_launcher_unsetenv (launcher, "YUN_NO_DEFAULT_APPS");
  else
    g_subprocess_launcher_setenv (launcher, "YUN_NO_DEFAULT_APPS", "1", TRUE);
  argv = g_ptr_array_new ();
  g_ptr_array_add (argv, (char *) required_env ("YUN_SHELL_BIN"));
  g_ptr_array_add (argv, "--automation");
  g_ptr_array_add (argv, "--cloud");
  g_ptr_array_add (argv, e2e->cloud_url);
  g_ptr_array_add (argv, "--profile");
  g_ptr_array_add (argv, profile);
  g_ptr_array_add (argv, "--app");
  g_ptr_array_add (argv, (char *) app_id);
  g_autoptr(GPtrArray) substituted = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; extra_args != NULL && extra_args[i] != NULL; i++) {
    /* "@CLOUD@" in an argument stands for the cloud's URL, without its
     * final slash: the tests cannot know it before the cloud starts. */
    if (strstr (extra_args[i], "@CLOUD@") != NULL) {
      g_autofree char *base = g_strdup (e2e->cloud_url);
      g_auto(GStrv) parts = g_strsplit (extra_args[i], "@CLOUD@", -1);

      if (g_str_has_suffix (base, "/"))
        base[strlen (base) - 1] = '\0';
      g_ptr_array_add (substituted, g_strjoinv (base, parts));
      g_ptr_array_add (argv, g_ptr_array_index (substituted, substituted->len - 1));
      continue;
    }
    g_ptr_array_add (argv, (char *) extra_args[i]);
  }
  g_ptr_array_add (argv, NULL);
  e2e->shell = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);

  connection = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_assert_no_error (error);

  /* The shell owns org.yun.Shell once it has started. */
  while (e2e->automation == NULL) {
    g_autoptr(GVariant) reply = NULL;
    gboolean has_owner = FALSE;

    g_assert_cmpint (g_get_monotonic_time (), <, deadline);
    /* Let GLib reap the shell if it died; then it has no identifier. */
    while (g_main_context_iteration (NULL, FALSE));
    if (g_subprocess_get_identifier (e2e->shell) == NULL)
      g_error ("yun-shell exited before it was ready (see its messages above)");

    reply = g_dbus_connection_call_sync (connection, "org.freedesktop.DBus",
                                         "/org/freedesktop/DBus", "org.freedesktop.DBus",
                                         "NameHasOwner", g_variant_new ("(s)", "org.yun.Shell"),
                                         G_VARIANT_TYPE ("(b)"), G_DBUS_CALL_FLAGS_NONE, -1,
                                         NULL, &error);
    g_assert_no_error (error);
    g_variant_get (reply, "(b)", &has_owner);
    if (!has_owner) {
      g_usleep (50 * 1000);
      continue;
    }

    e2e->automation = g_dbus_proxy_new_sync (connection,
                                             G_DBUS_PROXY_FLAGS_DO_NOT_LOAD_PROPERTIES |
                                             G_DBUS_PROXY_FLAGS_DO_NOT_CONNECT_SIGNALS,
                                             NULL, "org.yun.Shell", "/org/yun/Shell",
                                             "org.yun.Shell1", NULL, &error);
    g_assert_no_error (error);
  }

  /* Ready once the app it was started with is open: its stores are open. */
  for (;;) {
    g_autoptr(GVariant) apps = yun_e2e_call (e2e, "ListApps", NULL);
    g_autofree const char **ids = NULL;

    g_variant_get (apps, "(^a&s)", &ids);
    if (g_strv_contains (ids, app_id))
      break;
    g_assert_cmpint (g_get_monotonic_time (), <, deadline);
    g_usleep (50 * 1000);
  }
}

/**
 * yun_e2e_start_with_args:
 * @webapps_dir: the folder of apps yun-cloud serves
 * @app_id: the app the shell opens at start
 * @extra_args: (nullable): more options for yun-shell
 *
 * Starts a private session bus, yun-cloud and yun-shell.  Needs a display:
 * run under xvfb-run.
 *
 * Returns: (transfer full): the running system
 */
YunE2e *
yun_e2e_start_with_args (const char         *webapps_dir,
                         const char         *app_id,
                         const char * const *extra_args)
{
  return yun_e2e_start_full (webapps_dir, app_id, extra_args, FALSE);
}

/**
 * yun_e2e_start_full:
 * @webapps_dir: the folder of apps yun-cloud serves
 * @app_id: the app the shell opens at start
 * @extra_args: (nullable): more options for yun-shell
 * @default_apps: whether the new profile gets the built-in apps (contacts,
 *   notes, gallery) as on a phone; the other starts leave it empty
 *
 * Returns: (transfer full): the running system
 */
YunE2e *
yun_e2e_start_full (const char         *webapps_dir,
                    const char         *app_id,
                    const char * const *extra_args,
                    gboolean            default_apps)
{
  YunE2e *e2e = g_new0 (YunE2e, 1);
  g_autoptr(GError) error = NULL;

  e2e->default_apps = default_apps;

  if (g_getenv ("DISPLAY") == NULL)
    g_error ("the e2e tests need an X display: run them under xvfb-run -a");
  e2e->display = g_strdup (g_getenv ("DISPLAY"));

  e2e->tmp_dir = g_dir_make_tmp ("yun-e2e-XXXXXX", &error);
  g_assert_no_error (error);

  e2e->bus = g_test_dbus_new (G_TEST_DBUS_NONE);
  g_test_dbus_up (e2e->bus);

  start_cloud (e2e, webapps_dir);
  start_shell (e2e, app_id, extra_args);

  return e2e;
}

/**
 * yun_e2e_start:
 * @webapps_dir: the folder of apps yun-cloud serves
 * @app_id: the app the shell opens at start
 *
 * Like yun_e2e_start_with_args() with the shell's default options.
 *
 * Returns: (transfer full): the running system
 */
YunE2e *
yun_e2e_start (const char *webapps_dir,
               const char *app_id)
{
  return yun_e2e_start_with_args (webapps_dir, app_id, NULL);
}

static void
stop_process (GSubprocess *process)
{
  if (process == NULL)
    return;
  g_subprocess_send_signal (process, SIGTERM);
  g_subprocess_wait (process, NULL, NULL);
}

/**
 * yun_e2e_stop_cloud:
 * @e2e: the running system
 *
 * Stops yun-cloud, as if the network went away; the shell goes on.
 */
void
yun_e2e_stop_cloud (YunE2e *e2e)
{
  stop_process (e2e->cloud);
  g_clear_object (&e2e->cloud);
}

/**
 * yun_e2e_restart_shell:
 * @e2e: the running system
 * @app_id: the app the new shell opens at start
 *
 * Stops the shell and starts a new one on the same profile and cloud, as
 * after a reboot.
 */
void
yun_e2e_restart_shell (YunE2e     *e2e,
                       const char *app_id)
{
  g_clear_object (&e2e->automation);
  stop_process (e2e->shell);
  g_clear_object (&e2e->shell);
  start_shell (e2e, app_id, NULL);
}

/**
 * yun_e2e_restart_shell_on_new_profile:
 * @e2e: the running system
 * @profile_name: a folder name under the test's folder, not used before
 * @app_id: the app the new shell opens at start
 *
 * Stops the shell and starts a new one with an empty profile on the same
 * cloud, as on a new phone.
 */
void
yun_e2e_restart_shell_on_new_profile (YunE2e     *e2e,
                                      const char *profile_name,
                                      const char *app_id)
{
  g_free (e2e->profile_name);
  e2e->profile_name = g_strdup (profile_name);
  yun_e2e_restart_shell (e2e, app_id);
}

/**
 * yun_e2e_stop:
 * @e2e: (transfer full): the running system
 *
 * Stops the shell, the cloud and the bus, and removes their files.
 */
void
yun_e2e_stop (YunE2e *e2e)
{
  g_clear_object (&e2e->automation);
  stop_process (e2e->shell);
  stop_process (e2e->cloud);
  g_clear_object (&e2e->shell);
  g_clear_object (&e2e->cloud);
  g_test_dbus_down (e2e->bus);
  g_clear_object (&e2e->bus);
  yun_test_remove_tree (e2e->tmp_dir);
  g_free (e2e->tmp_dir);
  g_free (e2e->profile_name);
  g_free (e2e->cloud_url);
  g_free (e2e->display);
  g_free (e2e);
}

static JsonNode *
eval_with (YunE2e      *e2e,
           const char  *method,
           const char  *app_id,
           const char  *script,
           GError     **error)
{
  g_autoptr(GVariant) reply = NULL;
  const char *json;

  /* A script sent while the page is being replaced may never be answered;
   * a short timeout lets the caller ask again instead. */
  reply = g_dbus_proxy_call_sync (e2e->automation, method, g_variant_new ("(ss)", app_id, script),
                                  G_DBUS_CALL_FLAGS_NONE, EVAL_TIMEOUT_MS, NULL, error);
  if (reply == NULL)
    return NULL;

  g_variant_get (reply, "(&s)", &json);
  return json_from_string (json, error);
}

/**
 * yun_e2e_eval:
 * @e2e: the running system
 * @app_id: an open app
 * @script: the body of an async function to run in the app's page
 * @error: return location for an error
 *
 * Returns: (transfer full): the script's value, or %NULL with @error set
 */
JsonNode *
yun_e2e_eval (YunE2e      *e2e,
              const char  *app_id,
              const char  *script,
              GError     **error)
{
  return eval_with (e2e, "Eval", app_id, script, error);
}

/**
 * yun_e2e_call:
 * @e2e: the running system
 * @method: a method of org.yun.Shell1
 * @parameters: (nullable): its arguments
 *
 * Calls the shell's automation interface and fails the test on an error.
 *
 * Returns: (transfer full): the reply
 */
GVariant *
yun_e2e_call (YunE2e     *e2e,
              const char *method,
              GVariant   *parameters)
{
  g_autoptr(GError) error = NULL;
  GVariant *reply;

  reply = g_dbus_proxy_call_sync (e2e->automation, method, parameters, G_DBUS_CALL_FLAGS_NONE,
                                  WAIT_SECONDS * 1000, NULL, &error);
  g_assert_no_error (error);
  return reply;
}

static JsonNode *
wait_with (YunE2e     *e2e,
           const char *method,
           const char *app_id,
           const char *script)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_SECONDS * G_USEC_PER_SEC;

  for (;;) {
    g_autoptr(GError) error = NULL;
    g_autoptr(JsonNode) value = eval_with (e2e, method, app_id, script, &error);

    if (value != NULL && !JSON_NODE_HOLDS_NULL (value))
      return g_steal_pointer (&value);
    if (g_get_monotonic_time () > deadline)
      g_error ("waited %d s for: %s (last error: %s)", WAIT_SECONDS, script,
               error != NULL ? error->message : "none");
    g_usleep (100 * 1000);
  }
}

/**
 * yun_e2e_activate_action:
 * @e2e: the running system
 * @name: an action of the shell application, without "app."
 * @parameter: (nullable): its parameter
 *
 * Activates one of the shell's application actions through GApplication's
 * own D-Bus export, as its buttons do.
 */
void
yun_e2e_activate_action (YunE2e     *e2e,
                         const char *name,
                         GVariant   *parameter)
{
  g_autoptr(GVariantBuilder) parameters = g_variant_builder_new (G_VARIANT_TYPE ("av"));
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;

  if (parameter != NULL)
    g_variant_builder_add (parameters, "v", parameter);
  reply = g_dbus_connection_call_sync (g_dbus_proxy_get_connection (e2e->automation),
                                       "org.yun.Shell", "/org/yun/Shell", "org.gtk.Actions",
                                       "Activate",
                                       g_variant_new ("(sava{sv})", name, parameters, NULL),
                                       NULL, G_DBUS_CALL_FLAGS_NONE, WAIT_SECONDS * 1000, NULL,
                                       &error);
  g_assert_no_error (error);
}

/**
 * yun_e2e_wait_for:
 * @e2e: the running system
 * @app_id: the app whose page to ask
 * @script: an async function body whose value is null until it is ready
 *
 * Polls @script until its value is not null; fails the test after a
 * minute.  The app may still be loading, so "not open" errors are retried.
 *
 * Returns: (transfer full): the first value that is not null
 */
JsonNode *
yun_e2e_wait_for (YunE2e     *e2e,
                  const char *app_id,
                  const char *script)
{
  return wait_with (e2e, "Eval", app_id, script);
}

/**
 * yun_e2e_wait_for_isolated:
 * @e2e: the running system
 * @app_id: the app whose page to ask
 * @script: an async function body whose value is null until it is ready
 *
 * Like yun_e2e_wait_for(), in a script world of its own: it sees the
 * page's DOM but none of the page's replacements of JavaScript globals.
 *
 * Returns: (transfer full): the first value that is not null
 */
JsonNode *
yun_e2e_wait_for_isolated (YunE2e     *e2e,
                           const char *app_id,
                           const char *script)
{
  return wait_with (e2e, "EvalIsolated", app_id, script);
}

/**
 * yun_e2e_wait_for_contact_picker:
 * @e2e: the running shell
 *
 * Waits until the shell's Contact Picker is open and lists someone.
 *
 * Returns: (transfer full): GetContactPicker's reply
 */
GVariant *
yun_e2e_wait_for_contact_picker (YunE2e *e2e)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_SECONDS * G_USEC_PER_SEC;

  for (;;) {
    GVariant *picker = yun_e2e_call (e2e, "GetContactPicker", NULL);
    gboolean open = FALSE;
    g_autoptr(GVariantIter) rows = NULL;

    g_variant_get (picker, "(b&s^a&sba(ss))", &open, NULL, NULL, NULL, &rows);
    if (open && g_variant_iter_n_children (rows) > 0)
      return picker;
    g_variant_unref (picker);
    g_assert_cmpint (g_get_monotonic_time (), <, deadline);
    g_usleep (50 * 1000);
  }
}

/**
 * yun_e2e_has_camera_mark:
 * @e2e: the running shell
 * @name: a mark of GetCameraMarks ("first-frame", "closed" ...)
 *
 * Returns: whether the viewfinder's last session has reached @name
 */
gboolean
yun_e2e_has_camera_mark (YunE2e     *e2e,
                         const char *name)
{
  g_autoptr(GVariant) reply = yun_e2e_call (e2e, "GetCameraMarks", NULL);
  g_autoptr(GVariantIter) marks = NULL;
  const char *mark;
  gint64 time;

  g_variant_get (reply, "(a(sx))", &marks);
  while (g_variant_iter_next (marks, "(&sx)", &mark, &time)) {
    if (g_str_equal (mark, name))
      return TRUE;
  }
  return FALSE;
}
