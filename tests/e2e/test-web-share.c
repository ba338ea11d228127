/* test-web-share.c: the standard navigator.share() through the share sheet.
 *
 * The real shell and the real yun-cloud: an app with the bridge calls
 * navigator.share() from a script the automation runs (WebKit counts that
 * script as a user gesture), the sheet shows what the app shares, and the
 * automation answers it through the sheet's own buttons.  A link shows the
 * text over HTTP until it is revoked; a friend gets a note; cancelling is
 * an AbortError; without a cloud account, or without a user gesture, the
 * page is refused.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <libsoup/soup.h>
#include <string.h>

#include "yun-e2e.h"

#define APP "sharer"
#define USER "wei"
#define FRIEND "mo"
#define PASSWORD "west lake 2026"

static YunE2e *e2e;

static JsonNode *
eval (const char *script)
{
  g_autoptr(GError) error = NULL;
  JsonNode *result = yun_e2e_eval (e2e, APP, script, &error);

  g_assert_no_error (error);
  return result;
}

static char *
eval_string (const char *script)
{
  g_autoptr(JsonNode) result = eval (script);

  g_assert_true (JSON_NODE_HOLDS_VALUE (result));
  return g_strdup (json_node_get_string (result));
}

/* Starts @body (an async function's) in the page: the automation's script
 * is the user gesture, so navigator.share() must be called before the
 * body's first await. */
static void
start (const char *body)
{
  g_autofree char *script = g_strdup_printf ("window.pending = (async () => { %s }) ();\n"
                                             "window.pending.catch (() => {});\n"
                                             "return true;", body);
  g_autoptr(JsonNode) started = eval (script);
}

/* What the started body returned, as a string ("undefined" for undefined,
 * the error's name when it threw). */
static char *
finish (void)
{
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  for (;;) {
    g_autoptr(JsonNode) done =
      eval ("return await Promise.race ([window.pending.then ("
            "  (v) => v === undefined ? 'undefined' : String (v), (e) => e.name),"
            "  new Promise ((r) => setTimeout (() => r (null), 100))]);");

    if (!JSON_NODE_HOLDS_NULL (done))
      return g_strdup (json_node_get_string (done));
    g_assert_cmpint (g_get_monotonic_time (), <, deadline);
  }
}

typedef struct {
  char *state;
  char *app_name;
  char *title;
  char *text;
  char *url;
  char *message;
} Sheet;

static void
sheet_free (Sheet *sheet)
{
  g_free (sheet->state);
  g_free (sheet->app_name);
  g_free (sheet->title);
  g_free (sheet->text);
  g_free (sheet->url);
  g_free (sheet->message);
  g_free (sheet);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Sheet, sheet_free)

static Sheet *
get_sheet (void)
{
  g_autoptr(GVariant) reply = yun_e2e_call (e2e, "GetShareSheet", NULL);
  Sheet *sheet = g_new0 (Sheet, 1);

  g_variant_get (reply, "(ssssss)", &sheet->state, &sheet->app_name, &sheet->title, &sheet->text,
                 &sheet->url, &sheet->message);
  return sheet;
}

/* Waits until the sheet is in @state. */
static Sheet *
wait_for_sheet (const char *state)
{
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  for (;;) {
    Sheet *sheet = get_sheet ();

    if (g_str_equal (sheet->state, state))
      return sheet;
    if (g_get_monotonic_time () > deadline)
      g_error ("the share sheet stayed %s (%s), not %s", sheet->state, sheet->message, state);
    sheet_free (sheet);
    g_usleep (50 * 1000);
  }
}

static void
answer (const char *choice,
        const char *friend_name)
{
  g_autoptr(GVariant) reply = yun_e2e_call (e2e, "AnswerShareSheet",
                                            g_variant_new ("(ss)", choice, friend_name));
}

typedef struct {
  guint status;
  char *body;
} Response;

static void
response_free (Response *response)
{
  g_free (response->body);
  g_free (response);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Response, response_free)

/* @method on @url (relative to the cloud unless absolute), as @user when
 * not %NULL. */
static Response *
http (const char *method,
      const char *url,
      const char *user,
      const char *body)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *full = g_str_has_prefix (url, "http") ? g_strdup (url)
                                                         : g_strconcat (e2e->cloud_url, url, NULL);
  g_autoptr(SoupMessage) message = soup_message_new (method, full);
  g_autoptr(GBytes) answer_bytes = NULL;
  g_autoptr(GError) error = NULL;
  Response *response = g_new0 (Response, 1);

  soup_session_set_proxy_resolver (session, NULL);
  if (user != NULL) {
    g_autofree char *pair = g_strconcat (user, ":", PASSWORD, NULL);
    g_autofree char *encoded = g_base64_encode ((const guchar *) pair, strlen (pair));
    g_autofree char *header = g_strconcat ("Basic ", encoded, NULL);

    soup_message_headers_replace (soup_message_get_request_headers (message), "Authorization",
                                  header);
  }
  if (body != NULL) {
    g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

    soup_message_set_request_body_from_bytes (message, "application/json", bytes);
  }
  answer_bytes = soup_session_send_and_read (session, message, NULL, &error);
  g_assert_no_error (error);
  response->status = soup_message_get_status (message);
  response->body = g_strndup (g_bytes_get_data (answer_bytes, NULL),
                              g_bytes_get_size (answer_bytes));
  return response;
}

static JsonObject *
parse_object (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();

  g_assert_true (json_parser_load_from_data (parser, text, -1, NULL));
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static void
register_user (const char *name)
{
  g_autofree char *body = g_strdup_printf ("{\"name\": \"%s\", \"password\": \"%s\"}", name,
                                           PASSWORD);
  g_autoptr(Response) response = http (SOUP_METHOD_POST, "accounts", NULL, body);

  g_assert_cmpuint (response->status, ==, 201);
}

/* Nothing of the standard's rules needs the sheet: no gesture, nothing to
 * share, files, bad URLs. */
static void
test_refused_in_the_page (void)
{
  g_autoptr(JsonNode) ready = yun_e2e_wait_for (e2e, APP, "return window.atLoad ? true : null;");
  g_autofree char *at_load = eval_string ("return await window.atLoad;");
  g_autofree char *empty = NULL;
  g_autofree char *files = NULL;
  g_autofree char *javascript = NULL;
  g_autoptr(JsonNode) can = NULL;
  g_autoptr(Sheet) sheet = NULL;

  /* A script of the page's own while it loads: no user activation. */
  g_assert_cmpstr (at_load, ==, "NotAllowedError");

  start ("return await navigator.share ({});");
  empty = finish ();
  g_assert_cmpstr (empty, ==, "TypeError");
  start ("return await navigator.share ({ text: 'x', files: [] });");
  files = finish ();
  g_assert_cmpstr (files, ==, "TypeError");
  start ("return await navigator.share ({ url: 'javascript:alert(1)' });");
  javascript = finish ();
  g_assert_cmpstr (javascript, ==, "TypeError");

  can = eval ("return [navigator.canShare ({ text: 'x' }), navigator.canShare ({}),"
              " navigator.canShare ({ text: 'x', files: [] }),"
              " navigator.canShare ({ url: 'file:///etc/passwd' }),"
              " navigator.canShare ({ url: 'elsewhere' })];");
  g_assert_true (json_array_get_boolean_element (json_node_get_array (can), 0));
  g_assert_false (json_array_get_boolean_element (json_node_get_array (can), 1));
  g_assert_false (json_array_get_boolean_element (json_node_get_array (can), 2));
  g_assert_false (json_array_get_boolean_element (json_node_get_array (can), 3));
  g_assert_true (json_array_get_boolean_element (json_node_get_array (can), 4));

  /* None of these opened the sheet. */
  sheet = get_sheet ();
  g_assert_cmpstr (sheet->state, ==, "closed");
}

/* Without an account the sheet says so and the page gets
 * InvalidStateError. */
static void
test_needs_an_account (void)
{
  g_autofree char *result = NULL;
  g_autoptr(Sheet) sheet = NULL;
  g_autoptr(Sheet) closed = NULL;

  start ("return await navigator.share ({ text: 'Hello' });");
  result = finish ();
  g_assert_cmpstr (result, ==, "InvalidStateError");
  sheet = wait_for_sheet ("no-account");
  g_assert_nonnull (strstr (sheet->message, "Settings"));
  answer ("close", "");
  closed = get_sheet ();
  g_assert_cmpstr (closed->state, ==, "closed");
}

/* A link shows the shared text and nothing else, until it is revoked. */
static void
test_link_then_revoked (void)
{
  g_autoptr(GVariant) signed_in = NULL;
  g_autoptr(Sheet) asking = NULL;
  g_autoptr(Sheet) done = NULL;
  g_autofree char *second = NULL;
  g_autofree char *result = NULL;
  g_autofree char *expected_url = NULL;
  g_autofree char *clipboard = NULL;
  g_autoptr(Response) page = NULL;
  g_autoptr(Response) list = NULL;
  g_autoptr(Response) revoked = NULL;
  g_autoptr(Response) gone = NULL;
  g_autoptr(JsonObject) shares = NULL;
  g_autofree char *path = NULL;
  JsonObject *item;

  register_user (USER);
  register_user (FRIEND);
  signed_in = yun_e2e_call (e2e, "SyncSignIn", g_variant_new ("(ss)", USER, PASSWORD));

  start ("return await navigator.share ({ title: 'Longjing', text: 'Buy 100 g <b>today</b>',"
         " url: 'elsewhere?x=1' });");
  asking = wait_for_sheet ("asking");
  g_assert_cmpstr (asking->app_name, ==, "Sharer");
  g_assert_cmpstr (asking->title, ==, "Longjing");
  g_assert_cmpstr (asking->text, ==, "Buy 100 g <b>today</b>");
  /* Resolved against the document. */
  expected_url = g_strconcat (e2e->cloud_url, "apps/" APP "/elsewhere?x=1", NULL);
  g_assert_cmpstr (asking->url, ==, expected_url);

  /* One share at a time. */
  second = eval_string ("return await navigator.share ({ text: 'again' })"
                        ".then (() => 'shared', (e) => e.name);");
  g_assert_cmpstr (second, ==, "InvalidStateError");

  answer ("link", "");
  result = finish ();
  g_assert_cmpstr (result, ==, "undefined");
  done = wait_for_sheet ("done");
  g_assert_true (g_str_has_prefix (done->message, e2e->cloud_url));
  g_assert_nonnull (strstr (done->message, "/s/"));

  page = http (SOUP_METHOD_GET, done->message, NULL, NULL);
  g_assert_cmpuint (page->status, ==, 200);
  g_assert_nonnull (strstr (page->body, "Longjing"));
  g_assert_nonnull (strstr (page->body, "Buy 100 g &lt;b&gt;today&lt;/b&gt;"));
  g_assert_nonnull (strstr (page->body, expected_url));
  answer ("close", "");

  /* Revoked with the user's own credentials, as the portal does. */
  list = http (SOUP_METHOD_GET, "accounts/shares", USER, NULL);
  g_assert_cmpuint (list->status, ==, 200);
  shares = parse_object (list->body);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (shares, "items")), ==, 1);
  item = json_array_get_object_element (json_object_get_array_member (shares, "items"), 0);
  g_assert_cmpstr (json_object_get_string_member (item, "db"), ==, "shared");
  path = g_strconcat ("accounts/shares/", json_object_get_string_member (item, "id"), NULL);
  revoked = http (SOUP_METHOD_DELETE, path, USER, NULL);
  g_assert_cmpuint (revoked->status, ==, 200);
  gone = http (SOUP_METHOD_GET, done->message, NULL, NULL);
  g_assert_cmpuint (gone->status, ==, 404);
  g_assert_null (strstr (gone->body, "Longjing"));
}

/* "Send to a friend": a note in the friend's notes. */
static void
test_sent_to_a_friend (void)
{
  g_autoptr(Sheet) asking = NULL;
  g_autoptr(Sheet) done = NULL;
  g_autofree char *result = NULL;
  g_autoptr(Response) notes = NULL;
  g_autoptr(JsonObject) all = NULL;
  JsonArray *rows;
  JsonObject *doc;

  start ("return await navigator.share ({ title: 'Recipe', text: 'Two eggs' });");
  asking = wait_for_sheet ("asking");
  g_assert_cmpstr (asking->text, ==, "Two eggs");
  answer ("friend", FRIEND);
  result = finish ();
  g_assert_cmpstr (result, ==, "undefined");
  done = wait_for_sheet ("done");
  g_assert_nonnull (strstr (done->message, FRIEND));
  answer ("close", "");

  notes = http (SOUP_METHOD_GET, "sync/notes/_all_docs?include_docs=true", FRIEND, NULL);
  g_assert_cmpuint (notes->status, ==, 200);
  all = parse_object (notes->body);
  rows = json_object_get_array_member (all, "rows");
  g_assert_cmpuint (json_array_get_length (rows), ==, 1);
  doc = json_object_get_object_member (json_array_get_object_element (rows, 0), "doc");
  g_assert_cmpstr (json_object_get_string_member (doc, "type"), ==, "note");
  g_assert_cmpstr (json_object_get_string_member (doc, "title"), ==, "Recipe");
  g_assert_cmpstr (json_object_get_string_member (doc, "body"), ==, "Two eggs");
}

/* A friend who is not there: the sheet says why and the page gets a
 * DataError; the user cancelling is an AbortError. */
static void
test_unknown_friend_and_cancel (void)
{
  g_autoptr(Sheet) asking = NULL;
  g_autoptr(Sheet) failed = NULL;
  g_autoptr(Sheet) again = NULL;
  g_autoptr(Sheet) closed = NULL;
  g_autofree char *unknown = NULL;
  g_autofree char *cancelled = NULL;

  start ("return await navigator.share ({ text: 'Hello' });");
  asking = wait_for_sheet ("asking");
  answer ("friend", "nobody-here");
  unknown = finish ();
  g_assert_cmpstr (unknown, ==, "DataError");
  failed = wait_for_sheet ("failed");
  g_assert_nonnull (strstr (failed->message, "No such user"));

  /* A new share replaces what the sheet showed. */
  start ("return await navigator.share ({ text: 'Hello' });");
  again = wait_for_sheet ("asking");
  answer ("cancel", "");
  cancelled = finish ();
  g_assert_cmpstr (cancelled, ==, "AbortError");
  closed = get_sheet ();
  g_assert_cmpstr (closed->state, ==, "closed");
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *webapps = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);

  /* In order: signed out first, then signed in. */
  g_test_add_func ("/yun/e2e/web-share/refused-in-the-page", test_refused_in_the_page);
  g_test_add_func ("/yun/e2e/web-share/needs-an-account", test_needs_an_account);
  g_test_add_func ("/yun/e2e/web-share/link-then-revoked", test_link_then_revoked);
  g_test_add_func ("/yun/e2e/web-share/sent-to-a-friend", test_sent_to_a_friend);
  g_test_add_func ("/yun/e2e/web-share/unknown-friend-and-cancel", test_unknown_friend_and_cancel);

  webapps = g_test_build_filename (G_TEST_DIST, "data", "webapps", NULL);
  e2e = yun_e2e_start (webapps, APP);
  status = g_test_run ();
  yun_e2e_stop (e2e);

  return status;
}
