/* test-cloud-sync-api.c: tests for yun-cloud's accounts routes and its
 * CouchDB sync API
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A real YunCloudServer on 127.0.0.1, port 0, with real SQLite files in a
 * temporary folder, driven over real HTTP by a SoupSession.  Token expiry
 * uses a clock the test moves; nothing waits on the wall clock except the
 * longpoll timeouts, and no assertion depends on how long anything took.
 */

#include "config.h"

#include "yun-test-files.h"
#include "yun-test-loop.h"
#include "yun-cloud-accounts-private.h"
#include "yun-cloud-server.h"
#include "yun-cloud-sync-api.h"

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <sqlite3.h>

#include <string.h>

#define TIMEOUT_SECONDS 30
#define PASSWORD "correct horse battery"
#define START_TIME ((gint64) 1800000000)
#define JSON "application/json"

typedef struct {
  char           *tmp_dir;
  char           *data_dir;
  YunCloudServer *server;
  SoupSession    *session;
  gint64          now;
  /* Authorization headers. */
  char           *alice;
  char           *alice_basic;
  char           *bob;
} Fixture;

typedef struct {
  guint               status;
  SoupMessageHeaders *headers;
  GBytes             *body;
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
  g_free (response);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Response, response_free)

static gint64
fake_clock (gpointer user_data)
{
  Fixture *fixture = user_data;

  return fixture->now;
}

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

static SoupMessage *
new_message (Fixture    *fixture,
             const char *method,
             const char *path,
             const char *auth,
             const char *content_type,
             const void *body,
             gssize      length)
{
  g_autofree char *url = g_strconcat (yun_cloud_server_get_url (fixture->server), path, NULL);
  g_autoptr(GUri) uri = g_uri_parse (url, SOUP_HTTP_URI_FLAGS, NULL);
  SoupMessage *msg;

  g_assert_nonnull (uri);
  msg = soup_message_new_from_uri (method, uri);
  if (auth != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  if (body != NULL) {
    g_autoptr(GBytes) bytes = g_bytes_new (body, length < 0 ? strlen (body) : (gsize) length);

    soup_message_set_request_body_from_bytes (msg, content_type, bytes);
  } else if (content_type != NULL) {
    soup_message_headers_replace (soup_message_get_request_headers (msg), "Content-Type",
                                  content_type);
  }

  return msg;
}

static Response *
finish (SoupMessage *msg,
        SendData    *data)
{
  Response *response = g_new0 (Response, 1);
  const char *type;

  g_assert_no_error (data->error);
  response->status = soup_message_get_status (msg);
  response->headers = soup_message_headers_ref (soup_message_get_response_headers (msg));
  response->body = data->body;

  type = soup_message_headers_get_content_type (response->headers, NULL);
  if (type != NULL && strcmp (type, JSON) == 0 && g_bytes_get_size (response->body) > 0) {
    g_autoptr(JsonParser) parser = json_parser_new ();
    gsize size;
    const char *text = g_bytes_get_data (response->body, &size);

    g_assert_true (json_parser_load_from_data (parser, text, size, NULL));
    response->json = json_node_ref (json_parser_get_root (parser));
  }

  return response;
}

/* Sends a request and waits for the whole answer. */
static Response *
send_message (Fixture     *fixture,
              SoupMessage *msg)
{
  SendData data = { 0 };

  soup_session_send_and_read_async (fixture->session, msg, G_PRIORITY_DEFAULT, NULL,
                                    on_send_ready, &data);
  yun_test_run_until (&data.done, TIMEOUT_SECONDS);

  return finish (msg, &data);
}

static Response *
http (Fixture    *fixture,
      const char *method,
      const char *path,
      const char *auth,
      const char *body)
{
  g_autoptr(SoupMessage) msg = new_message (fixture, method, path, auth,
                                            body != NULL ? JSON : NULL, body, -1);

  return send_message (fixture, msg);
}

static JsonObject *
object (Response *response)
{
  g_assert_nonnull (response->json);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (response->json));

  return json_node_get_object (response->json);
}

static JsonArray *
array (Response *response)
{
  g_assert_nonnull (response->json);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (response->json));

  return json_node_get_array (response->json);
}

static const char *
member (Response   *response,
        const char *name)
{
  return json_object_get_string_member_with_default (object (response), name, NULL);
}

/* Checks a CouchDB error answer: the status and {"error", "reason"}. */
static void
assert_error (Response   *response,
              guint       status,
              const char *error)
{
  g_assert_cmpuint (response->status, ==, status);
  g_assert_cmpstr (member (response, "error"), ==, error);
  g_assert_nonnull (member (response, "reason"));
}

static void
assert_status (Response *response,
               guint     status)
{
  if (response->status != status)
    g_test_message ("unexpected answer: %.*s", (int) g_bytes_get_size (response->body),
                    (const char *) g_bytes_get_data (response->body, NULL));
  g_assert_cmpuint (response->status, ==, status);
}

/* Registers @name with PASSWORD and returns a Bearer header. */
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
start_server (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *webapps = g_build_filename (fixture->tmp_dir, "webapps", NULL);

  g_assert_cmpint (g_mkdir_with_parents (webapps, 0700), ==, 0);
  fixture->server = yun_cloud_server_new (webapps, fixture->data_dir, &error);
  g_assert_no_error (error);
  yun_cloud_accounts_set_clock (yun_cloud_server_get_accounts (fixture->server), fake_clock,
                                fixture);
  yun_cloud_server_listen (fixture->server, "127.0.0.1", 0, &error);
  g_assert_no_error (error);
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;

  fixture->tmp_dir = g_dir_make_tmp ("yun-sync-api-test-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->data_dir = g_build_filename (fixture->tmp_dir, "data", NULL);
  fixture->now = START_TIME;
  start_server (fixture);

  /* Loopback only: never ask the desktop's proxy settings. */
  fixture->session = soup_session_new ();
  soup_session_set_proxy_resolver (fixture->session, NULL);

  fixture->alice = add_user (fixture, "alice");
  fixture->alice_basic = basic ("alice", PASSWORD);
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

/* Creates @db for @auth and puts the documents given as id, JSON pairs. */
static void
make_db (Fixture    *fixture,
         const char *auth,
         const char *db)
{
  g_autofree char *path = g_strconcat ("sync/", db, NULL);
  g_autoptr(Response) response = http (fixture, "PUT", path, auth, NULL);

  assert_status (response, SOUP_STATUS_CREATED);
}

/* Puts a document and returns its new revision. */
static char *
put_doc (Fixture    *fixture,
         const char *auth,
         const char *path,
         const char *body)
{
  g_autofree char *full = g_strconcat ("sync/", path, NULL);
  g_autoptr(Response) response = http (fixture, "PUT", full, auth, body);

  assert_status (response, SOUP_STATUS_CREATED);
  g_assert_true (json_object_get_boolean_member (object (response), "ok"));

  return g_strdup (member (response, "rev"));
}

static gint64
update_seq (Fixture    *fixture,
            const char *auth,
            const char *db)
{
  g_autofree char *path = g_strconcat ("sync/", db, NULL);
  g_autoptr(Response) response = http (fixture, "GET", path, auth, NULL);

  assert_status (response, SOUP_STATUS_OK);
  return json_object_get_int_member (object (response), "update_seq");
}

static char *
get_body (Fixture    *fixture,
          const char *auth,
          const char *path)
{
  g_autofree char *full = g_strconcat ("sync/", path, NULL);
  g_autoptr(Response) response = http (fixture, "GET", full, auth, NULL);

  assert_status (response, SOUP_STATUS_OK);
  return g_strndup (g_bytes_get_data (response->body, NULL), g_bytes_get_size (response->body));
}

/* A request written byte for byte, for paths a client library would
 * refuse to send; returns the status of the answer. */
typedef struct {
  gboolean            done;
  GError             *error;
  GSocketConnection  *connection;
  GByteArray         *received;
  char               *request;
} RawExchange;

static void on_raw_read_ready (GObject      *source_object,
                               GAsyncResult *result,
                               gpointer      user_data);

static void
raw_read_more (RawExchange *exchange)
{
  GInputStream *input = g_io_stream_get_input_stream (G_IO_STREAM (exchange->connection));

  g_input_stream_read_bytes_async (input, 4096, G_PRIORITY_DEFAULT, NULL, on_raw_read_ready,
                                   exchange);
}

static void
on_raw_read_ready (GObject      *source_object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  RawExchange *exchange = user_data;
  g_autoptr(GBytes) bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source_object),
                                                              result, &exchange->error);

  if (bytes == NULL || g_bytes_get_size (bytes) == 0) {
    exchange->done = TRUE;
    return;
  }
  g_byte_array_append (exchange->received, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  raw_read_more (exchange);
}

static void
on_raw_write_ready (GObject      *source_object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  RawExchange *exchange = user_data;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source_object), result, NULL,
                                         &exchange->error)) {
    exchange->done = TRUE;
    return;
  }
  raw_read_more (exchange);
}

static void
on_raw_connect_ready (GObject      *source_object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  RawExchange *exchange = user_data;
  GOutputStream *output;

  exchange->connection = g_socket_client_connect_to_uri_finish (G_SOCKET_CLIENT (source_object),
                                                                result, &exchange->error);
  if (exchange->connection == NULL) {
    exchange->done = TRUE;
    return;
  }
  output = g_io_stream_get_output_stream (G_IO_STREAM (exchange->connection));
  g_output_stream_write_all_async (output, exchange->request, strlen (exchange->request),
                                   G_PRIORITY_DEFAULT, NULL, on_raw_write_ready, exchange);
}

static guint
raw_status (Fixture    *fixture,
            const char *method,
            const char *raw_path,
            const char *auth)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  RawExchange exchange = { 0 };
  g_auto(GStrv) words = NULL;
  g_autofree char *head = NULL;
  guint64 status = 0;

  exchange.received = g_byte_array_new ();
  exchange.request = g_strdup_printf ("%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                      "Authorization: %s\r\nContent-Type: application/json\r\n"
                                      "Content-Length: 2\r\nConnection: close\r\n\r\n{}",
                                      method, raw_path, auth);
  g_socket_client_set_proxy_resolver (client, NULL);
  g_socket_client_connect_to_uri_async (client, yun_cloud_server_get_url (fixture->server), 80,
                                        NULL, on_raw_connect_ready, &exchange);
  yun_test_run_until (&exchange.done, TIMEOUT_SECONDS);
  g_assert_no_error (exchange.error);

  head = g_strndup ((const char *) exchange.received->data,
                    MIN (exchange.received->len, 64));
  words = g_strsplit (head, " ", 3);
  g_assert_cmpstr (words[0], ==, "HTTP/1.1");
  g_assert_true (g_ascii_string_to_unsigned (words[1], 10, 100, 599, &status, NULL));

  g_clear_object (&exchange.connection);
  g_byte_array_unref (exchange.received);
  g_free (exchange.request);

  return (guint) status;
}

/* Accounts routes. */

static void
test_accounts_register (Fixture       *fixture,
                        gconstpointer  user_data)
{
  g_autoptr(Response) created = http (fixture, "POST", "accounts", NULL,
                                      "{\"name\": \"carol\", \"password\": \"12345678\"}");
  g_autoptr(Response) taken = http (fixture, "POST", "accounts", NULL,
                                    "{\"name\": \"carol\", \"password\": \"other password\"}");
  g_autoptr(Response) signed_in = http (fixture, "POST", "accounts/session", NULL,
                                        "{\"name\": \"carol\", \"password\": \"12345678\"}");

  assert_status (created, SOUP_STATUS_CREATED);
  g_assert_cmpstr (member (created, "name"), ==, "carol");
  assert_error (taken, SOUP_STATUS_CONFLICT, "conflict");
  assert_status (signed_in, SOUP_STATUS_CREATED);
}

static void
test_accounts_register_hostile (Fixture       *fixture,
                                gconstpointer  user_data)
{
  g_autofree char *huge = NULL;
  g_autofree char *long_password = g_strnfill (5000, 'p');
  g_autofree char *long_body = g_strdup_printf ("{\"name\": \"dave\", \"password\": \"%s\"}",
                                                long_password);
  const struct {
    const char *body;
    guint       status;
  } cases[] = {
    { "{\"name\": \"Dave\", \"password\": \"12345678\"}", SOUP_STATUS_BAD_REQUEST },
    { "{\"name\": \"../dave\", \"password\": \"12345678\"}", SOUP_STATUS_BAD_REQUEST },
    { "{\"name\": \"dave\", \"password\": \"short\"}", SOUP_STATUS_BAD_REQUEST },
    { "{\"name\": 42, \"password\": \"12345678\"}", SOUP_STATUS_BAD_REQUEST },
    { "{\"name\": \"dave\", \"password\": [\"12345678\"]}", SOUP_STATUS_BAD_REQUEST },
    { "{\"name\": \"dave\"}", SOUP_STATUS_BAD_REQUEST },
    { "[\"dave\", \"12345678\"]", SOUP_STATUS_BAD_REQUEST },
    { "{\"name\": \"dave\", \"password\": \"12345678\"", SOUP_STATUS_BAD_REQUEST },
    { "", SOUP_STATUS_BAD_REQUEST },
    { "{\"name\": \"dave\", \"password\": \"12345678\\u0000x\"}", SOUP_STATUS_BAD_REQUEST },
    { long_body, SOUP_STATUS_BAD_REQUEST },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_autoptr(Response) response = http (fixture, "POST", "accounts", NULL, cases[i].body);

    g_test_message ("case %u", i);
    g_assert_cmpuint (response->status, ==, cases[i].status);
    g_assert_nonnull (member (response, "error"));
  }

  /* Not JSON by its type: refused before reading. */
  {
    g_autoptr(SoupMessage) msg = new_message (fixture, "POST", "accounts", NULL, "text/plain",
                                              "{\"name\": \"dave\", \"password\": \"12345678\"}", -1);
    g_autoptr(Response) response = send_message (fixture, msg);

    assert_error (response, SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE, "bad_content_type");
  }

  /* Larger than the accounts routes take. */
  huge = g_strdup_printf ("{\"name\": \"dave\", \"password\": \"12345678\", \"x\": \"%*s\"}",
                          100 * 1024, "");
  {
    g_autoptr(Response) response = http (fixture, "POST", "accounts", NULL, huge);

    assert_error (response, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "too_large");
  }

  {
    g_autoptr(Response) response = http (fixture, "GET", "accounts", NULL, NULL);

    assert_error (response, SOUP_STATUS_METHOD_NOT_ALLOWED, "method_not_allowed");
  }

  /* No dave was made by any of it. */
  {
    g_autoptr(Response) response = http (fixture, "POST", "accounts/session", NULL,
                                         "{\"name\": \"dave\", \"password\": \"12345678\"}");

    assert_error (response, SOUP_STATUS_UNAUTHORIZED, "unauthorized");
  }
}

static void
test_accounts_sign_in (Fixture       *fixture,
                       gconstpointer  user_data)
{
  g_autoptr(Response) ok = http (fixture, "POST", "accounts/session", NULL,
                                 "{\"name\": \"alice\", \"password\": \"" PASSWORD "\"}");
  g_autoptr(Response) wrong = http (fixture, "POST", "accounts/session", NULL,
                                    "{\"name\": \"alice\", \"password\": \"not it at all\"}");
  g_autoptr(Response) unknown = http (fixture, "POST", "accounts/session", NULL,
                                      "{\"name\": \"nobody\", \"password\": \"" PASSWORD "\"}");
  g_autoptr(GDateTime) expires = NULL;

  assert_status (ok, SOUP_STATUS_CREATED);
  g_assert_cmpuint (strlen (member (ok, "token")), ==, 43);
  expires = g_date_time_new_from_iso8601 (member (ok, "expires"), NULL);
  g_assert_nonnull (expires);
  g_assert_cmpint (g_date_time_to_unix (expires), ==,
                   START_TIME + YUN_CLOUD_ACCOUNTS_DEFAULT_TOKEN_LIFETIME);

  assert_error (wrong, SOUP_STATUS_UNAUTHORIZED, "unauthorized");
  assert_error (unknown, SOUP_STATUS_UNAUTHORIZED, "unauthorized");
  g_assert_cmpstr (member (wrong, "reason"), ==, member (unknown, "reason"));
  g_assert_nonnull (soup_message_headers_get_one (wrong->headers, "WWW-Authenticate"));
}

static void
test_accounts_session_info (Fixture       *fixture,
                            gconstpointer  user_data)
{
  g_autoptr(Response) with_token = http (fixture, "GET", "accounts/session", fixture->alice, NULL);
  g_autoptr(Response) with_basic = http (fixture, "GET", "accounts/session", fixture->alice_basic,
                                         NULL);
  g_autoptr(Response) without = http (fixture, "GET", "accounts/session", NULL, NULL);

  assert_status (with_token, SOUP_STATUS_OK);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (object (with_token),
                                                                                 "userCtx"),
                                                  "name"), ==, "alice");
  assert_status (with_basic, SOUP_STATUS_OK);
  assert_error (without, SOUP_STATUS_UNAUTHORIZED, "unauthorized");
}

static void
test_token_expired (Fixture       *fixture,
                    gconstpointer  user_data)
{
  g_autoptr(Response) before = http (fixture, "GET", "sync/_all_dbs", fixture->alice, NULL);
  g_autoptr(Response) after = NULL;
  g_autoptr(Response) basic_after = NULL;

  assert_status (before, SOUP_STATUS_OK);

  fixture->now += YUN_CLOUD_ACCOUNTS_DEFAULT_TOKEN_LIFETIME;
  after = http (fixture, "GET", "sync/_all_dbs", fixture->alice, NULL);
  assert_error (after, SOUP_STATUS_UNAUTHORIZED, "unauthorized");
  g_assert_nonnull (soup_message_headers_get_one (after->headers, "WWW-Authenticate"));

  /* The password itself does not expire. */
  basic_after = http (fixture, "GET", "sync/_all_dbs", fixture->alice_basic, NULL);
  assert_status (basic_after, SOUP_STATUS_OK);
}

static void
test_token_revoked (Fixture       *fixture,
                    gconstpointer  user_data)
{
  g_autoptr(Response) revoke = http (fixture, "DELETE", "accounts/session", fixture->alice, NULL);
  g_autoptr(Response) after = http (fixture, "GET", "sync/_all_dbs", fixture->alice, NULL);
  g_autoptr(Response) again = http (fixture, "DELETE", "accounts/session", fixture->alice, NULL);
  g_autoptr(Response) with_basic = http (fixture, "DELETE", "accounts/session",
                                         fixture->alice_basic, NULL);

  assert_status (revoke, SOUP_STATUS_OK);
  assert_error (after, SOUP_STATUS_UNAUTHORIZED, "unauthorized");
  assert_error (again, SOUP_STATUS_UNAUTHORIZED, "unauthorized");
  /* Basic has no token to revoke unless asked for all. */
  assert_error (with_basic, SOUP_STATUS_BAD_REQUEST, "bad_request");
}

static void
test_token_revoke_all (Fixture       *fixture,
                       gconstpointer  user_data)
{
  g_autofree char *second = NULL;
  g_autoptr(Response) revoke = NULL;
  g_autoptr(Response) first_after = NULL;
  g_autoptr(Response) second_after = NULL;
  g_autoptr(Response) bob_after = NULL;

  /* Signing in again gives alice a second token. */
  {
    g_autoptr(Response) signed_in = http (fixture, "POST", "accounts/session", NULL,
                                          "{\"name\": \"alice\", \"password\": \"" PASSWORD "\"}");

    second = g_strconcat ("Bearer ", member (signed_in, "token"), NULL);
  }
  fixture->bob = add_user (fixture, "bob");

  revoke = http (fixture, "DELETE", "accounts/session?all=true", fixture->alice_basic, NULL);
  assert_status (revoke, SOUP_STATUS_OK);

  first_after = http (fixture, "GET", "sync/_all_dbs", fixture->alice, NULL);
  second_after = http (fixture, "GET", "sync/_all_dbs", second, NULL);
  bob_after = http (fixture, "GET", "sync/_all_dbs", fixture->bob, NULL);
  assert_status (first_after, SOUP_STATUS_UNAUTHORIZED);
  assert_status (second_after, SOUP_STATUS_UNAUTHORIZED);
  assert_status (bob_after, SOUP_STATUS_OK);
}

/* Authentication on /sync. */

static const char * const all_routes[][2] = {
  { "GET", "sync/_all_dbs" },
  { "GET", "sync/notes" },
  { "HEAD", "sync/notes" },
  { "PUT", "sync/notes" },
  { "POST", "sync/notes" },
  { "GET", "sync/notes/_changes" },
  { "GET", "sync/notes/_changes?feed=longpoll&timeout=100" },
  { "POST", "sync/notes/_revs_diff" },
  { "POST", "sync/notes/_bulk_docs" },
  { "POST", "sync/notes/_bulk_get" },
  { "GET", "sync/notes/_all_docs" },
  { "POST", "sync/notes/_all_docs" },
  { "POST", "sync/notes/_ensure_full_commit" },
  { "GET", "sync/notes/secret" },
  { "PUT", "sync/notes/secret" },
  { "DELETE", "sync/notes/secret?rev=1-abc" },
  { "GET", "sync/notes/secret?open_revs=all" },
  { "GET", "sync/notes/secret/photo.jpg" },
  { "PUT", "sync/notes/secret/photo.jpg" },
  { "DELETE", "sync/notes/secret/photo.jpg?rev=1-abc" },
  { "GET", "sync/notes/_local/checkpoint" },
  { "PUT", "sync/notes/_local/checkpoint" },
  { "DELETE", "sync/notes/_local/checkpoint" },
  { "GET", "sync/notes/_design/app" },
  { "DELETE", "sync/notes" },
};

/* Bodies that would be valid for each route, so that only the
 * authentication decides. */
static const char *
valid_body (const char *method,
            const char *path)
{
  if (strcmp (method, "POST") != 0 && strcmp (method, "PUT") != 0)
    return NULL;
  if (g_str_has_suffix (path, "_revs_diff"))
    return "{\"secret\": [\"1-abc\"]}";
  if (g_str_has_suffix (path, "_bulk_docs") || g_str_has_suffix (path, "_bulk_get"))
    return "{\"docs\": [{\"_id\": \"secret\", \"id\": \"secret\"}]}";
  if (g_str_has_suffix (path, "_all_docs"))
    return "{\"keys\": [\"secret\"]}";
  if (g_str_has_suffix (path, "notes"))
    return strcmp (method, "POST") == 0 ? "{\"text\": \"posted\"}" : NULL;
  return "{\"text\": \"overwritten\"}";
}

/* alice's notes: one document with an attachment and a checkpoint. */
static void
make_alice_notes (Fixture *fixture)
{
  g_autofree char *rev = NULL;

  make_db (fixture, fixture->alice, "notes");
  g_free (put_doc (fixture, fixture->alice, "notes/secret", "{\"text\": \"alice's secret\"}"));
  g_free (put_doc (fixture, fixture->alice, "notes/_local/checkpoint", "{\"seq\": 1}"));
  rev = put_doc (fixture, fixture->alice, "notes/other",
                 "{\"_attachments\": {\"photo.jpg\": {\"content_type\": \"image/jpeg\", "
                 "\"data\": \"AAEC\"}}}");
}

static void
assert_alice_notes_unchanged (Fixture *fixture)
{
  g_autofree char *secret = get_body (fixture, fixture->alice, "notes/secret");
  g_autofree char *checkpoint = get_body (fixture, fixture->alice, "notes/_local/checkpoint");
  g_autoptr(Response) dbs = http (fixture, "GET", "sync/_all_dbs", fixture->alice, NULL);

  g_assert_cmpint (update_seq (fixture, fixture->alice, "notes"), ==, 2);
  g_assert_nonnull (strstr (secret, "alice's secret"));
  g_assert_null (strstr (secret, "overwritten"));
  g_assert_nonnull (strstr (checkpoint, "\"seq\":1"));
  assert_status (dbs, SOUP_STATUS_OK);
  g_assert_cmpuint (json_array_get_length (array (dbs)), ==, 1);
}

static void
test_auth_required (Fixture       *fixture,
                    gconstpointer  user_data)
{
  g_autofree char *wrong = basic ("alice", "not the password");
  g_autofree char *no_colon = g_strconcat ("Basic ", "YWxpY2U=", NULL);
  const char *bad_auth[] = {
    NULL, wrong, no_colon, "Basic !!!!", "Basic", "Bearer", "Bearer short",
    "Bearer AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "Digest username=\"alice\"",
    "alice:" PASSWORD,
  };

  make_alice_notes (fixture);

  for (guint i = 0; i < G_N_ELEMENTS (bad_auth); i++) {
    for (guint j = 0; j < G_N_ELEMENTS (all_routes); j++) {
      g_autoptr(Response) response = http (fixture, all_routes[j][0], all_routes[j][1],
                                           bad_auth[i],
                                           valid_body (all_routes[j][0], all_routes[j][1]));

      g_test_message ("%s %s with %s", all_routes[j][0], all_routes[j][1],
                      bad_auth[i] ? bad_auth[i] : "nothing");
      g_assert_cmpuint (response->status, ==, SOUP_STATUS_UNAUTHORIZED);
      g_assert_cmpstr (soup_message_headers_get_one (response->headers, "WWW-Authenticate"), ==,
                       "Basic realm=\"yun-cloud\"");
      if (strcmp (all_routes[j][0], "HEAD") != 0)
        assert_error (response, SOUP_STATUS_UNAUTHORIZED, "unauthorized");
    }
  }

  assert_alice_notes_unchanged (fixture);
}

static void
test_auth_basic (Fixture       *fixture,
                 gconstpointer  user_data)
{
  g_autoptr(Response) listed = NULL;

  make_db (fixture, fixture->alice_basic, "notes");
  listed = http (fixture, "GET", "sync/_all_dbs", fixture->alice, NULL);
  assert_status (listed, SOUP_STATUS_OK);
  g_assert_cmpstr (json_array_get_string_element (array (listed), 0), ==, "notes");
}

/* Sets alice's stored password hash to @name's, as changing the password
 * behind the server's back would. */
static void
copy_password (Fixture    *fixture,
               const char *from)
{
  g_autofree char *path = g_build_filename (fixture->data_dir, "accounts.sqlite", NULL);
  g_autofree char *sql = g_strdup_printf ("UPDATE users SET hash = (SELECT hash FROM users "
                                          "WHERE name = '%s') WHERE name = 'alice'", from);
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_changes (db), ==, 1);
  sqlite3_close (db);
}

static void
test_auth_basic_cached (Fixture       *fixture,
                        gconstpointer  user_data)
{
  g_autofree char *new_basic = basic ("alice", "the new password");
  g_autoptr(Response) first = http (fixture, "GET", "sync/_all_dbs", fixture->alice_basic, NULL);

  assert_status (first, SOUP_STATUS_OK);

  /* The password changes in the database: the verified pair is still
   * remembered, and the new one is checked against the database. */
  {
    g_autoptr(Response) carol = http (fixture, "POST", "accounts", NULL,
                                      "{\"name\": \"carol\", \"password\": \"the new password\"}");

    assert_status (carol, SOUP_STATUS_CREATED);
  }
  copy_password (fixture, "carol");
  {
    g_autoptr(Response) cached = http (fixture, "GET", "sync/_all_dbs", fixture->alice_basic, NULL);
    g_autoptr(Response) fresh = http (fixture, "GET", "sync/_all_dbs", new_basic, NULL);

    assert_status (cached, SOUP_STATUS_OK);
    assert_status (fresh, SOUP_STATUS_OK);
  }

  /* Forgetting the user drops the remembered pair. */
  yun_cloud_auth_forget_user (yun_cloud_server_get_auth (fixture->server), "alice");
  {
    g_autoptr(Response) old = http (fixture, "GET", "sync/_all_dbs", fixture->alice_basic, NULL);
    g_autoptr(Response) fresh = http (fixture, "GET", "sync/_all_dbs", new_basic, NULL);

    assert_error (old, SOUP_STATUS_UNAUTHORIZED, "unauthorized");
    assert_status (fresh, SOUP_STATUS_OK);
  }
}

/* Isolation: bob can never reach alice's databases. */

static void
test_isolation_every_route (Fixture       *fixture,
                            gconstpointer  user_data)
{
  make_alice_notes (fixture);
  fixture->bob = add_user (fixture, "bob");

  for (guint j = 0; j < G_N_ELEMENTS (all_routes); j++) {
    g_autoptr(Response) response = http (fixture, all_routes[j][0], all_routes[j][1], fixture->bob,
                                         valid_body (all_routes[j][0], all_routes[j][1]));

    g_test_message ("bob: %s %s -> %u", all_routes[j][0], all_routes[j][1], response->status);
    /* Whatever bob did happened in his own namespace. */
    assert_alice_notes_unchanged (fixture);
    if (strcmp (all_routes[j][0], "GET") == 0 && response->json != NULL &&
        JSON_NODE_HOLDS_OBJECT (response->json))
      g_assert_null (strstr (g_bytes_get_data (response->body, NULL), "alice's secret"));
  }

  /* Bob's reads of "notes" see his own (by now created) database only. */
  {
    g_autoptr(Response) secret = http (fixture, "GET", "sync/notes/secret", fixture->bob, NULL);
    g_autoptr(Response) all = http (fixture, "GET", "sync/notes/_all_docs?include_docs=true",
                                    fixture->bob, NULL);

    g_assert_null (strstr (g_bytes_get_data (secret->body, NULL), "alice's secret"));
    g_assert_null (strstr (g_bytes_get_data (all->body, NULL), "alice's secret"));
  }

  /* One file per user. */
  {
    g_autofree char *alice_file = g_build_filename (fixture->data_dir, "users", "alice.sqlite", NULL);
    g_autofree char *bob_file = g_build_filename (fixture->data_dir, "users", "bob.sqlite", NULL);

    g_assert_true (g_file_test (alice_file, G_FILE_TEST_IS_REGULAR));
    g_assert_true (g_file_test (bob_file, G_FILE_TEST_IS_REGULAR));
  }
}

static void
test_isolation_traversal (Fixture       *fixture,
                          gconstpointer  user_data)
{
  const char *paths[] = {
    "sync/..%2Falice%2Fnotes/secret",
    "sync/%2E%2E/alice/notes/secret",
    "sync/alice%2Fnotes/secret",
    "sync/alice/notes/secret",
    "sync/..%2F..%2Fusers%2Falice.sqlite",
    "sync/notes%00/secret",
    "sync/notes/..%2Fsecret",
    "sync/notes/%2E%2E%2F%2E%2E%2Falice%2Fnotes%2Fsecret",
  };
  const char *raw_paths[] = {
    "/sync/%ZZ/secret", "/sync/notes/%ZZ", "/sync/notes/%00", "/sync/%FF%FE/secret",
    "/sync/notes/secret/%C0%AE%C0%AE", "/sync/../users/alice.sqlite",
  };

  make_alice_notes (fixture);
  fixture->bob = add_user (fixture, "bob");

  for (guint i = 0; i < G_N_ELEMENTS (paths); i++) {
    g_autoptr(Response) read = http (fixture, "GET", paths[i], fixture->bob, NULL);
    g_autoptr(Response) write = http (fixture, "PUT", paths[i], fixture->bob,
                                      "{\"text\": \"overwritten\"}");

    g_test_message ("%s: GET %u, PUT %u", paths[i], read->status, write->status);
    g_assert_cmpuint (read->status, >=, 400);
    g_assert_cmpuint (read->status, <, 500);
    /* A client may resolve dot segments and leave /sync altogether. */
    if (read->json != NULL)
      g_assert_nonnull (member (read, "error"));
    g_assert_cmpuint (write->status, >=, 400);
    g_assert_cmpuint (write->status, <, 500);
    assert_alice_notes_unchanged (fixture);
  }

  for (guint i = 0; i < G_N_ELEMENTS (raw_paths); i++) {
    guint read = raw_status (fixture, "GET", raw_paths[i], fixture->bob);
    guint write = raw_status (fixture, "PUT", raw_paths[i], fixture->bob);

    g_test_message ("raw %s: GET %u, PUT %u", raw_paths[i], read, write);
    g_assert_cmpuint (read, >=, 400);
    g_assert_cmpuint (read, <, 500);
    g_assert_cmpuint (write, >=, 400);
    g_assert_cmpuint (write, <, 500);
    assert_alice_notes_unchanged (fixture);
  }
}

/* The welcome. */

static void
test_root (Fixture       *fixture,
           gconstpointer  user_data)
{
  g_autoptr(Response) anonymous = http (fixture, "GET", "sync/", NULL, NULL);
  g_autoptr(Response) as_alice = http (fixture, "GET", "sync/", fixture->alice, NULL);
  g_autoptr(Response) as_alice_basic = http (fixture, "GET", "sync/", fixture->alice_basic, NULL);
  g_autoptr(Response) wrong = NULL;
  g_autoptr(Response) as_bob = NULL;
  g_autofree char *wrong_auth = basic ("alice", "nope nope nope");

  fixture->bob = add_user (fixture, "bob");
  as_bob = http (fixture, "GET", "sync/", fixture->bob, NULL);
  wrong = http (fixture, "GET", "sync/", wrong_auth, NULL);

  assert_status (anonymous, SOUP_STATUS_OK);
  g_assert_cmpstr (member (anonymous, "couchdb"), ==, "Welcome");
  g_assert_true (g_str_has_prefix (member (anonymous, "version"), "3."));
  g_assert_cmpuint (strlen (member (anonymous, "uuid")), ==, 32);
  g_assert_cmpstr (member (as_alice, "uuid"), ==, member (as_alice_basic, "uuid"));
  g_assert_cmpstr (member (as_alice, "uuid"), !=, member (as_bob, "uuid"));
  g_assert_cmpstr (member (as_alice, "uuid"), !=, member (anonymous, "uuid"));
  assert_error (wrong, SOUP_STATUS_UNAUTHORIZED, "unauthorized");
}

/* Databases. */

static void
test_db_lifecycle (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_autoptr(Response) created = http (fixture, "PUT", "sync/notes", fixture->alice, NULL);
  g_autoptr(Response) again = http (fixture, "PUT", "sync/notes", fixture->alice, NULL);
  g_autoptr(Response) info = http (fixture, "GET", "sync/notes/", fixture->alice, NULL);
  g_autoptr(Response) head = http (fixture, "HEAD", "sync/notes", fixture->alice, NULL);
  g_autoptr(Response) listed = http (fixture, "GET", "sync/_all_dbs", fixture->alice, NULL);
  g_autoptr(Response) deleted = http (fixture, "DELETE", "sync/notes", fixture->alice, NULL);
  g_autoptr(Response) gone = http (fixture, "GET", "sync/notes", fixture->alice, NULL);
  g_autoptr(Response) head_gone = http (fixture, "HEAD", "sync/notes", fixture->alice, NULL);
  g_autoptr(Response) deleted_again = http (fixture, "DELETE", "sync/notes", fixture->alice, NULL);

  assert_status (created, SOUP_STATUS_CREATED);
  assert_error (again, SOUP_STATUS_PRECONDITION_FAILED, "file_exists");
  assert_status (info, SOUP_STATUS_OK);
  g_assert_cmpstr (member (info, "db_name"), ==, "notes");
  g_assert_cmpint (json_object_get_int_member (object (info), "doc_count"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (object (info), "update_seq"), ==, 0);
  assert_status (head, SOUP_STATUS_OK);
  g_assert_cmpuint (g_bytes_get_size (head->body), ==, 0);
  g_assert_cmpstr (json_array_get_string_element (array (listed), 0), ==, "notes");
  assert_status (deleted, SOUP_STATUS_OK);
  assert_error (gone, SOUP_STATUS_NOT_FOUND, "not_found");
  assert_status (head_gone, SOUP_STATUS_NOT_FOUND);
  assert_error (deleted_again, SOUP_STATUS_NOT_FOUND, "not_found");
}

static void
test_db_names (Fixture       *fixture,
               gconstpointer  user_data)
{
  g_autofree char *too_long = g_strnfill (300, 'a');
  g_autofree char *too_long_path = g_strconcat ("sync/", too_long, NULL);
  const char *bad[] = {
    "sync/Notes", "sync/_users", "sync/1notes", "sync/no%20tes", "sync/n%C3%B6tes",
    too_long_path,
  };
  g_autoptr(Response) listed = NULL;

  g_assert_cmpuint (raw_status (fixture, "PUT", "/sync/%ZZ", fixture->alice), ==,
                    SOUP_STATUS_BAD_REQUEST);
  g_assert_cmpuint (raw_status (fixture, "PUT", "/sync/a%00b", fixture->alice), ==,
                    SOUP_STATUS_BAD_REQUEST);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++) {
    g_autoptr(Response) response = http (fixture, "PUT", bad[i], fixture->alice, NULL);

    g_test_message ("%s", bad[i]);
    assert_error (response, SOUP_STATUS_BAD_REQUEST, "bad_request");
  }

  /* CouchDB's other characters, and an encoded slash, are fine. */
  make_db (fixture, fixture->alice, "photos%2F2024");
  make_db (fixture, fixture->alice, "a_%24()%2B-");
  listed = http (fixture, "GET", "sync/_all_dbs", fixture->alice, NULL);
  g_assert_cmpuint (json_array_get_length (array (listed)), ==, 2);
  g_assert_cmpstr (json_array_get_string_element (array (listed), 0), ==, "a_$()+-");
  g_assert_cmpstr (json_array_get_string_element (array (listed), 1), ==, "photos/2024");
}

/* Documents. */

static void
test_doc_lifecycle (Fixture       *fixture,
                    gconstpointer  user_data)
{
  g_autofree char *rev1 = NULL;
  g_autofree char *rev2 = NULL;
  g_autofree char *etag = NULL;

  make_db (fixture, fixture->alice, "notes");
  rev1 = put_doc (fixture, fixture->alice, "notes/n1", "{\"text\": \"one\"}");
  g_assert_true (g_str_has_prefix (rev1, "1-"));

  {
    g_autoptr(Response) got = http (fixture, "GET", "sync/notes/n1", fixture->alice, NULL);

    assert_status (got, SOUP_STATUS_OK);
    g_assert_cmpstr (member (got, "_id"), ==, "n1");
    g_assert_cmpstr (member (got, "_rev"), ==, rev1);
    g_assert_cmpstr (member (got, "text"), ==, "one");
    etag = g_strdup_printf ("\"%s\"", rev1);
    g_assert_cmpstr (soup_message_headers_get_one (got->headers, "ETag"), ==, etag);
  }

  /* An update needs the current revision, in the body or the query. */
  {
    g_autoptr(Response) no_rev = http (fixture, "PUT", "sync/notes/n1", fixture->alice,
                                       "{\"text\": \"two\"}");
    g_autoptr(Response) stale = http (fixture, "PUT", "sync/notes/n1?rev=1-0123456789abcdef",
                                      fixture->alice, "{\"text\": \"two\"}");
    g_autoptr(Response) disagree = NULL;
    g_autofree char *path = g_strdup_printf ("sync/notes/n1?rev=%s", rev1);

    assert_error (no_rev, SOUP_STATUS_CONFLICT, "conflict");
    assert_error (stale, SOUP_STATUS_CONFLICT, "conflict");
    disagree = http (fixture, "PUT", path, fixture->alice,
                     "{\"_rev\": \"1-0123456789abcdef\", \"text\": \"two\"}");
    assert_error (disagree, SOUP_STATUS_BAD_REQUEST, "bad_request");
    rev2 = put_doc (fixture, fixture->alice, path + strlen ("sync/"), "{\"text\": \"two\"}");
  }

  /* The old revision is gone once replaced; DELETE takes If-Match too. */
  {
    g_autofree char *old_path = g_strdup_printf ("sync/notes/n1?rev=%s", rev1);
    g_autoptr(Response) old = http (fixture, "GET", old_path, fixture->alice, NULL);
    g_autoptr(SoupMessage) msg = new_message (fixture, "DELETE", "sync/notes/n1", fixture->alice,
                                              NULL, NULL, 0);
    g_autoptr(Response) deleted = NULL;
    g_autoptr(Response) gone = NULL;
    g_autoptr(Response) tombstone = NULL;
    g_autofree char *quoted = g_strdup_printf ("\"%s\"", rev2);
    g_autofree char *tombstone_path = NULL;

    assert_error (old, SOUP_STATUS_NOT_FOUND, "not_found");
    soup_message_headers_replace (soup_message_get_request_headers (msg), "If-Match", quoted);
    deleted = send_message (fixture, msg);
    assert_status (deleted, SOUP_STATUS_OK);
    g_assert_true (g_str_has_prefix (member (deleted, "rev"), "3-"));

    gone = http (fixture, "GET", "sync/notes/n1", fixture->alice, NULL);
    assert_error (gone, SOUP_STATUS_NOT_FOUND, "not_found");
    tombstone_path = g_strdup_printf ("sync/notes/n1?rev=%s", member (deleted, "rev"));
    tombstone = http (fixture, "GET", tombstone_path, fixture->alice, NULL);
    assert_status (tombstone, SOUP_STATUS_OK);
    g_assert_true (json_object_get_boolean_member (object (tombstone), "_deleted"));
  }

  /* POST to the database makes an id. */
  {
    g_autoptr(Response) posted = http (fixture, "POST", "sync/notes", fixture->alice,
                                       "{\"text\": \"posted\"}");

    assert_status (posted, SOUP_STATUS_CREATED);
    g_assert_cmpuint (strlen (member (posted, "id")), >, 0);
  }
}

static void
test_doc_ids_with_slashes (Fixture       *fixture,
                           gconstpointer  user_data)
{
  g_autoptr(Response) encoded = NULL;
  g_autoptr(Response) design = NULL;
  g_autoptr(Response) design_encoded = NULL;
  g_autoptr(Response) as_attachment = NULL;
  g_autoptr(Response) listed = NULL;

  make_db (fixture, fixture->alice, "notes");
  g_free (put_doc (fixture, fixture->alice, "notes/a%2Fb", "{\"text\": \"slash\"}"));
  g_free (put_doc (fixture, fixture->alice, "notes/_design/app", "{\"views\": {}}"));

  encoded = http (fixture, "GET", "sync/notes/a%2fb", fixture->alice, NULL);
  assert_status (encoded, SOUP_STATUS_OK);
  g_assert_cmpstr (member (encoded, "_id"), ==, "a/b");

  design = http (fixture, "GET", "sync/notes/_design/app", fixture->alice, NULL);
  design_encoded = http (fixture, "GET", "sync/notes/_design%2Fapp", fixture->alice, NULL);
  assert_status (design, SOUP_STATUS_OK);
  assert_status (design_encoded, SOUP_STATUS_OK);
  g_assert_cmpstr (member (design, "_id"), ==, "_design/app");

  /* A plain slash starts an attachment name, as in CouchDB. */
  as_attachment = http (fixture, "GET", "sync/notes/a/b", fixture->alice, NULL);
  assert_error (as_attachment, SOUP_STATUS_NOT_FOUND, "not_found");

  listed = http (fixture, "GET", "sync/notes/_all_docs", fixture->alice, NULL);
  g_assert_cmpint (json_object_get_int_member (object (listed), "total_rows"), ==, 2);
}

static void
test_doc_hostile (Fixture       *fixture,
                  gconstpointer  user_data)
{
  g_autofree char *huge_id = g_strnfill (600, 'x');
  g_autofree char *huge_id_path = g_strconcat ("sync/notes/", huge_id, NULL);
  g_autoptr(GString) deep = g_string_new ("{\"a\": ");
  g_autofree char *before = NULL;
  const struct {
    const char *path;
    const char *body;
    guint       status;
  } cases[] = {
    { "sync/notes/n1", "{\"text\": ", SOUP_STATUS_BAD_REQUEST },
    { "sync/notes/n1", "[1, 2, 3]", SOUP_STATUS_BAD_REQUEST },
    { "sync/notes/n1", "\"text\"", SOUP_STATUS_BAD_REQUEST },
    { "sync/notes/n1", "", SOUP_STATUS_BAD_REQUEST },
    { "sync/notes/n1", "{\"_id\": \"n2\"}", SOUP_STATUS_BAD_REQUEST },
    { "sync/notes/n1", "{\"_id\": 7}", SOUP_STATUS_BAD_REQUEST },
    { "sync/notes/n1", "{\"_rev\": 7}", SOUP_STATUS_BAD_REQUEST },
    { "sync/notes/n1", "{\"_rev\": \"not-a-rev\"}", SOUP_STATUS_BAD_REQUEST },
    { "sync/notes/n1?rev=xyz", "{}", SOUP_STATUS_BAD_REQUEST },
    { "sync/notes/n1", "{\"_deleted\": \"yes\"}", SOUP_STATUS_BAD_REQUEST },
    { "sync/notes/n1", "{\"_attachments\": {\"a\": {\"data\": \"not base64!\"}}}",
      SOUP_STATUS_BAD_REQUEST },
    { "sync/notes/n1", "{\"_attachments\": {\"a\": 5}}", SOUP_STATUS_BAD_REQUEST },
    { "sync/notes/n1", "{\"text\": \"\\ud800\"}", SOUP_STATUS_BAD_REQUEST },
    { "sync/notes/n1?new_edits=maybe", "{}", SOUP_STATUS_BAD_REQUEST },
    { "sync/notes/_bogus", "{}", SOUP_STATUS_BAD_REQUEST },
    { huge_id_path, "{}", SOUP_STATUS_BAD_REQUEST },
    { "sync/notes/n1?rev=1-abc", "{}", SOUP_STATUS_CONFLICT },
  };

  make_db (fixture, fixture->alice, "notes");
  g_free (put_doc (fixture, fixture->alice, "notes/keep", "{\"text\": \"kept\"}"));
  before = get_body (fixture, fixture->alice, "notes/_all_docs?include_docs=true");

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_autoptr(Response) response = http (fixture, "PUT", cases[i].path, fixture->alice,
                                         cases[i].body);

    g_test_message ("case %u: %s %s", i, cases[i].path, cases[i].body);
    g_assert_cmpuint (response->status, ==, cases[i].status);
    g_assert_nonnull (member (response, "error"));
  }

  for (guint i = 0; i < 200; i++)
    g_string_append (deep, "[");
  {
    g_autoptr(Response) response = http (fixture, "PUT", "sync/notes/deep", fixture->alice,
                                         deep->str);

    assert_error (response, SOUP_STATUS_BAD_REQUEST, "bad_request");
  }

  {
    g_autoptr(SoupMessage) msg = new_message (fixture, "PUT", "sync/notes/n1", fixture->alice,
                                              "text/plain", "{\"text\": \"x\"}", -1);
    g_autoptr(Response) response = send_message (fixture, msg);

    assert_error (response, SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE, "bad_content_type");
  }

  /* Nothing changed. */
  {
    g_autofree char *after = get_body (fixture, fixture->alice, "notes/_all_docs?include_docs=true");

    g_assert_cmpstr (before, ==, after);
    g_assert_cmpint (update_seq (fixture, fixture->alice, "notes"), ==, 1);
  }
}

static void
test_body_too_large (Fixture       *fixture,
                     gconstpointer  user_data)
{
  gsize size = YUN_CLOUD_SYNC_API_MAX_BODY + 1;
  g_autofree char *body = g_malloc (size);
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(Response) response = NULL;

  make_db (fixture, fixture->alice, "notes");

  /* Valid JSON all the way, so only the size can be the reason. */
  memset (body, ' ', size);
  memcpy (body, "{\"docs\": []}", strlen ("{\"docs\": []}"));
  msg = new_message (fixture, "POST", "sync/notes/_bulk_docs", fixture->alice, JSON, body, size);
  response = send_message (fixture, msg);

  assert_error (response, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "too_large");
  g_assert_cmpint (update_seq (fixture, fixture->alice, "notes"), ==, 0);
}

/* _changes. */

static void
test_changes_normal (Fixture       *fixture,
                     gconstpointer  user_data)
{
  g_autoptr(Response) all = NULL;
  g_autoptr(Response) since = NULL;
  g_autoptr(Response) limited = NULL;
  g_autoptr(Response) with_docs = NULL;
  g_autoptr(Response) now = NULL;
  JsonArray *results;

  make_db (fixture, fixture->alice, "notes");
  g_free (put_doc (fixture, fixture->alice, "notes/a", "{\"n\": 1}"));
  g_free (put_doc (fixture, fixture->alice, "notes/b", "{\"n\": 2}"));
  g_free (put_doc (fixture, fixture->alice, "notes/_local/cp", "{\"seq\": 2}"));
  g_free (put_doc (fixture, fixture->alice, "notes/c", "{\"n\": 3}"));

  all = http (fixture, "GET", "sync/notes/_changes", fixture->alice, NULL);
  assert_status (all, SOUP_STATUS_OK);
  results = json_object_get_array_member (object (all), "results");
  /* Local documents are not in the feed. */
  g_assert_cmpuint (json_array_get_length (results), ==, 3);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (results, 0), "id"),
                   ==, "a");
  g_assert_cmpint (json_object_get_int_member (object (all), "last_seq"), ==, 3);

  since = http (fixture, "GET", "sync/notes/_changes?since=2", fixture->alice, NULL);
  results = json_object_get_array_member (object (since), "results");
  g_assert_cmpuint (json_array_get_length (results), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (results, 0), "id"),
                   ==, "c");

  limited = http (fixture, "GET", "sync/notes/_changes?limit=2", fixture->alice, NULL);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object (limited), "results")),
                    ==, 2);
  g_assert_cmpint (json_object_get_int_member (object (limited), "last_seq"), ==, 2);

  with_docs = http (fixture, "GET", "sync/notes/_changes?include_docs=true&style=all_docs",
                    fixture->alice, NULL);
  results = json_object_get_array_member (object (with_docs), "results");
  g_assert_cmpint (json_object_get_int_member (
                     json_object_get_object_member (json_array_get_object_element (results, 1), "doc"),
                     "n"), ==, 2);

  now = http (fixture, "GET", "sync/notes/_changes?since=now", fixture->alice, NULL);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object (now), "results")),
                    ==, 0);
  g_assert_cmpint (json_object_get_int_member (object (now), "last_seq"), ==, 3);
}

static void
test_changes_conflicts_all_docs (Fixture       *fixture,
                                 gconstpointer  user_data)
{
  g_autoptr(Response) bulk = NULL;
  g_autoptr(Response) main_only = NULL;
  g_autoptr(Response) all_docs = NULL;
  JsonArray *changes;

  make_db (fixture, fixture->alice, "notes");
  bulk = http (fixture, "POST", "sync/notes/_bulk_docs", fixture->alice,
               "{\"new_edits\": false, \"docs\": ["
               "{\"_id\": \"c\", \"_rev\": \"2-aaaa\", \"v\": \"a\", "
               "\"_revisions\": {\"start\": 2, \"ids\": [\"aaaa\", \"root\"]}},"
               "{\"_id\": \"c\", \"_rev\": \"2-bbbb\", \"v\": \"b\", "
               "\"_revisions\": {\"start\": 2, \"ids\": [\"bbbb\", \"root\"]}}]}");
  assert_status (bulk, SOUP_STATUS_CREATED);

  main_only = http (fixture, "GET", "sync/notes/_changes", fixture->alice, NULL);
  all_docs = http (fixture, "GET", "sync/notes/_changes?style=all_docs", fixture->alice, NULL);
  changes = json_object_get_array_member (
    json_array_get_object_element (json_object_get_array_member (object (main_only), "results"), 0),
    "changes");
  g_assert_cmpuint (json_array_get_length (changes), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (changes, 0), "rev"),
                   ==, "2-bbbb");
  changes = json_object_get_array_member (
    json_array_get_object_element (json_object_get_array_member (object (all_docs), "results"), 0),
    "changes");
  g_assert_cmpuint (json_array_get_length (changes), ==, 2);
}

static void
test_changes_hostile (Fixture       *fixture,
                      gconstpointer  user_data)
{
  const char *paths[] = {
    "sync/notes/_changes?since=abc", "sync/notes/_changes?since=-1",
    "sync/notes/_changes?limit=-1", "sync/notes/_changes?limit=ten",
    "sync/notes/_changes?limit=99999999999999999999", "sync/notes/_changes?feed=continuous",
    "sync/notes/_changes?feed=eventsource", "sync/notes/_changes?style=bogus",
    "sync/notes/_changes?include_docs=maybe", "sync/notes/_changes?timeout=soon",
    "sync/notes/_changes?filter=_doc_ids", "sync/notes/_changes?descending=true",
  };
  g_autoptr(Response) missing = NULL;
  g_autoptr(Response) put = NULL;

  make_db (fixture, fixture->alice, "notes");
  for (guint i = 0; i < G_N_ELEMENTS (paths); i++) {
    g_autoptr(Response) response = http (fixture, "GET", paths[i], fixture->alice, NULL);

    g_test_message ("%s", paths[i]);
    assert_error (response, SOUP_STATUS_BAD_REQUEST, "bad_request");
  }

  missing = http (fixture, "GET", "sync/missing/_changes", fixture->alice, NULL);
  assert_error (missing, SOUP_STATUS_NOT_FOUND, "not_found");
  put = http (fixture, "PUT", "sync/notes/_changes", fixture->alice, "{}");
  assert_error (put, SOUP_STATUS_METHOD_NOT_ALLOWED, "method_not_allowed");
}

typedef struct {
  SoupMessage *msg;
  SendData     data;
} Pending;

static void
pending_start (Fixture    *fixture,
               Pending    *pending,
               const char *path,
               const char *auth)
{
  pending->msg = new_message (fixture, "GET", path, auth, NULL, NULL, 0);
  soup_session_send_and_read_async (fixture->session, pending->msg, G_PRIORITY_DEFAULT, NULL,
                                    on_send_ready, &pending->data);
}

static Response *
pending_finish (Pending *pending)
{
  Response *response;

  yun_test_run_until (&pending->data.done, TIMEOUT_SECONDS);
  response = finish (pending->msg, &pending->data);
  g_clear_object (&pending->msg);

  return response;
}

static void
test_longpoll_wakes (Fixture       *fixture,
                     gconstpointer  user_data)
{
  Pending pending = { 0 };
  g_autoptr(Response) response = NULL;
  JsonArray *results;

  make_db (fixture, fixture->alice, "notes");
  g_free (put_doc (fixture, fixture->alice, "notes/old", "{}"));

  pending_start (fixture, &pending, "sync/notes/_changes?feed=longpoll&since=1&timeout=20000",
                 fixture->alice);

  /* Other requests are answered while it waits, and it does not answer
   * for them: neither a read nor a write of a local document. */
  g_assert_cmpint (update_seq (fixture, fixture->alice, "notes"), ==, 1);
  g_free (put_doc (fixture, fixture->alice, "notes/_local/cp", "{\"seq\": 1}"));
  g_assert_cmpint (update_seq (fixture, fixture->alice, "notes"), ==, 1);
  g_assert_false (pending.data.done);

  g_free (put_doc (fixture, fixture->alice, "notes/new", "{\"text\": \"wake up\"}"));
  response = pending_finish (&pending);

  assert_status (response, SOUP_STATUS_OK);
  results = json_object_get_array_member (object (response), "results");
  g_assert_cmpuint (json_array_get_length (results), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (results, 0), "id"),
                   ==, "new");
  g_assert_cmpint (json_object_get_int_member (object (response), "last_seq"), ==, 2);
}

static void
test_longpoll_immediate (Fixture       *fixture,
                         gconstpointer  user_data)
{
  g_autoptr(Response) response = NULL;

  make_db (fixture, fixture->alice, "notes");
  g_free (put_doc (fixture, fixture->alice, "notes/a", "{}"));

  /* Changes after since: answered at once, whatever the timeout. */
  response = http (fixture, "GET", "sync/notes/_changes?feed=longpoll&since=0&timeout=60000",
                   fixture->alice, NULL);
  assert_status (response, SOUP_STATUS_OK);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object (response), "results")),
                    ==, 1);
}

static void
test_longpoll_times_out (Fixture       *fixture,
                         gconstpointer  user_data)
{
  Pending pending = { 0 };
  g_autoptr(Response) response = NULL;

  make_db (fixture, fixture->alice, "notes");
  fixture->bob = add_user (fixture, "bob");
  make_db (fixture, fixture->bob, "notes");

  pending_start (fixture, &pending, "sync/notes/_changes?feed=longpoll&since=now&timeout=300",
                 fixture->alice);
  /* Bob's write to his own notes is no change to alice's. */
  g_free (put_doc (fixture, fixture->bob, "notes/bobs", "{}"));
  response = pending_finish (&pending);

  assert_status (response, SOUP_STATUS_OK);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object (response), "results")),
                    ==, 0);
  g_assert_cmpint (json_object_get_int_member (object (response), "last_seq"), ==, 0);
}

static void
test_longpoll_server_disposed (Fixture       *fixture,
                               gconstpointer  user_data)
{
  Pending pending = { 0 };

  make_db (fixture, fixture->alice, "notes");
  pending_start (fixture, &pending, "sync/notes/_changes?feed=longpoll&timeout=60000",
                 fixture->alice);
  /* A round trip, so that the longpoll is waiting on the server. */
  g_assert_cmpint (update_seq (fixture, fixture->alice, "notes"), ==, 0);
  g_assert_false (pending.data.done);

  /* Disposing the server with a longpoll waiting frees it cleanly. */
  g_assert_finalize_object (g_steal_pointer (&fixture->server));
  yun_test_run_until (&pending.data.done, TIMEOUT_SECONDS);
  g_clear_error (&pending.data.error);
  g_clear_pointer (&pending.data.body, g_bytes_unref);
  g_clear_object (&pending.msg);
  start_server (fixture);
}

/* _revs_diff, _bulk_docs, _bulk_get. */

static void
test_revs_diff (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autofree char *rev = NULL;
  g_autofree char *body = NULL;
  g_autoptr(Response) diff = NULL;
  JsonObject *result;

  make_db (fixture, fixture->alice, "notes");
  rev = put_doc (fixture, fixture->alice, "notes/a", "{}");
  body = g_strdup_printf ("{\"a\": [\"%s\", \"2-ffff\"], \"b\": [\"1-eeee\"]}", rev);
  diff = http (fixture, "POST", "sync/notes/_revs_diff", fixture->alice, body);

  assert_status (diff, SOUP_STATUS_OK);
  result = object (diff);
  g_assert_cmpstr (json_array_get_string_element (
                     json_object_get_array_member (json_object_get_object_member (result, "a"),
                                                   "missing"), 0), ==, "2-ffff");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
                      json_object_get_object_member (result, "a"), "missing")), ==, 1);
  g_assert_true (json_object_has_member (result, "b"));

  {
    const char *bad[] = {
      "[]", "{\"a\": \"1-abc\"}", "{\"a\": [1]}", "{\"a\": [\"abc\"]}", "{\"\": [\"1-abc\"]}", "nope",
    };

    for (guint i = 0; i < G_N_ELEMENTS (bad); i++) {
      g_autoptr(Response) response = http (fixture, "POST", "sync/notes/_revs_diff", fixture->alice,
                                           bad[i]);

      g_test_message ("%s", bad[i]);
      assert_error (response, SOUP_STATUS_BAD_REQUEST, "bad_request");
    }
  }
}

static void
test_bulk_docs (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autofree char *rev = NULL;
  g_autofree char *body = NULL;
  g_autoptr(Response) response = NULL;
  JsonArray *rows;

  make_db (fixture, fixture->alice, "notes");
  rev = put_doc (fixture, fixture->alice, "notes/existing", "{}");

  /* One row per document, in order; a refused one does not stop the rest. */
  body = g_strdup_printf ("{\"docs\": [{\"_id\": \"a\", \"n\": 1}, {\"_id\": \"existing\"}, "
                          "42, {\"_id\": \"existing\", \"_rev\": \"%s\", \"n\": 2}, "
                          "{\"_id\": \"_bad\"}]}", rev);
  response = http (fixture, "POST", "sync/notes/_bulk_docs", fixture->alice, body);
  assert_status (response, SOUP_STATUS_CREATED);
  rows = array (response);
  g_assert_cmpuint (json_array_get_length (rows), ==, 5);
  g_assert_true (json_object_has_member (json_array_get_object_element (rows, 0), "rev"));
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (rows, 1), "error"),
                   ==, "conflict");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (rows, 2), "error"),
                   ==, "bad_request");
  g_assert_true (g_str_has_prefix (json_object_get_string_member (json_array_get_object_element (rows, 3),
                                                                  "rev"), "2-"));
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (rows, 4), "error"),
                   ==, "bad_request");
  g_assert_cmpint (update_seq (fixture, fixture->alice, "notes"), ==, 3);
}

static void
test_bulk_docs_hostile (Fixture       *fixture,
                        gconstpointer  user_data)
{
  const struct {
    const char *path;
    const char *body;
    guint       status;
  } cases[] = {
    { "sync/notes/_bulk_docs", "{}", SOUP_STATUS_BAD_REQUEST },
    { "sync/notes/_bulk_docs", "{\"docs\": {}}", SOUP_STATUS_BAD_REQUEST },
    { "sync/notes/_bulk_docs", "{\"docs\": [], \"new_edits\": \"no\"}", SOUP_STATUS_BAD_REQUEST },
    { "sync/notes/_bulk_docs", "[{\"_id\": \"a\"}]", SOUP_STATUS_BAD_REQUEST },
    { "sync/notes/_bulk_docs", "{\"docs\": [", SOUP_STATUS_BAD_REQUEST },
    { "sync/missing/_bulk_docs", "{\"docs\": [{\"_id\": \"a\"}]}", SOUP_STATUS_NOT_FOUND },
  };
  g_autoptr(Response) replicated = NULL;
  g_autoptr(Response) get = NULL;

  make_db (fixture, fixture->alice, "notes");
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_autoptr(Response) response = http (fixture, "POST", cases[i].path, fixture->alice,
                                         cases[i].body);

    g_test_message ("case %u", i);
    g_assert_cmpuint (response->status, ==, cases[i].status);
    g_assert_nonnull (member (response, "error"));
  }

  /* Replicated revisions with malformed ids or revisions are refused one
   * by one. */
  replicated = http (fixture, "POST", "sync/notes/_bulk_docs", fixture->alice,
                     "{\"new_edits\": false, \"docs\": [{\"_id\": \"a\"}, "
                     "{\"_id\": \"b\", \"_rev\": \"x-y\"}, "
                     "{\"_id\": \"c\", \"_rev\": \"1-abc\", \"_revisions\": {\"start\": 5}}]}");
  assert_status (replicated, SOUP_STATUS_CREATED);
  for (guint i = 0; i < 3; i++)
    g_assert_true (json_object_has_member (json_array_get_object_element (array (replicated), i),
                                           "error"));

  g_assert_cmpint (update_seq (fixture, fixture->alice, "notes"), ==, 0);
  get = http (fixture, "GET", "sync/notes/_bulk_docs", fixture->alice, NULL);
  assert_error (get, SOUP_STATUS_METHOD_NOT_ALLOWED, "method_not_allowed");
}

static void
test_bulk_get (Fixture       *fixture,
               gconstpointer  user_data)
{
  g_autofree char *rev = NULL;
  g_autofree char *body = NULL;
  g_autoptr(Response) response = NULL;
  JsonArray *results;
  JsonObject *doc;

  make_db (fixture, fixture->alice, "notes");
  rev = put_doc (fixture, fixture->alice, "notes/a",
                 "{\"n\": 1, \"_attachments\": {\"t.txt\": {\"content_type\": \"text/plain\", "
                 "\"data\": \"aGVsbG8=\"}}}");

  body = g_strdup_printf ("{\"docs\": [{\"id\": \"a\", \"rev\": \"%s\"}, {\"id\": \"a\"}, "
                          "{\"id\": \"a\", \"rev\": \"9-ffff\"}, {\"id\": \"nothing\"}, "
                          "{\"id\": 5}, 7]}", rev);
  response = http (fixture, "POST", "sync/notes/_bulk_get?revs=true&attachments=true",
                   fixture->alice, body);
  assert_status (response, SOUP_STATUS_OK);
  results = json_object_get_array_member (object (response), "results");
  g_assert_cmpuint (json_array_get_length (results), ==, 6);

  doc = json_object_get_object_member (
    json_array_get_object_element (
      json_object_get_array_member (json_array_get_object_element (results, 0), "docs"), 0), "ok");
  g_assert_cmpstr (json_object_get_string_member (doc, "_rev"), ==, rev);
  g_assert_true (json_object_has_member (doc, "_revisions"));
  g_assert_cmpstr (json_object_get_string_member (
                     json_object_get_object_member (json_object_get_object_member (doc, "_attachments"),
                                                    "t.txt"), "data"), ==, "aGVsbG8=");

  for (guint i = 2; i < 6; i++) {
    JsonObject *row = json_array_get_object_element (
      json_object_get_array_member (json_array_get_object_element (results, i), "docs"), 0);

    g_assert_true (json_object_has_member (row, "error"));
  }

  {
    g_autoptr(Response) bad = http (fixture, "POST", "sync/notes/_bulk_get", fixture->alice,
                                    "{\"docs\": 5}");
    g_autoptr(Response) missing_db = http (fixture, "POST", "sync/missing/_bulk_get",
                                           fixture->alice, "{\"docs\": []}");

    assert_error (bad, SOUP_STATUS_BAD_REQUEST, "bad_request");
    assert_error (missing_db, SOUP_STATUS_NOT_FOUND, "not_found");
  }
}

static void
test_open_revs (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(Response) bulk = NULL;
  g_autoptr(Response) all = NULL;
  g_autoptr(Response) some = NULL;
  g_autoptr(SoupMessage) msg = NULL;

  make_db (fixture, fixture->alice, "notes");
  bulk = http (fixture, "POST", "sync/notes/_bulk_docs", fixture->alice,
               "{\"new_edits\": false, \"docs\": ["
               "{\"_id\": \"c\", \"_rev\": \"1-aaaa\", \"v\": \"a\"},"
               "{\"_id\": \"c\", \"_rev\": \"1-bbbb\", \"v\": \"b\"}]}");
  assert_status (bulk, SOUP_STATUS_CREATED);

  msg = new_message (fixture, "GET", "sync/notes/c?open_revs=all&revs=true", fixture->alice, NULL,
                     NULL, 0);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Accept", JSON);
  all = send_message (fixture, msg);
  assert_status (all, SOUP_STATUS_OK);
  g_assert_cmpuint (json_array_get_length (array (all)), ==, 2);

  some = http (fixture, "GET", "sync/notes/c?open_revs=%5B%221-aaaa%22,%222-cccc%22%5D",
               fixture->alice, NULL);
  assert_status (some, SOUP_STATUS_OK);
  g_assert_true (json_object_has_member (json_array_get_object_element (array (some), 0), "ok"));
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (array (some), 1),
                                                  "missing"), ==, "2-cccc");

  {
    const char *bad[] = {
      "sync/notes/c?open_revs=%5B1%5D", "sync/notes/c?open_revs=nope",
      "sync/notes/c?open_revs=%7B%7D", "sync/notes/c?revs=perhaps",
    };

    for (guint i = 0; i < G_N_ELEMENTS (bad); i++) {
      g_autoptr(Response) response = http (fixture, "GET", bad[i], fixture->alice, NULL);

      assert_error (response, SOUP_STATUS_BAD_REQUEST, "bad_request");
    }
  }

  /* The winner, with its conflict. */
  {
    g_autoptr(Response) winner = http (fixture, "GET", "sync/notes/c?conflicts=true", fixture->alice,
                                       NULL);

    g_assert_cmpstr (member (winner, "_rev"), ==, "1-bbbb");
    g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (object (winner),
                                                                                  "_conflicts"), 0),
                     ==, "1-aaaa");
  }
}

static void
test_atts_since (Fixture       *fixture,
                 gconstpointer  user_data)
{
  g_autofree char *rev1 = NULL;
  g_autofree char *rev2 = NULL;
  g_autofree char *path = NULL;
  g_autofree char *body = NULL;
  g_autoptr(Response) response = NULL;
  JsonObject *attachments;

  make_db (fixture, fixture->alice, "photos");
  rev1 = put_doc (fixture, fixture->alice, "photos/p",
                  "{\"_attachments\": {\"old.jpg\": {\"content_type\": \"image/jpeg\", "
                  "\"data\": \"AAAA\"}}}");
  path = g_strdup_printf ("photos/p?rev=%s", rev1);
  rev2 = put_doc (fixture, fixture->alice, path,
                  "{\"_attachments\": {\"old.jpg\": {\"stub\": true}, "
                  "\"new.jpg\": {\"content_type\": \"image/jpeg\", \"data\": \"BBBB\"}}}");

  g_free (path);
  path = g_strdup_printf ("sync/photos/p?rev=%s&attachments=true&atts_since=%%5B%%22%s%%22%%5D",
                          rev2, rev1);
  response = http (fixture, "GET", path, fixture->alice, NULL);
  assert_status (response, SOUP_STATUS_OK);
  attachments = json_object_get_object_member (object (response), "_attachments");
  g_assert_true (json_object_get_boolean_member (json_object_get_object_member (attachments, "old.jpg"),
                                                 "stub"));
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (attachments, "new.jpg"),
                                                  "data"), ==, "BBBB");
  g_assert_false (json_object_has_member (object (response), "_revisions"));

  /* The same through _bulk_get. */
  body = g_strdup_printf ("{\"docs\": [{\"id\": \"p\", \"rev\": \"%s\", \"atts_since\": [\"%s\"]}]}",
                          rev2, rev1);
  {
    g_autoptr(Response) bulk = http (fixture, "POST", "sync/photos/_bulk_get?attachments=true",
                                     fixture->alice, body);
    JsonObject *doc = json_object_get_object_member (
      json_array_get_object_element (
        json_object_get_array_member (
          json_array_get_object_element (json_object_get_array_member (object (bulk), "results"), 0),
          "docs"), 0), "ok");

    attachments = json_object_get_object_member (doc, "_attachments");
    g_assert_true (json_object_has_member (json_object_get_object_member (attachments, "old.jpg"),
                                           "stub"));
    g_assert_true (json_object_has_member (json_object_get_object_member (attachments, "new.jpg"),
                                           "data"));
  }

  {
    g_autoptr(Response) bad = http (fixture, "GET", "sync/photos/p?atts_since=%5B1%5D",
                                    fixture->alice, NULL);

    assert_error (bad, SOUP_STATUS_BAD_REQUEST, "bad_request");
  }
}

static void
test_attachments (Fixture       *fixture,
                  gconstpointer  user_data)
{
  static const guint8 bytes[] = { 0x89, 'P', 'N', 'G', 0, 1, 2, 255 };
  g_autofree char *rev1 = NULL;
  g_autofree char *path = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(Response) put = NULL;
  g_autoptr(Response) got = NULL;
  g_autoptr(Response) stale = NULL;
  g_autoptr(Response) doc = NULL;

  make_db (fixture, fixture->alice, "photos");
  rev1 = put_doc (fixture, fixture->alice, "photos/p", "{\"title\": \"cat\"}");

  path = g_strdup_printf ("sync/photos/p/images%%2Fcat.png?rev=%s", rev1);
  msg = new_message (fixture, "PUT", path, fixture->alice, "image/png", bytes, sizeof bytes);
  put = send_message (fixture, msg);
  assert_status (put, SOUP_STATUS_CREATED);

  got = http (fixture, "GET", "sync/photos/p/images%2Fcat.png", fixture->alice, NULL);
  assert_status (got, SOUP_STATUS_OK);
  g_assert_cmpstr (soup_message_headers_get_content_type (got->headers, NULL), ==, "image/png");
  g_assert_cmpmem (g_bytes_get_data (got->body, NULL), g_bytes_get_size (got->body), bytes,
                   sizeof bytes);

  /* The body and the revision tree carry on. */
  doc = http (fixture, "GET", "sync/photos/p", fixture->alice, NULL);
  g_assert_cmpstr (member (doc, "title"), ==, "cat");
  g_assert_true (g_str_has_prefix (member (doc, "_rev"), "2-"));

  g_clear_object (&msg);
  msg = new_message (fixture, "PUT", path, fixture->alice, "image/png", bytes, sizeof bytes);
  stale = send_message (fixture, msg);
  assert_error (stale, SOUP_STATUS_CONFLICT, "conflict");

  /* Deleting it needs the current revision. */
  {
    g_autofree char *delete_path = g_strdup_printf ("sync/photos/p/images%%2Fcat.png?rev=%s",
                                                    member (put, "rev"));
    g_autoptr(Response) no_rev = http (fixture, "DELETE", "sync/photos/p/images%2Fcat.png",
                                       fixture->alice, NULL);
    g_autoptr(Response) deleted = http (fixture, "DELETE", delete_path, fixture->alice, NULL);
    g_autoptr(Response) gone = http (fixture, "GET", "sync/photos/p/images%2Fcat.png",
                                     fixture->alice, NULL);
    g_autoptr(Response) missing = http (fixture, "GET", "sync/photos/p/other.png", fixture->alice,
                                        NULL);

    assert_error (no_rev, SOUP_STATUS_CONFLICT, "conflict");
    assert_status (deleted, SOUP_STATUS_OK);
    assert_error (gone, SOUP_STATUS_NOT_FOUND, "not_found");
    assert_error (missing, SOUP_STATUS_NOT_FOUND, "not_found");
  }
}

static void
test_local_docs (Fixture       *fixture,
                 gconstpointer  user_data)
{
  g_autofree char *rev = NULL;
  g_autofree char *path = NULL;
  g_autoptr(Response) got = NULL;
  g_autoptr(Response) stale = NULL;
  g_autoptr(Response) deleted = NULL;
  g_autoptr(Response) gone = NULL;

  make_db (fixture, fixture->alice, "notes");
  rev = put_doc (fixture, fixture->alice, "notes/_local/replication-1", "{\"last_seq\": 5}");
  g_assert_cmpstr (rev, ==, "0-1");

  got = http (fixture, "GET", "sync/notes/_local%2Freplication-1", fixture->alice, NULL);
  assert_status (got, SOUP_STATUS_OK);
  g_assert_cmpint (json_object_get_int_member (object (got), "last_seq"), ==, 5);

  stale = http (fixture, "PUT", "sync/notes/_local/replication-1", fixture->alice,
                "{\"last_seq\": 6}");
  assert_error (stale, SOUP_STATUS_CONFLICT, "conflict");

  path = g_strdup_printf ("notes/_local/replication-1?rev=%s", rev);
  g_free (rev);
  rev = put_doc (fixture, fixture->alice, path, "{\"last_seq\": 6}");
  g_assert_cmpstr (rev, ==, "0-2");

  g_free (path);
  path = g_strdup_printf ("sync/notes/_local/replication-1?rev=%s", rev);
  deleted = http (fixture, "DELETE", path, fixture->alice, NULL);
  assert_status (deleted, SOUP_STATUS_OK);
  gone = http (fixture, "GET", "sync/notes/_local/replication-1", fixture->alice, NULL);
  assert_error (gone, SOUP_STATUS_NOT_FOUND, "not_found");
  g_assert_cmpint (update_seq (fixture, fixture->alice, "notes"), ==, 0);
}

static void
test_all_docs (Fixture       *fixture,
               gconstpointer  user_data)
{
  g_autofree char *rev = NULL;
  g_autofree char *path = NULL;
  g_autoptr(Response) range = NULL;
  g_autoptr(Response) keys = NULL;
  g_autoptr(Response) limited = NULL;
  JsonArray *rows;

  make_db (fixture, fixture->alice, "notes");
  g_free (put_doc (fixture, fixture->alice, "notes/a", "{\"n\": 1}"));
  g_free (put_doc (fixture, fixture->alice, "notes/b", "{\"n\": 2}"));
  g_free (put_doc (fixture, fixture->alice, "notes/c", "{\"n\": 3}"));
  rev = put_doc (fixture, fixture->alice, "notes/d", "{\"n\": 4}");
  path = g_strdup_printf ("sync/notes/d?rev=%s", rev);
  {
    g_autoptr(Response) deleted = http (fixture, "DELETE", path, fixture->alice, NULL);

    assert_status (deleted, SOUP_STATUS_OK);
  }

  range = http (fixture, "GET", "sync/notes/_all_docs?startkey=%22b%22&endkey=%22c%22&include_docs=true",
                fixture->alice, NULL);
  assert_status (range, SOUP_STATUS_OK);
  rows = json_object_get_array_member (object (range), "rows");
  g_assert_cmpuint (json_array_get_length (rows), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (rows, 0), "id"),
                   ==, "b");
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (
                     json_array_get_object_element (rows, 1), "doc"), "n"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (object (range), "total_rows"), ==, 3);

  limited = http (fixture, "GET", "sync/notes/_all_docs?limit=1", fixture->alice, NULL);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object (limited), "rows")),
                    ==, 1);

  keys = http (fixture, "POST", "sync/notes/_all_docs", fixture->alice,
               "{\"keys\": [\"c\", \"zzz\", \"d\", 5]}");
  assert_status (keys, SOUP_STATUS_OK);
  rows = json_object_get_array_member (object (keys), "rows");
  g_assert_cmpuint (json_array_get_length (rows), ==, 4);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (rows, 0), "id"),
                   ==, "c");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (rows, 1), "error"),
                   ==, "not_found");
  g_assert_true (json_object_get_boolean_member (json_object_get_object_member (
                   json_array_get_object_element (rows, 2), "value"), "deleted"));

  {
    const char *bad[] = {
      "sync/notes/_all_docs?startkey=b", "sync/notes/_all_docs?startkey=5",
      "sync/notes/_all_docs?limit=x", "sync/notes/_all_docs?keys=%7B%7D",
      "sync/notes/_all_docs?include_docs=1", "sync/notes/_all_docs?descending=true",
    };

    for (guint i = 0; i < G_N_ELEMENTS (bad); i++) {
      g_autoptr(Response) response = http (fixture, "GET", bad[i], fixture->alice, NULL);

      g_test_message ("%s", bad[i]);
      assert_error (response, SOUP_STATUS_BAD_REQUEST, "bad_request");
    }
  }
}

/* CORS. */

static Response *
with_headers (Fixture    *fixture,
              const char *method,
              const char *path,
              const char *auth,
              ...)
{
  g_autoptr(SoupMessage) msg = new_message (fixture, method, path, auth, NULL, NULL, 0);
  const char *name;
  va_list args;

  va_start (args, auth);
  while ((name = va_arg (args, const char *)) != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (msg), name,
                                  va_arg (args, const char *));
  va_end (args);

  return send_message (fixture, msg);
}

static void
test_cors_off (Fixture       *fixture,
               gconstpointer  user_data)
{
  g_autoptr(Response) preflight = with_headers (fixture, "OPTIONS", "sync/notes", NULL,
                                                "Origin", "http://app.example",
                                                "Access-Control-Request-Method", "GET", NULL);
  g_autoptr(Response) get = with_headers (fixture, "GET", "sync/_all_dbs", fixture->alice,
                                          "Origin", "http://app.example", NULL);

  assert_error (preflight, SOUP_STATUS_METHOD_NOT_ALLOWED, "method_not_allowed");
  g_assert_null (soup_message_headers_get_one (preflight->headers, "Access-Control-Allow-Origin"));
  assert_status (get, SOUP_STATUS_OK);
  g_assert_null (soup_message_headers_get_one (get->headers, "Access-Control-Allow-Origin"));
}

static void
test_cors_origins (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  YunCloudCors *cors = yun_cloud_cors_new ("http://app.example, https://other.example:8443/", NULL,
                                           NULL, TRUE, 600, &error);

  g_assert_no_error (error);
  yun_cloud_server_set_cors (fixture->server, cors);

  {
    g_autoptr(Response) preflight = with_headers (fixture, "OPTIONS", "sync/notes/_bulk_docs", NULL,
                                                  "Origin", "http://app.example",
                                                  "Access-Control-Request-Method", "POST",
                                                  "Access-Control-Request-Headers",
                                                  "Content-Type, Authorization, X-Evil", NULL);
    SoupMessageHeaders *headers = preflight->headers;

    assert_status (preflight, SOUP_STATUS_NO_CONTENT);
    g_assert_cmpstr (soup_message_headers_get_one (headers, "Access-Control-Allow-Origin"), ==,
                     "http://app.example");
    g_assert_cmpstr (soup_message_headers_get_one (headers, "Access-Control-Allow-Credentials"), ==,
                     "true");
    g_assert_nonnull (strstr (soup_message_headers_get_one (headers, "Access-Control-Allow-Methods"),
                              "POST"));
    g_assert_cmpstr (soup_message_headers_get_one (headers, "Access-Control-Allow-Headers"), ==,
                     "content-type, authorization");
    g_assert_cmpstr (soup_message_headers_get_one (headers, "Access-Control-Max-Age"), ==, "600");
  }

  {
    g_autoptr(Response) get = with_headers (fixture, "GET", "sync/_all_dbs", fixture->alice,
                                            "Origin", "https://other.example:8443", NULL);
    g_autoptr(Response) unauthorized = with_headers (fixture, "GET", "sync/_all_dbs", NULL,
                                                     "Origin", "http://app.example", NULL);

    assert_status (get, SOUP_STATUS_OK);
    g_assert_cmpstr (soup_message_headers_get_one (get->headers, "Access-Control-Allow-Origin"), ==,
                     "https://other.example:8443");
    g_assert_nonnull (soup_message_headers_get_one (get->headers, "Access-Control-Expose-Headers"));
    /* Errors carry the headers too, so that a page can read them. */
    assert_status (unauthorized, SOUP_STATUS_UNAUTHORIZED);
    g_assert_cmpstr (soup_message_headers_get_one (unauthorized->headers,
                                                   "Access-Control-Allow-Origin"), ==,
                     "http://app.example");
  }

  /* Other origins and methods get nothing. */
  {
    g_autoptr(Response) other = with_headers (fixture, "OPTIONS", "sync/notes", NULL,
                                              "Origin", "http://evil.example",
                                              "Access-Control-Request-Method", "GET", NULL);
    g_autoptr(Response) method = with_headers (fixture, "OPTIONS", "sync/notes", NULL,
                                               "Origin", "http://app.example",
                                               "Access-Control-Request-Method", "PATCH", NULL);
    g_autoptr(Response) get = with_headers (fixture, "GET", "sync/_all_dbs", fixture->alice,
                                            "Origin", "http://app.example.evil.example", NULL);

    g_assert_null (soup_message_headers_get_one (other->headers, "Access-Control-Allow-Origin"));
    g_assert_cmpuint (other->status, ==, SOUP_STATUS_METHOD_NOT_ALLOWED);
    /* An allowed origin, but the method is not granted. */
    g_assert_cmpuint (method->status, ==, SOUP_STATUS_METHOD_NOT_ALLOWED);
    g_assert_null (soup_message_headers_get_one (method->headers, "Access-Control-Allow-Methods"));
    g_assert_null (soup_message_headers_get_one (get->headers, "Access-Control-Allow-Origin"));
  }
}

static void
test_cors_any_origin (Fixture       *fixture,
                      gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  YunCloudCors *cors = yun_cloud_cors_new ("*", "GET", "accept", FALSE, 60, &error);
  g_autoptr(Response) get = NULL;
  g_autoptr(Response) post = NULL;

  g_assert_no_error (error);
  yun_cloud_server_set_cors (fixture->server, cors);

  get = with_headers (fixture, "GET", "sync/", NULL, "Origin", "http://anywhere.example", NULL);
  g_assert_cmpstr (soup_message_headers_get_one (get->headers, "Access-Control-Allow-Origin"), ==,
                   "*");
  g_assert_null (soup_message_headers_get_one (get->headers, "Access-Control-Allow-Credentials"));

  post = with_headers (fixture, "OPTIONS", "sync/notes", NULL, "Origin", "http://anywhere.example",
                       "Access-Control-Request-Method", "POST", NULL);
  g_assert_null (soup_message_headers_get_one (post->headers, "Access-Control-Allow-Methods"));
}

static void
test_cors_config_errors (Fixture       *fixture,
                         gconstpointer  user_data)
{
  const char *bad_origins[] = {
    "", " , ", "app.example", "ftp://app.example", "http://", "http://app.example/path",
    "http://user@app.example", "http://app.example?q", "javascript:alert(1)",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad_origins); i++) {
    g_autoptr(GError) error = NULL;
    g_autoptr(YunCloudCors) cors = yun_cloud_cors_new (bad_origins[i], NULL, NULL, FALSE, 0, &error);

    g_test_message ("%s", bad_origins[i]);
    g_assert_error (error, YUN_CLOUD_CORS_ERROR, YUN_CLOUD_CORS_ERROR_INVALID_ORIGIN);
    g_assert_null (cors);
  }

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(YunCloudCors) cors = yun_cloud_cors_new ("*", "GET, P(ST", NULL, FALSE, 0, &error);

    g_assert_error (error, YUN_CLOUD_CORS_ERROR, YUN_CLOUD_CORS_ERROR_INVALID_TOKEN);
    g_assert_null (cors);
  }
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(YunCloudCors) cors = yun_cloud_cors_new ("*", NULL, "accept, x y", FALSE, 0, &error);

    g_assert_error (error, YUN_CLOUD_CORS_ERROR, YUN_CLOUD_CORS_ERROR_INVALID_TOKEN);
    g_assert_null (cors);
  }
}

static void
add_test (const char *name,
          void (*test) (Fixture *, gconstpointer))
{
  g_autofree char *path = g_strconcat ("/yun/cloud/sync-api/", name, NULL);

  g_test_add (path, Fixture, NULL, fixture_setup, test, fixture_teardown);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  add_test ("accounts/register", test_accounts_register);
  add_test ("accounts/register-hostile", test_accounts_register_hostile);
  add_test ("accounts/sign-in", test_accounts_sign_in);
  add_test ("accounts/session-info", test_accounts_session_info);
  add_test ("accounts/token-expired", test_token_expired);
  add_test ("accounts/token-revoked", test_token_revoked);
  add_test ("accounts/token-revoke-all", test_token_revoke_all);
  add_test ("auth/required-on-every-route", test_auth_required);
  add_test ("auth/basic", test_auth_basic);
  add_test ("auth/basic-cached", test_auth_basic_cached);
  add_test ("isolation/every-route", test_isolation_every_route);
  add_test ("isolation/traversal", test_isolation_traversal);
  add_test ("root", test_root);
  add_test ("db/lifecycle", test_db_lifecycle);
  add_test ("db/names", test_db_names);
  add_test ("doc/lifecycle", test_doc_lifecycle);
  add_test ("doc/ids-with-slashes", test_doc_ids_with_slashes);
  add_test ("doc/hostile", test_doc_hostile);
  add_test ("body-too-large", test_body_too_large);
  add_test ("changes/normal", test_changes_normal);
  add_test ("changes/conflicts-all-docs", test_changes_conflicts_all_docs);
  add_test ("changes/hostile", test_changes_hostile);
  add_test ("changes/longpoll-wakes", test_longpoll_wakes);
  add_test ("changes/longpoll-immediate", test_longpoll_immediate);
  add_test ("changes/longpoll-times-out", test_longpoll_times_out);
  add_test ("changes/longpoll-server-disposed", test_longpoll_server_disposed);
  add_test ("revs-diff", test_revs_diff);
  add_test ("bulk-docs", test_bulk_docs);
  add_test ("bulk-docs/hostile", test_bulk_docs_hostile);
  add_test ("bulk-get", test_bulk_get);
  add_test ("doc/open-revs", test_open_revs);
  add_test ("doc/atts-since", test_atts_since);
  add_test ("attachments", test_attachments);
  add_test ("local-docs", test_local_docs);
  add_test ("all-docs", test_all_docs);
  add_test ("cors/off", test_cors_off);
  add_test ("cors/origins", test_cors_origins);
  add_test ("cors/any-origin", test_cors_any_origin);
  add_test ("cors/config-errors", test_cors_config_errors);

  return g_test_run ();
}
