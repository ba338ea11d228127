/* test-notes.c: navigator.yun.notes in the real shell, down to the store.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "yun-doc-store.h"
#include "yun-e2e.h"

static YunE2e *e2e;
static char *note_id;
static char *note_rev;

/* Runs @script (an async function body) in the page; its value, or
 * {error: "Name: message"} when it threw. */
static JsonObject *
page (const char *script)
{
  g_autofree char *wrapped = g_strdup_printf (
    "try { return { value: await (async () => { %s }) () }; }"
    "catch (e) { return { error: e.name + ': ' + e.message }; }", script);
  g_autoptr(JsonNode) node = yun_e2e_wait_for (e2e, "jotter", wrapped);

  return json_object_ref (json_node_get_object (node));
}

static void
test_permission_is_asked_once (void)
{
  g_autoptr(JsonNode) started = NULL;
  g_autoptr(JsonNode) state = NULL;
  g_autoptr(GVariant) answered = NULL;
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  started = yun_e2e_wait_for (e2e, "jotter",
                              "window.asked = navigator.yun.permissions.request ({ name: 'notes' });"
                              "return true;");
  for (;;) {
    g_autoptr(GVariant) prompt = yun_e2e_call (e2e, "GetPrompt", NULL);
    gboolean open;

    g_variant_get (prompt, "(b&s&s&s&s)", &open, NULL, NULL, NULL, NULL);
    if (open)
      break;
    g_assert_cmpint (g_get_monotonic_time (), <, deadline);
    g_usleep (50 * 1000);
  }
  answered = yun_e2e_call (e2e, "AnswerPrompt", g_variant_new ("(s)", "always"));
  state = yun_e2e_wait_for (e2e, "jotter", "return await window.asked;");
  g_assert_cmpstr (json_node_get_string (state), ==, "granted");
}

static void
test_save_list_and_get (void)
{
  g_autoptr(JsonObject) saved = page ("return await navigator.yun.notes.save ("
                                      "  { title: 'Milk', body: 'Two litres', tags: ['shop'] });");
  g_autoptr(JsonObject) listed = page ("return await navigator.yun.notes.list ();");
  g_autofree char *get_script = NULL;
  g_autoptr(JsonObject) got = NULL;
  JsonObject *value = json_object_get_object_member (saved, "value");
  JsonArray *notes;
  JsonObject *note;

  g_assert_nonnull (value);
  note_id = g_strdup (json_object_get_string_member (value, "id"));
  note_rev = g_strdup (json_object_get_string_member (value, "rev"));
  g_assert_true (g_str_has_prefix (note_rev, "1-"));

  notes = json_object_get_array_member (listed, "value");
  g_assert_cmpuint (json_array_get_length (notes), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (notes, 0), "title"),
                   ==, "Milk");

  get_script = g_strdup_printf ("return await navigator.yun.notes.get ({ id: '%s' });", note_id);
  got = page (get_script);
  note = json_object_get_object_member (got, "value");
  g_assert_cmpstr (json_object_get_string_member (note, "body"), ==, "Two litres");
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (note, "tags"), 0),
                   ==, "shop");
}

static void
test_the_store_holds_the_note (void)
{
  g_autofree char *path = g_build_filename (e2e->tmp_dir, "profile", "personal.sqlite", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(YunDocStore) store = yun_doc_store_open (path, &error);
  g_autoptr(JsonObject) doc = NULL;

  g_assert_no_error (error);
  doc = yun_doc_store_get (store, "notes", note_id, NULL, YUN_DOC_STORE_GET_NONE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (doc, "title"), ==, "Milk");
  g_assert_cmpstr (json_object_get_string_member (doc, "_rev"), ==, note_rev);
}

static void
test_stale_revision_is_refused (void)
{
  g_autofree char *update = g_strdup_printf (
    "return await navigator.yun.notes.save ({ id: '%s', rev: '%s', title: 'Milk', body: 'Three' });",
    note_id, note_rev);
  g_autoptr(JsonObject) first = page (update);
  g_autoptr(JsonObject) second = page (update);

  g_assert_true (json_object_has_member (first, "value"));
  g_assert_true (g_str_has_prefix (json_object_get_string_member (second, "error"),
                                   "InvalidStateError: "));
  g_free (note_rev);
  note_rev = g_strdup (json_object_get_string_member (json_object_get_object_member (first, "value"),
                                                      "rev"));
}

static void
test_bad_arguments_are_data_errors (void)
{
  g_autoptr(JsonObject) no_body = page ("return await navigator.yun.notes.save ({ title: 'x' });");
  g_autoptr(JsonObject) id_without_rev = page ("return await navigator.yun.notes.save ("
                                               "  { id: 'a', title: 'x', body: 'y' });");
  g_autoptr(JsonObject) bad_tags = page ("return await navigator.yun.notes.save ("
                                         "  { title: 'x', body: 'y', tags: [1] });");

  g_assert_cmpstr (json_object_get_string_member (no_body, "error"), ==,
                   "DataError: notes.save: args.body: missing");
  g_assert_true (g_str_has_prefix (json_object_get_string_member (id_without_rev, "error"), "DataError: "));
  g_assert_cmpstr (json_object_get_string_member (bad_tags, "error"), ==,
                   "DataError: notes.save: args.tags[0]: expected a string, got number");
}

/* Another phone's version of the note arrives as sync writes it: a
 * sibling of the current revision.  The app sees it in notes.get and
 * settles it by removing the version it does not keep. */
static void
test_sync_conflict_is_shown_and_settled (void)
{
  g_autofree char *path = g_build_filename (e2e->tmp_dir, "profile", "personal.sqlite", NULL);
  g_autofree char *get = g_strdup_printf ("return await navigator.yun.notes.get ({ id: '%s' });", note_id);
  g_autofree char *other_rev = NULL;
  g_autofree char *remove = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(YunDocStore) store = yun_doc_store_open (path, &error);
  g_autoptr(JsonObject) current = NULL;
  g_autoptr(JsonObject) shown = NULL;
  g_autoptr(JsonObject) removed = NULL;
  g_autoptr(JsonObject) settled = NULL;
  g_autoptr(JsonObject) stored = NULL;
  g_autoptr(JsonArray) results = NULL;
  g_autoptr(JsonArray) docs = json_array_new ();
  JsonObject *revisions, *other, *note, *conflict;
  JsonArray *ids, *conflicts;
  guint start;

  g_assert_no_error (error);
  current = yun_doc_store_get (store, "notes", note_id, NULL, YUN_DOC_STORE_GET_REVISIONS, &error);
  g_assert_no_error (error);
  revisions = json_object_get_object_member (current, "_revisions");
  start = json_object_get_int_member (revisions, "start");
  ids = json_object_get_array_member (revisions, "ids");
  g_assert_cmpuint (json_array_get_length (ids), >=, 2);

  /* The same parent, another edit: "ffff..." sorts above any hash, so it
   * wins, as it would on every phone. */
  other = json_object_new ();
  json_object_set_string_member (other, "_id", note_id);
  json_object_set_string_member (other, "type", "note");
  json_object_set_string_member (other, "title", "Milk");
  json_object_set_string_member (other, "body", "Edited on the tablet");
  json_object_set_array_member (other, "tags", json_array_new ());
  json_object_set_double_member (other, "updated", 1);
  other_rev = g_strdup_printf ("%u-ffffffffffffffffffffffffffffffff", start);
  json_object_set_string_member (other, "_rev", other_rev);
  revisions = json_object_new ();
  json_object_set_int_member (revisions, "start", start);
  json_object_set_array_member (revisions, "ids", json_array_new ());
  json_array_add_string_element (json_object_get_array_member (revisions, "ids"),
                                 "ffffffffffffffffffffffffffffffff");
  json_array_add_string_element (json_object_get_array_member (revisions, "ids"),
                                 json_array_get_string_element (ids, 1));
  json_object_set_object_member (other, "_revisions", revisions);
  json_array_add_object_element (docs, other);
  results = yun_doc_store_bulk_docs (store, "notes", docs, FALSE, &error);
  g_assert_no_error (error);

  /* The tablet's version wins; the phone's own edit is the conflict. */
  shown = page (get);
  note = json_object_get_object_member (shown, "value");
  g_assert_cmpstr (json_object_get_string_member (note, "rev"), ==, other_rev);
  g_assert_cmpstr (json_object_get_string_member (note, "body"), ==, "Edited on the tablet");
  conflicts = json_object_get_array_member (note, "conflicts");
  g_assert_cmpuint (json_array_get_length (conflicts), ==, 1);
  conflict = json_array_get_object_element (conflicts, 0);
  g_assert_cmpstr (json_object_get_string_member (conflict, "rev"), ==, note_rev);
  g_assert_cmpstr (json_object_get_string_member (conflict, "body"), ==, "Three");

  /* Keep the tablet's: remove the phone's version by its rev. */
  remove = g_strdup_printf ("return await navigator.yun.notes.remove ({ id: '%s', rev: '%s' });",
                            note_id, note_rev);
  removed = page (remove);
  g_assert_true (json_object_get_boolean_member (removed, "value"));
  settled = page (get);
  note = json_object_get_object_member (settled, "value");
  g_assert_cmpstr (json_object_get_string_member (note, "rev"), ==, other_rev);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (note, "conflicts")), ==, 0);

  stored = yun_doc_store_get (store, "notes", note_id, NULL, YUN_DOC_STORE_GET_CONFLICTS, &error);
  g_assert_no_error (error);
  g_assert_false (json_object_has_member (stored, "_conflicts"));
  g_free (note_rev);
  note_rev = g_strdup (other_rev);
}

static void
test_remove_then_not_found (void)
{
  g_autofree char *remove = g_strdup_printf ("return await navigator.yun.notes.remove ({ id: '%s', rev: '%s' });",
                                             note_id, note_rev);
  g_autofree char *get = g_strdup_printf ("return await navigator.yun.notes.get ({ id: '%s' });", note_id);
  g_autoptr(JsonObject) removed = page (remove);
  g_autoptr(JsonObject) gone = page (get);

  g_assert_true (json_object_get_boolean_member (removed, "value"));
  g_assert_true (g_str_has_prefix (json_object_get_string_member (gone, "error"), "NotFoundError: "));
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *webapps = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/yun/e2e/notes/permission-is-asked-once", test_permission_is_asked_once);
  g_test_add_func ("/yun/e2e/notes/save-list-and-get", test_save_list_and_get);
  g_test_add_func ("/yun/e2e/notes/the-store-holds-the-note", test_the_store_holds_the_note);
  g_test_add_func ("/yun/e2e/notes/stale-revision-is-refused", test_stale_revision_is_refused);
  g_test_add_func ("/yun/e2e/notes/bad-arguments-are-data-errors", test_bad_arguments_are_data_errors);
  g_test_add_func ("/yun/e2e/notes/sync-conflict-is-shown-and-settled",
                   test_sync_conflict_is_shown_and_settled);
  g_test_add_func ("/yun/e2e/notes/remove-then-not-found", test_remove_then_not_found);

  webapps = g_test_build_filename (G_TEST_DIST, "data", "webapps", NULL);
  e2e = yun_e2e_start (webapps, "jotter");
  status = g_test_run ();
  yun_e2e_stop (e2e);
  g_free (note_id);
  g_free (note_rev);

  return status;
}
