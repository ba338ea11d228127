/* test-personal-data.c: navigator.yun.contacts, messages, calls and photos
 * in the real shell, on the real personal store.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "yun-e2e.h"

static YunE2e *e2e;

/* Runs `attempt (async () => BODY)` in the people app, answering any
 * permission question "always", and returns {value} or {error, message}. */
static JsonObject *
attempt (const char *body)
{
  g_autofree char *start = g_strdup_printf ("window.pending = attempt (async () => { %s });\n"
                                            "return true;", body);
  g_autoptr(JsonNode) started = NULL;
  g_autoptr(JsonNode) done = NULL;
  g_autoptr(GError) error = NULL;
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  started = yun_e2e_wait_for (e2e, "people", "return window.attempt ? true : null;");
  g_clear_pointer (&started, json_node_unref);
  started = yun_e2e_eval (e2e, "people", start, &error);
  g_assert_no_error (error);

  for (;;) {
    g_autoptr(GVariant) prompt = yun_e2e_call (e2e, "GetPrompt", NULL);
    gboolean open = FALSE;

    g_variant_get (prompt, "(b&s&s&s&s)", &open, NULL, NULL, NULL, NULL);
    if (open) {
      g_autoptr(GVariant) answered = yun_e2e_call (e2e, "AnswerPrompt",
                                                   g_variant_new ("(s)", "always"));
    }
    g_clear_pointer (&done, json_node_unref);
    done = yun_e2e_eval (e2e, "people",
                         "const r = await Promise.race ([window.pending, "
                         "  new Promise ((resolve) => setTimeout (() => resolve (null), 100))]);\n"
                         "return r;", &error);
    g_assert_no_error (error);
    if (!JSON_NODE_HOLDS_NULL (done))
      break;
    g_assert_cmpint (g_get_monotonic_time (), <, deadline);
  }
  return json_object_ref (json_node_get_object (done));
}

static JsonNode *
value_of (JsonObject *outcome)
{
  if (json_object_has_member (outcome, "error"))
    g_error ("the call failed: %s: %s", json_object_get_string_member (outcome, "error"),
             json_object_get_string_member (outcome, "message"));
  return json_object_get_member (outcome, "value");
}

static void
assert_error (JsonObject *outcome,
              const char *name,
              const char *message_part)
{
  g_assert_true (json_object_has_member (outcome, "error"));
  g_assert_cmpstr (json_object_get_string_member (outcome, "error"), ==, name);
  if (message_part != NULL &&
      strstr (json_object_get_string_member (outcome, "message"), message_part) == NULL)
    g_error ("“%s” does not say “%s”", json_object_get_string_member (outcome, "message"),
             message_part);
}

static guint
count (JsonObject *outcome)
{
  return json_array_get_length (json_node_get_array (value_of (outcome)));
}

static void
test_contacts_save_and_find (void)
{
  g_autoptr(JsonObject) saved = attempt (
    "return await navigator.yun.contacts.save ({ contact: {"
    "  name: { formatted: 'Ana María López', given: 'Ana', family: 'López' },"
    "  tel: [{ value: '+34 600 123 456', types: ['cell'] }],"
    "  email: [{ value: 'ana@example.org' }] } });");
  g_autoptr(JsonObject) other = attempt (
    "return await navigator.yun.contacts.save ({ contact: {"
    "  name: { formatted: 'Bo Chen' }, tel: [{ value: '0571 8888 7777' }] } });");
  g_autoptr(JsonObject) by_name = attempt ("return await navigator.yun.contacts.find ({ query: 'lóp' });");
  g_autoptr(JsonObject) by_number = attempt ("return await navigator.yun.contacts.find ({ query: '3456' });");
  g_autoptr(JsonObject) by_email = attempt ("return await navigator.yun.contacts.find ({ query: 'ana@ex' });");
  g_autoptr(JsonObject) everyone = attempt ("return await navigator.yun.contacts.find ({});");
  JsonObject *contact = json_node_get_object (value_of (saved));

  g_assert_true (json_object_has_member (contact, "id"));
  g_assert_true (json_object_has_member (contact, "rev"));
  g_assert_cmpuint (count (by_name), ==, 1);
  g_assert_cmpuint (count (by_number), ==, 1);
  g_assert_cmpuint (count (by_email), ==, 1);
  g_assert_cmpuint (count (everyone), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (
                     json_array_get_object_element (json_node_get_array (value_of (by_number)), 0),
                     "id"), ==, json_object_get_string_member (contact, "id"));
  (void) other;
}

static void
test_contacts_bad_data_is_refused (void)
{
  g_autoptr(JsonObject) extra = attempt (
    "return await navigator.yun.contacts.save ({ contact: { name: { formatted: 'X' }, shoe: 42 } });");
  g_autoptr(JsonObject) wrong = attempt (
    "return await navigator.yun.contacts.save ({ contact: { tel: [{ value: 42 }] } });");
  g_autoptr(JsonObject) huge = attempt (
    "return await navigator.yun.contacts.save ({ contact: { name: { formatted: 'y'.repeat (300) } } });");
  g_autoptr(JsonObject) missing = attempt ("return await navigator.yun.contacts.get ({ id: 'nobody' });");
  g_autoptr(JsonObject) still_two = attempt ("return await navigator.yun.contacts.find ({});");

  assert_error (extra, "DataError", "shoe");
  assert_error (wrong, "DataError", "value");
  assert_error (huge, "DataError", "formatted");
  assert_error (missing, "NotFoundError", NULL);
  g_assert_cmpuint (count (still_two), ==, 2);
}

static void
test_vcard_import_reports_the_bad_card (void)
{
  g_autoptr(JsonObject) report = attempt (
    "return await navigator.yun.contacts.importVCard ({ text: ["
    "  'BEGIN:VCARD', 'VERSION:3.0', 'FN:Carla Diaz', 'TEL:+1 555 0100', 'END:VCARD',"
    "  'BEGIN:VCARD', 'VERSION:3.0', 'this line is not a property', 'END:VCARD',"
    "  'BEGIN:VCARD', 'VERSION:4.0', 'FN:Dong Wei', 'EMAIL:dong@example.cn', 'END:VCARD',"
    "  ''].join ('\\r\\n') });");
  g_autoptr(JsonObject) exported = attempt ("return await navigator.yun.contacts.exportVCard ({ version: '4.0' });");
  JsonObject *result = json_node_get_object (value_of (report));
  JsonArray *skipped = json_object_get_array_member (result, "skipped");
  const char *text = json_node_get_string (value_of (exported));

  g_assert_cmpint (json_object_get_int_member (result, "imported"), ==, 2);
  g_assert_cmpuint (json_array_get_length (skipped), ==, 1);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (skipped, 0), "line"),
                   >=, 6);
  g_assert_nonnull (strstr (text, "Carla Diaz"));
  g_assert_nonnull (strstr (text, "Dong Wei"));
  g_assert_nonnull (strstr (text, "Ana María López"));
}

/* The titles of one provider's results on home after typing @text. */
static GPtrArray *
home_results (const char *text,
              const char *provider)
{
  g_autoptr(GVariant) typed = yun_e2e_call (e2e, "SetHomeSearch", g_variant_new ("(s)", text));
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  for (;;) {
    g_autoptr(GVariant) tiles = yun_e2e_call (e2e, "GetHomeTiles", NULL);
    g_autoptr(GVariantIter) iter = NULL;
    GVariant *tile;
    GPtrArray *titles = g_ptr_array_new_with_free_func (g_free);

    g_variant_get (tiles, "(aa{sv})", &iter);
    while ((tile = g_variant_iter_next_value (iter)) != NULL) {
      g_autoptr(GVariantDict) dict = g_variant_dict_new (tile);
      const char *place = NULL, *from = NULL, *title = NULL;

      g_variant_dict_lookup (dict, "place", "&s", &place);
      g_variant_dict_lookup (dict, "provider", "&s", &from);
      g_variant_dict_lookup (dict, "title", "&s", &title);
      if (g_strcmp0 (place, "result") == 0 && g_strcmp0 (from, provider) == 0 && title != NULL)
        g_ptr_array_add (titles, g_strdup (title));
      g_variant_unref (tile);
    }
    if (titles->len > 0 || g_get_monotonic_time () > deadline)
      return titles;
    g_ptr_array_unref (titles);
    g_usleep (100 * 1000);
  }
}

static void
test_home_search_finds_contacts (void)
{
  g_autoptr(GPtrArray) by_name = home_results ("lóp", "Contacts");
  g_autoptr(GPtrArray) by_number = home_results ("0100", "Contacts");
  g_autoptr(GVariant) cleared = yun_e2e_call (e2e, "SetHomeSearch", g_variant_new ("(s)", ""));

  g_assert_cmpuint (by_name->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (by_name, 0), ==, "Ana María López");
  g_assert_cmpuint (by_number->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (by_number, 0), ==, "Carla Diaz");
}

static void
test_contacts_remove (void)
{
  g_autoptr(GVariant) back = yun_e2e_call (e2e, "Launch", g_variant_new ("(s)", "people"));
  g_autoptr(JsonObject) found = attempt ("return (await navigator.yun.contacts.find ({ query: 'Bo' }))[0];");
  JsonObject *bo = json_node_get_object (value_of (found));
  g_autofree char *remove = g_strdup_printf ("return await navigator.yun.contacts.remove ({ id: '%s', rev: '%s' });",
                                             json_object_get_string_member (bo, "id"),
                                             json_object_get_string_member (bo, "rev"));
  g_autofree char *get = g_strdup_printf ("return await navigator.yun.contacts.get ({ id: '%s' });",
                                          json_object_get_string_member (bo, "id"));
  g_autoptr(JsonObject) removed = attempt (remove);
  g_autoptr(JsonObject) gone = attempt (get);

  g_assert_true (json_node_get_boolean (value_of (removed)));
  assert_error (gone, "NotFoundError", NULL);
}

static void
test_messages_threads_and_read (void)
{
  g_autoptr(JsonObject) first = attempt (
    "return await navigator.yun.messages.save ({ message: { thread: '+34600123456', from: '+34600123456',"
    "  to: ['me'], body: 'See you at 8', time: 1700000000000 } });");
  g_autoptr(JsonObject) second = attempt (
    "return await navigator.yun.messages.save ({ message: { thread: '+34600123456', from: 'me',"
    "  to: ['+34600123456'], body: 'OK!', time: 1700000060000, read: true } });");
  g_autoptr(JsonObject) threads = attempt ("return await navigator.yun.messages.threads ({});");
  g_autoptr(JsonObject) list = attempt ("return await navigator.yun.messages.list ({ thread: '+34600123456' });");
  g_autofree char *mark = g_strdup_printf ("return await navigator.yun.messages.markRead ({ id: '%s' });",
                                           json_object_get_string_member (json_node_get_object (value_of (first)), "id"));
  g_autoptr(JsonObject) marked = attempt (mark);
  g_autoptr(JsonObject) bad = attempt (
    "return await navigator.yun.messages.save ({ message: { thread: 't', from: 'f', time: -5 } });");
  JsonObject *thread;

  g_assert_cmpuint (count (threads), ==, 1);
  thread = json_array_get_object_element (json_node_get_array (value_of (threads)), 0);
  g_assert_cmpint (json_object_get_int_member (thread, "count"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (thread, "unread"), ==, 1);
  g_assert_cmpuint (count (list), ==, 2);
  /* Newest first. */
  g_assert_cmpstr (json_object_get_string_member (
                     json_array_get_object_element (json_node_get_array (value_of (list)), 0),
                     "body"), ==, "OK!");
  g_assert_true (json_object_get_boolean_member (json_node_get_object (value_of (marked)), "read"));
  assert_error (bad, "DataError", "time");
  (void) second;
}

static void
test_calls_history (void)
{
  g_autoptr(JsonObject) missed = attempt (
    "return await navigator.yun.calls.save ({ call: { number: '+34 600 123 456', direction: 'missed',"
    "  time: 1700000100000 } });");
  g_autoptr(JsonObject) out = attempt (
    "return await navigator.yun.calls.save ({ call: { number: '112', direction: 'out', duration: 95,"
    "  time: 1700000200000 } });");
  g_autoptr(JsonObject) list = attempt ("return await navigator.yun.calls.list ({ limit: 10 });");
  g_autoptr(JsonObject) bad = attempt (
    "return await navigator.yun.calls.save ({ call: { number: '1', direction: 'sideways' } });");

  g_assert_cmpuint (count (list), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (
                     json_array_get_object_element (json_node_get_array (value_of (list)), 0),
                     "number"), ==, "112");
  assert_error (bad, "DataError", "direction");
  (void) missed;
  (void) out;
}

/* The id the picker lists for the contact labelled @label. */
static char *
picker_id_for (GVariant   *picker,
               const char *label)
{
  g_autoptr(GVariantIter) rows = NULL;
  const char *id, *shown;

  g_variant_get (picker, "(b&s^a&sba(ss))", NULL, NULL, NULL, NULL, &rows);
  while (g_variant_iter_next (rows, "(&s&s)", &id, &shown)) {
    if (g_str_has_prefix (shown, label))
      return g_strdup (id);
  }
  g_error ("the picker does not list %s", label);
}

static void
test_contact_picker_gives_only_what_was_picked (void)
{
  g_autoptr(GVariant) launched = yun_e2e_call (e2e, "Launch", g_variant_new ("(s)", "jotter"));
  g_autoptr(JsonNode) started = NULL;
  g_autoptr(JsonNode) picked = NULL;
  g_autoptr(GVariant) picker = NULL;
  g_autoptr(GVariant) answered = NULL;
  g_autofree const char **properties = NULL;
  g_autofree char *ana = NULL;
  const char *app_name = NULL;
  const char *ids[2] = { NULL, NULL };
  gboolean multiple = FALSE;
  JsonObject *contact;

  /* Jotter declares no contacts permission: the user's pick is the
   * permission. */
  started = yun_e2e_wait_for (e2e, "jotter",
                              "if (!navigator.contacts) return null;\n"
                              "window.picked = navigator.contacts.select (['name', 'tel'], { multiple: true });\n"
                              "return true;");
  picker = yun_e2e_wait_for_contact_picker (e2e);
  g_variant_get (picker, "(b&s^a&sba(ss))", NULL, &app_name, &properties, &multiple, NULL);
  g_assert_cmpstr (app_name, ==, "Jotter");
  g_assert_cmpstr (properties[0], ==, "name");
  g_assert_cmpstr (properties[1], ==, "tel");
  g_assert_true (multiple);

  ana = picker_id_for (picker, "Ana María López");
  ids[0] = ana;
  answered = yun_e2e_call (e2e, "AnswerContactPicker", g_variant_new ("(^as)", ids));
  picked = yun_e2e_wait_for (e2e, "jotter", "return await window.picked;");
  g_assert_cmpuint (json_array_get_length (json_node_get_array (picked)), ==, 1);
  contact = json_array_get_object_element (json_node_get_array (picked), 0);
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (contact, "name"), 0),
                   ==, "Ana María López");
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (contact, "tel"), 0),
                   ==, "+34 600 123 456");
  /* Not asked for, not given. */
  g_assert_false (json_object_has_member (contact, "email"));
  g_assert_false (json_object_has_member (contact, "id"));
}

static void
test_contact_picker_cancel_gives_nothing (void)
{
  g_autoptr(JsonNode) started = NULL;
  g_autoptr(JsonNode) picked = NULL;
  g_autoptr(JsonNode) busy = NULL;
  g_autoptr(GVariant) picker = NULL;
  g_autoptr(GVariant) answered = NULL;
  const char * const none[] = { NULL };

  started = yun_e2e_wait_for (e2e, "jotter",
                              "window.picked = navigator.contacts.select (['email']);\n"
                              "return true;");
  picker = yun_e2e_wait_for_contact_picker (e2e);
  /* One picker at a time. */
  busy = yun_e2e_wait_for (e2e, "jotter",
                           "try { await navigator.contacts.select (['name']); return 'opened'; }"
                           "catch (e) { return e.name; }");
  g_assert_cmpstr (json_node_get_string (busy), ==, "InvalidStateError");

  answered = yun_e2e_call (e2e, "AnswerContactPicker", g_variant_new ("(^as)", none));
  picked = yun_e2e_wait_for (e2e, "jotter", "return await window.picked;");
  g_assert_cmpuint (json_array_get_length (json_node_get_array (picked)), ==, 0);
}

static void
test_contact_picker_bad_properties_are_refused (void)
{
  g_autoptr(JsonNode) unknown = NULL;
  g_autoptr(JsonNode) not_array = NULL;
  g_autoptr(GVariant) picker = yun_e2e_call (e2e, "GetContactPicker", NULL);
  gboolean open = TRUE;

  unknown = yun_e2e_wait_for (e2e, "jotter",
                              "try { await navigator.contacts.select (['shoe size']); return 'opened'; }"
                              "catch (e) { return e.name; }");
  not_array = yun_e2e_wait_for (e2e, "jotter",
                                "try { await navigator.contacts.select ('name'); return 'opened'; }"
                                "catch (e) { return e.name; }");
  g_assert_cmpstr (json_node_get_string (unknown), ==, "DataError");
  g_assert_cmpstr (json_node_get_string (not_array), ==, "DataError");
  g_variant_get (picker, "(b&s^a&sba(ss))", &open, NULL, NULL, NULL, NULL);
  g_assert_false (open);
}

static void
test_undeclared_app_is_refused (void)
{
  g_autoptr(GVariant) launched = yun_e2e_call (e2e, "Launch", g_variant_new ("(s)", "jotter"));
  g_autoptr(JsonNode) refused = NULL;

  refused = yun_e2e_wait_for (e2e, "jotter",
                              "if (!navigator.yun) return null;\n"
                              "try { await navigator.yun.contacts.find ({}); return 'found'; }"
                              "catch (e) { return e.name; }");
  g_assert_cmpstr (json_node_get_string (refused), ==, "NotAllowedError");
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *webapps = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);

  /* In order: each test starts where the one before left the store. */
  g_test_add_func ("/yun/e2e/personal-data/contacts-save-and-find", test_contacts_save_and_find);
  g_test_add_func ("/yun/e2e/personal-data/contacts-bad-data-is-refused",
                   test_contacts_bad_data_is_refused);
  g_test_add_func ("/yun/e2e/personal-data/vcard-import-reports-the-bad-card",
                   test_vcard_import_reports_the_bad_card);
  g_test_add_func ("/yun/e2e/personal-data/contact-picker-gives-only-what-was-picked",
                   test_contact_picker_gives_only_what_was_picked);
  g_test_add_func ("/yun/e2e/personal-data/contact-picker-cancel-gives-nothing",
                   test_contact_picker_cancel_gives_nothing);
  g_test_add_func ("/yun/e2e/personal-data/contact-picker-bad-properties-are-refused",
                   test_contact_picker_bad_properties_are_refused);
  g_test_add_func ("/yun/e2e/personal-data/home-search-finds-contacts",
                   test_home_search_finds_contacts);
  g_test_add_func ("/yun/e2e/personal-data/contacts-remove", test_contacts_remove);
  g_test_add_func ("/yun/e2e/personal-data/messages-threads-and-read",
                   test_messages_threads_and_read);
  g_test_add_func ("/yun/e2e/personal-data/calls-history", test_calls_history);
  g_test_add_func ("/yun/e2e/personal-data/undeclared-app-is-refused",
                   test_undeclared_app_is_refused);

  webapps = g_test_build_filename (G_TEST_DIST, "data", "webapps", NULL);
  e2e = yun_e2e_start (webapps, "people");
  status = g_test_run ();
  yun_e2e_stop (e2e);

  return status;
}
