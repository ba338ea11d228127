/* yun-contact-picker-api.c: the standard Contact Picker, navigator.contacts.
 *
 * select(properties, {multiple}) shows the shell's picker (a "contact-
 * chooser" service) and gives the app only the contacts the user picked,
 * each with only the properties asked for, in the standard's shape:
 * arrays of strings for name, email and tel, of address objects for
 * address.  "icon" is always empty: a Blob cannot cross the bridge.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "yun-contact-picker-api.h"

#include "yun-contact-chooser.h"
#include "yun-contacts.h"
#include "yun-personal-api.h"

typedef struct {
  YunBridge *bridge;
  YunBridgeCall *call;
  GStrv properties;
} Picking;

static void
picking_free (Picking *picking)
{
  g_object_unref (picking->bridge);
  g_strfreev (picking->properties);
  g_free (picking);
}

/* The values of entries such as tel: [{value, types}] → ["…"]. */
static JsonArray *
values_of (JsonObject *contact,
           const char *member)
{
  JsonArray *values = json_array_new ();
  JsonArray *entries = json_object_has_member (contact, member)
    ? json_object_get_array_member (contact, member) : NULL;

  for (guint i = 0; entries != NULL && i < json_array_get_length (entries); i++)
    json_array_add_string_element (values, json_object_get_string_member_with_default (
                                     json_array_get_object_element (entries, i), "value", ""));
  return values;
}

static JsonObject *
picked (JsonObject         *contact,
        const char * const *properties)
{
  JsonObject *result = json_object_new ();

  for (guint i = 0; properties[i] != NULL; i++) {
    const char *property = properties[i];
    JsonArray *value;

    if (g_str_equal (property, "name")) {
      JsonObject *name = json_object_has_member (contact, "name")
        ? json_object_get_object_member (contact, "name") : NULL;

      value = json_array_new ();
      if (name != NULL && json_object_has_member (name, "formatted"))
        json_array_add_string_element (value, json_object_get_string_member (name, "formatted"));
    } else if (g_str_equal (property, "email") || g_str_equal (property, "tel")) {
      value = values_of (contact, property);
    } else if (g_str_equal (property, "address") && json_object_has_member (contact, "address")) {
      value = json_array_ref (json_object_get_array_member (contact, "address"));
    } else {
      value = json_array_new ();
    }
    json_object_set_array_member (result, property, value);
  }
  return result;
}

static void
fetch_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  YunContacts *contacts = g_object_get_data (G_OBJECT (task), "contacts");
  const char * const *properties = g_object_get_data (G_OBJECT (task), "properties");
  GStrv ids = task_data;
  g_autoptr(JsonArray) result = json_array_new ();

  for (guint i = 0; ids[i] != NULL; i++) {
    g_autoptr(GError) error = NULL;
    g_autoptr(JsonObject) contact = yun_contacts_get (contacts, ids[i], &error);

    /* A contact removed meanwhile is simply not given. */
    if (contact != NULL)
      json_array_add_object_element (result, picked (contact, properties));
  }
  g_task_return_pointer (task, yun_personal_api_array_node (g_steal_pointer (&result)),
                         (GDestroyNotify) json_node_unref);
}

static void
on_fetched (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  YunBridgeCall *call = user_data;
  JsonNode *contacts = g_task_propagate_pointer (G_TASK (result), NULL);

  yun_bridge_call_return_value (call, contacts);
}

static void
on_chosen (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Picking *picking = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GTask) task = NULL;
  GStrv ids;

  ids = yun_contact_chooser_choose_finish (YUN_CONTACT_CHOOSER (source), result, &error);
  if (ids == NULL) {
    yun_bridge_call_return_error (picking->call,
                                  g_error_new (YUN_BRIDGE_ERROR, YUN_BRIDGE_ERROR_INVALID_STATE,
                                               "contacts.select: %s", error->message));
    picking_free (picking);
    return;
  }

  task = g_task_new (NULL, NULL, on_fetched, picking->call);
  g_task_set_source_tag (task, on_chosen);
  g_task_set_task_data (task, ids, (GDestroyNotify) g_strfreev);
  g_object_set_data_full (G_OBJECT (task), "contacts",
                          g_object_ref (yun_bridge_get_service (picking->bridge, "contacts")),
                          g_object_unref);
  g_object_set_data_full (G_OBJECT (task), "properties", g_steal_pointer (&picking->properties),
                          (GDestroyNotify) g_strfreev);
  g_task_run_in_thread (task, fetch_thread);
  picking_free (picking);
}

static void
contact_picker_select (YunBridge             *bridge,
                       const YunBridgeCaller *caller,
                       YunBridgeRequest      *request,
                       YunBridgeCall         *call)
{
  YunContactChooser *chooser = yun_bridge_get_service (bridge, "contact-chooser");
  JsonArray *asked = json_object_get_array_member (request->args, "properties");
  g_autoptr(GStrvBuilder) properties = g_strv_builder_new ();
  YunContactChoice choice = { 0 };
  Picking *picking;

  if (chooser == NULL || yun_bridge_get_service (bridge, "contacts") == NULL) {
    yun_bridge_call_return_error (call, g_error_new_literal (YUN_BRIDGE_ERROR,
                                                             YUN_BRIDGE_ERROR_INVALID_STATE,
                                                             "contacts.select: the address book "
                                                             "is not open"));
    return;
  }

  for (guint i = 0; i < json_array_get_length (asked); i++) {
    const char *property = json_array_get_string_element (asked, i);

    for (guint j = 0; j < i; j++) {
      if (g_str_equal (property, json_array_get_string_element (asked, j))) {
        property = NULL;
        break;
      }
    }
    if (property != NULL)
      g_strv_builder_add (properties, property);
  }

  picking = g_new0 (Picking, 1);
  picking->bridge = g_object_ref (bridge);
  picking->call = call;
  picking->properties = g_strv_builder_end (properties);
  choice.app_id = caller->app_id;
  choice.app_name = yun_manifest_get_short_name (caller->manifest);
  choice.properties = (const char * const *) picking->properties;
  choice.multiple = json_object_get_boolean_member_with_default (request->args, "multiple", FALSE);
  yun_contact_chooser_choose_async (chooser, &choice, yun_bridge_call_get_cancellable (call),
                                    on_chosen, picking);
}

const YunBridgeMethod yun_contact_picker_api[] = {
  { "contactPicker", "select", contact_picker_select },
  { NULL, NULL, NULL },
};
