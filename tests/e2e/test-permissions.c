/* test-permissions.c: the permission gate and prompt in the real shell.
 *
 * The perms test app declares contacts (read), location (read) and notes
 * (readwrite), and nothing else.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "yun-e2e.h"

#include <glib/gstdio.h>
#include <string.h>

static YunE2e *e2e;

/* Starts navigator.yun.permissions.@method ({name: @name}) in the page
 * without waiting; its outcome lands in window.outcome[@name]. */
static void
start (const char *method,
       const char *name)
{
  g_autofree char *script = g_strdup_printf (
    "window.outcome = window.outcome || {};"
    "delete window.outcome['%s'];"
    "navigator.yun.permissions.%s ({ name: '%s' })"
    "  .then (state => { window.outcome['%s'] = state; },"
    "         error => { window.outcome['%s'] = error.name + ': ' + error.message; });"
    "return true;", name, method, name, name, name);
  g_autoptr(JsonNode) started = yun_e2e_wait_for (e2e, "perms", script);
}

static char *
outcome (const char *name)
{
  g_autofree char *script = g_strdup_printf ("return (window.outcome || {})['%s'] ?? null;", name);
  g_autoptr(JsonNode) value = yun_e2e_wait_for (e2e, "perms", script);

  return g_strdup (json_node_get_string (value));
}

static char *
query (const char *name)
{
  g_autofree char *script = g_strdup_printf (
    "return await navigator.yun.permissions.query ({ name: '%s' });", name);
  g_autoptr(JsonNode) value = yun_e2e_wait_for (e2e, "perms", script);

  return g_strdup (json_node_get_string (value));
}

/* Waits for the shell to show a question; returns its permission and checks
 * that it names the app and quotes the manifest's reason. */
static char *
wait_for_prompt (const char *expected_reason)
{
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  for (;;) {
    g_autoptr(GVariant) reply = yun_e2e_call (e2e, "GetPrompt", NULL);
    gboolean open;
    const char *app_name, *permission, *access, *reason;

    g_variant_get (reply, "(b&s&s&s&s)", &open, &app_name, &permission, &access, &reason);
    if (open) {
      g_assert_cmpstr (app_name, ==, "Permission Test");
      g_assert_cmpstr (reason, ==, expected_reason);
      return g_strdup (permission);
    }
    g_assert_cmpint (g_get_monotonic_time (), <, deadline);
    g_usleep (50 * 1000);
  }
}

static gboolean
prompt_is_open (void)
{
  g_autoptr(GVariant) reply = yun_e2e_call (e2e, "GetPrompt", NULL);
  gboolean open;

  g_variant_get (reply, "(b&s&s&s&s)", &open, NULL, NULL, NULL, NULL);
  return open;
}

static void
answer (const char *choice)
{
  g_autoptr(GVariant) reply = yun_e2e_call (e2e, "AnswerPrompt", g_variant_new ("(s)", choice));
}

static void
test_undeclared_is_refused_without_prompt (void)
{
  g_autofree char *result = NULL;

  start ("request", "camera");
  result = outcome ("camera");
  g_assert_true (g_str_has_prefix (result, "NotAllowedError: "));
  g_assert_nonnull (strstr (result, "does not declare the \"camera\" permission"));
  g_assert_false (prompt_is_open ());

  g_free (result);
  result = query ("camera");
  g_assert_cmpstr (result, ==, "denied");
}

static void
test_allow_always_is_remembered_and_standard_api_agrees (void)
{
  g_autofree char *permission = NULL;
  g_autofree char *result = NULL;
  g_autofree char *state = NULL;
  g_autoptr(JsonNode) standard = NULL;

  g_assert_cmpstr ((state = query ("location")), ==, "prompt");
  start ("request", "location");
  permission = wait_for_prompt ("To find places near you");
  g_assert_cmpstr (permission, ==, "location");
  answer ("always");
  g_assert_cmpstr ((result = outcome ("location")), ==, "granted");

  g_free (state);
  g_assert_cmpstr ((state = query ("location")), ==, "granted");

  /* The web's own Permissions API reads the same decision. */
  standard = yun_e2e_wait_for (e2e, "perms",
                               "return (await navigator.permissions.query ({ name: 'geolocation' })).state;");
  g_assert_cmpstr (json_node_get_string (standard), ==, "granted");

  /* Asking again needs no question. */
  g_free (result);
  start ("request", "location");
  g_assert_cmpstr ((result = outcome ("location")), ==, "granted");
  g_assert_false (prompt_is_open ());
}

static void
test_deny_is_remembered (void)
{
  g_autofree char *permission = NULL;
  g_autofree char *result = NULL;
  g_autofree char *state = NULL;

  start ("request", "contacts");
  permission = wait_for_prompt ("To show who is calling");
  g_assert_cmpstr (permission, ==, "contacts");
  answer ("deny");
  g_assert_cmpstr ((result = outcome ("contacts")), ==, "denied");
  g_assert_cmpstr ((state = query ("contacts")), ==, "denied");

  g_free (result);
  start ("request", "contacts");
  g_assert_cmpstr ((result = outcome ("contacts")), ==, "denied");
  g_assert_false (prompt_is_open ());
}

static void
test_allow_once_is_not_remembered (void)
{
  g_autofree char *permission = NULL;
  g_autofree char *result = NULL;
  g_autofree char *state = NULL;

  start ("request", "notes");
  permission = wait_for_prompt ("To keep your shopping list");
  answer ("once");
  g_assert_cmpstr ((result = outcome ("notes")), ==, "granted");
  g_assert_cmpstr ((state = query ("notes")), ==, "prompt");

  /* Clean up the question the next test would otherwise meet. */
  start ("request", "notes");
  g_free (permission);
  permission = wait_for_prompt ("To keep your shopping list");
  answer ("deny");
  g_free (result);
  g_assert_cmpstr ((result = outcome ("notes")), ==, "denied");
}

static void
test_revoke_in_permission_centre_asks_again (void)
{
  g_autofree char *state = NULL;
  g_autofree char *shot_dir = g_dir_make_tmp ("yun-shot-XXXXXX", NULL);
  g_autofree char *shot = g_build_filename (shot_dir, "permissions.png", NULL);
  g_autoptr(GVariant) saved = NULL;

  g_assert_cmpstr ((state = query ("location")), ==, "granted");

  yun_e2e_activate_action (e2e, "show-permissions", NULL);
  saved = yun_e2e_call (e2e, "Screenshot", g_variant_new ("(s)", shot));
  g_assert_true (g_file_test (shot, G_FILE_TEST_IS_REGULAR));
  g_unlink (shot);
  g_rmdir (shot_dir);

  yun_e2e_activate_action (e2e, "revoke-permission", g_variant_new ("(ss)", "perms", "location"));
  g_free (state);
  g_assert_cmpstr ((state = query ("location")), ==, "prompt");
  yun_e2e_activate_action (e2e, "show-app", NULL);
}

static void
test_home_dismisses_the_question (void)
{
  g_autofree char *permission = NULL;
  g_autofree char *result = NULL;
  g_autofree char *state = NULL;

  /* Location is undecided again since the revoke test. */
  start ("request", "location");
  permission = wait_for_prompt ("To find places near you");
  yun_e2e_activate_action (e2e, "home", NULL);
  result = outcome ("location");
  g_assert_cmpstr (result, ==, "denied");
  g_assert_false (prompt_is_open ());
  /* Walking away is not an answer: the next request asks again. */
  g_assert_cmpstr ((state = query ("location")), ==, "prompt");
  yun_e2e_activate_action (e2e, "launch", g_variant_new_string ("perms"));
}

static void
test_bad_arguments_are_data_errors (void)
{
  g_autoptr(JsonNode) wrong_name = NULL;
  g_autoptr(JsonNode) no_name = NULL;
  g_autoptr(JsonNode) two_args = NULL;

  wrong_name = yun_e2e_wait_for (e2e, "perms",
                                 "try { await navigator.yun.permissions.query ({ name: 'telepathy' }); return 'resolved'; }"
                                 "catch (e) { return e.name + ': ' + e.message; }");
  g_assert_true (g_str_has_prefix (json_node_get_string (wrong_name),
                                   "DataError: permissions.query: args.name: expected one of"));

  no_name = yun_e2e_wait_for (e2e, "perms",
                              "try { await navigator.yun.permissions.query (); return 'resolved'; }"
                              "catch (e) { return e.name + ': ' + e.message; }");
  g_assert_cmpstr (json_node_get_string (no_name), ==,
                   "DataError: permissions.query: args.name: missing");

  two_args = yun_e2e_wait_for (e2e, "perms",
                               "try { await navigator.yun.permissions.query ({ name: 'contacts' }, 1); return 'resolved'; }"
                               "catch (e) { return e.name; }");
  g_assert_cmpstr (json_node_get_string (two_args), ==, "DataError");
}

static gint64
count_events (const char *app_id,
              const char *list)
{
  g_autofree char *script = g_strdup_printf ("return (window.%s || []).length;", list);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) count = yun_e2e_eval (e2e, app_id, script, &error);

  g_assert_no_error (error);
  return json_node_get_int (count);
}

static void
test_change_event_reaches_the_app (void)
{
  g_autoptr(JsonNode) listening = NULL;
  g_autoptr(JsonNode) event = NULL;

  /* The page replaces EventTarget's methods first: the bridge captured
   * its own before any page script ran. */
  listening = yun_e2e_wait_for (e2e, "perms",
                                "EventTarget.prototype.dispatchEvent = () => false;\n"
                                "window.first = []; window.second = [];\n"
                                "window.onFirst = (e) => first.push (e.detail);\n"
                                "navigator.yun.permissions.addEventListener ('change', onFirst);\n"
                                "navigator.yun.permissions.addEventListener ('change', (e) => second.push (e.detail));\n"
                                "navigator.yun.permissions.addEventListener ('bogus', () => first.push ('bogus'));\n"
                                "return true;");
  /* "notes" was denied by the allow-once test's clean-up. */
  yun_e2e_activate_action (e2e, "revoke-permission", g_variant_new ("(ss)", "perms", "notes"));
  event = yun_e2e_wait_for (e2e, "perms", "return first.length > 0 ? first[0] : null;");
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (event), "name"), ==, "notes");
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (event), "state"), ==, "prompt");
  g_assert_cmpint (count_events ("perms", "second"), ==, 1);
  yun_e2e_activate_action (e2e, "show-app", NULL);
}

static void
test_removed_listener_hears_nothing (void)
{
  g_autoptr(JsonNode) removed = NULL;
  g_autoptr(JsonNode) second = NULL;
  g_autofree char *permission = NULL;
  g_autofree char *result = NULL;

  removed = yun_e2e_wait_for (e2e, "perms",
                              "navigator.yun.permissions.removeEventListener ('change', onFirst);"
                              "return true;");
  /* A prompt answered "deny" is a change too. */
  start ("request", "notes");
  permission = wait_for_prompt ("To keep your shopping list");
  answer ("deny");
  g_assert_cmpstr ((result = outcome ("notes")), ==, "denied");
  second = yun_e2e_wait_for (e2e, "perms", "return second.length === 2 ? second[1].state : null;");
  g_assert_cmpstr (json_node_get_string (second), ==, "denied");
  g_assert_cmpint (count_events ("perms", "first"), ==, 1);
}

static void
test_events_reach_only_their_app (void)
{
  g_autoptr(GVariant) launched = yun_e2e_call (e2e, "Launch", g_variant_new ("(s)", "jotter"));
  g_autoptr(JsonNode) listening = NULL;
  g_autoptr(JsonNode) heard = NULL;

  listening = yun_e2e_wait_for (e2e, "jotter",
                                "if (!navigator.yun) return null;\n"
                                "window.heard = [];\n"
                                "navigator.yun.permissions.addEventListener ('change', (e) => heard.push (e.detail));\n"
                                "return true;");
  yun_e2e_activate_action (e2e, "revoke-permission", g_variant_new ("(ss)", "perms", "notes"));
  heard = yun_e2e_wait_for (e2e, "perms", "return second.length === 3 ? second[2].state : null;");
  g_assert_cmpstr (json_node_get_string (heard), ==, "prompt");
  g_assert_cmpint (count_events ("jotter", "heard"), ==, 0);
}

static void
test_leaving_the_page_aborts_pending_calls (void)
{
  g_autoptr(JsonNode) started = NULL;
  g_autoptr(JsonNode) aborted = NULL;
  g_autofree char *permission = NULL;
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  /* A request waits on the prompt; the page then goes away. */
  started = yun_e2e_wait_for (e2e, "perms",
                              "localStorage.removeItem ('aborted');\n"
                              "navigator.yun.permissions.request ({ name: 'notes' })"
                              "  .catch ((e) => localStorage.setItem ('aborted', e.name));\n"
                              "return true;");
  permission = wait_for_prompt ("To keep your shopping list");
  g_clear_pointer (&started, json_node_unref);
  started = yun_e2e_wait_for (e2e, "perms", "location.search = '?left'; return true;");

  /* The promise rejected as the page left, and the question went with it. */
  aborted = yun_e2e_wait_for (e2e, "perms",
                              "return location.search === '?left' ? localStorage.getItem ('aborted') : null;");
  g_assert_cmpstr (json_node_get_string (aborted), ==, "AbortError");
  while (prompt_is_open ()) {
    g_assert_cmpint (g_get_monotonic_time (), <, deadline);
    g_usleep (50 * 1000);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *webapps = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/yun/e2e/permissions/undeclared-is-refused-without-prompt",
                   test_undeclared_is_refused_without_prompt);
  g_test_add_func ("/yun/e2e/permissions/allow-always-is-remembered-and-standard-api-agrees",
                   test_allow_always_is_remembered_and_standard_api_agrees);
  g_test_add_func ("/yun/e2e/permissions/deny-is-remembered", test_deny_is_remembered);
  g_test_add_func ("/yun/e2e/permissions/allow-once-is-not-remembered",
                   test_allow_once_is_not_remembered);
  g_test_add_func ("/yun/e2e/permissions/revoke-in-permission-centre-asks-again",
                   test_revoke_in_permission_centre_asks_again);
  g_test_add_func ("/yun/e2e/permissions/home-dismisses-the-question",
                   test_home_dismisses_the_question);
  g_test_add_func ("/yun/e2e/permissions/bad-arguments-are-data-errors",
                   test_bad_arguments_are_data_errors);
  g_test_add_func ("/yun/e2e/permissions/change-event-reaches-the-app",
                   test_change_event_reaches_the_app);
  g_test_add_func ("/yun/e2e/permissions/removed-listener-hears-nothing",
                   test_removed_listener_hears_nothing);
  g_test_add_func ("/yun/e2e/permissions/events-reach-only-their-app",
                   test_events_reach_only_their_app);
  g_test_add_func ("/yun/e2e/permissions/leaving-the-page-aborts-pending-calls",
                   test_leaving_the_page_aborts_pending_calls);

  webapps = g_test_build_filename (G_TEST_DIST, "data", "webapps", NULL);
  e2e = yun_e2e_start (webapps, "perms");
  status = g_test_run ();
  yun_e2e_stop (e2e);

  return status;
}
