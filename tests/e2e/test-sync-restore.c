/* test-sync-restore.c: lose the phone, keep the data.
 *
 * A phone signs in to yun-cloud from Settings, driving its widgets as a
 * user would, and syncs; a new, empty profile signs in as the same user
 * and gets every note, contact, message, call and photo back, the photo's
 * image byte for byte.  Settings shows why a sign-in failed and changes
 * nothing.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <libsoup/soup.h>
#include <string.h>

#include "yun-doc-store.h"
#include "yun-e2e.h"
#include "yun-personal-index.h"
#include "yun-photos.h"

#define USER "wei"
#define PASSWORD "west lake 2026"
#define PHOTO_TAKEN G_GINT64_CONSTANT (1714550400000)

static YunE2e *e2e;
static char *last_page;

/* A 12 x 8 PNG of noise: its bytes must come back as they were. */
static const char photo_png[] =
  "\x89\x50\x4e\x47\x0d\x0a\x1a\x0a\x00\x00\x00\x0d\x49\x48\x44\x52\x00\x00"
  "\x00\x0c\x00\x00\x00\x08\x08\x02\x00\x00\x00\x42\x86\x89\xa6\x00\x00\x01"
  "\x33\x49\x44\x41\x54\x78\x9c\x01\x28\x01\xd7\xfe\x00\xa5\x4d\xca\x18\x25"
  "\x30\xbb\x1d\x6d\x13\x2c\xde\xd6\x23\x7b\x2e\xd9\x1e\x3f\x72\x1f\xcb\x19"
  "\x71\x17\x44\x94\xd6\x49\x3c\x9d\x5c\x34\x60\xbe\x31\x00\x20\x1e\x69\xfe"
  "\xda\xa0\xee\xe8\xb9\x99\x7f\x5c\x7c\x29\x99\xfd\xaf\xe5\x93\x25\x3c\xd6"
  "\x54\xaf\x4d\xfa\xd7\x14\x27\xa0\xae\xb3\xfe\xe9\x23\x2f\x00\x8a\xf2\x21"
  "\x1f\x9e\xe4\x91\xc5\xb1\x0b\xec\xb5\x56\x3b\xfc\x1e\x6f\x93\x42\x7e\xcb"
  "\xc8\xfe\x29\x55\xe5\xcd\x8e\x46\xdc\x8e\xd4\xb7\xc2\x76\x4d\x00\x2a\x5a"
  "\x4d\x76\x77\x06\xf8\x5d\x86\x90\x02\x4a\xd6\xbd\xa3\x40\x1b\xe9\xc8\xcb"
  "\xcc\xc9\x35\xf6\xcd\x1f\x61\x22\x6a\xe1\x53\x38\xae\x1a\x34\x00\x00\x4d"
  "\x33\xba\x0d\x24\x6a\xc0\x4c\x81\xb1\xba\xf2\x3e\x3b\xf9\xee\xf5\xf7\x9f"
  "\x2b\x49\x34\xaf\x87\xf5\x52\x0b\x69\xb9\x4b\x0d\x98\x2e\x85\xbb\x55\x00"
  "\xb6\x72\xa8\x72\x63\x7a\xcd\x74\x66\xfc\xb6\x0e\x0e\x8f\xf1\x84\x63\xb0"
  "\xe4\xb2\xba\x29\x70\x34\x74\xf0\x64\xac\x68\xf7\x00\xf5\xb0\x2b\x3d\xc6"
  "\x00\x66\xf4\x5b\xde\xaa\x2c\xca\xed\xcd\x2b\x51\x57\x41\x0e\x4d\xee\x4a"
  "\xf2\xb3\x4f\x43\x0a\x07\x34\x47\xde\x63\x6c\x0e\x80\x6c\x95\x7b\xa6\x84"
  "\xd6\x00\x43\x1f\xb5\xea\xd7\x42\x4d\x09\xe1\x5d\x02\x4c\x58\x48\xf2\x3d"
  "\x1f\xa6\xf7\x36\x1d\x7f\x61\x8d\x15\x32\xe7\x0e\x20\xe2\xa6\x66\x8d\xe7"
  "\xf4\x7e\x30\x99\x8d\xf9\xcb\x6e\x40\xaa\x00\x00\x00\x00\x49\x45\x4e\x44"
  "\xae\x42\x60\x82";

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

/* Waits until sync's worker has taken in a change of account, which it
 * does between two rounds. */
static void
wait_for_state (const char *expected)
{
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  for (;;) {
    g_autoptr(JsonObject) status = sync_status ();
    const char *state = json_object_get_string_member_with_default (status, "state", "");

    if (g_str_equal (state, expected))
      return;
    if (g_get_monotonic_time () > deadline)
      g_error ("sync stayed %s instead of %s", state, expected);
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

/* Settings on screen, with its cloud account section. */
static void
open_settings (void)
{
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  yun_e2e_activate_action (e2e, "show-permissions", NULL);
  for (;;) {
    g_autoptr(GVariant) screen = yun_e2e_call (e2e, "GetScreen", NULL);
    const char *page = NULL;

    g_variant_get (screen, "(&s&s)", &page, NULL);
    if (g_str_equal (page, "permissions"))
      return;
    g_assert_cmpint (g_get_monotonic_time (), <, deadline);
    g_usleep (50 * 1000);
  }
}

static void
settings_fill (const char *name,
               const char *text)
{
  g_autoptr(GVariant) reply = yun_e2e_call (e2e, "SettingsFill",
                                            g_variant_new ("(ss)", name, text));
}

static void
settings_press (const char *name)
{
  g_autoptr(GVariant) reply = yun_e2e_call (e2e, "SettingsPress", g_variant_new ("(s)", name));
}

/* Waits until Settings shows the widget @name; returns its text. */
static char *
settings_wait_for (const char *name)
{
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  for (;;) {
    g_autoptr(GVariant) reply = yun_e2e_call (e2e, "GetSettingsText", g_variant_new ("(s)", name));
    gboolean shown = FALSE;
    const char *text = NULL;

    g_variant_get (reply, "(b&s)", &shown, &text);
    if (shown)
      return g_strdup (text);
    g_assert_cmpint (g_get_monotonic_time (), <, deadline);
    g_usleep (50 * 1000);
  }
}

/* Fills the form and presses Sign in; returns the error Settings shows. */
static char *
settings_sign_in_fails (const char *server,
                        const char *user,
                        const char *password)
{
  g_autoptr(JsonObject) status = NULL;
  char *shown;

  settings_fill ("server", server);
  settings_fill ("user", user);
  settings_fill ("password", password);
  settings_press ("sign-in");
  shown = settings_wait_for ("error");
  /* Nothing changed: still signed out, the form still there. */
  status = sync_status ();
  g_assert_cmpstr (json_object_get_string_member (status, "state"), ==, "signed-out");
  g_free (settings_wait_for ("sign-in"));
  return shown;
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
test_settings_show_why_sign_in_failed (void)
{
  g_autofree char *prefilled = NULL;
  g_autofree char *wrong = NULL;
  g_autofree char *bad_url = NULL;
  g_autofree char *unreachable = NULL;
  g_autofree char *nobody = NULL;

  open_settings ();
  /* The server is the cloud the shell was started with. */
  prefilled = settings_wait_for ("server");
  g_assert_cmpstr (prefilled, ==, e2e->cloud_url);

  wrong = settings_sign_in_fails (e2e->cloud_url, USER, "not the password");
  g_assert_cmpstr (wrong, ==, "Wrong user name or password.");
  nobody = settings_sign_in_fails (e2e->cloud_url, "nobody", PASSWORD);
  g_assert_cmpstr (nobody, ==, "Wrong user name or password.");
  bad_url = settings_sign_in_fails ("ftp://127.0.0.1/", USER, PASSWORD);
  g_assert_true (g_str_has_prefix (bad_url, "That is not a server address"));
  /* Port 1 on loopback: nothing listens there. */
  unreachable = settings_sign_in_fails ("http://127.0.0.1:1/", USER, PASSWORD);
  g_assert_true (g_str_has_prefix (unreachable, "Cannot reach the server"));
}

/* The photo service on the store of the shell's @profile, which the shell
 * has open too, with an index of the test's own. */
static YunPhotos *
open_photos (const char *profile)
{
  g_autofree char *store_path = g_build_filename (e2e->tmp_dir, profile, "personal.sqlite", NULL);
  g_autofree char *index_name = g_strconcat (profile, "-test-index.sqlite", NULL);
  g_autofree char *index_path = g_build_filename (e2e->tmp_dir, index_name, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(YunDocStore) store = yun_doc_store_open (store_path, &error);
  g_autoptr(YunPersonalIndex) index = NULL;
  YunPhotos *photos;

  g_assert_no_error (error);
  index = yun_personal_index_open (store, index_path, &error);
  g_assert_no_error (error);
  photos = yun_photos_new (index, &error);
  g_assert_no_error (error);
  return photos;
}

/* The photo the new phone must get back, saved as the camera would, at a
 * known time and place. */
static void
add_photo (void)
{
  g_autoptr(GBytes) image = g_bytes_new_static (photo_png, sizeof photo_png - 1);
  g_autoptr(JsonObject) metadata = json_object_new ();
  g_autoptr(JsonObject) location = json_object_new ();
  g_autoptr(JsonObject) photo = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(YunPhotos) photos = open_photos ("profile");

  json_object_set_int_member (metadata, "taken", PHOTO_TAKEN);
  json_object_set_double_member (location, "latitude", 30.2460);
  json_object_set_double_member (location, "longitude", 120.1490);
  json_object_set_object_member (metadata, "location", g_steal_pointer (&location));
  photo = yun_photos_add (photos, image, "image/png", metadata, &error);
  g_assert_no_error (error);
}

/* The note as yun-cloud has it, read with the user's password. */
static void
assert_cloud_has_note (const char *body)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *url = g_strconcat (e2e->cloud_url, "sync/notes/_all_docs?include_docs=true",
                                      NULL);
  g_autoptr(SoupMessage) message = soup_message_new (SOUP_METHOD_GET, url);
  g_autofree char *credentials = g_base64_encode ((const guchar *) USER ":" PASSWORD,
                                                  strlen (USER ":" PASSWORD));
  g_autofree char *basic = g_strconcat ("Basic ", credentials, NULL);
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  soup_message_headers_replace (soup_message_get_request_headers (message), "Authorization",
                                basic);
  answer = soup_session_send_and_read (session, message, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (message), ==, 200);
  text = g_strndup (g_bytes_get_data (answer, NULL), g_bytes_get_size (answer));
  g_assert_nonnull (strstr (text, body));
}

static void
test_phone_syncs_what_apps_write (void)
{
  g_autoptr(JsonNode) contact = NULL, message = NULL, call = NULL, note = NULL;
  g_autoptr(JsonObject) status = NULL;
  g_autofree char *who = NULL;
  gint64 written;

  add_photo ();
  /* Signed in from Settings, on the right server this time. */
  settings_fill ("server", e2e->cloud_url);
  settings_fill ("user", USER);
  settings_fill ("password", PASSWORD);
  settings_press ("sign-in");
  who = settings_wait_for ("who");
  g_assert_nonnull (strstr (who, USER));
  g_assert_nonnull (strstr (who, e2e->cloud_url));
  g_free (settings_wait_for ("status"));
  status = sync_status ();
  g_assert_cmpstr (json_object_get_string_member (status, "state"), !=, "signed-out");

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
  assert_cloud_has_note ("Buy 100 g");
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

static void
test_new_phone_gets_the_photo_back (void)
{
  g_autoptr(JsonNode) photos = NULL;
  g_autoptr(JsonNode) size = NULL;
  g_autoptr(YunPhotos) service = NULL;
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GBytes) image = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *show = NULL;
  g_autofree char *content_type = NULL;
  gint64 length = 0;
  JsonObject *photo;
  JsonObject *location;

  {
    g_autoptr(GVariant) launched = yun_e2e_call (e2e, "Launch", g_variant_new ("(s)", "people"));
  }
  photos = run ("people", "return await navigator.yun.photos.list ({});");
  g_assert_cmpuint (json_array_get_length (json_node_get_array (photos)), ==, 1);
  photo = json_array_get_object_element (json_node_get_array (photos), 0);
  g_assert_cmpint (json_object_get_int_member (photo, "taken"), ==, PHOTO_TAKEN);
  g_assert_cmpint (json_object_get_int_member (photo, "width"), ==, 12);
  g_assert_cmpint (json_object_get_int_member (photo, "height"), ==, 8);
  g_assert_cmpstr (json_object_get_string_member (photo, "content_type"), ==, "image/png");
  location = json_object_get_object_member (photo, "location");
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (location, "latitude"), 30.2460,
                                  1e-9);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (location, "longitude"), 120.1490,
                                  1e-9);

  /* The app can show it... */
  show = g_strdup_printf ("const image = new Image ();\n"
                          "image.src = '%s';\n"
                          "await image.decode ();\n"
                          "return [image.naturalWidth, image.naturalHeight];",
                          json_object_get_string_member (photo, "url"));
  size = run ("people", show);
  g_assert_cmpint (json_array_get_int_element (json_node_get_array (size), 0), ==, 12);
  g_assert_cmpint (json_array_get_int_element (json_node_get_array (size), 1), ==, 8);

  /* ...and its bytes are the ones the first phone had, read from the new
   * phone's store with the photo service. */
  service = open_photos ("new-phone");
  stream = yun_photos_open_image (service, json_object_get_string_member (photo, "id"),
                                  &content_type, &length, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (content_type, ==, "image/png");
  g_assert_cmpint (length, ==, sizeof photo_png - 1);
  image = g_input_stream_read_bytes (stream, sizeof photo_png, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (image, NULL), g_bytes_get_size (image), photo_png,
                   sizeof photo_png - 1);
}

static void
test_settings_sign_out (void)
{
  g_autofree char *who = NULL;
  g_autofree char *user = NULL;

  open_settings ();
  who = settings_wait_for ("who");
  g_assert_nonnull (strstr (who, USER));
  settings_press ("sign-out");
  /* The form is back, and sync has stopped. */
  user = settings_wait_for ("user");
  g_assert_nonnull (user);
  wait_for_state ("signed-out");
}

static void
test_settings_register (void)
{
  g_autoptr(JsonObject) status = NULL;
  g_autofree char *taken = NULL;
  g_autofree char *who = NULL;

  settings_fill ("server", e2e->cloud_url);
  settings_fill ("user", USER);
  settings_fill ("password", "another password");
  settings_press ("register");
  taken = settings_wait_for ("error");
  g_assert_true (g_str_has_prefix (taken, "That user name is taken"));
  status = sync_status ();
  g_assert_cmpstr (json_object_get_string_member (status, "state"), ==, "signed-out");
  g_clear_pointer (&status, json_object_unref);

  settings_fill ("user", "mei");
  settings_press ("register");
  who = settings_wait_for ("who");
  g_assert_true (g_str_has_prefix (who, "Signed in as mei on "));
  status = sync_status ();
  g_assert_cmpstr (json_object_get_string_member (status, "state"), !=, "signed-out");
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
  g_test_add_func ("/yun/e2e/sync/settings-show-why-sign-in-failed",
                   test_settings_show_why_sign_in_failed);
  g_test_add_func ("/yun/e2e/sync/phone-syncs-what-apps-write", test_phone_syncs_what_apps_write);
  g_test_add_func ("/yun/e2e/sync/a-note-shared-by-link-and-revoked",
                   test_a_note_shared_by_link_and_revoked);
  g_test_add_func ("/yun/e2e/sync/new-phone-gets-everything-back",
                   test_new_phone_gets_everything_back);
  g_test_add_func ("/yun/e2e/sync/new-phone-gets-the-photo-back",
                   test_new_phone_gets_the_photo_back);
  g_test_add_func ("/yun/e2e/sync/settings-sign-out", test_settings_sign_out);
  g_test_add_func ("/yun/e2e/sync/settings-register", test_settings_register);

  webapps = g_test_build_filename (G_TEST_DIST, "data", "webapps", NULL);
  e2e = yun_e2e_start (webapps, "people");
  status = g_test_run ();
  yun_e2e_stop (e2e);

  return status;
}
