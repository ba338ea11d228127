/* test-messages.c: text messages on the personal store.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "yun-messages.h"
#include "yun-test-personal.h"

typedef struct {
  YunTestPersonal personal;
  YunMessages *messages;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  yun_test_personal_set_up (&f->personal);
  f->messages = yun_messages_new (f->personal.index, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_assert_finalize_object (f->messages);
  yun_test_personal_tear_down (&f->personal);
}

static JsonObject *
save (Fixture    *f,
      const char *json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) input = yun_test_json_object (json);
  JsonObject *saved = yun_messages_save (f->messages, input, &error);

  g_assert_no_error (error);
  return saved;
}

static char *
bodies (JsonArray *messages)
{
  g_autoptr(GString) joined = g_string_new (NULL);

  for (guint i = 0; i < json_array_get_length (messages); i++)
    g_string_append_printf (joined, "%s%s", i > 0 ? "," : "",
                            json_object_get_string_member (json_array_get_object_element (messages, i),
                                                           "body"));
  return g_string_free (g_steal_pointer (&joined), FALSE);
}

static void
test_save_defaults (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(JsonObject) saved = save (f, "{\"thread\": \"bob\", \"from\": \"bob\", \"body\": \"hi\"}");
  g_autoptr(JsonObject) got = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (json_object_get_int_member (saved, "time"), >, 0);
  g_assert_false (json_object_get_boolean_member (saved, "read"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (saved, "to")), ==, 0);
  got = yun_messages_get (f->messages, json_object_get_string_member (saved, "id"), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (got, "rev"), ==,
                   json_object_get_string_member (saved, "rev"));
  g_assert_cmpstr (json_object_get_string_member (got, "body"), ==, "hi");
  g_assert_false (json_object_has_member (got, "_id"));
}

static void
test_save_invalid (Fixture       *f,
                   gconstpointer  data)
{
  static const struct {
    const char *json;
    const char *path;
  } cases[] = {
    { "{\"from\": \"a\"}", "message.thread:" },
    { "{\"thread\": \"a\"}", "message.from:" },
    { "{\"thread\": 1, \"from\": \"a\"}", "message.thread:" },
    { "{\"thread\": \"a\", \"from\": \"a\", \"to\": \"b\"}", "message.to:" },
    { "{\"thread\": \"a\", \"from\": \"a\", \"to\": [\"b\", 2]}", "message.to[1]:" },
    { "{\"thread\": \"a\", \"from\": \"a\", \"read\": \"yes\"}", "message.read:" },
    { "{\"thread\": \"a\", \"from\": \"a\", \"time\": -1}", "message.time:" },
    { "{\"thread\": \"a\", \"from\": \"a\", \"time\": 1.5}", "message.time:" },
    { "{\"thread\": \"a\", \"from\": \"a\", \"time\": 1e300}", "message.time:" },
    { "{\"thread\": \"a\", \"from\": \"a\", \"time\": \"now\"}", "message.time:" },
    { "{\"thread\": \"a\", \"from\": \"a\", \"subject\": \"x\"}", "message:" },
    { "{\"thread\": \"a\", \"from\": \"a\", \"id\": \"\"}", "message.id:" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_autoptr(JsonObject) input = yun_test_json_object (cases[i].json);
    g_autoptr(GError) error = NULL;

    g_test_message ("%s", cases[i].json);
    g_assert_null (yun_messages_save (f->messages, input, &error));
    yun_test_assert_invalid (error, cases[i].path);
  }
  g_assert_cmpuint (yun_test_count_docs (f->personal.store, "messages"), ==, 0);
}

static void
test_save_oversize (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(JsonObject) long_body = yun_test_json_object ("{\"thread\": \"a\", \"from\": \"a\"}");
  g_autoptr(JsonObject) many = yun_test_json_object ("{\"thread\": \"a\", \"from\": \"a\"}");
  g_autoptr(JsonArray) to = json_array_new ();
  g_autofree char *body = g_malloc (YUN_MESSAGES_MAX_BODY + 2);
  g_autoptr(GError) error = NULL;

  memset (body, 'x', YUN_MESSAGES_MAX_BODY + 1);
  body[YUN_MESSAGES_MAX_BODY + 1] = '\0';
  json_object_set_string_member (long_body, "body", body);
  g_assert_null (yun_messages_save (f->messages, long_body, &error));
  yun_test_assert_invalid (error, "message.body:");
  g_clear_error (&error);

  for (guint i = 0; i <= YUN_MESSAGES_MAX_RECIPIENTS; i++)
    json_array_add_string_element (to, "x");
  json_object_set_array_member (many, "to", g_steal_pointer (&to));
  g_assert_null (yun_messages_save (f->messages, many, &error));
  yun_test_assert_invalid (error, "message.to:");
  g_assert_cmpuint (yun_test_count_docs (f->personal.store, "messages"), ==, 0);
}

static void
test_list_by_thread (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) bob = NULL;
  g_autoptr(JsonArray) older = NULL;
  g_autoptr(JsonArray) all = NULL;
  g_autofree char *bob_bodies = NULL;
  g_autofree char *older_bodies = NULL;
  g_autofree char *all_bodies = NULL;

  json_object_unref (save (f, "{\"thread\": \"bob\", \"from\": \"bob\", \"body\": \"b1\", \"time\": 10}"));
  json_object_unref (save (f, "{\"thread\": \"ann\", \"from\": \"me\", \"to\": [\"ann\"], \"body\": \"a1\", \"time\": 20}"));
  json_object_unref (save (f, "{\"thread\": \"bob\", \"from\": \"me\", \"to\": [\"bob\"], \"body\": \"b2\", \"time\": 30}"));

  bob = yun_messages_list (f->messages, "bob", 0, 0, &error);
  g_assert_no_error (error);
  older = yun_messages_list (f->messages, "bob", 30, 0, &error);
  all = yun_messages_list (f->messages, NULL, 0, 2, &error);
  bob_bodies = bodies (bob);
  older_bodies = bodies (older);
  all_bodies = bodies (all);
  g_assert_cmpstr (bob_bodies, ==, "b2,b1");
  g_assert_cmpstr (older_bodies, ==, "b1");
  g_assert_cmpstr (all_bodies, ==, "b2,a1");
}

static void
test_threads_and_read (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) threads = NULL;
  g_autoptr(JsonArray) after = NULL;
  g_autoptr(JsonObject) first = save (f, "{\"thread\": \"bob\", \"from\": \"bob\", \"body\": \"b1\", \"time\": 10}");
  g_autoptr(JsonObject) marked = NULL;
  JsonObject *thread;

  json_object_unref (save (f, "{\"thread\": \"bob\", \"from\": \"bob\", \"body\": \"b2\", \"time\": 30}"));
  json_object_unref (save (f, "{\"thread\": \"ann\", \"from\": \"ann\", \"body\": \"a1\", \"time\": 20, \"read\": true}"));

  threads = yun_messages_list_threads (f->messages, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (threads), ==, 2);
  thread = json_array_get_object_element (threads, 0);
  g_assert_cmpstr (json_object_get_string_member (thread, "thread"), ==, "bob");
  g_assert_cmpint (json_object_get_int_member (thread, "unread"), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (thread, "last"),
                                                  "body"), ==, "b2");

  marked = yun_messages_mark_read (f->messages, json_object_get_string_member (first, "id"), &error);
  g_assert_no_error (error);
  g_assert_true (json_object_get_boolean_member (marked, "read"));
  g_assert_cmpuint (yun_messages_mark_thread_read (f->messages, "bob", &error), ==, 1);
  g_assert_no_error (error);
  g_assert_cmpuint (yun_messages_mark_thread_read (f->messages, "bob", &error), ==, 0);
  g_assert_no_error (error);

  after = yun_messages_list_threads (f->messages, 0, &error);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (after, 0), "unread"),
                   ==, 0);
}

static void
test_remove (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(JsonObject) saved = save (f, "{\"thread\": \"bob\", \"from\": \"bob\"}");
  g_autoptr(JsonArray) left = NULL;
  g_autoptr(GError) error = NULL;
  const char *id = json_object_get_string_member (saved, "id");

  g_assert_false (yun_messages_remove (f->messages, id, "1-0123", &error));
  g_assert_error (error, YUN_PERSONAL_DATA_ERROR, YUN_PERSONAL_DATA_ERROR_CONFLICT);
  g_clear_error (&error);
  g_assert_true (yun_messages_remove (f->messages, id, json_object_get_string_member (saved, "rev"),
                                      &error));
  g_assert_no_error (error);
  left = yun_messages_list (f->messages, "bob", 0, 0, &error);
  g_assert_cmpuint (json_array_get_length (left), ==, 0);
  g_assert_null (yun_messages_mark_read (f->messages, id, &error));
  g_assert_error (error, YUN_PERSONAL_DATA_ERROR, YUN_PERSONAL_DATA_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_null (yun_messages_get (f->messages, "_local/x", &error));
  g_assert_error (error, YUN_PERSONAL_DATA_ERROR, YUN_PERSONAL_DATA_ERROR_NOT_FOUND);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/yun/services/messages/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("save/defaults", test_save_defaults);
  ADD ("save/invalid", test_save_invalid);
  ADD ("save/oversize", test_save_oversize);
  ADD ("list/by-thread", test_list_by_thread);
  ADD ("threads-and-read", test_threads_and_read);
  ADD ("remove", test_remove);
#undef ADD

  return g_test_run ();
}
