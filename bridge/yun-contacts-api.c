/* yun-contacts-api.c: navigator.yun.contacts, on the YunContacts service.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "yun-contacts-api.h"

#include "yun-contacts.h"
#include "yun-personal-api.h"

static JsonNode *
find_work (YunPersonalJob  *job,
           GError         **error)
{
  const char *order = json_object_get_string_member_with_default (job->args, "order", "name");

  return yun_personal_api_array_node (
    yun_contacts_find (job->service, json_object_get_string_member_with_default (job->args, "query", ""),
                       g_str_equal (order, "recent") ? YUN_PERSONAL_INDEX_ORDER_RECENT
                                                     : YUN_PERSONAL_INDEX_ORDER_NAME,
                       (guint) json_object_get_int_member_with_default (job->args, "limit", 0), error));
}

static JsonNode *
get_work (YunPersonalJob  *job,
          GError         **error)
{
  return yun_personal_api_object_node (
    yun_contacts_get (job->service, json_object_get_string_member (job->args, "id"), error));
}

static JsonNode *
save_work (YunPersonalJob  *job,
           GError         **error)
{
  return yun_personal_api_object_node (
    yun_contacts_save (job->service, json_object_get_object_member (job->args, "contact"), error));
}

static JsonNode *
remove_work (YunPersonalJob  *job,
             GError         **error)
{
  if (!yun_contacts_remove (job->service, json_object_get_string_member (job->args, "id"),
                            json_object_get_string_member_with_default (job->args, "rev", NULL),
                            error))
    return NULL;
  return yun_personal_api_boolean_node (TRUE);
}

static JsonNode *
import_work (YunPersonalJob  *job,
             GError         **error)
{
  const char *text = json_object_get_string_member (job->args, "text");

  return yun_personal_api_object_node (yun_contacts_import_vcard (job->service, text, strlen (text),
                                                                  error));
}

static JsonNode *
export_work (YunPersonalJob  *job,
             GError         **error)
{
  g_autoptr(GPtrArray) ids = NULL;
  const char *version = json_object_get_string_member_with_default (job->args, "version", "4.0");
  g_autofree char *text = NULL;

  if (json_object_has_member (job->args, "ids")) {
    JsonArray *given = json_object_get_array_member (job->args, "ids");

    ids = g_ptr_array_new ();
    for (guint i = 0; i < json_array_get_length (given); i++)
      g_ptr_array_add (ids, (gpointer) json_array_get_string_element (given, i));
    g_ptr_array_add (ids, NULL);
  }
  text = yun_contacts_export_vcard (job->service,
                                    ids != NULL ? (const char * const *) ids->pdata : NULL,
                                    g_str_equal (version, "3.0") ? YUN_VCARD_VERSION_3_0
                                                                 : YUN_VCARD_VERSION_4_0,
                                    error);
  return text != NULL ? json_node_init_string (json_node_alloc (), text) : NULL;
}

YUN_PERSONAL_API_HANDLER (contacts_find, "contacts", find_work)
YUN_PERSONAL_API_HANDLER (contacts_get, "contacts", get_work)
YUN_PERSONAL_API_HANDLER (contacts_save, "contacts", save_work)
YUN_PERSONAL_API_HANDLER (contacts_remove, "contacts", remove_work)
YUN_PERSONAL_API_HANDLER (contacts_import, "contacts", import_work)
YUN_PERSONAL_API_HANDLER (contacts_export, "contacts", export_work)

const YunBridgeMethod yun_contacts_api[] = {
  { "contacts", "find", contacts_find },
  { "contacts", "get", contacts_get },
  { "contacts", "save", contacts_save },
  { "contacts", "remove", contacts_remove },
  { "contacts", "importVCard", contacts_import },
  { "contacts", "exportVCard", contacts_export },
  { NULL, NULL, NULL },
};
