/* test-contacts.c: the address book on the personal store.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <sqlite3.h>
#include <string.h>

#include "yun-contacts.h"
#include "yun-test-personal.h"

/* The smallest PNG: one transparent pixel. */
static const char png_base64[] =
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";

typedef struct {
  YunTestPersonal personal;
  YunContacts *contacts;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  yun_test_personal_set_up (&f->personal);
  f->contacts = yun_contacts_new (f->personal.index, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_assert_finalize_object (f->contacts);
  yun_test_personal_tear_down (&f->personal);
}

static GBytes *
png_bytes (void)
{
  gsize size;
  guchar *data = g_base64_decode (png_base64, &size);

  return g_bytes_new_take (data, size);
}

static JsonObject *
save (Fixture    *f,
      const char *json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) input = yun_test_json_object (json);
  JsonObject *saved = yun_contacts_save (f->contacts, input, &error);

  g_assert_no_error (error);
  g_assert_nonnull (saved);
  return saved;
}

static char *
save_id (Fixture    *f,
         const char *json)
{
  g_autoptr(JsonObject) saved = save (f, json);

  return g_strdup (json_object_get_string_member (saved, "id"));
}

/* The formatted names of what find() returns, joined by commas. */
static char *
find_names (Fixture               *f,
            const char            *query,
            YunPersonalIndexOrder  order)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) found = yun_contacts_find (f->contacts, query, order, 0, &error);
  g_autoptr(GString) names = g_string_new (NULL);

  g_assert_no_error (error);
  for (guint i = 0; i < json_array_get_length (found); i++) {
    JsonObject *contact = json_array_get_object_element (found, i);
    JsonObject *name = json_object_get_object_member (contact, "name");

    g_string_append_printf (names, "%s%s", i > 0 ? "," : "",
                            json_object_get_string_member (name, "formatted"));
  }
  return g_string_free (g_steal_pointer (&names), FALSE);
}

static void
add_people (Fixture *f)
{
  g_free (save_id (f, "{\"name\": \"Ana María López\", \"tel\": [\"+34 600 123 456\"],"
                      " \"email\": [\"ana.lopez@example.org\"]}"));
  g_free (save_id (f, "{\"name\": {\"formatted\": \"Zoë Bakker\", \"given\": \"Zoë\","
                      " \"family\": \"Bakker\"}, \"tel\": [{\"value\": \"(020) 555-0199\","
                      " \"types\": [\"work\"]}], \"email\": [\"zoe@bakker.nl\"]}"));
  g_free (save_id (f, "{\"name\": \"Wang Xiaoming\", \"tel\": [\"138-0013-8000\"],"
                      " \"email\": [{\"value\": \"xm.wang@example.cn\"}]}"));
}

static void
test_save_new (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(JsonObject) saved = save (f, "{\"name\": {\"given\": \"Ana\", \"family\": \"López\"},"
                                         " \"tel\": [{\"value\": \" +34 600 123 456 \","
                                         " \"types\": [\"cell\"], \"pref\": true}],"
                                         " \"email\": [\"ana@example.org\"], \"org\": \"ACME\"}");
  g_autoptr(JsonObject) got = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *tel;
  JsonObject *email;

  g_assert_true (g_str_has_prefix (json_object_get_string_member (saved, "rev"), "1-"));
  g_assert_cmpint (json_object_get_int_member (saved, "updated"), >, 0);
  g_assert_false (json_object_has_member (saved, "_id"));

  got = yun_contacts_get (f->contacts, json_object_get_string_member (saved, "id"), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (got, "rev"), ==,
                   json_object_get_string_member (saved, "rev"));
  tel = json_array_get_object_element (json_object_get_array_member (got, "tel"), 0);
  g_assert_cmpstr (json_object_get_string_member (tel, "value"), ==, "+34 600 123 456");
  g_assert_true (json_object_get_boolean_member (tel, "pref"));
  email = json_array_get_object_element (json_object_get_array_member (got, "email"), 0);
  g_assert_cmpstr (json_object_get_string_member (email, "value"), ==, "ana@example.org");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (email, "types")), ==, 0);
  g_assert_cmpstr (json_object_get_string_member (got, "org"), ==, "ACME");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (got, "name"),
                                                  "family"), ==, "López");
}

static void
test_save_short_forms (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(JsonObject) picker = save (f, "{\"name\": [\"Ana\"], \"tel\": [\"123\"],"
                                          " \"address\": [\"1 Main St\"]}");
  g_autoptr(JsonObject) plain = save (f, "{\"name\": \"Bo\"}");
  JsonObject *address = json_array_get_object_element (json_object_get_array_member (picker,
                                                                                     "address"), 0);

  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (picker, "name"),
                                                  "formatted"), ==, "Ana");
  g_assert_cmpstr (json_object_get_string_member (address, "street"), ==, "1 Main St");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (plain, "name"),
                                                  "formatted"), ==, "Bo");
}

static void
test_save_update_needs_rev (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(JsonObject) first = save (f, "{\"id\": \"ana\", \"name\": \"Ana\"}");
  g_autoptr(JsonObject) second = NULL;
  g_autoptr(JsonObject) edit = NULL;
  g_autoptr(JsonObject) got = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpstr (json_object_get_string_member (first, "id"), ==, "ana");

  /* Without a revision, the existing contact is not overwritten. */
  edit = yun_test_json_object ("{\"id\": \"ana\", \"name\": \"Eve\"}");
  g_assert_null (yun_contacts_save (f->contacts, edit, &error));
  g_assert_error (error, YUN_PERSONAL_DATA_ERROR, YUN_PERSONAL_DATA_ERROR_CONFLICT);
  g_clear_error (&error);

  json_object_set_string_member (edit, "rev", json_object_get_string_member (first, "rev"));
  second = yun_contacts_save (f->contacts, edit, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (json_object_get_string_member (second, "rev"), "2-"));

  /* The first revision is stale now. */
  g_assert_null (yun_contacts_save (f->contacts, edit, &error));
  g_assert_error (error, YUN_PERSONAL_DATA_ERROR, YUN_PERSONAL_DATA_ERROR_CONFLICT);

  got = yun_contacts_get (f->contacts, "ana", NULL);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (got, "name"),
                                                  "formatted"), ==, "Eve");
}

static void
test_save_invalid (Fixture       *f,
                   gconstpointer  data)
{
  static const struct {
    const char *json;
    const char *path;
  } cases[] = {
    { "{}", "contact:" },
    { "{\"name\": \"\"}", "contact:" },
    { "{\"name\": 5}", "contact.name:" },
    { "{\"name\": [\"a\", \"b\"]}", "contact.name:" },
    { "{\"name\": {\"given\": true}}", "contact.name.given:" },
    { "{\"name\": {\"nick\": \"x\"}}", "contact.name:" },
    { "{\"name\": \"a\", \"tel\": \"123\"}", "contact.tel:" },
    { "{\"name\": \"a\", \"tel\": [123]}", "contact.tel[0]:" },
    { "{\"name\": \"a\", \"tel\": [\"1\", \"  \"]}", "contact.tel[1]:" },
    { "{\"name\": \"a\", \"tel\": [{\"number\": \"1\"}]}", "contact.tel[0]:" },
    { "{\"name\": \"a\", \"tel\": [{\"value\": \"1\", \"types\": \"cell\"}]}",
      "contact.tel[0].types:" },
    { "{\"name\": \"a\", \"tel\": [{\"value\": \"1\", \"pref\": 1}]}", "contact.tel[0].pref:" },
    { "{\"name\": \"a\", \"email\": [null]}", "contact.email[0]:" },
    { "{\"name\": \"a\", \"address\": [{\"street\": [\"x\"]}]}", "contact.address[0].street:" },
    { "{\"name\": \"a\", \"org\": {}}", "contact.org:" },
    { "{\"name\": \"a\", \"note\": 1.5}", "contact.note:" },
    { "{\"name\": \"a\", \"photo\": \"x.png\"}", "contact.photo:" },
    { "{\"name\": \"a\", \"photo\": {\"url\": \"javascript:alert(1)\"}}", "contact.photo.url:" },
    { "{\"name\": \"a\", \"icon\": []}", "contact:" },
    { "{\"name\": \"a\", \"id\": \"_design/x\"}", "contact.id:" },
    { "{\"name\": \"a\", \"id\": 7}", "contact.id:" },
    { "{\"name\": \"a\", \"rev\": \"1-abc\"}", "contact.rev:" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_autoptr(JsonObject) input = yun_test_json_object (cases[i].json);
    g_autoptr(GError) error = NULL;

    g_test_message ("%s", cases[i].json);
    g_assert_null (yun_contacts_save (f->contacts, input, &error));
    yun_test_assert_invalid (error, cases[i].path);
  }
  g_assert_cmpuint (yun_test_count_docs (f->personal.store, "contacts"), ==, 0);
}

static void
test_save_oversize (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GString) long_text = g_string_new (NULL);
  g_autoptr(JsonObject) many_tels = yun_test_json_object ("{\"name\": \"a\"}");
  g_autoptr(JsonArray) tels = json_array_new ();
  struct {
    const char *member;
    gsize length;
    const char *path;
  } fields[] = {
    { "org", YUN_CONTACTS_MAX_TEXT + 1, "contact.org:" },
    { "note", YUN_CONTACTS_MAX_NOTE + 1, "contact.note:" },
    { "name", 2 * YUN_CONTACTS_MAX_TEXT + 1, "contact.name:" },
  };
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++) {
    g_autoptr(JsonObject) input = yun_test_json_object ("{\"tel\": [\"123\"]}");
    g_autoptr(GError) field_error = NULL;

    g_string_truncate (long_text, 0);
    for (gsize j = 0; j < fields[i].length; j++)
      g_string_append_c (long_text, 'x');
    json_object_set_string_member (input, fields[i].member, long_text->str);
    g_assert_null (yun_contacts_save (f->contacts, input, &field_error));
    yun_test_assert_invalid (field_error, fields[i].path);
  }

  for (guint i = 0; i <= YUN_CONTACTS_MAX_ENTRIES; i++)
    json_array_add_string_element (tels, "123");
  json_object_set_array_member (many_tels, "tel", g_steal_pointer (&tels));
  g_assert_null (yun_contacts_save (f->contacts, many_tels, &error));
  yun_test_assert_invalid (error, "contact.tel:");
  g_assert_cmpuint (yun_test_count_docs (f->personal.store, "contacts"), ==, 0);
}

static void
test_save_not_utf8 (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(JsonObject) input = json_object_new ();
  g_autoptr(GError) error = NULL;

  json_object_set_string_member (input, "name", "bad \xff\xfe name");
  g_assert_null (yun_contacts_save (f->contacts, input, &error));
  yun_test_assert_invalid (error, "contact.name:");
}

static void
test_get_missing (Fixture       *f,
                  gconstpointer  data)
{
  static const char * const ids[] = { "nobody", "", "_design/x", "_local/x" };

  for (guint i = 0; i < G_N_ELEMENTS (ids); i++) {
    g_autoptr(GError) error = NULL;

    g_assert_null (yun_contacts_get (f->contacts, ids[i], &error));
    g_assert_error (error, YUN_PERSONAL_DATA_ERROR, YUN_PERSONAL_DATA_ERROR_NOT_FOUND);
  }
}

static void
test_remove (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(JsonObject) first = save (f, "{\"id\": \"bo\", \"name\": \"Bo\"}");
  g_autoptr(JsonObject) second = NULL;
  g_autoptr(JsonObject) edit = yun_test_json_object ("{\"id\": \"bo\", \"name\": \"Bob\"}");
  g_autoptr(GError) error = NULL;
  g_autofree char *names = NULL;

  json_object_set_string_member (edit, "rev", json_object_get_string_member (first, "rev"));
  second = yun_contacts_save (f->contacts, edit, &error);
  g_assert_no_error (error);

  g_assert_false (yun_contacts_remove (f->contacts, "bo", json_object_get_string_member (first, "rev"),
                                       &error));
  g_assert_error (error, YUN_PERSONAL_DATA_ERROR, YUN_PERSONAL_DATA_ERROR_CONFLICT);
  g_clear_error (&error);

  g_assert_true (yun_contacts_remove (f->contacts, "bo",
                                      json_object_get_string_member (second, "rev"), &error));
  g_assert_no_error (error);
  g_assert_null (yun_contacts_get (f->contacts, "bo", &error));
  g_assert_error (error, YUN_PERSONAL_DATA_ERROR, YUN_PERSONAL_DATA_ERROR_NOT_FOUND);
  g_clear_error (&error);
  names = find_names (f, "bo", YUN_PERSONAL_INDEX_ORDER_NAME);
  g_assert_cmpstr (names, ==, "");

  g_assert_false (yun_contacts_remove (f->contacts, "bo", NULL, &error));
  g_assert_error (error, YUN_PERSONAL_DATA_ERROR, YUN_PERSONAL_DATA_ERROR_NOT_FOUND);
}

static void
test_find_by_name_prefix (Fixture       *f,
                          gconstpointer  data)
{
  static const struct {
    const char *query;
    const char *names;
  } cases[] = {
    { "ana", "Ana María López" },
    { "lop", "Ana María López" },         /* accents do not matter */
    { "MARI", "Ana María López" },        /* nor case; any word */
    { "zoe", "Zoë Bakker" },
    { "bak zo", "Zoë Bakker" },           /* every word, in any order */
    { "bak ana", "" },
    { "ming", "" },                       /* a word's start, not its middle */
    { "xiao", "Wang Xiaoming" },
    { "wang", "Wang Xiaoming" },
    { "a", "Ana María López" },
    { "", "Ana María López,Wang Xiaoming,Zoë Bakker" },
  };

  add_people (f);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_autofree char *names = find_names (f, cases[i].query, YUN_PERSONAL_INDEX_ORDER_NAME);

    g_test_message ("query \"%s\"", cases[i].query);
    g_assert_cmpstr (names, ==, cases[i].names);
  }
}

static void
test_find_by_number_suffix (Fixture       *f,
                            gconstpointer  data)
{
  static const struct {
    const char *query;
    const char *names;
  } cases[] = {
    { "456", "Ana María López" },
    { "123 456", "Ana María López" },
    { "600-123-456", "Ana María López" },
    { "+34600123456", "Ana María López" },
    { "0199", "Zoë Bakker" },
    { "555 0199", "Zoë Bakker" },
    { "8000", "Wang Xiaoming" },
    { "00", "" },                          /* fewer than three digits */
    { "600", "" },                         /* the start is not the end */
    { "99999456", "" },
  };

  add_people (f);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_autofree char *names = find_names (f, cases[i].query, YUN_PERSONAL_INDEX_ORDER_NAME);

    g_test_message ("query \"%s\"", cases[i].query);
    g_assert_cmpstr (names, ==, cases[i].names);
  }
}

static void
test_find_by_email_prefix (Fixture       *f,
                           gconstpointer  data)
{
  g_autofree char *by_local = NULL;
  g_autofree char *by_address = NULL;
  g_autofree char *by_domain = NULL;

  add_people (f);
  by_local = find_names (f, "xm.w", YUN_PERSONAL_INDEX_ORDER_NAME);
  by_address = find_names (f, "ZOE@BAK", YUN_PERSONAL_INDEX_ORDER_NAME);
  by_domain = find_names (f, "@bakker", YUN_PERSONAL_INDEX_ORDER_NAME);
  g_assert_cmpstr (by_local, ==, "Wang Xiaoming");
  g_assert_cmpstr (by_address, ==, "Zoë Bakker");
  g_assert_cmpstr (by_domain, ==, "");
}

static void
test_find_order_recent (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *by_name = NULL;
  g_autofree char *by_recent = NULL;
  g_autoptr(JsonObject) bo = save (f, "{\"name\": \"Bo Adams\"}");
  g_autoptr(JsonObject) edit = NULL;
  g_autoptr(JsonObject) saved = NULL;
  g_autoptr(GError) error = NULL;

  g_usleep (2000);
  g_free (save_id (f, "{\"name\": \"Al Adams\"}"));
  g_usleep (2000);
  g_free (save_id (f, "{\"name\": \"Cy Adams\"}"));
  g_usleep (2000);
  /* An edit makes a contact the most recent. */
  edit = yun_test_json_object ("{\"name\": \"Bo Adams\", \"note\": \"met again\"}");
  json_object_set_string_member (edit, "id", json_object_get_string_member (bo, "id"));
  json_object_set_string_member (edit, "rev", json_object_get_string_member (bo, "rev"));
  saved = yun_contacts_save (f->contacts, edit, &error);
  g_assert_no_error (error);

  by_name = find_names (f, "adams", YUN_PERSONAL_INDEX_ORDER_NAME);
  by_recent = find_names (f, "adams", YUN_PERSONAL_INDEX_ORDER_RECENT);
  g_assert_cmpstr (by_name, ==, "Al Adams,Bo Adams,Cy Adams");
  g_assert_cmpstr (by_recent, ==, "Bo Adams,Cy Adams,Al Adams");
}

static void
test_find_limit (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) two = NULL;

  add_people (f);
  two = yun_contacts_find (f->contacts, "", YUN_PERSONAL_INDEX_ORDER_NAME, 2, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (two), ==, 2);
}

static void
test_find_hostile_query (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GString) huge = g_string_new (NULL);
  const char *queries[] = {
    "\"", "*", "a*", "NEAR(a b)", "a:b", "'; DROP TABLE terms; --", "\xff\xfe", "%", "_",
    "\\", "()", "+-()", NULL, NULL,
  };

  add_people (f);
  for (guint i = 0; i < 5000; i++)
    g_string_append (huge, "ana ");
  queries[G_N_ELEMENTS (queries) - 2] = huge->str;
  for (guint i = 0; queries[i] != NULL; i++) {
    g_autoptr(GError) error = NULL;
    g_autoptr(JsonArray) found = yun_contacts_find (f->contacts, queries[i],
                                                    YUN_PERSONAL_INDEX_ORDER_NAME, 0, &error);

    g_assert_no_error (error);
    g_assert_nonnull (found);
  }
  g_assert_cmpuint (yun_test_count_docs (f->personal.store, "contacts"), ==, 3);
}

static char *
read_stream (GInputStream *stream)
{
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;

  g_output_stream_splice (out, stream, G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET, NULL, &error);
  g_assert_no_error (error);
  return g_memory_output_stream_steal_data (G_MEMORY_OUTPUT_STREAM (out));
}

static void
test_photo_set_keep_remove (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(GBytes) png = png_bytes ();
  g_autoptr(JsonObject) saved = save (f, "{\"id\": \"ana\", \"name\": \"Ana\"}");
  g_autoptr(JsonObject) with_photo = NULL;
  g_autoptr(JsonObject) edited = NULL;
  g_autoptr(JsonObject) edit = NULL;
  g_autoptr(JsonObject) removed = NULL;
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *content_type = NULL;
  g_autofree char *bytes = NULL;
  gint64 length;

  with_photo = yun_contacts_set_photo (f->contacts, "ana", json_object_get_string_member (saved, "rev"),
                                       png, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (with_photo, "photo"),
                                                  "content_type"), ==, "image/png");

  /* Saving what was read back keeps the photo. */
  edit = json_object_ref (with_photo);
  json_object_set_string_member (edit, "note", "likes tea");
  edited = yun_contacts_save (f->contacts, edit, &error);
  g_assert_no_error (error);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (edited, "photo"),
                                               "length"), ==, g_bytes_get_size (png));

  stream = yun_contacts_open_photo (f->contacts, "ana", &content_type, &length, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (content_type, ==, "image/png");
  g_assert_cmpint (length, ==, g_bytes_get_size (png));
  bytes = read_stream (stream);
  g_assert_cmpmem (bytes, length, g_bytes_get_data (png, NULL), g_bytes_get_size (png));

  /* null removes it. */
  json_object_set_null_member (edit, "photo");
  json_object_set_string_member (edit, "rev", json_object_get_string_member (edited, "rev"));
  removed = yun_contacts_save (f->contacts, edit, &error);
  g_assert_no_error (error);
  g_assert_false (json_object_has_member (removed, "photo"));
  g_clear_object (&stream);
  g_assert_null (yun_contacts_open_photo (f->contacts, "ana", NULL, NULL, &error));
  g_assert_error (error, YUN_PERSONAL_DATA_ERROR, YUN_PERSONAL_DATA_ERROR_NOT_FOUND);
}

static void
test_photo_not_an_image (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(JsonObject) saved = save (f, "{\"id\": \"ana\", \"name\": \"Ana\"}");
  g_autoptr(GBytes) html = g_bytes_new_static ("<script>alert(1)</script>", 25);
  g_autoptr(GBytes) big = g_bytes_new_take (g_malloc0 (YUN_CONTACTS_MAX_PHOTO + 1),
                                            YUN_CONTACTS_MAX_PHOTO + 1);
  g_autoptr(JsonObject) got = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_null (yun_contacts_set_photo (f->contacts, "ana", NULL, html, &error));
  yun_test_assert_invalid (error, "contact.photo:");
  g_clear_error (&error);
  g_assert_null (yun_contacts_set_photo (f->contacts, "ana", NULL, big, &error));
  yun_test_assert_invalid (error, "contact.photo:");

  got = yun_contacts_get (f->contacts, "ana", NULL);
  g_assert_cmpstr (json_object_get_string_member (got, "rev"), ==,
                   json_object_get_string_member (saved, "rev"));
}

#define CARD(name, tel) "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:" name "\r\nTEL;TYPE=CELL:" tel "\r\nEND:VCARD\r\n"

static void
test_import_report (Fixture       *f,
                    gconstpointer  data)
{
  /* Lines: card 1 is 1-5, the broken card 6-10, card 3 11-15, the
   * oversize card 16-20, card 5 21-25. */
  g_autoptr(GString) text = g_string_new (CARD ("Ana Import", "111 222 333")
                                          "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Broken\r\n"
                                          "TEL;TYPE=\"unclosed:1\r\nEND:VCARD\r\n"
                                          CARD ("Bo Import", "444 555 666")
                                          "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Long\r\nTEL:");
  g_autoptr(JsonObject) report = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *names = NULL;
  JsonArray *skipped;

  for (guint i = 0; i <= YUN_CONTACTS_MAX_TEL; i++)
    g_string_append_c (text, '9');
  g_string_append (text, "\r\nEND:VCARD\r\n" CARD ("Cy Import", "777 888 999"));

  report = yun_contacts_import_vcard (f->contacts, text->str, text->len, &error);
  g_assert_no_error (error);
  g_assert_cmpint (json_object_get_int_member (report, "imported"), ==, 3);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (report, "ids")), ==, 3);
  skipped = json_object_get_array_member (report, "skipped");
  g_assert_cmpuint (json_array_get_length (skipped), ==, 2);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (skipped, 0), "line"),
                   ==, 9);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (skipped, 1), "line"),
                   ==, 16);
  g_assert_true (g_str_has_prefix (json_object_get_string_member (json_array_get_object_element (skipped, 1),
                                                                  "message"), "contact.tel[0]"));

  /* What was imported is found at once. */
  names = find_names (f, "import", YUN_PERSONAL_INDEX_ORDER_NAME);
  g_assert_cmpstr (names, ==, "Ana Import,Bo Import,Cy Import");
  g_free (names);
  names = find_names (f, "999", YUN_PERSONAL_INDEX_ORDER_NAME);
  g_assert_cmpstr (names, ==, "Cy Import");
}

/* Thousands of cards into an empty book, whose index is then built in
 * bulk, and as many again into the same book, indexed change by change:
 * each time a broken card in the middle is reported at its line and
 * skipped, and the others are found by name, number and e-mail. */
static void
test_import_many (Fixture       *f,
                  gconstpointer  data)
{
  for (guint round = 0; round < 2; round++) {
    g_autoptr(GString) text = g_string_new (NULL);
    g_autoptr(JsonObject) report = NULL;
    g_autoptr(GError) error = NULL;
    g_autofree char *by_number = NULL;
    g_autofree char *by_email = NULL;
    g_autofree char *two_words = NULL;
    g_autofree char *first = NULL;
    g_autofree char *broken = NULL;
    g_autofree char *number = g_strdup_printf ("%05u", round * 2500 + 1234);
    g_autofree char *email = g_strdup_printf ("many%05u@example", round * 2500 + 1234);
    JsonArray *skipped;

    /* Each card has six lines; the broken one's bad line is the 7,204th. */
    for (guint i = 0; i < 2500; i++) {
      guint n = round * 2500 + i;

      if (i == 1200)
        g_string_append (text, "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Broken\r\n"
                               "TEL;TYPE=\"unclosed:1\r\nEND:VCARD\r\n");
      else
        g_string_append_printf (text, "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Many %05u Person\r\n"
                                      "TEL:+1 555 %05u\r\nEMAIL:many%05u@example.com\r\n"
                                      "END:VCARD\r\n", n, n, n);
    }
    report = yun_contacts_import_vcard (f->contacts, text->str, text->len, &error);
    g_assert_no_error (error);
    g_assert_cmpint (json_object_get_int_member (report, "imported"), ==, 2499);
    skipped = json_object_get_array_member (report, "skipped");
    g_assert_cmpuint (json_array_get_length (skipped), ==, 1);
    g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (skipped, 0), "line"),
                     ==, 7204);

    /* "many" and "person" match every card: their ranked lists are
     * walked. */
    first = find_names (f, "person ma", YUN_PERSONAL_INDEX_ORDER_NAME);
    g_assert_true (g_str_has_prefix (first, "Many 00000 Person,Many 00001 Person,"));
    by_number = find_names (f, number, YUN_PERSONAL_INDEX_ORDER_RECENT);
    by_email = find_names (f, email, YUN_PERSONAL_INDEX_ORDER_NAME);
    g_assert_cmpstr (by_number, ==, by_email);
    g_assert_true (g_str_has_prefix (by_number, "Many "));
    g_assert_nonnull (strstr (by_number, number));
    two_words = find_names (f, round == 0 ? "many 0123" : "person many 0373",
                            YUN_PERSONAL_INDEX_ORDER_NAME);
    g_assert_cmpstr (two_words, ==, round == 0
                     ? "Many 01230 Person,Many 01231 Person,Many 01232 Person,Many 01233 Person,"
                       "Many 01234 Person,Many 01235 Person,Many 01236 Person,Many 01237 Person,"
                       "Many 01238 Person,Many 01239 Person"
                     : "Many 03730 Person,Many 03731 Person,Many 03732 Person,Many 03733 Person,"
                       "Many 03734 Person,Many 03735 Person,Many 03736 Person,Many 03737 Person,"
                       "Many 03738 Person,Many 03739 Person");
    broken = find_names (f, "broken", YUN_PERSONAL_INDEX_ORDER_NAME);
    g_assert_cmpstr (broken, ==, "");
  }
}

static void
run_sql (const char *path,
         const char *sql)
{
  sqlite3 *db = NULL;
  char *message = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  sqlite3_exec (db, sql, NULL, NULL, &message);
  g_assert_null (message);
  sqlite3_close (db);
}

/* The store fails after two chunks of an import were written: none of it
 * stays, neither in the store nor in the index, and the same import goes
 * through once the failure is gone. */
static void
test_import_store_failure (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) failed = NULL;
  g_autoptr(JsonObject) report = NULL;
  g_autofree char *kept = save_id (f, "{\"name\": \"Kept Before\"}");
  g_autofree char *names = NULL;

  g_assert_nonnull (kept);
  for (guint i = 0; i < 1200; i++)
    g_string_append_printf (text, "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Failing %04u\r\n"
                                  "END:VCARD\r\n", i);
  run_sql (f->personal.store_path,
           "CREATE TRIGGER fail_late BEFORE INSERT ON docs WHEN (SELECT count(*) FROM docs) > 1000 "
           "BEGIN SELECT RAISE(ABORT, 'injected failure'); END");
  failed = yun_contacts_import_vcard (f->contacts, text->str, text->len, &error);
  g_assert_null (failed);
  g_assert_error (error, YUN_PERSONAL_DATA_ERROR, YUN_PERSONAL_DATA_ERROR_IO);
  g_assert_nonnull (strstr (error->message, "injected failure"));
  g_clear_error (&error);
  g_assert_cmpuint (yun_test_count_docs (f->personal.store, "contacts"), ==, 1);
  names = find_names (f, "failing", YUN_PERSONAL_INDEX_ORDER_NAME);
  g_assert_cmpstr (names, ==, "");
  g_free (names);
  names = find_names (f, "kept", YUN_PERSONAL_INDEX_ORDER_NAME);
  g_assert_cmpstr (names, ==, "Kept Before");
  g_free (names);

  run_sql (f->personal.store_path, "DROP TRIGGER fail_late");
  report = yun_contacts_import_vcard (f->contacts, text->str, text->len, &error);
  g_assert_no_error (error);
  g_assert_cmpint (json_object_get_int_member (report, "imported"), ==, 1200);
  names = find_names (f, "failing 1199", YUN_PERSONAL_INDEX_ORDER_NAME);
  g_assert_cmpstr (names, ==, "Failing 1199");
}

static void
test_import_hostile (Fixture       *f,
                     gconstpointer  data)
{
  static const char binary[] = "\x00\xff\xfe\x01" "BEGIN:VCARD\r\n\x00\r\nEND:VCARD\r\n";
  g_autoptr(JsonObject) report = NULL;
  g_autoptr(JsonObject) empty = NULL;
  g_autoptr(GError) error = NULL;
  char *huge;

  report = yun_contacts_import_vcard (f->contacts, binary, sizeof binary - 1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (json_object_get_int_member (report, "imported"), ==, 0);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (report, "skipped")), >, 0);

  empty = yun_contacts_import_vcard (f->contacts, "", 0, &error);
  g_assert_no_error (error);
  g_assert_cmpint (json_object_get_int_member (empty, "imported"), ==, 0);

  /* Over the import's limit: refused before anything is read. */
  huge = g_malloc0 (YUN_CONTACTS_MAX_IMPORT + 1);
  g_assert_null (yun_contacts_import_vcard (f->contacts, huge, YUN_CONTACTS_MAX_IMPORT + 1, &error));
  yun_test_assert_invalid (error, "vcard:");
  g_free (huge);
  g_assert_cmpuint (yun_test_count_docs (f->personal.store, "contacts"), ==, 0);
}

static void
test_import_embedded_photo (Fixture       *f,
                            gconstpointer  data)
{
  g_autofree char *text = g_strdup_printf ("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Pic\r\n"
                                           "PHOTO;ENCODING=b;TYPE=PNG:%s\r\nEND:VCARD\r\n"
                                           "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Fake\r\n"
                                           "PHOTO;ENCODING=b;TYPE=PNG:PHNjcmlwdD4=\r\nEND:VCARD\r\n",
                                           png_base64);
  g_autoptr(JsonObject) report = yun_contacts_import_vcard (f->contacts, text, strlen (text), NULL);
  g_autoptr(JsonObject) contact = NULL;
  JsonArray *skipped = json_object_get_array_member (report, "skipped");

  g_assert_cmpint (json_object_get_int_member (report, "imported"), ==, 1);
  g_assert_cmpuint (json_array_get_length (skipped), ==, 1);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (skipped, 0), "line"),
                   ==, 6);
  contact = yun_contacts_get (f->contacts,
                              json_array_get_string_element (json_object_get_array_member (report,
                                                                                            "ids"), 0),
                              NULL);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (contact, "photo"),
                                                  "content_type"), ==, "image/png");
}

static void
test_export_round_trip (Fixture       *f,
                        gconstpointer  version_data)
{
  YunVcardVersion version = GPOINTER_TO_INT (version_data);
  g_autoptr(GBytes) png = png_bytes ();
  g_autoptr(JsonObject) saved = save (f, "{\"id\": \"ana\", \"name\": {\"given\": \"Ana\","
                                         " \"family\": \"López\"}, \"tel\": [{\"value\": \"+34 600\","
                                         " \"types\": [\"cell\"], \"pref\": true}],"
                                         " \"email\": [\"ana@example.org\"], \"note\": \"a; b, c\"}");
  g_autoptr(JsonObject) with_photo = yun_contacts_set_photo (f->contacts, "ana", NULL, png, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *all = NULL;
  g_autofree char *one = NULL;
  g_autoptr(YunVcard) back = NULL;
  JsonObject *card;
  const char * const ids[] = { "ana", NULL };

  g_assert_nonnull (saved);
  g_assert_nonnull (with_photo);
  g_free (save_id (f, "{\"name\": \"Bo\", \"tel\": [\"123\"]}"));
  all = yun_contacts_export_vcard (f->contacts, NULL, version, &error);
  g_assert_no_error (error);
  one = yun_contacts_export_vcard (f->contacts, ids, version, &error);
  g_assert_no_error (error);

  g_assert_nonnull (strstr (all, version == YUN_VCARD_VERSION_3_0 ? "VERSION:3.0\r\n"
                                                                  : "VERSION:4.0\r\n"));
  g_assert_nonnull (strstr (one, version == YUN_VCARD_VERSION_3_0 ? "TYPE=cell,pref"
                                                                  : "TYPE=cell;PREF=1"));
  back = yun_vcard_parse (all, strlen (all));
  g_assert_cmpuint (yun_vcard_get_n_problems (back), ==, 0);
  g_assert_cmpuint (yun_vcard_get_n_cards (back), ==, 2);
  g_clear_object (&back);
  back = yun_vcard_parse (one, strlen (one));
  g_assert_cmpuint (yun_vcard_get_n_cards (back), ==, 1);
  card = yun_vcard_get_card (back, 0);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (card, "name"),
                                                  "family"), ==, "López");
  g_assert_cmpstr (json_object_get_string_member (card, "note"), ==, "a; b, c");
  g_assert_nonnull (yun_vcard_get_photo (back, 0));
  g_assert_true (g_bytes_equal (yun_vcard_get_photo (back, 0), png));
}

static void
test_export_missing (Fixture       *f,
                     gconstpointer  data)
{
  const char * const ids[] = { "nobody", NULL };
  g_autoptr(GError) error = NULL;

  g_assert_null (yun_contacts_export_vcard (f->contacts, ids, YUN_VCARD_VERSION_4_0, &error));
  g_assert_error (error, YUN_PERSONAL_DATA_ERROR, YUN_PERSONAL_DATA_ERROR_NOT_FOUND);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/yun/services/contacts/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("save/new", test_save_new);
  ADD ("save/short-forms", test_save_short_forms);
  ADD ("save/update-needs-rev", test_save_update_needs_rev);
  ADD ("save/invalid", test_save_invalid);
  ADD ("save/oversize", test_save_oversize);
  ADD ("save/not-utf8", test_save_not_utf8);
  ADD ("get/missing", test_get_missing);
  ADD ("remove", test_remove);
  ADD ("find/by-name-prefix", test_find_by_name_prefix);
  ADD ("find/by-number-suffix", test_find_by_number_suffix);
  ADD ("find/by-email-prefix", test_find_by_email_prefix);
  ADD ("find/order-recent", test_find_order_recent);
  ADD ("find/limit", test_find_limit);
  ADD ("find/hostile-query", test_find_hostile_query);
  ADD ("photo/set-keep-remove", test_photo_set_keep_remove);
  ADD ("photo/not-an-image", test_photo_not_an_image);
  ADD ("import/report", test_import_report);
  ADD ("import/many", test_import_many);
  ADD ("import/hostile", test_import_hostile);
  ADD ("import/store-failure", test_import_store_failure);
  ADD ("import/embedded-photo", test_import_embedded_photo);
  ADD ("export/missing", test_export_missing);
#undef ADD
  g_test_add ("/yun/services/contacts/export/round-trip-3.0", Fixture,
              GINT_TO_POINTER (YUN_VCARD_VERSION_3_0), fixture_set_up, test_export_round_trip,
              fixture_tear_down);
  g_test_add ("/yun/services/contacts/export/round-trip-4.0", Fixture,
              GINT_TO_POINTER (YUN_VCARD_VERSION_4_0), fixture_set_up, test_export_round_trip,
              fixture_tear_down);

  return g_test_run ();
}
