/* test-lifecycle.c: several apps in the real shell: switching, back,
 * closing, and suspension beyond the live limit with its restore.
 *
 * The shell runs with --max-live-apps 2, so a third app suspends the least
 * recently used one.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "yun-e2e.h"

static YunE2e *e2e;

static void
launch (const char *app_id)
{
  g_autoptr(GVariant) reply = yun_e2e_call (e2e, "Launch", g_variant_new ("(s)", app_id));
}

static char *
app_state (const char  *app_id,
           char       **url)
{
  g_autoptr(GVariant) reply = yun_e2e_call (e2e, "GetAppState", g_variant_new ("(s)", app_id));
  char *state = NULL;
  char *where = NULL;

  g_variant_get (reply, "(ss)", &state, &where);
  if (url != NULL)
    *url = where;
  else
    g_free (where);
  return state;
}

static void
wait_for_state (const char *app_id,
                const char *state)
{
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  for (;;) {
    g_autofree char *now = app_state (app_id, NULL);

    if (g_str_equal (now, state))
      return;
    if (g_get_monotonic_time () > deadline)
      g_error ("%s stayed %s, never %s", app_id, now, state);
    g_usleep (50 * 1000);
  }
}

static char *
screen (char **app_id)
{
  g_autoptr(GVariant) reply = yun_e2e_call (e2e, "GetScreen", NULL);
  char *page = NULL;

  g_variant_get (reply, "(ss)", &page, app_id);
  return page;
}

static void
assert_screen (const char *page,
               const char *app_id)
{
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  for (;;) {
    g_autofree char *shown_app = NULL;
    g_autofree char *shown = screen (&shown_app);

    if (g_str_equal (shown, page) && g_str_equal (shown_app, app_id))
      return;
    if (g_get_monotonic_time () > deadline)
      g_error ("the screen shows %s %s, not %s %s", shown, shown_app, page, app_id);
    g_usleep (50 * 1000);
  }
}

static char **
open_apps (void)
{
  g_autoptr(GVariant) reply = yun_e2e_call (e2e, "ListApps", NULL);
  char **ids = NULL;

  g_variant_get (reply, "(^as)", &ids);
  return ids;
}

static gint64
eval_int (const char *app_id,
          const char *script)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) value = yun_e2e_eval (e2e, app_id, script, &error);

  g_assert_no_error (error);
  return json_node_get_int (value);
}

static void
test_second_app_opens_beside_the_first (void)
{
  g_auto(GStrv) ids = NULL;
  g_autoptr(JsonNode) ready = NULL;

  /* Leave marks that only a page that was never reloaded still has. */
  ready = yun_e2e_wait_for (e2e, "lifecycle",
                            /* Not the blank page before the app's commits. */
                            "if (!location.pathname.endsWith ('/lifecycle/') ||\n"
                            "    document.readyState !== 'complete') return null;\n"
                            "window.marker = 'kept';\n"
                            "location.hash = 'three';\n"
                            "window.scrollTo (0, 1700);\n"
                            "return window.scrollY;");
  launch ("jotter");
  assert_screen ("app", "jotter");

  ids = open_apps ();
  g_assert_cmpuint (g_strv_length (ids), ==, 2);
  g_assert_cmpstr (ids[0], ==, "jotter");
  g_assert_cmpstr (ids[1], ==, "lifecycle");
  wait_for_state ("lifecycle", "live");
  wait_for_state ("jotter", "live");
}

static void
test_return_to_a_live_app_keeps_its_page (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) marker = NULL;

  launch ("lifecycle");
  assert_screen ("app", "lifecycle");
  marker = yun_e2e_eval (e2e, "lifecycle", "return window.marker;", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_node_get_string (marker), ==, "kept");
  g_assert_cmpint (eval_int ("lifecycle", "return window.lifecycle.freezes;"), ==, 0);
}

static void
test_beyond_the_limit_the_least_recent_is_suspended (void)
{
  g_autofree char *url = NULL;
  g_autofree char *state = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) value = NULL;

  /* Most recent first: lifecycle, jotter.  Going to jotter and opening a
   * third app leaves lifecycle the least recently used. */
  launch ("jotter");
  launch ("perms");
  assert_screen ("app", "perms");
  wait_for_state ("lifecycle", "suspended");

  state = app_state ("lifecycle", &url);
  g_assert_true (g_str_has_suffix (url, "/apps/lifecycle/#three"));
  wait_for_state ("jotter", "live");
  wait_for_state ("perms", "live");
  /* A suspended app has no page to run scripts in. */
  value = yun_e2e_eval (e2e, "lifecycle", "return 1;", &error);
  g_assert_error (error, G_DBUS_ERROR, G_DBUS_ERROR_INVALID_ARGS);
  g_assert_null (value);
}

static gboolean
has_mark (const char *app_id,
          const char *name)
{
  g_autoptr(GVariant) reply = yun_e2e_call (e2e, "GetLaunchMarks", g_variant_new ("(s)", app_id));
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

static void
test_suspended_app_is_kept_warm (void)
{
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  /* The most recently used suspended app is the one expected next. */
  for (;;) {
    g_autoptr(GVariant) reply = yun_e2e_call (e2e, "GetWarmApp", NULL);
    const char *warm = NULL;

    g_variant_get (reply, "(&s)", &warm);
    if (g_str_equal (warm, "lifecycle"))
      break;
    g_assert_cmpint (g_get_monotonic_time (), <, deadline);
    g_usleep (100 * 1000);
  }
}

static void
test_suspended_app_comes_back_where_it_was (void)
{
  g_autoptr(JsonNode) resumed = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) hash = NULL;
  g_autoptr(JsonNode) marker = NULL;

  launch ("lifecycle");
  assert_screen ("app", "lifecycle");
  wait_for_state ("lifecycle", "live");

  resumed = yun_e2e_wait_for (e2e, "lifecycle",
                              "return window.lifecycle.resumes > 0 ? window.lifecycle.resumes : null;");
  g_assert_cmpint (json_node_get_int (resumed), ==, 1);
  /* A new page: the old one's marks are gone, its freeze was recorded. */
  marker = yun_e2e_eval (e2e, "lifecycle", "return window.marker === undefined;", &error);
  g_assert_no_error (error);
  g_assert_true (json_node_get_boolean (marker));
  g_assert_cmpint (eval_int ("lifecycle", "return Number (localStorage.getItem ('freezes'));"),
                   ==, 1);
  hash = yun_e2e_eval (e2e, "lifecycle", "return location.hash;", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_node_get_string (hash), ==, "#three");
  g_assert_cmpint (eval_int ("lifecycle", "return Math.round (window.scrollY);"), ==, 1700);
  /* It opened in the ready view. */
  g_assert_true (has_mark ("lifecycle", "prewarmed"));

  /* Bringing it back pushed out the least recent of the others. */
  wait_for_state ("jotter", "suspended");
  wait_for_state ("perms", "live");
}

static void
test_back_goes_through_history_then_home (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) search = NULL;

  g_clear_pointer (&search, json_node_unref);
  search = yun_e2e_eval (e2e, "lifecycle", "location.search = '?page=2'; return true;", &error);
  g_assert_no_error (error);
  g_clear_pointer (&search, json_node_unref);
  search = yun_e2e_wait_for (e2e, "lifecycle",
                             "return location.search === '?page=2' && document.readyState === 'complete'"
                             " ? location.search : null;");

  yun_e2e_activate_action (e2e, "back", NULL);
  g_clear_pointer (&search, json_node_unref);
  search = yun_e2e_wait_for (e2e, "lifecycle",
                             "return location.search === '' && document.readyState === 'complete'"
                             " ? 'first' : null;");
  assert_screen ("app", "lifecycle");

  /* Back past the first page of the app's history goes home; the app
   * stays open. */
  while (TRUE) {
    g_autofree char *shown_app = NULL;
    g_autofree char *shown = NULL;

    yun_e2e_activate_action (e2e, "back", NULL);
    shown = screen (&shown_app);
    if (g_str_equal (shown, "home"))
      break;
    g_assert_cmpstr (shown, ==, "app");
    g_usleep (200 * 1000);
  }
  wait_for_state ("lifecycle", "live");
}

static void
test_switcher_lists_the_open_apps (void)
{
  yun_e2e_activate_action (e2e, "switcher", NULL);
  assert_screen ("switcher", "");
  /* Its cards act through the launch action. */
  yun_e2e_activate_action (e2e, "launch", g_variant_new_string ("perms"));
  assert_screen ("app", "perms");
}

static void
test_close_forgets_the_app (void)
{
  g_auto(GStrv) ids = NULL;

  yun_e2e_activate_action (e2e, "close-app", g_variant_new_string ("perms"));
  wait_for_state ("perms", "closed");
  assert_screen ("home", "");
  /* A suspended app closes too. */
  yun_e2e_activate_action (e2e, "close-app", g_variant_new_string ("jotter"));
  wait_for_state ("jotter", "closed");

  ids = open_apps ();
  g_assert_cmpuint (g_strv_length (ids), ==, 1);
  g_assert_cmpstr (ids[0], ==, "lifecycle");
}

int
main (int   argc,
      char *argv[])
{
  const char * const args[] = { "--max-live-apps", "2", NULL };
  g_autofree char *webapps = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);

  /* In order: each test starts where the one before left the shell. */
  g_test_add_func ("/yun/e2e/lifecycle/second-app-opens-beside-the-first",
                   test_second_app_opens_beside_the_first);
  g_test_add_func ("/yun/e2e/lifecycle/return-to-a-live-app-keeps-its-page",
                   test_return_to_a_live_app_keeps_its_page);
  g_test_add_func ("/yun/e2e/lifecycle/beyond-the-limit-the-least-recent-is-suspended",
                   test_beyond_the_limit_the_least_recent_is_suspended);
  g_test_add_func ("/yun/e2e/lifecycle/suspended-app-is-kept-warm",
                   test_suspended_app_is_kept_warm);
  g_test_add_func ("/yun/e2e/lifecycle/suspended-app-comes-back-where-it-was",
                   test_suspended_app_comes_back_where_it_was);
  g_test_add_func ("/yun/e2e/lifecycle/back-goes-through-history-then-home",
                   test_back_goes_through_history_then_home);
  g_test_add_func ("/yun/e2e/lifecycle/switcher-lists-the-open-apps",
                   test_switcher_lists_the_open_apps);
  g_test_add_func ("/yun/e2e/lifecycle/close-forgets-the-app", test_close_forgets_the_app);

  webapps = g_test_build_filename (G_TEST_DIST, "data", "webapps", NULL);
  e2e = yun_e2e_start_with_args (webapps, "lifecycle", args);
  status = g_test_run ();
  yun_e2e_stop (e2e);

  return status;
}
