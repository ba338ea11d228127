/* test-notifications.c: the standard Notification API in the real shell.
 *
 * Permission through the gate and the prompt; notifications land in the
 * shell's list (not the desktop's); tapping one opens its app and fires
 * `click`; closing and dismissing take it off.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "yun-e2e.h"

static YunE2e *e2e;

typedef struct {
  guint id;
  char *app_id;
  char *title;
  char *body;
} Shown;

static void
shown_free (Shown *shown)
{
  g_free (shown->app_id);
  g_free (shown->title);
  g_free (shown->body);
  g_free (shown);
}

static GPtrArray *
list_notifications (void)
{
  g_autoptr(GVariant) reply = yun_e2e_call (e2e, "ListNotifications", NULL);
  g_autoptr(GVariantIter) iter = NULL;
  GPtrArray *list = g_ptr_array_new_with_free_func ((GDestroyNotify) shown_free);
  Shown shown;
  gint64 time;

  g_variant_get (reply, "(a(usssx))", &iter);
  while (g_variant_iter_next (iter, "(usssx)", &shown.id, &shown.app_id, &shown.title,
                              &shown.body, &time))
    g_ptr_array_add (list, g_memdup2 (&shown, sizeof shown));
  return list;
}

/* Waits until the shell lists @count notifications. */
static GPtrArray *
wait_for_count (guint count)
{
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  for (;;) {
    g_autoptr(GPtrArray) list = list_notifications ();

    if (list->len == count)
      return g_steal_pointer (&list);
    if (g_get_monotonic_time () > deadline)
      g_error ("the shell lists %u notifications, not %u", list->len, count);
    g_usleep (50 * 1000);
  }
}

static JsonNode *
eval (const char *app_id,
      const char *script)
{
  g_autoptr(GError) error = NULL;
  JsonNode *value = yun_e2e_eval (e2e, app_id, script, &error);

  g_assert_no_error (error);
  return value;
}

static gboolean
prompt_is_open (char **permission,
                char **reason)
{
  g_autoptr(GVariant) reply = yun_e2e_call (e2e, "GetPrompt", NULL);
  gboolean open;

  g_variant_get (reply, "(bsss&s)", &open, NULL, permission, NULL, NULL);
  g_variant_get (reply, "(b&s&s&ss)", NULL, NULL, NULL, NULL, reason);
  return open;
}

/* The badge on the app's home tile, or -1 when it has no tile. */
static gint64
home_badge (const char *app_id)
{
  g_autoptr(GVariant) tiles = yun_e2e_call (e2e, "GetHomeTiles", NULL);
  g_autoptr(GVariantIter) iter = NULL;
  GVariant *tile;
  gint64 badge = -1;

  g_variant_get (tiles, "(aa{sv})", &iter);
  while ((tile = g_variant_iter_next_value (iter)) != NULL) {
    g_autoptr(GVariantDict) dict = g_variant_dict_new (tile);
    const char *id = NULL;
    guint32 count = 0;

    if (g_variant_dict_lookup (dict, "app_id", "&s", &id) && g_str_equal (id, app_id) &&
        g_variant_dict_lookup (dict, "badge", "u", &count))
      badge = count;
    g_variant_unref (tile);
  }
  return badge;
}

static void
wait_for_badge (const char *app_id,
                gint64      badge)
{
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  while (home_badge (app_id) != badge) {
    g_assert_cmpint (g_get_monotonic_time (), <, deadline);
    g_usleep (50 * 1000);
  }
}

static void
test_undeclared_app_is_denied_without_a_prompt (void)
{
  g_autoptr(GVariant) launched = yun_e2e_call (e2e, "Launch", g_variant_new ("(s)", "perms"));
  g_autoptr(JsonNode) answer = NULL;
  g_autofree char *permission = NULL;
  g_autofree char *reason = NULL;
  g_autoptr(GPtrArray) list = NULL;

  answer = yun_e2e_wait_for (e2e, "perms",
                             "return document.readyState === 'complete' ? "
                             "await Notification.requestPermission () : null;");
  g_assert_cmpstr (json_node_get_string (answer), ==, "denied");
  g_assert_false (prompt_is_open (&permission, &reason));

  /* A notification it shows anyway goes nowhere. */
  g_clear_pointer (&answer, json_node_unref);
  answer = eval ("perms", "new Notification ('Sneaky'); return true;");
  list = list_notifications ();
  g_assert_cmpuint (list->len, ==, 0);
}

static void
test_declared_app_is_asked_with_its_reason (void)
{
  g_autoptr(GVariant) launched = yun_e2e_call (e2e, "Launch", g_variant_new ("(s)", "notify"));
  g_autoptr(GVariant) answered = NULL;
  g_autoptr(JsonNode) started = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autofree char *permission = NULL;
  g_autofree char *reason = NULL;
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  started = yun_e2e_wait_for (e2e, "notify",
                              "if (!window.show) return null;\n"
                              "window.asked = Notification.requestPermission ();\n"
                              "return true;");
  while (!prompt_is_open (&permission, &reason)) {
    g_assert_cmpint (g_get_monotonic_time (), <, deadline);
    g_clear_pointer (&permission, g_free);
    g_clear_pointer (&reason, g_free);
    g_usleep (50 * 1000);
  }
  g_assert_cmpstr (permission, ==, "notifications");
  g_assert_cmpstr (reason, ==, "To tell you when a price drops");

  answered = yun_e2e_call (e2e, "AnswerPrompt", g_variant_new ("(s)", "always"));
  answer = eval ("notify", "return await window.asked;");
  g_assert_cmpstr (json_node_get_string (answer), ==, "granted");
}

static void
test_notification_lands_in_the_shell_list (void)
{
  g_autoptr(JsonNode) value = NULL;
  g_autoptr(GPtrArray) list = NULL;
  Shown *shown;

  value = eval ("notify", "show ('Price drop', { body: 'Kettle now 19.90', tag: 'kettle' });"
                          "return true;");
  list = wait_for_count (1);
  shown = g_ptr_array_index (list, 0);
  g_assert_cmpstr (shown->app_id, ==, "notify");
  g_assert_cmpstr (shown->title, ==, "Price drop");
  g_assert_cmpstr (shown->body, ==, "Kettle now 19.90");
  /* Its home tile counts it. */
  wait_for_badge ("notify", 1);
}

static void
test_same_tag_replaces_the_older_one (void)
{
  g_autoptr(JsonNode) value = NULL;
  g_autoptr(GPtrArray) list = NULL;
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  value = eval ("notify", "show ('Price drop again', { body: 'Kettle now 17.50', tag: 'kettle' });"
                          "return true;");
  for (;;) {
    g_clear_pointer (&list, g_ptr_array_unref);
    list = list_notifications ();
    if (list->len == 1 &&
        g_str_equal (((Shown *) g_ptr_array_index (list, 0))->title, "Price drop again"))
      break;
    g_assert_cmpint (g_get_monotonic_time (), <, deadline);
    g_usleep (50 * 1000);
  }
}

static void
test_tapping_opens_the_app_and_fires_click (void)
{
  g_autoptr(GPtrArray) list = list_notifications ();
  g_autoptr(JsonNode) events = NULL;
  g_autoptr(GVariant) screen = NULL;
  const char *page = NULL;
  const char *app_id = NULL;

  g_assert_cmpuint (list->len, ==, 1);
  yun_e2e_activate_action (e2e, "home", NULL);
  yun_e2e_activate_action (e2e, "open-notification",
                           g_variant_new_uint32 (((Shown *) g_ptr_array_index (list, 0))->id));

  events = yun_e2e_wait_for (e2e, "notify",
                             "return window.events.includes ('click:Price drop again') ? "
                             "window.events.filter (e => e.startsWith ('click')) : null;");
  g_assert_cmpuint (json_array_get_length (json_node_get_array (events)), ==, 1);
  screen = yun_e2e_call (e2e, "GetScreen", NULL);
  g_variant_get (screen, "(&s&s)", &page, &app_id);
  g_assert_cmpstr (page, ==, "app");
  g_assert_cmpstr (app_id, ==, "notify");
  g_ptr_array_unref (wait_for_count (0));
  wait_for_badge ("notify", 0);
}

static void
test_page_close_takes_it_off (void)
{
  g_autoptr(JsonNode) value = NULL;

  value = eval ("notify", "show ('Soon gone'); return true;");
  g_ptr_array_unref (wait_for_count (1));
  g_clear_pointer (&value, json_node_unref);
  value = eval ("notify", "window.last.close (); return true;");
  g_ptr_array_unref (wait_for_count (0));
}

static void
test_dismiss_tells_the_page (void)
{
  g_autoptr(JsonNode) value = NULL;
  g_autoptr(JsonNode) closed = NULL;
  g_autoptr(GPtrArray) list = NULL;

  value = eval ("notify", "show ('Dismiss me'); return true;");
  list = wait_for_count (1);
  yun_e2e_activate_action (e2e, "dismiss-notification",
                           g_variant_new_uint32 (((Shown *) g_ptr_array_index (list, 0))->id));
  g_ptr_array_unref (wait_for_count (0));
  closed = yun_e2e_wait_for (e2e, "notify",
                             "return window.events.includes ('close:Dismiss me') ? true : null;");
}

static void
test_huge_text_is_cut_short (void)
{
  g_autoptr(JsonNode) value = NULL;
  g_autoptr(GPtrArray) list = NULL;
  Shown *shown;

  value = eval ("notify", "show ('T'.repeat (100000), { body: 'line\\nbreak\\u0000' + 'B'.repeat (100000) });"
                          "return true;");
  list = wait_for_count (1);
  shown = g_ptr_array_index (list, 0);
  g_assert_cmpuint (strlen (shown->title), <=, 1024);
  g_assert_cmpuint (strlen (shown->body), <=, 1024);
  g_assert_null (strchr (shown->body, '\n'));
  g_assert_true (g_str_has_prefix (shown->body, "line break"));
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *webapps = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);

  /* In order: each test starts where the one before left the shell. */
  g_test_add_func ("/yun/e2e/notifications/undeclared-app-is-denied-without-a-prompt",
                   test_undeclared_app_is_denied_without_a_prompt);
  g_test_add_func ("/yun/e2e/notifications/declared-app-is-asked-with-its-reason",
                   test_declared_app_is_asked_with_its_reason);
  g_test_add_func ("/yun/e2e/notifications/notification-lands-in-the-shell-list",
                   test_notification_lands_in_the_shell_list);
  g_test_add_func ("/yun/e2e/notifications/same-tag-replaces-the-older-one",
                   test_same_tag_replaces_the_older_one);
  g_test_add_func ("/yun/e2e/notifications/tapping-opens-the-app-and-fires-click",
                   test_tapping_opens_the_app_and_fires_click);
  g_test_add_func ("/yun/e2e/notifications/page-close-takes-it-off", test_page_close_takes_it_off);
  g_test_add_func ("/yun/e2e/notifications/dismiss-tells-the-page", test_dismiss_tells_the_page);
  g_test_add_func ("/yun/e2e/notifications/huge-text-is-cut-short", test_huge_text_is_cut_short);

  webapps = g_test_build_filename (G_TEST_DIST, "data", "webapps", NULL);
  e2e = yun_e2e_start (webapps, "notify");
  status = g_test_run ();
  yun_e2e_stop (e2e);

  return status;
}
