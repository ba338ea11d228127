/* test-cloud-shares.c: tests for yun-cloud's share links (/s/<token>),
 * the /accounts/shares routes and copies into a friend's account
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A real YunCloudServer on 127.0.0.1, port 0, with real SQLite files in a
 * temporary folder, driven over real HTTP by a SoupSession.  The users'
 * documents are put through the /sync API, as the phone would.
 */

#include "config.h"

#include "yun-test-files.h"
#include "yun-test-loop.h"
#include "yun-cloud-server.h"
#include "yun-cloud-shares.h"

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <sqlite3.h>

#include <string.h>

#define TIMEOUT_SECONDS 30
#define PASSWORD "correct horse battery"
#define JSON "application/json"
/* A PNG signature and a little more: the store does not look inside. */
#define IMAGE_BYTES "\x89PNG\r\n\x1a\nnot really a picture"
#define IMAGE_BASE64 "iVBORw0KGgpub3QgcmVhbGx5IGEgcGljdHVyZQ=="

typedef struct {
  char           *tmp_dir;
  char           *data_dir;
  YunCloudServer *server;
  SoupSession    *session;
  /* Authorization headers. */
  char           *alice;
  char           *alice_basic;
  char           *bob;
} Fixture;

typedef struct {
  guint               status;
  SoupMessageHeaders *headers;
  GBytes             *body;
  char               *text;
  JsonNode           *json;
} Response;

typedef struct {
  gboolean  done;
  GError   *error;
  GBytes   *body;
} SendData;

static void
response_free (Response *response)
{
  g_clear_pointer (&response->headers, soup_message_headers_unref);
  g_clear_pointer (&response->body, g_bytes_unref);
  g_clear_pointer (&response->json, json_node_unref);
  g_free (response->text);
  g_free (response);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Response, response_free)

static char *
basic (const char *name,
       const char *password)
{
  g_autofree char *pair = g_strconcat (name, ":", password, NULL);
  g_autofree char *encoded = g_base64_encode ((const guchar *) pair, strlen (pair));

  return g_strconcat ("Basic ", encoded, NULL);
}

static void
on_send_ready (GObject      *source_object,
               GAsyncResult *result,
               gpointer      user_data)
{
  SendData *data = user_data;

  data->body = soup_session_send_and_read_finish (SOUP_SESSION (source_object), result,
                                                  &data->error);
  data->done = TRUE;
}

static Response *
request (Fixture    *fixture,
         const char *method,
         const char *path,
         const char *auth,
         const char *content_type,
         const char *body,
         gssize      length)
{
  g_autofree char *url = g_strconcat (yun_cloud_server_get_url (fixture->server), path, NULL);
  g_autoptr(GUri) uri = g_uri_parse (url, SOUP_HTTP_URI_FLAGS, NULL);
  g_autoptr(SoupMessage) msg = NULL;
  Response *response = g_new0 (Response, 1);
  SendData data = { 0 };
  const char *type;

  g_assert_nonnull (uri);
  msg = soup_message_new_from_uri (method, uri);
  if (auth != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  if (body != NULL) {
    g_autoptr(GBytes) bytes = g_bytes_new (body, length < 0 ? strlen (body) : (gsize) length);

    soup_message_set_request_body_from_bytes (msg, content_type, bytes);
  }

  soup_session_send_and_read_async (fixture->session, msg, G_PRIORITY_DEFAULT, NULL,
                                    on_send_ready, &data);
  yun_test_run_until (&data.done, TIMEOUT_SECONDS);
  g_assert_no_error (data.error);

  response->status = soup_message_get_status (msg);
  response->headers = soup_message_headers_ref (soup_message_get_response_headers (msg));
  response->body = data.body;
  response->text = g_strndup (g_bytes_get_data (data.body, NULL), g_bytes_get_size (data.body));

  type = soup_message_headers_get_content_type (response->headers, NULL);
  if (type != NULL && strcmp (type, JSON) == 0 && g_bytes_get_size (response->body) > 0) {
    g_autoptr(JsonParser) parser = json_parser_new ();

    g_assert_true (json_parser_load_from_data (parser, response->text, -1, NULL));
    response->json = json_node_ref (json_parser_get_root (parser));
  }

  return response;
}

static Response *
http (Fixture    *fixture,
      const char *method,
      const char *path,
      const char *auth,
      const char *body)
{
  return request (fixture, method, path, auth, body != NULL ? JSON : NULL, body, -1);
}

static JsonObject *
object (Response *response)
{
  g_assert_nonnull (response->json);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (response->json));

  return json_node_get_object (response->json);
}

static const char *
member (Response   *response,
        const char *name)
{
  return json_object_get_string_member_with_default (object (response), name, NULL);
}

static void
assert_status (Response *response,
               guint     status)
{
  if (response->status != status)
    g_test_message ("unexpected answer %u: %s", response->status, response->text);
  g_assert_cmpuint (response->status, ==, status);
}

static void
assert_error (Response   *response,
              guint       status,
              const char *error)
{
  assert_status (response, status);
  g_assert_cmpstr (member (response, "error"), ==, error);
  g_assert_nonnull (member (response, "reason"));
}

static char *
add_user (Fixture    *fixture,
          const char *name)
{
  g_autofree char *body = g_strdup_printf ("{\"name\": \"%s\", \"password\": \"%s\"}", name,
                                           PASSWORD);
  g_autoptr(Response) registered = http (fixture, "POST", "accounts", NULL, body);
  g_autoptr(Response) signed_in = NULL;

  assert_status (registered, SOUP_STATUS_CREATED);
  signed_in = http (fixture, "POST", "accounts/session", NULL, body);
  assert_status (signed_in, SOUP_STATUS_CREATED);

  return g_strconcat ("Bearer ", member (signed_in, "token"), NULL);
}

static void
put_doc (Fixture    *fixture,
         const char *auth,
         const char *db,
         const char *id,
         const char *body)
{
  g_autofree char *db_path = g_strconcat ("sync/", db, NULL);
  g_autofree char *path = g_strconcat ("sync/", db, "/", id, NULL);
  g_autoptr(Response) created = http (fixture, "PUT", db_path, auth, NULL);
  g_autoptr(Response) response = NULL;

  /* The database may be there already. */
  g_assert_true (created->status == SOUP_STATUS_CREATED ||
                 created->status == SOUP_STATUS_PRECONDITION_FAILED);
  response = http (fixture, "PUT", path, auth, body);
  assert_status (response, SOUP_STATUS_CREATED);
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *webapps = NULL;

  fixture->tmp_dir = g_dir_make_tmp ("yun-shares-test-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->data_dir = g_build_filename (fixture->tmp_dir, "data", NULL);
  webapps = g_build_filename (fixture->tmp_dir, "webapps", NULL);
  g_assert_cmpint (g_mkdir_with_parents (webapps, 0700), ==, 0);

  fixture->server = yun_cloud_server_new (webapps, fixture->data_dir, &error);
  g_assert_no_error (error);
  yun_cloud_server_listen (fixture->server, "127.0.0.1", 0, &error);
  g_assert_no_error (error);

  /* Loopback only: never ask the desktop's proxy settings. */
  fixture->session = soup_session_new ();
  soup_session_set_proxy_resolver (fixture->session, NULL);

  fixture->alice = add_user (fixture, "alice");
  fixture->alice_basic = basic ("alice", PASSWORD);
  fixture->bob = add_user (fixture, "bob");

  put_doc (fixture, fixture->alice, "notes", "n1",
           "{\"title\": \"Shopping <b>list</b>\", \"body\": \"milk & eggs\", "
           "\"tags\": [\"home\"], \"updated\": 1700000000000}");
  put_doc (fixture, fixture->alice, "notes", "n2",
           "{\"title\": \"Bank PIN\", \"body\": \"TOPSECRET-4711\"}");
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  user_data)
{
  soup_session_abort (fixture->session);
  g_assert_finalize_object (fixture->session);
  g_assert_finalize_object (fixture->server);

  yun_test_remove_tree (fixture->tmp_dir);
  g_free (fixture->tmp_dir);
  g_free (fixture->data_dir);
  g_free (fixture->alice);
  g_free (fixture->alice_basic);
  g_free (fixture->bob);
}

/* Shares @db/@id as @auth and returns the answer's token. */
static char *
share (Fixture    *fixture,
       const char *auth,
       const char *db,
       const char *id)
{
  g_autofree char *body = g_strdup_printf ("{\"db\": \"%s\", \"id\": \"%s\"}", db, id);
  g_autoptr(Response) response = http (fixture, "POST", "accounts/shares", auth, body);

  assert_status (response, SOUP_STATUS_CREATED);
  return g_strdup (member (response, "token"));
}

static Response *
get_page (Fixture    *fixture,
          const char *token,
          const char *suffix)
{
  g_autofree char *path = g_strconcat ("s/", token, suffix, NULL);

  return http (fixture, "GET", path, NULL, NULL);
}

static void
test_create_returns_link (Fixture       *fixture,
                          gconstpointer  user_data)
{
  g_autoptr(Response) response =
    http (fixture, "POST", "accounts/shares", fixture->alice, "{\"db\": \"notes\", \"id\": \"n1\"}");
  g_autofree char *expected_url = NULL;
  const char *token;

  assert_status (response, SOUP_STATUS_CREATED);
  token = member (response, "token");
  g_assert_nonnull (token);
  /* 256 bits in base64url. */
  g_assert_cmpuint (strlen (token), ==, 43);
  expected_url = g_strconcat (yun_cloud_server_get_url (fixture->server), "s/", token, NULL);
  g_assert_cmpstr (member (response, "url"), ==, expected_url);
  g_assert_cmpstr (member (response, "db"), ==, "notes");
  g_assert_cmpstr (member (response, "doc_id"), ==, "n1");
  g_assert_nonnull (member (response, "id"));
}

static void
test_create_with_basic (Fixture       *fixture,
                        gconstpointer  user_data)
{
  g_autofree char *token = share (fixture, fixture->alice_basic, "notes", "n1");
  g_autoptr(Response) page = get_page (fixture, token, "");

  assert_status (page, SOUP_STATUS_OK);
}

static void
test_create_needs_credentials (Fixture       *fixture,
                               gconstpointer  user_data)
{
  const char *body = "{\"db\": \"notes\", \"id\": \"n1\"}";
  g_autoptr(Response) none = http (fixture, "POST", "accounts/shares", NULL, body);
  g_autoptr(Response) wrong = http (fixture, "POST", "accounts/shares", "Bearer nope", body);
  g_autoptr(Response) list = http (fixture, "GET", "accounts/shares", NULL, NULL);

  assert_error (none, SOUP_STATUS_UNAUTHORIZED, "unauthorized");
  assert_error (wrong, SOUP_STATUS_UNAUTHORIZED, "unauthorized");
  assert_error (list, SOUP_STATUS_UNAUTHORIZED, "unauthorized");
}

static void
test_list_own_shares (Fixture       *fixture,
                      gconstpointer  user_data)
{
  g_autofree char *first = share (fixture, fixture->alice, "notes", "n1");
  g_autofree char *second = share (fixture, fixture->alice, "notes", "n2");
  g_autoptr(Response) mine = http (fixture, "GET", "accounts/shares", fixture->alice, NULL);
  g_autoptr(Response) bobs = http (fixture, "GET", "accounts/shares", fixture->bob, NULL);
  JsonArray *items;
  gboolean seen_n1 = FALSE;
  gboolean seen_n2 = FALSE;

  assert_status (mine, SOUP_STATUS_OK);
  items = json_object_get_array_member (object (mine), "items");
  g_assert_cmpuint (json_array_get_length (items), ==, 2);
  for (guint i = 0; i < 2; i++) {
    JsonObject *item = json_array_get_object_element (items, i);
    const char *doc_id = json_object_get_string_member (item, "doc_id");

    seen_n1 |= g_str_equal (doc_id, "n1");
    seen_n2 |= g_str_equal (doc_id, "n2");
    g_assert_false (json_object_get_boolean_member (item, "revoked"));
    /* The list never shows tokens: they are not kept. */
    g_assert_false (json_object_has_member (item, "token"));
  }
  g_assert_true (seen_n1 && seen_n2);
  g_assert_null (strstr (mine->text, first));
  g_assert_null (strstr (mine->text, second));

  /* Bob sees none of Alice's. */
  assert_status (bobs, SOUP_STATUS_OK);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object (bobs), "items")),
                    ==, 0);
}

static void
test_page_shows_only_its_note (Fixture       *fixture,
                               gconstpointer  user_data)
{
  g_autofree char *token = share (fixture, fixture->alice, "notes", "n1");
  g_autoptr(Response) page = get_page (fixture, token, "");

  assert_status (page, SOUP_STATUS_OK);
  g_assert_cmpstr (soup_message_headers_get_content_type (page->headers, NULL), ==, "text/html");
  g_assert_cmpstr (soup_message_headers_get_one (page->headers, "Cache-Control"), ==, "no-store");
  g_assert_nonnull (soup_message_headers_get_one (page->headers, "Content-Security-Policy"));

  /* The note, escaped. */
  g_assert_nonnull (strstr (page->text, "Shopping &lt;b&gt;list&lt;/b&gt;"));
  g_assert_nonnull (strstr (page->text, "milk &amp; eggs"));
  g_assert_nonnull (strstr (page->text, "home"));
  g_assert_null (strstr (page->text, "<b>list"));

  /* Nothing of the other note, the owner or the document's id. */
  g_assert_null (strstr (page->text, "TOPSECRET"));
  g_assert_null (strstr (page->text, "Bank PIN"));
  g_assert_null (strstr (page->text, "alice"));
  g_assert_null (strstr (page->text, "n2"));
  /* No links anywhere. */
  g_assert_null (strstr (page->text, "<a "));
  g_assert_null (strstr (page->text, "href"));
}

static void
test_page_escapes_markup (Fixture       *fixture,
                          gconstpointer  user_data)
{
  g_autofree char *token = NULL;
  g_autoptr(Response) page = NULL;

  put_doc (fixture, fixture->alice, "notes", "evil",
           "{\"title\": \"<script>alert(1)</script>\", "
           "\"body\": \"\\\"><img src=x onerror=alert(2)>\"}");
  token = share (fixture, fixture->alice, "notes", "evil");
  page = get_page (fixture, token, "");

  assert_status (page, SOUP_STATUS_OK);
  g_assert_null (strstr (page->text, "<script"));
  g_assert_null (strstr (page->text, "<img src=x"));
  g_assert_nonnull (strstr (page->text, "&lt;script&gt;alert(1)&lt;/script&gt;"));
}

static void
test_page_contact (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_autofree char *token = NULL;
  g_autofree char *img = NULL;
  g_autoptr(Response) page = NULL;
  g_autoptr(Response) image = NULL;

  put_doc (fixture, fixture->alice, "contacts", "c1",
           "{\"name\": {\"formatted\": \"Ana María López\", \"given\": \"Ana\"}, "
           "\"tel\": [{\"value\": \"+34 600 123 456\", \"types\": [\"cell\"]}], "
           "\"email\": [{\"value\": \"ana@example.org\"}], "
           "\"_attachments\": {\"photo\": {\"content_type\": \"image/png\", "
           "\"data\": \"" IMAGE_BASE64 "\"}}}");
  put_doc (fixture, fixture->alice, "contacts", "c2",
           "{\"name\": {\"formatted\": \"Other Person\"}, \"tel\": [{\"value\": \"+1 999\"}]}");
  token = share (fixture, fixture->alice, "contacts", "c1");
  page = get_page (fixture, token, "");

  assert_status (page, SOUP_STATUS_OK);
  g_assert_nonnull (strstr (page->text, "Ana María López"));
  g_assert_nonnull (strstr (page->text, "+34 600 123 456"));
  g_assert_nonnull (strstr (page->text, "ana@example.org"));
  g_assert_null (strstr (page->text, "Other Person"));
  g_assert_null (strstr (page->text, "+1 999"));

  /* The contact's own picture. */
  img = g_strconcat ("<img src=\"/s/", token, "/image\"", NULL);
  g_assert_nonnull (strstr (page->text, img));
  image = get_page (fixture, token, "/image");
  assert_status (image, SOUP_STATUS_OK);
  g_assert_cmpmem (g_bytes_get_data (image->body, NULL), g_bytes_get_size (image->body),
                   IMAGE_BYTES, sizeof IMAGE_BYTES - 1);
}

static void
test_page_message_and_call (Fixture       *fixture,
                            gconstpointer  user_data)
{
  g_autofree char *message_token = NULL;
  g_autofree char *call_token = NULL;
  g_autoptr(Response) message = NULL;
  g_autoptr(Response) call = NULL;

  put_doc (fixture, fixture->alice, "messages", "m1",
           "{\"thread\": \"+34600\", \"from\": \"+34600\", \"to\": [\"me\"], "
           "\"body\": \"See you at 8\", \"time\": 1700000000000, \"read\": false}");
  put_doc (fixture, fixture->alice, "calls", "k1",
           "{\"number\": \"+34 611 222 333\", \"direction\": \"missed\", \"duration\": 95, "
           "\"time\": 1700000000000}");
  message_token = share (fixture, fixture->alice, "messages", "m1");
  call_token = share (fixture, fixture->alice, "calls", "k1");
  message = get_page (fixture, message_token, "");
  call = get_page (fixture, call_token, "");

  assert_status (message, SOUP_STATUS_OK);
  g_assert_nonnull (strstr (message->text, "See you at 8"));
  g_assert_nonnull (strstr (message->text, "+34600"));
  g_assert_nonnull (strstr (message->text, "2023-11-14"));
  assert_status (call, SOUP_STATUS_OK);
  g_assert_nonnull (strstr (call->text, "+34 611 222 333"));
  g_assert_nonnull (strstr (call->text, "missed"));
  g_assert_nonnull (strstr (call->text, "95 s"));
}

static void
test_page_photo_image (Fixture       *fixture,
                       gconstpointer  user_data)
{
  g_autofree char *token = NULL;
  g_autofree char *img = NULL;
  g_autoptr(Response) page = NULL;
  g_autoptr(Response) image = NULL;
  g_autoptr(Response) note_image = NULL;
  g_autofree char *note_token = share (fixture, fixture->alice, "notes", "n1");

  put_doc (fixture, fixture->alice, "photos", "p1",
           "{\"taken\": 1700000000000, \"width\": 4, \"height\": 3, "
           "\"_attachments\": {\"image\": {\"content_type\": \"image/png\", "
           "\"data\": \"" IMAGE_BASE64 "\"}}}");
  token = share (fixture, fixture->alice, "photos", "p1");
  page = get_page (fixture, token, "");
  image = get_page (fixture, token, "/image");

  assert_status (page, SOUP_STATUS_OK);
  img = g_strconcat ("<img src=\"/s/", token, "/image\"", NULL);
  g_assert_nonnull (strstr (page->text, img));

  assert_status (image, SOUP_STATUS_OK);
  g_assert_cmpstr (soup_message_headers_get_content_type (image->headers, NULL), ==, "image/png");
  g_assert_cmpstr (soup_message_headers_get_one (image->headers, "Cache-Control"), ==, "no-store");
  g_assert_cmpmem (g_bytes_get_data (image->body, NULL), g_bytes_get_size (image->body),
                   IMAGE_BYTES, sizeof IMAGE_BYTES - 1);

  /* A note has no picture. */
  note_image = get_page (fixture, note_token, "/image");
  assert_error (note_image, SOUP_STATUS_NOT_FOUND, "not_found");
}

static void
test_page_photo_refuses_other_types (Fixture       *fixture,
                                     gconstpointer  user_data)
{
  g_autofree char *token = NULL;
  g_autoptr(Response) image = NULL;

  /* An "image" that is a web page must not be served as one. */
  put_doc (fixture, fixture->alice, "photos", "p2",
           "{\"_attachments\": {\"image\": {\"content_type\": \"text/html\", "
           "\"data\": \"PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\"}}}");
  token = share (fixture, fixture->alice, "photos", "p2");
  image = get_page (fixture, token, "/image");

  assert_error (image, SOUP_STATUS_NOT_FOUND, "not_found");
}

static void
test_revoke_then_gone (Fixture       *fixture,
                       gconstpointer  user_data)
{
  g_autofree char *token = share (fixture, fixture->alice, "notes", "n1");
  g_autofree char *path = g_strconcat ("accounts/shares/", token, NULL);
  g_autoptr(Response) before = get_page (fixture, token, "");
  g_autoptr(Response) revoked = http (fixture, "DELETE", path, fixture->alice, NULL);
  g_autoptr(Response) after = get_page (fixture, token, "");
  g_autoptr(Response) after_image = get_page (fixture, token, "/image");
  g_autoptr(Response) wrong = get_page (fixture, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "");
  g_autoptr(Response) list = http (fixture, "GET", "accounts/shares", fixture->alice, NULL);
  g_autoptr(Response) again = http (fixture, "DELETE", path, fixture->alice, NULL);
  JsonArray *items;

  assert_status (before, SOUP_STATUS_OK);
  assert_status (revoked, SOUP_STATUS_OK);
  assert_error (after, SOUP_STATUS_NOT_FOUND, "not_found");
  assert_error (after_image, SOUP_STATUS_NOT_FOUND, "not_found");
  g_assert_cmpstr (soup_message_headers_get_one (after->headers, "Cache-Control"), ==, "no-store");
  g_assert_null (strstr (after->text, "Shopping"));

  /* A revoked link and a wrong token get the very same answer. */
  assert_error (wrong, SOUP_STATUS_NOT_FOUND, "not_found");
  g_assert_cmpstr (after->text, ==, wrong->text);

  assert_status (list, SOUP_STATUS_OK);
  items = json_object_get_array_member (object (list), "items");
  g_assert_cmpuint (json_array_get_length (items), ==, 1);
  g_assert_true (json_object_get_boolean_member (json_array_get_object_element (items, 0),
                                                 "revoked"));
  assert_status (again, SOUP_STATUS_OK);
}

static void
test_revoke_by_id (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_autoptr(Response) created =
    http (fixture, "POST", "accounts/shares", fixture->alice, "{\"db\": \"notes\", \"id\": \"n1\"}");
  g_autofree char *path = NULL;
  g_autoptr(Response) revoked = NULL;
  g_autoptr(Response) after = NULL;

  assert_status (created, SOUP_STATUS_CREATED);
  path = g_strconcat ("accounts/shares/", member (created, "id"), NULL);
  revoked = http (fixture, "DELETE", path, fixture->alice, NULL);
  after = get_page (fixture, member (created, "token"), "");

  assert_status (revoked, SOUP_STATUS_OK);
  assert_error (after, SOUP_STATUS_NOT_FOUND, "not_found");
}

static void
test_revoke_only_owner (Fixture       *fixture,
                        gconstpointer  user_data)
{
  g_autoptr(Response) created =
    http (fixture, "POST", "accounts/shares", fixture->alice, "{\"db\": \"notes\", \"id\": \"n1\"}");
  g_autofree char *by_token = NULL;
  g_autofree char *by_id = NULL;
  g_autoptr(Response) bob_token = NULL;
  g_autoptr(Response) bob_id = NULL;
  g_autoptr(Response) nobody = NULL;
  g_autoptr(Response) unknown = NULL;
  g_autoptr(Response) page = NULL;

  assert_status (created, SOUP_STATUS_CREATED);
  by_token = g_strconcat ("accounts/shares/", member (created, "token"), NULL);
  by_id = g_strconcat ("accounts/shares/", member (created, "id"), NULL);

  bob_token = http (fixture, "DELETE", by_token, fixture->bob, NULL);
  bob_id = http (fixture, "DELETE", by_id, fixture->bob, NULL);
  nobody = http (fixture, "DELETE", by_token, NULL, NULL);
  unknown = http (fixture, "DELETE", "accounts/shares/0123456789abcdef0123456789abcdef",
                  fixture->bob, NULL);

  /* Someone else's share looks like no share at all. */
  assert_error (bob_token, SOUP_STATUS_NOT_FOUND, "not_found");
  assert_error (bob_id, SOUP_STATUS_NOT_FOUND, "not_found");
  g_assert_cmpstr (bob_token->text, ==, unknown->text);
  assert_error (nobody, SOUP_STATUS_UNAUTHORIZED, "unauthorized");

  page = get_page (fixture, member (created, "token"), "");
  assert_status (page, SOUP_STATUS_OK);
}

static void
test_page_wrong_tokens (Fixture       *fixture,
                        gconstpointer  user_data)
{
  g_autofree char *token = share (fixture, fixture->alice, "notes", "n1");
  g_autofree char *longer = g_strconcat (token, "A", NULL);
  g_autofree char *shorter = g_strndup (token, 42);
  g_autofree char *extra = g_strconcat (token, "/extra", NULL);
  const char *paths[] = { "s/", "s", "s/x", "s/%2e%2e%2Fusers%2Falice", "s/..%2F..%2Fusers",
                          "s/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA%00", longer, shorter };

  for (guint i = 0; i < G_N_ELEMENTS (paths); i++) {
    g_autofree char *path = g_str_has_prefix (paths[i], "s") ? g_strdup (paths[i])
                                                             : g_strconcat ("s/", paths[i], NULL);
    g_autoptr(Response) response = http (fixture, "GET", path, NULL, NULL);

    g_test_message ("GET %s", path);
    assert_error (response, SOUP_STATUS_NOT_FOUND, "not_found");
    g_assert_null (strstr (response->text, "Shopping"));
  }

  {
    g_autofree char *path = g_strconcat ("s/", extra, NULL);
    g_autoptr(Response) response = http (fixture, "GET", path, NULL, NULL);

    assert_error (response, SOUP_STATUS_NOT_FOUND, "not_found");
  }
}

static void
test_page_methods (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_autofree char *token = share (fixture, fixture->alice, "notes", "n1");
  g_autofree char *path = g_strconcat ("s/", token, NULL);
  g_autoptr(Response) head = http (fixture, "HEAD", path, NULL, NULL);
  g_autoptr(Response) delete = http (fixture, "DELETE", path, NULL, NULL);
  g_autoptr(Response) post = http (fixture, "POST", path, NULL, "{}");
  g_autoptr(Response) put = http (fixture, "PUT", "accounts/shares", fixture->alice, "{}");
  g_autoptr(Response) still = http (fixture, "GET", path, NULL, NULL);

  assert_status (head, SOUP_STATUS_OK);
  assert_error (delete, SOUP_STATUS_METHOD_NOT_ALLOWED, "method_not_allowed");
  /* The page takes no body at all. */
  assert_error (post, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "too_large");
  assert_error (put, SOUP_STATUS_METHOD_NOT_ALLOWED, "method_not_allowed");
  assert_status (still, SOUP_STATUS_OK);
}

static void
test_create_hostile (Fixture       *fixture,
                     gconstpointer  user_data)
{
  static const struct {
    const char *body;
    guint       status;
  } cases[] = {
    { "", SOUP_STATUS_BAD_REQUEST },
    { "{", SOUP_STATUS_BAD_REQUEST },
    { "[]", SOUP_STATUS_BAD_REQUEST },
    { "\"notes\"", SOUP_STATUS_BAD_REQUEST },
    { "{\"db\": \"notes\"}", SOUP_STATUS_BAD_REQUEST },
    { "{\"id\": \"n1\"}", SOUP_STATUS_BAD_REQUEST },
    { "{\"db\": \"notes\", \"id\": 1}", SOUP_STATUS_BAD_REQUEST },
    { "{\"db\": [\"notes\"], \"id\": \"n1\"}", SOUP_STATUS_BAD_REQUEST },
    { "{\"db\": \"notes\", \"id\": \"n1\", \"to\": 7}", SOUP_STATUS_BAD_REQUEST },
    { "{\"db\": \"secrets\", \"id\": \"n1\"}", SOUP_STATUS_BAD_REQUEST },
    { "{\"db\": \"_users\", \"id\": \"n1\"}", SOUP_STATUS_BAD_REQUEST },
    { "{\"db\": \"../users/bob\", \"id\": \"n1\"}", SOUP_STATUS_BAD_REQUEST },
    { "{\"db\": \"notes\", \"id\": \"missing\"}", SOUP_STATUS_NOT_FOUND },
    { "{\"db\": \"notes\", \"id\": \"\"}", SOUP_STATUS_NOT_FOUND },
    { "{\"db\": \"notes\", \"id\": \"../n1\"}", SOUP_STATUS_NOT_FOUND },
    { "{\"db\": \"notes\", \"id\": \"../../bob/notes/n1\"}", SOUP_STATUS_NOT_FOUND },
    { "{\"db\": \"notes\", \"id\": \"_local/x\"}", SOUP_STATUS_NOT_FOUND },
    { "{\"db\": \"notes\", \"id\": \"_design/x\"}", SOUP_STATUS_NOT_FOUND },
    { "{\"db\": \"contacts\", \"id\": \"n1\"}", SOUP_STATUS_NOT_FOUND },
    { "{\"db\": \"notes\", \"id\": \"n1\", \"a\": [[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]}",
      SOUP_STATUS_BAD_REQUEST },
  };
  g_autoptr(GString) long_id = g_string_new ("{\"db\": \"notes\", \"id\": \"");
  g_autoptr(GString) oversize = g_string_new ("{\"db\": \"notes\", \"id\": \"n1\", \"pad\": \"");
  g_autoptr(Response) wrong_type = NULL;
  g_autoptr(Response) too_long = NULL;
  g_autoptr(Response) too_large = NULL;
  g_autoptr(Response) list = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_autoptr(Response) response =
      request (fixture, "POST", "accounts/shares", fixture->alice, JSON, cases[i].body, -1);

    g_test_message ("body %s", cases[i].body);
    assert_status (response, cases[i].status);
    g_assert_nonnull (member (response, "reason"));
  }

  wrong_type = request (fixture, "POST", "accounts/shares", fixture->alice, "text/plain",
                        "{\"db\": \"notes\", \"id\": \"n1\"}", -1);
  assert_status (wrong_type, SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE);

  for (guint i = 0; i < 600; i++)
    g_string_append_c (long_id, 'x');
  g_string_append (long_id, "\"}");
  too_long = http (fixture, "POST", "accounts/shares", fixture->alice, long_id->str);
  assert_error (too_long, SOUP_STATUS_NOT_FOUND, "not_found");

  for (guint i = 0; i < 70 * 1024; i++)
    g_string_append_c (oversize, 'x');
  g_string_append (oversize, "\"}");
  too_large = http (fixture, "POST", "accounts/shares", fixture->alice, oversize->str);
  assert_error (too_large, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "too_large");

  /* None of it made a share. */
  list = http (fixture, "GET", "accounts/shares", fixture->alice, NULL);
  assert_status (list, SOUP_STATUS_OK);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object (list), "items")),
                    ==, 0);
}

static void
test_create_deleted_doc (Fixture       *fixture,
                         gconstpointer  user_data)
{
  g_autofree char *token = share (fixture, fixture->alice, "notes", "n2");
  g_autoptr(Response) doc = http (fixture, "GET", "sync/notes/n2", fixture->alice, NULL);
  g_autofree char *path = NULL;
  g_autoptr(Response) deleted = NULL;
  g_autoptr(Response) page = NULL;
  g_autoptr(Response) again = NULL;

  assert_status (doc, SOUP_STATUS_OK);
  path = g_strconcat ("sync/notes/n2?rev=", member (doc, "_rev"), NULL);
  deleted = http (fixture, "DELETE", path, fixture->alice, NULL);
  assert_status (deleted, SOUP_STATUS_OK);

  /* A document deleted since its link was made is gone from the link. */
  page = get_page (fixture, token, "");
  assert_error (page, SOUP_STATUS_NOT_FOUND, "not_found");
  g_assert_null (strstr (page->text, "TOPSECRET"));

  again = http (fixture, "POST", "accounts/shares", fixture->alice,
                "{\"db\": \"notes\", \"id\": \"n2\"}");
  assert_error (again, SOUP_STATUS_NOT_FOUND, "not_found");
}

static void
test_tokens_not_stored (Fixture       *fixture,
                        gconstpointer  user_data)
{
  g_autofree char *token = share (fixture, fixture->alice, "notes", "n1");
  g_autofree char *path = g_build_filename (fixture->data_dir, "shares.sqlite", NULL);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  guint rows = 0;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT id, token_hash, owner, db, doc_id FROM shares",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW) {
    rows++;
    for (int i = 0; i < 5; i++)
      g_assert_null (strstr ((const char *) sqlite3_column_text (stmt, i), token));
    g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 2), ==, "alice");
  }
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  g_assert_cmpuint (rows, ==, 1);
}

static void
test_copy_into_friend (Fixture       *fixture,
                       gconstpointer  user_data)
{
  g_autoptr(Response) copied =
    http (fixture, "POST", "accounts/shares", fixture->alice,
          "{\"db\": \"notes\", \"id\": \"n1\", \"to\": \"bob\"}");
  g_autofree char *path = NULL;
  g_autoptr(Response) copy = NULL;
  g_autoptr(Response) all = NULL;
  g_autoptr(Response) original = NULL;
  g_autoptr(Response) other = NULL;
  g_autoptr(Response) alice_list = NULL;
  JsonObject *doc;
  JsonObject *revisions;

  assert_status (copied, SOUP_STATUS_CREATED);
  g_assert_cmpstr (member (copied, "to"), ==, "bob");
  g_assert_cmpstr (member (copied, "db"), ==, "notes");
  g_assert_cmpstr (member (copied, "id"), !=, "n1");

  path = g_strconcat ("sync/notes/", member (copied, "id"), "?revs=true", NULL);
  copy = http (fixture, "GET", path, fixture->bob, NULL);
  assert_status (copy, SOUP_STATUS_OK);
  doc = object (copy);
  g_assert_cmpstr (json_object_get_string_member (doc, "title"), ==, "Shopping <b>list</b>");
  g_assert_cmpstr (json_object_get_string_member (doc, "body"), ==, "milk & eggs");
  /* A new document: one revision, no history from Alice's. */
  g_assert_true (g_str_has_prefix (json_object_get_string_member (doc, "_rev"), "1-"));
  revisions = json_object_get_object_member (doc, "_revisions");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (revisions, "ids")), ==, 1);

  /* Bob has the copy and only the copy. */
  all = http (fixture, "GET", "sync/notes/_all_docs", fixture->bob, NULL);
  assert_status (all, SOUP_STATUS_OK);
  g_assert_cmpint (json_object_get_int_member (object (all), "total_rows"), ==, 1);
  original = http (fixture, "GET", "sync/notes/n1", fixture->bob, NULL);
  assert_error (original, SOUP_STATUS_NOT_FOUND, "not_found");
  other = http (fixture, "GET", "sync/notes/n2", fixture->bob, NULL);
  assert_error (other, SOUP_STATUS_NOT_FOUND, "not_found");

  /* A copy is not a link: nothing to revoke, no page. */
  alice_list = http (fixture, "GET", "accounts/shares", fixture->alice, NULL);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object (alice_list),
                                                                          "items")), ==, 0);
}

static void
test_copy_photo_with_image (Fixture       *fixture,
                            gconstpointer  user_data)
{
  g_autoptr(Response) copied = NULL;
  g_autofree char *path = NULL;
  g_autoptr(Response) image = NULL;

  put_doc (fixture, fixture->alice, "photos", "p1",
           "{\"taken\": 1700000000000, \"_attachments\": {\"image\": {\"content_type\": "
           "\"image/png\", \"data\": \"" IMAGE_BASE64 "\"}}}");
  copied = http (fixture, "POST", "accounts/shares", fixture->alice,
                 "{\"db\": \"photos\", \"id\": \"p1\", \"to\": \"bob\"}");
  assert_status (copied, SOUP_STATUS_CREATED);

  path = g_strconcat ("sync/photos/", member (copied, "id"), "/image", NULL);
  image = http (fixture, "GET", path, fixture->bob, NULL);
  assert_status (image, SOUP_STATUS_OK);
  g_assert_cmpmem (g_bytes_get_data (image->body, NULL), g_bytes_get_size (image->body),
                   IMAGE_BYTES, sizeof IMAGE_BYTES - 1);
}

static void
test_copy_unknown_friend (Fixture       *fixture,
                          gconstpointer  user_data)
{
  const char *names[] = { "carol", "../bob", "Bob", "", "bob/../alice" };
  g_autofree char *users_dir = g_build_filename (fixture->data_dir, "users", NULL);
  g_autofree char *carol = g_build_filename (users_dir, "carol.sqlite", NULL);
  g_autoptr(Response) missing_doc = NULL;
  g_autoptr(Response) self_copy = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (names); i++) {
    g_autofree char *body = g_strdup_printf ("{\"db\": \"notes\", \"id\": \"n1\", \"to\": \"%s\"}",
                                             names[i]);
    g_autoptr(Response) response = http (fixture, "POST", "accounts/shares", fixture->alice, body);

    g_test_message ("to %s", names[i]);
    assert_error (response, SOUP_STATUS_NOT_FOUND, "not_found");
    g_assert_cmpstr (member (response, "reason"), ==, "No such user");
  }
  g_assert_false (g_file_test (carol, G_FILE_TEST_EXISTS));

  /* An unknown document to a real friend: the same kind of answer, and
   * nothing lands in Bob's account. */
  missing_doc = http (fixture, "POST", "accounts/shares", fixture->alice,
                      "{\"db\": \"notes\", \"id\": \"nope\", \"to\": \"bob\"}");
  assert_error (missing_doc, SOUP_STATUS_NOT_FOUND, "not_found");

  self_copy = http (fixture, "POST", "accounts/shares", fixture->alice,
                    "{\"db\": \"notes\", \"id\": \"n1\", \"to\": \"alice\"}");
  assert_error (self_copy, SOUP_STATUS_BAD_REQUEST, "bad_request");
}

/* What navigator.share() shares: a link to a page with that content and
 * nothing else of Alice's, listed and revoked like any other link. */
static void
test_content_link (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_autoptr(Response) created =
    http (fixture, "POST", "accounts/shares", fixture->alice,
          "{\"content\": {\"title\": \"Lunch <spot>\", \"text\": \"Try the noodles\", "
          "\"url\": \"HTTPS://example.com/menu?a=1&b=2\"}}");
  g_autoptr(Response) page = NULL;
  g_autoptr(Response) list = NULL;
  g_autoptr(Response) revoked = NULL;
  g_autoptr(Response) after = NULL;
  g_autoptr(Response) notes = NULL;
  g_autofree char *path = NULL;
  JsonArray *items;

  assert_status (created, SOUP_STATUS_CREATED);
  g_assert_cmpstr (member (created, "db"), ==, "shared");
  g_assert_nonnull (member (created, "url"));

  page = get_page (fixture, member (created, "token"), "");
  assert_status (page, SOUP_STATUS_OK);
  g_assert_nonnull (strstr (page->text, "Lunch &lt;spot&gt;"));
  g_assert_nonnull (strstr (page->text, "Try the noodles"));
  g_assert_nonnull (strstr (page->text, "href=\"https://example.com/menu?a=1&amp;b=2\""));
  /* Nothing else of Alice's. */
  g_assert_null (strstr (page->text, "Shopping"));
  g_assert_null (strstr (page->text, "TOPSECRET"));

  list = http (fixture, "GET", "accounts/shares", fixture->alice, NULL);
  items = json_object_get_array_member (object (list), "items");
  g_assert_cmpuint (json_array_get_length (items), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (items, 0), "db"),
                   ==, "shared");

  path = g_strconcat ("accounts/shares/", member (created, "id"), NULL);
  revoked = http (fixture, "DELETE", path, fixture->alice, NULL);
  assert_status (revoked, SOUP_STATUS_OK);
  after = get_page (fixture, member (created, "token"), "");
  assert_error (after, SOUP_STATUS_NOT_FOUND, "not_found");

  /* The content is not a note: the phone's notes are as they were. */
  notes = http (fixture, "GET", "sync/notes/_all_docs", fixture->alice, NULL);
  g_assert_cmpint (json_object_get_int_member (object (notes), "total_rows"), ==, 2);
}

/* Content for a friend is a note in their notes, shaped like the phone's. */
static void
test_content_to_friend (Fixture       *fixture,
                        gconstpointer  user_data)
{
  g_autoptr(Response) copied =
    http (fixture, "POST", "accounts/shares", fixture->alice,
          "{\"content\": {\"title\": \"Recipe\", \"text\": \"Two eggs\", "
          "\"url\": \"http://example.org/r\"}, \"to\": \"bob\"}");
  g_autoptr(Response) all = NULL;
  g_autoptr(Response) list = NULL;
  JsonObject *doc;

  assert_status (copied, SOUP_STATUS_CREATED);
  g_assert_cmpstr (member (copied, "to"), ==, "bob");
  g_assert_cmpstr (member (copied, "db"), ==, "notes");

  all = http (fixture, "GET", "sync/notes/_all_docs?include_docs=true", fixture->bob, NULL);
  assert_status (all, SOUP_STATUS_OK);
  g_assert_cmpint (json_object_get_int_member (object (all), "total_rows"), ==, 1);
  doc = json_object_get_object_member (
    json_array_get_object_element (json_object_get_array_member (object (all), "rows"), 0), "doc");
  g_assert_cmpstr (json_object_get_string_member (doc, "_id"), ==, member (copied, "id"));
  g_assert_cmpstr (json_object_get_string_member (doc, "type"), ==, "note");
  g_assert_cmpstr (json_object_get_string_member (doc, "title"), ==, "Recipe");
  g_assert_cmpstr (json_object_get_string_member (doc, "body"), ==, "Two eggs\n\nhttp://example.org/r");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (doc, "tags")), ==, 0);
  g_assert_cmpfloat (json_object_get_double_member (doc, "updated"), >, 0);

  /* A copy makes no link. */
  list = http (fixture, "GET", "accounts/shares", fixture->alice, NULL);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object (list), "items")),
                    ==, 0);
}

/* Bad content is a 400 with a JSON reason, and nothing is written. */
static void
test_content_bad (Fixture       *fixture,
                  gconstpointer  user_data)
{
  g_autofree char *long_title = g_strnfill (1001, 'x');
  g_autofree char *long_text = g_strnfill (10001, 'x');
  g_autofree char *body_title = g_strdup_printf ("{\"content\": {\"title\": \"%s\"}}", long_title);
  g_autofree char *body_text = g_strdup_printf ("{\"content\": {\"text\": \"%s\"}}", long_text);
  const char *bodies[] = {
    "{\"content\": {}}",
    "{\"content\": {\"title\": \"\", \"text\": \"\"}}",
    "{\"content\": \"hello\"}",
    "{\"content\": [\"hello\"]}",
    "{\"content\": {\"title\": 5}}",
    "{\"content\": {\"text\": null}}",
    "{\"content\": {\"text\": \"hi\", \"files\": []}}",
    "{\"content\": {\"url\": \"javascript:alert(1)\"}}",
    "{\"content\": {\"url\": \"/relative\"}}",
    "{\"content\": {\"url\": \"file:///etc/passwd\"}}",
    "{\"content\": {\"url\": \"data:text/html,hi\"}}",
    "{\"content\": {\"text\": \"hi\"}, \"to\": 3}",
    "{\"content\": {\"text\": \"hi\"}, \"db\": \"notes\", \"id\": \"n1\"}",
    "{\"content\": {\"text\": \"hi\"}, \"to\": \"alice\"}",
    body_title,
    body_text,
  };
  g_autoptr(Response) list = NULL;
  g_autoptr(Response) shared = NULL;
  g_autoptr(Response) bob_notes = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++) {
    g_autoptr(Response) response = http (fixture, "POST", "accounts/shares", fixture->alice,
                                         bodies[i]);

    g_test_message ("body %u", i);
    assert_error (response, SOUP_STATUS_BAD_REQUEST, "bad_request");
  }

  list = http (fixture, "GET", "accounts/shares", fixture->alice, NULL);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object (list), "items")),
                    ==, 0);
  shared = http (fixture, "GET", "sync/shared/_all_docs", fixture->alice, NULL);
  g_assert_true (shared->status == SOUP_STATUS_NOT_FOUND ||
                 json_object_get_int_member (object (shared), "total_rows") == 0);
  bob_notes = http (fixture, "GET", "sync/notes/_all_docs", fixture->bob, NULL);
  g_assert_true (bob_notes->status == SOUP_STATUS_NOT_FOUND ||
                 json_object_get_int_member (object (bob_notes), "total_rows") == 0);
}

static void
add_test (const char *name,
          void      (*test) (Fixture *, gconstpointer))
{
  g_autofree char *path = g_strconcat ("/yun/cloud/shares/", name, NULL);

  g_test_add (path, Fixture, NULL, fixture_setup, test, fixture_teardown);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  add_test ("create/returns-link", test_create_returns_link);
  add_test ("create/with-basic", test_create_with_basic);
  add_test ("create/needs-credentials", test_create_needs_credentials);
  add_test ("create/hostile", test_create_hostile);
  add_test ("create/deleted-doc", test_create_deleted_doc);
  add_test ("list/own-shares-only", test_list_own_shares);
  add_test ("page/shows-only-its-note", test_page_shows_only_its_note);
  add_test ("page/escapes-markup", test_page_escapes_markup);
  add_test ("page/contact", test_page_contact);
  add_test ("page/message-and-call", test_page_message_and_call);
  add_test ("page/photo-image", test_page_photo_image);
  add_test ("page/photo-refuses-other-types", test_page_photo_refuses_other_types);
  add_test ("page/wrong-tokens", test_page_wrong_tokens);
  add_test ("page/methods", test_page_methods);
  add_test ("revoke/then-gone", test_revoke_then_gone);
  add_test ("revoke/by-id", test_revoke_by_id);
  add_test ("revoke/only-owner", test_revoke_only_owner);
  add_test ("storage/tokens-not-stored", test_tokens_not_stored);
  add_test ("copy/into-friend", test_copy_into_friend);
  add_test ("copy/photo-with-image", test_copy_photo_with_image);
  add_test ("copy/unknown-friend", test_copy_unknown_friend);
  add_test ("content/link", test_content_link);
  add_test ("content/to-friend", test_content_to_friend);
  add_test ("content/bad", test_content_bad);

  return g_test_run ();
}
