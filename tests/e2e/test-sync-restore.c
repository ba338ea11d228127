/* test-sync-restore.c: lose the phone, keep the data.
 *
 * A phone signs in to yun-cloud and syncs; a new, empty profile signs in
 * as the same user and gets every note, contact, message and call back.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <libsoup/soup.h>
#include <string.h>

#include "yun-e2e.h"

#define USER "wei"
#define PASSWORD "west lake 2026"

static YunE2e *e2e;
static char *last_page;

/* Runs @body in @app_id, answering any permission prompt "always". */
static JsonNode *
run (const char *app_id,
     const char *body)
{
  g_autofree char *start = g_strdup_printf ("window.pending = (async () => { %s }) ();\n"
                                            "window.pending.catch (() => {});\n"
                                            "return true;", body);
  g_autoptr(JsonNode) started = NULL;
  g_autoptr(GError) error = NULL;
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  started = yun_e2e_wait_for (e2e, app_id, "return navigator.yun ? true : null;");
  g_clear_pointer (&started, json_node_unref);
  started = yun_e2e_eval (e2e, app_id, start, &error);
  g_assert_no_error (error);
  for (;;) {
    g_autoptr(GVariant) prompt = yun_e2e_call (e2e, "GetPrompt", NULL);
    g_autoptr(JsonNode) done = NULL;
    gboolean open = FALSE;

    g_variant_get (prompt, "(b&s&s&s&s)", &open, NULL, NULL, NULL, NULL);
    if (open) {
      g_autoptr(GVariant) answered = yun_e2e_call (e2e, "AnswerPrompt",
                                                   g_variant_new ("(s)", "always"));
    }
    done = yun_e2e_eval (e2e, app_id,
                         "return await Promise.race ([window.pending.then ((v) => ({ v })),"
                         "  new Promise ((r) => setTimeout (() => r (null), 100))]);", &error);
    g_assert_no_error (error);
    if (!JSON_NODE_HOLDS_NULL (done))
      return json_node_copy (json_object_get_member (json_node_get_object (done), "v"));
    g_assert_cmpint (g_get_monotonic_time (), <, deadline);
  }
}

static JsonObject *
sync_status (void)
{
  g_autoptr(GVariant) reply = yun_e2e_call (e2e, "GetSyncStatus", NULL);
  const char *text = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();

  g_variant_get (reply, "(&s)", &text);
  g_assert_true (json_parser_load_from_data (parser, text, -1, NULL));
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

/* Waits until sync is idle with nothing pending, after @since (ms). */
static void
wait_until_synced (gint64 since)
{
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  for (;;) {
    g_autoptr(JsonObject) status = sync_status ();
    const char *state = json_object_get_string_member_with_default (status, "state", "");
    JsonNode *last = json_object_get_member (status, "lastSync");

    if (g_str_equal (state, "idle") && json_object_get_int_member (status, "pending") == 0 &&
        last != NULL && !JSON_NODE_HOLDS_NULL (last) && json_node_get_double (last) >= since)
      return;
    if (g_get_monotonic_time () > deadline)
      g_error ("sync never settled: state %s, error %s", state,
               json_object_get_string_member_with_default (status, "error", "none"));
    g_usleep (100 * 1000);
  }
}

static void
register_user (void)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *url = g_strconcat (e2e->cloud_url, "accounts", NULL);
  g_autoptr(SoupMessage) message = soup_message_new (SOUP_METHOD_POST, url);
  const char *body = "{\"name\": \"" USER "\", \"password\": \"" PASSWORD "\"}";
  g_autoptr(GBytes) request = g_bytes_new_static (body, strlen (body));
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GError) error = NULL;

  soup_message_set_request_body_from_bytes (message, "application/json", request);
  answer = soup_session_send_and_read (session, message, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (message), ==, 201);
}

static void
sign_in (void)
{
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;

  reply = g_dbus_proxy_call_sync (e2e->automation, "SyncSignIn",
                                  g_variant_new ("(ss)", USER, PASSWORD), G_DBUS_CALL_FLAGS_NONE,
                                  30000, NULL, &error);
  g_assert_no_error (error);
}

static void
test_wrong_password_is_refused (void)
{
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) status = NULL;

  register_user ();
  reply = g_dbus_proxy_call_sync (e2e->automation, "SyncSignIn",
                                  g_variant_new ("(ss)", USER, "not the password"),
                                  G_DBUS_CALL_FLAGS_NONE, 30000, NULL, &error);
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "refused"));
  status = sync_status ();
  g_assert_cmpstr (json_object_get_string_member (status, "state"), ==, "signed-out");
}

static void
test_phone_syncs_what_apps_write (void)
{
  g_autoptr(JsonNode) contact = NULL, message = NULL, call = NULL, note = NULL;
  gint64 written;

  sign_in ();
  contact = run ("people", "return await navigator.yun.contacts.save ({ contact: {"
                           " name: { formatted: 'Lin Mei' }, tel: [{ value: '+86 571 8765 4321' }] } });");
  message = run ("people", "return await navigator.yun.messages.save ({ message: {"
                           " thread: '+8657187654321', from: '+8657187654321', body: 'Tea at four?' } });");
  call = run ("people", "return await navigator.yun.calls.save ({ call: {"
                        " number: '+86 571 8765 4321', direction: 'in', duration: 42 } });");
  {
    g_autoptr(GVariant) launched = yun_e2e_call (e2e, "Launch", g_variant_new ("(s)", "jotter"));
  }
  note = run ("jotter", "return await navigator.yun.notes.save ({ title: 'Longjing', body: 'Buy 100 g' });");
  written = g_get_real_time () / 1000;
  {
    g_autoptr(JsonNode) nudged = run ("jotter", "return true;");
  }
  wait_until_synced (written);
}

static guint
get_status (const char *url)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(SoupMessage) message = soup_message_new (SOUP_METHOD_GET, url);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;

  body = soup_session_send_and_read (session, message, NULL, &error);
  g_assert_no_error (error);
  last_page = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
  return soup_message_get_status (message);
}

static void
test_a_note_shared_by_link_and_revoked (void)
{
  g_autoptr(JsonNode) shared = NULL;
  g_autoptr(JsonNode) refused = NULL;
  g_autoptr(JsonNode) revoked = NULL;
  g_autofree char *unshare = NULL;
  const char *url;

  shared = run ("jotter", "const notes = await navigator.yun.notes.list ({});\n"
                          "return await navigator.yun.share ({ db: 'notes', id: notes[0].id });");
  url = json_object_get_string_member (json_node_get_object (shared), "url");
  g_assert_true (g_str_has_prefix (url, "http"));
  g_assert_cmpuint (get_status (url), ==, 200);
  /* The note, and nothing else of the user's. */
  g_assert_nonnull (strstr (last_page, "Buy 100 g"));
  g_assert_null (strstr (last_page, "Tea at four"));
  g_clear_pointer (&last_page, g_free);

  /* Only what the app may read. */
  refused = run ("jotter", "try { await navigator.yun.share ({ db: 'contacts', id: 'x' }); return 'shared'; }"
                           "catch (e) { return e.name; }");
  g_assert_cmpstr (json_node_get_string (refused), ==, "NotAllowedError");

  unshare = g_strdup_printf ("return await navigator.yun.unshare ({ link: '%s' });",
                             json_object_get_string_member (json_node_get_object (shared), "link"));
  revoked = run ("jotter", unshare);
  g_assert_true (json_node_get_boolean (revoked));
  g_assert_cmpuint (get_status (url), ==, 404);
  g_clear_pointer (&last_page, g_free);
}

static void
test_new_phone_gets_everything_back (void)
{
  g_autoptr(JsonNode) contacts = NULL, messages = NULL, calls = NULL, notes = NULL;
  gint64 signed_in;

  yun_e2e_restart_shell_on_new_profile (e2e, "new-phone", "people");
  /* Empty before signing in. */
  contacts = run ("people", "return await navigator.yun.contacts.find ({});");
  g_assert_cmpuint (json_array_get_length (json_node_get_array (contacts)), ==, 0);
  g_clear_pointer (&contacts, json_node_unref);

  signed_in = g_get_real_time () / 1000;
  sign_in ();
  wait_until_synced (signed_in);

  contacts = run ("people", "return await navigator.yun.contacts.find ({ query: 'lin' });");
  g_assert_cmpuint (json_array_get_length (json_node_get_array (contacts)), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (
                     json_array_get_object_element (json_node_get_array (contacts), 0), "name"),
                     "formatted"), ==, "Lin Mei");
  messages = run ("people", "return await navigator.yun.messages.list ({});");
  g_assert_cmpuint (json_array_get_length (json_node_get_array (messages)), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (
                     json_array_get_object_element (json_node_get_array (messages), 0), "body"),
                   ==, "Tea at four?");
  calls = run ("people", "return await navigator.yun.calls.list ({});");
  g_assert_cmpuint (json_array_get_length (json_node_get_array (calls)), ==, 1);
  g_assert_cmpint (json_object_get_int_member (
                     json_array_get_object_element (json_node_get_array (calls), 0), "duration"),
                   ==, 42);
  {
    g_autoptr(GVariant) launched = yun_e2e_call (e2e, "Launch", g_variant_new ("(s)", "jotter"));
  }
  notes = run ("jotter", "return await navigator.yun.notes.list ({});");
  g_assert_cmpuint (json_array_get_length (json_node_get_array (notes)), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (
                     json_array_get_object_element (json_node_get_array (notes), 0), "body"),
                   ==, "Buy 100 g");
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *webapps = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);

  /* In order: the second phone restores what the first one wrote. */
  g_test_add_func ("/yun/e2e/sync/wrong-password-is-refused", test_wrong_password_is_refused);
  g_test_add_func ("/yun/e2e/sync/phone-syncs-what-apps-write", test_phone_syncs_what_apps_write);
  g_test_add_func ("/yun/e2e/sync/a-note-shared-by-link-and-revoked",
                   test_a_note_shared_by_link_and_revoked);
  g_test_add_func ("/yun/e2e/sync/new-phone-gets-everything-back",
                   test_new_phone_gets_everything_back);

  webapps = g_test_build_filename (G_TEST_DIST, "data", "webapps", NULL);
  e2e = yun_e2e_start (webapps, "people");
  status = g_test_run ();
  yun_e2e_stop (e2e);

  return status;
}
