/* test-sync-couchdb.c: the phone syncing with a CouchDB-protocol server
 * nobody here wrote: pouchdb-server (npm), in memory, on loopback, given
 * with --sync-url as an Apache CouchDB cluster would be.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "yun-e2e.h"
#include "yun-test-pouchdb.h"

static YunE2e *e2e;
static YunTestPouchdb *couch;

static JsonNode *
eval (const char *script)
{
  g_autoptr(GError) error = NULL;
  JsonNode *value = yun_e2e_eval (e2e, "jotter", script, &error);

  g_assert_no_error (error);
  return value;
}

static void
answer_prompt (void)
{
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  for (;;) {
    g_autoptr(GVariant) prompt = yun_e2e_call (e2e, "GetPrompt", NULL);
    gboolean open = FALSE;

    g_variant_get (prompt, "(b&s&s&s&s)", &open, NULL, NULL, NULL, NULL);
    if (open) {
      g_autoptr(GVariant) answered = yun_e2e_call (e2e, "AnswerPrompt",
                                                   g_variant_new ("(s)", "always"));
      return;
    }
    g_assert_cmpint (g_get_monotonic_time (), <, deadline);
    g_usleep (50 * 1000);
  }
}

static void
test_phone_pushes_to_the_server (void)
{
  g_autoptr(JsonNode) started = NULL;
  g_autoptr(JsonNode) saved = NULL;
  g_autofree char *url = g_strdup_printf ("%snotes/_all_docs?include_docs=true",
                                          yun_test_pouchdb_get_url (couch));
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  started = yun_e2e_wait_for (e2e, "jotter",
                              "if (!navigator.yun) return null;\n"
                              "window.saving = navigator.yun.notes.save ({ title: 'To CouchDB', body: 'From the phone' });\n"
                              "return true;");
  answer_prompt ();
  saved = yun_e2e_wait_for (e2e, "jotter", "return await window.saving;");

  for (;;) {
    guint status = 0;
    g_autoptr(JsonNode) docs = yun_test_http_json ("GET", url, NULL, &status);
    g_autofree char *text = docs != NULL ? json_to_string (docs, FALSE) : NULL;

    if (status == 200 && text != NULL && strstr (text, "From the phone") != NULL)
      break;
    g_assert_cmpint (g_get_monotonic_time (), <, deadline);
    g_usleep (200 * 1000);
  }
}

static void
test_phone_pulls_from_the_server (void)
{
  g_autofree char *url = g_strdup_printf ("%snotes/from-the-server", yun_test_pouchdb_get_url (couch));
  g_autoptr(JsonNode) put = NULL;
  g_autoptr(JsonNode) pulled = NULL;
  guint status = 0;

  put = yun_test_http_json ("PUT", url,
                            "{\"type\": \"note\", \"title\": \"From CouchDB\", \"body\": \"Hello phone\","
                            " \"tags\": [], \"updated\": 1700000000000}", &status);
  g_assert_cmpuint (status, ==, 201);
  pulled = yun_e2e_wait_for (e2e, "jotter",
                             "const notes = await navigator.yun.notes.list ({});\n"
                             "const note = notes.find ((n) => n.id === 'from-the-server');\n"
                             "return note ? note.body : null;");
  g_assert_cmpstr (json_node_get_string (pulled), ==, "Hello phone");
  {
    g_autoptr(JsonNode) ignored = eval ("return true;");
  }
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *webapps = NULL;
  g_autoptr(GError) error = NULL;
  const char *args[3] = { "--sync-url", NULL, NULL };
  int status;

  g_test_init (&argc, &argv, NULL);

  couch = yun_test_pouchdb_start (&error);
  if (couch == NULL) {
    /* No npm packages (tests/interop): nothing to sync with. */
    g_printerr ("skipping: %s\n", error->message);
    return 77;
  }

  g_test_add_func ("/yun/e2e/sync-couchdb/phone-pushes-to-the-server", test_phone_pushes_to_the_server);
  g_test_add_func ("/yun/e2e/sync-couchdb/phone-pulls-from-the-server", test_phone_pulls_from_the_server);

  args[1] = yun_test_pouchdb_get_url (couch);
  webapps = g_test_build_filename (G_TEST_DIST, "data", "webapps", NULL);
  e2e = yun_e2e_start_with_args (webapps, "jotter", args);
  status = g_test_run ();
  yun_e2e_stop (e2e);
  yun_test_pouchdb_stop (couch);

  return status;
}
