/* yun-personal-search.c: home-screen search over contacts and notes.
 *
 * Contacts are found as the address book finds them (start of a name
 * word, end of a number, start of an e-mail); notes by the words of their
 * text.  Each result opens the built-in app that holds it.  The index is
 * read in a worker thread.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "yun-personal-search.h"

/* Results shown per kind. */
#define MAX_RESULTS 5

typedef enum {
  KIND_CONTACTS,
  KIND_NOTES,
} Kind;

struct _YunPersonalSearch
{
  GObject parent_instance;

  Kind kind;
  YunContacts *contacts;
  YunPersonalIndex *index;
};

static void yun_personal_search_provider_init (YunHomeSearchProviderInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (YunPersonalSearch, yun_personal_search, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (YUN_TYPE_HOME_SEARCH_PROVIDER,
                                                      yun_personal_search_provider_init))

static void
yun_personal_search_dispose (GObject *object)
{
  YunPersonalSearch *self = YUN_PERSONAL_SEARCH (object);

  g_clear_object (&self->contacts);
  g_clear_object (&self->index);

  G_OBJECT_CLASS (yun_personal_search_parent_class)->dispose (object);
}

static void
yun_personal_search_class_init (YunPersonalSearchClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = yun_personal_search_dispose;
}

static void
yun_personal_search_init (YunPersonalSearch *self)
{
}

static const char *
get_name (YunHomeSearchProvider *provider)
{
  return YUN_PERSONAL_SEARCH (provider)->kind == KIND_CONTACTS ? "Contacts" : "Notes";
}

static YunHomeSearchResult *
contact_result (JsonObject *contact)
{
  JsonObject *name = json_object_has_member (contact, "name")
    ? json_object_get_object_member (contact, "name") : NULL;
  JsonArray *tel = json_object_has_member (contact, "tel")
    ? json_object_get_array_member (contact, "tel") : NULL;
  const char *title = name != NULL ? json_object_get_string_member_with_default (name, "formatted", "")
                                   : "";
  const char *subtitle = tel != NULL && json_array_get_length (tel) > 0
    ? json_object_get_string_member (json_array_get_object_element (tel, 0), "value") : "";

  return yun_home_search_result_new (*title != '\0' ? title : subtitle, subtitle, "app.launch",
                                     g_variant_new_string ("contacts"));
}

static GPtrArray *
search_contacts (YunPersonalSearch  *self,
                 const char         *query,
                 GError            **error)
{
  g_autoptr(JsonArray) found = yun_contacts_find (self->contacts, query,
                                                  YUN_PERSONAL_INDEX_ORDER_NAME, MAX_RESULTS,
                                                  error);
  GPtrArray *results;

  if (found == NULL)
    return NULL;
  results = g_ptr_array_new_with_free_func ((GDestroyNotify) yun_home_search_result_free);
  for (guint i = 0; i < json_array_get_length (found); i++)
    g_ptr_array_add (results, contact_result (json_array_get_object_element (found, i)));
  return results;
}

static GPtrArray *
search_notes (YunPersonalSearch  *self,
              const char         *query,
              GError            **error)
{
  g_autoptr(GPtrArray) ids = yun_personal_index_search_notes (self->index, query, MAX_RESULTS,
                                                              error);
  YunDocStore *store = yun_personal_index_get_store (self->index);
  GPtrArray *results;

  if (ids == NULL)
    return NULL;
  results = g_ptr_array_new_with_free_func ((GDestroyNotify) yun_home_search_result_free);
  for (guint i = 0; i < ids->len; i++) {
    g_autoptr(JsonObject) note = yun_doc_store_get (store, YUN_PERSONAL_DB_NOTES,
                                                    g_ptr_array_index (ids, i), NULL,
                                                    YUN_DOC_STORE_GET_NONE, NULL);
    g_autofree char *first_line = NULL;
    const char *body;

    if (note == NULL)
      continue;
    body = json_object_get_string_member_with_default (note, "body", "");
    first_line = g_strndup (body, strcspn (body, "\n"));
    g_ptr_array_add (results, yun_home_search_result_new (
                                json_object_get_string_member_with_default (note, "title", ""),
                                first_line, "app.launch", g_variant_new_string ("notes")));
  }
  return results;
}

static void
search_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  YunPersonalSearch *self = source_object;
  GError *error = NULL;
  GPtrArray *results = self->kind == KIND_CONTACTS ? search_contacts (self, task_data, &error)
                                                   : search_notes (self, task_data, &error);

  if (results == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, results, (GDestroyNotify) g_ptr_array_unref);
}

static void
search_async (YunHomeSearchProvider *provider,
              const char            *query,
              GCancellable          *cancellable,
              GAsyncReadyCallback    callback,
              gpointer               user_data)
{
  g_autoptr(GTask) task = g_task_new (provider, cancellable, callback, user_data);

  g_task_set_source_tag (task, search_async);
  g_task_set_task_data (task, g_strdup (query), g_free);
  g_task_run_in_thread (task, search_thread);
}

static GPtrArray *
search_finish (YunHomeSearchProvider  *provider,
               GAsyncResult           *result,
               GError                **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
yun_personal_search_provider_init (YunHomeSearchProviderInterface *iface)
{
  iface->get_name = get_name;
  iface->search_async = search_async;
  iface->search_finish = search_finish;
}

/**
 * yun_personal_search_new_for_contacts:
 * @contacts: the address book
 *
 * Returns: (transfer full): a search provider over contacts
 */
YunPersonalSearch *
yun_personal_search_new_for_contacts (YunContacts *contacts)
{
  YunPersonalSearch *self = g_object_new (YUN_TYPE_PERSONAL_SEARCH, NULL);

  self->kind = KIND_CONTACTS;
  self->contacts = g_object_ref (contacts);
  return self;
}

/**
 * yun_personal_search_new_for_notes:
 * @index: the personal index
 *
 * Returns: (transfer full): a search provider over notes
 */
YunPersonalSearch *
yun_personal_search_new_for_notes (YunPersonalIndex *index)
{
  YunPersonalSearch *self = g_object_new (YUN_TYPE_PERSONAL_SEARCH, NULL);

  self->kind = KIND_NOTES;
  self->index = g_object_ref (index);
  return self;
}
