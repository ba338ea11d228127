/* yun-contacts.c: the address book, on the personal document store.
 *
 * A contact is a document of the "contacts" database in the shape of
 * yun-contacts.h, which is also the shape yun-vcard.c reads cards into, so
 * that an import stores what the parser gives once it is checked, and an
 * export hands the stored document back to the writer.  An embedded photo
 * is the document's attachment "photo"; a linked one is its "photo.url".
 *
 * Searching goes through YunPersonalIndex, which follows the store's
 * changes: contacts that arrive by replication are found like the others.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "yun-contacts.h"

#include "yun-personal-data-private.h"

#include <string.h>

#define DB YUN_PERSONAL_DB_CONTACTS
/* Field paths for messages are made on the stack: an import checks
 * thousands of fields, and allocating each path would cost more than the
 * check. */
#define PATH_SIZE 96
#define PHOTO "photo"

struct _YunContacts
{
  GObject parent_instance;

  YunPersonalIndex *index;
  YunDocStore *store;
};

G_DEFINE_FINAL_TYPE (YunContacts, yun_contacts, G_TYPE_OBJECT)

static const char * const contact_members[] = {
  "id", "rev", "name", "tel", "email", "address", "org", "department", "title", "note", "bday",
  "uid", "photo", "updated", NULL
};
static const char * const name_parts[] = {
  "formatted", "given", "family", "additional", "prefix", "suffix", NULL
};
static const char * const address_parts[] = {
  "po_box", "extended", "street", "locality", "region", "postal_code", "country", NULL
};
static const char * const photo_types[] = {
  "image/jpeg", "image/png", "image/gif", "image/webp", NULL
};

/* Validation: what a page or a card gives, into the stored shape. */

static gboolean
copy_text (JsonObject  *to,
           const char  *to_member,
           JsonNode    *node,
           const char  *path,
           gsize        max,
           GError     **error)
{
  const char *text;

  if (node == NULL)
    return TRUE;
  if (!yun_pd_read_string (node, path, max, &text, error))
    return FALSE;
  if (*text != '\0')
    json_object_set_string_member (to, to_member, text);
  return TRUE;
}

static gboolean
read_types (JsonObject  *from,
            JsonObject  *to,
            const char  *path,
            GError     **error)
{
  g_autoptr(JsonArray) types = json_array_new ();
  char types_path[PATH_SIZE];
  char pref_path[PATH_SIZE];
  JsonNode *node = yun_pd_member (from, "types");
  JsonArray *given;
  gboolean pref = FALSE;

  g_snprintf (types_path, sizeof types_path, "%s.types", path);
  g_snprintf (pref_path, sizeof pref_path, "%s.pref", path);
  if (node != NULL) {
    if (!yun_pd_read_array (node, types_path, YUN_CONTACTS_MAX_TYPES, &given, error))
      return FALSE;
    for (guint i = 0; i < json_array_get_length (given); i++) {
      char item_path[PATH_SIZE];
      const char *type;

      g_snprintf (item_path, sizeof item_path, "%s[%u]", types_path, i);
      if (!yun_pd_read_string (json_array_get_element (given, i), item_path,
                               YUN_CONTACTS_MAX_TYPE, &type, error))
        return FALSE;
      json_array_add_string_element (types, type);
    }
  }
  json_object_set_array_member (to, "types", g_steal_pointer (&types));

  node = yun_pd_member (from, "pref");
  if (node != NULL && !yun_pd_read_boolean (node, pref_path, &pref, error))
    return FALSE;
  if (pref)
    json_object_set_boolean_member (to, "pref", TRUE);
  return TRUE;
}

/* An entry of tel or email: "value", or {"value", "types", "pref"}. */
static JsonObject *
read_entry (JsonNode    *node,
            const char  *path,
            gsize        max,
            GError     **error)
{
  static const char * const members[] = { "value", "types", "pref", NULL };
  g_autoptr(JsonObject) entry = json_object_new ();
  char value_path[PATH_SIZE];
  g_autofree char *value = NULL;
  JsonObject *given = NULL;
  const char *text;

  g_snprintf (value_path, sizeof value_path, "%s.value", path);
  if (JSON_NODE_HOLDS_OBJECT (node)) {
    given = json_node_get_object (node);
    if (!yun_pd_check_members (given, path, members, error) ||
        !yun_pd_read_string (yun_pd_member (given, "value"), value_path, max, &text, error))
      return NULL;
  } else if (!yun_pd_read_string (node, path, max, &text, error)) {
    return NULL;
  }

  value = g_strstrip (g_strdup (text));
  if (*value == '\0') {
    g_set_error (error, YUN_PERSONAL_DATA_ERROR, YUN_PERSONAL_DATA_ERROR_INVALID,
                 "%s: must not be empty", given != NULL ? value_path : path);
    return NULL;
  }
  json_object_set_string_member (entry, "value", value);
  if (given != NULL) {
    if (!read_types (given, entry, path, error))
      return NULL;
  } else {
    json_object_set_array_member (entry, "types", json_array_new ());
  }
  return g_steal_pointer (&entry);
}

static JsonObject *
read_address (JsonNode    *node,
              const char  *path,
              GError     **error)
{
  static const char * const members[] = {
    "po_box", "extended", "street", "locality", "region", "postal_code", "country", "types",
    "pref", NULL
  };
  g_autoptr(JsonObject) address = json_object_new ();
  JsonObject *given;

  if (!JSON_NODE_HOLDS_OBJECT (node)) {
    if (!copy_text (address, "street", node, path, YUN_CONTACTS_MAX_TEXT, error))
      return NULL;
    json_object_set_array_member (address, "types", json_array_new ());
    return g_steal_pointer (&address);
  }

  given = json_node_get_object (node);
  if (!yun_pd_check_members (given, path, members, error))
    return NULL;
  for (guint i = 0; address_parts[i] != NULL; i++) {
    char part_path[PATH_SIZE];

    g_snprintf (part_path, sizeof part_path, "%s.%s", path, address_parts[i]);
    if (!copy_text (address, address_parts[i], yun_pd_member (given, address_parts[i]), part_path,
                    YUN_CONTACTS_MAX_TEXT, error))
      return NULL;
  }
  if (!read_types (given, address, path, error))
    return NULL;
  return g_steal_pointer (&address);
}

static gboolean
has_any_part (JsonObject *address)
{
  for (guint i = 0; address_parts[i] != NULL; i++) {
    if (json_object_has_member (address, address_parts[i]))
      return TRUE;
  }
  return FALSE;
}

static gboolean
read_list (JsonObject  *input,
           JsonObject  *body,
           const char  *member,
           guint        max_items,
           gsize        max,
           GError     **error)
{
  g_autoptr(JsonArray) list = json_array_new ();
  char path[PATH_SIZE];
  JsonNode *node = yun_pd_member (input, member);
  JsonArray *given;

  g_snprintf (path, sizeof path, "contact.%s", member);
  if (node == NULL)
    return TRUE;
  if (!yun_pd_read_array (node, path, max_items, &given, error))
    return FALSE;
  for (guint i = 0; i < json_array_get_length (given); i++) {
    char item_path[PATH_SIZE];
    JsonNode *item = json_array_get_element (given, i);
    JsonObject *entry;

    g_snprintf (item_path, sizeof item_path, "%s[%u]", path, i);
    entry = max == 0 ? read_address (item, item_path, error)
                     : read_entry (item, item_path, max, error);
    if (entry == NULL)
      return FALSE;
    if (max == 0 && !has_any_part (entry)) {
      /* An address with no part at all says nothing. */
      json_object_unref (entry);
      continue;
    }
    json_array_add_object_element (list, entry);
  }
  if (json_array_get_length (list) > 0)
    json_object_set_array_member (body, member, g_steal_pointer (&list));
  return TRUE;
}

static gboolean
read_name (JsonObject  *input,
           JsonObject  *body,
           GError     **error)
{
  g_autoptr(JsonObject) name = json_object_new ();
  JsonNode *node = yun_pd_member (input, "name");
  JsonArray *names;

  if (node == NULL)
    return TRUE;

  /* The Contact Picker's form: a list of names. */
  if (JSON_NODE_HOLDS_ARRAY (node)) {
    if (!yun_pd_read_array (node, "contact.name", 1, &names, error))
      return FALSE;
    if (json_array_get_length (names) == 0)
      return TRUE;
    if (!copy_text (name, "formatted", json_array_get_element (names, 0), "contact.name[0]",
                    2 * YUN_CONTACTS_MAX_TEXT, error))
      return FALSE;
  } else if (JSON_NODE_HOLDS_OBJECT (node)) {
    JsonObject *given = json_node_get_object (node);

    if (!yun_pd_check_members (given, "contact.name", name_parts, error))
      return FALSE;
    for (guint i = 0; name_parts[i] != NULL; i++) {
      char path[PATH_SIZE];

      g_snprintf (path, sizeof path, "contact.name.%s", name_parts[i]);
      if (!copy_text (name, name_parts[i], yun_pd_member (given, name_parts[i]), path,
                      i == 0 ? 2 * YUN_CONTACTS_MAX_TEXT : YUN_CONTACTS_MAX_TEXT, error))
        return FALSE;
    }
  } else if (!copy_text (name, "formatted", node, "contact.name", 2 * YUN_CONTACTS_MAX_TEXT,
                         error)) {
    return FALSE;
  }

  if (json_object_get_size (name) > 0)
    json_object_set_object_member (body, "name", g_steal_pointer (&name));
  return TRUE;
}

/* Everything but "id", "rev", "photo" and "updated", which the callers
 * deal with. */
static JsonObject *
validate_contact (JsonObject  *input,
                  GError     **error)
{
  static const struct {
    const char *member;
    gsize max;
  } texts[] = {
    { "org", YUN_CONTACTS_MAX_TEXT }, { "department", YUN_CONTACTS_MAX_TEXT },
    { "title", YUN_CONTACTS_MAX_TEXT }, { "note", YUN_CONTACTS_MAX_NOTE },
    { "bday", 64 }, { "uid", YUN_CONTACTS_MAX_TEXT },
  };
  g_autoptr(JsonObject) body = json_object_new ();

  if (!yun_pd_check_members (input, "contact", contact_members, error) ||
      !read_name (input, body, error) ||
      !read_list (input, body, "tel", YUN_CONTACTS_MAX_ENTRIES, YUN_CONTACTS_MAX_TEL, error) ||
      !read_list (input, body, "email", YUN_CONTACTS_MAX_ENTRIES, YUN_CONTACTS_MAX_EMAIL, error) ||
      !read_list (input, body, "address", YUN_CONTACTS_MAX_ADDRESSES, 0, error))
    return NULL;
  for (guint i = 0; i < G_N_ELEMENTS (texts); i++) {
    char path[PATH_SIZE];

    g_snprintf (path, sizeof path, "contact.%s", texts[i].member);
    if (!copy_text (body, texts[i].member, yun_pd_member (input, texts[i].member), path,
                    texts[i].max, error))
      return NULL;
  }

  if (!json_object_has_member (body, "name") && !json_object_has_member (body, "tel") &&
      !json_object_has_member (body, "email") && !json_object_has_member (body, "org")) {
    g_set_error_literal (error, YUN_PERSONAL_DATA_ERROR, YUN_PERSONAL_DATA_ERROR_INVALID,
                         "contact: needs a name, a number, an e-mail address or an organization");
    return NULL;
  }
  return g_steal_pointer (&body);
}

static gboolean
is_web_url (const char *url)
{
  return (g_str_has_prefix (url, "https://") || g_str_has_prefix (url, "http://")) &&
         strpbrk (url, " \t\r\n\"<>") == NULL;
}

typedef enum {
  PHOTO_KEEP,
  PHOTO_REMOVE,
  PHOTO_LINK,
} PhotoChange;

/* "photo": absent or as returned keeps it, null removes it, {"url"}
 * links one. */
static gboolean
read_photo_change (JsonObject   *input,
                   PhotoChange  *change,
                   char        **url,
                   GError      **error)
{
  static const char * const members[] = { "url", "content_type", "length", NULL };
  JsonNode *node = json_object_get_member (input, "photo");
  JsonObject *photo;
  const char *text;

  *change = PHOTO_KEEP;
  if (node == NULL)
    return TRUE;
  if (JSON_NODE_HOLDS_NULL (node)) {
    *change = PHOTO_REMOVE;
    return TRUE;
  }
  if (!yun_pd_read_object (node, "contact.photo", &photo, error) ||
      !yun_pd_check_members (photo, "contact.photo", members, error))
    return FALSE;
  if (yun_pd_member (photo, "url") == NULL)
    return TRUE;
  if (!yun_pd_read_string (yun_pd_member (photo, "url"), "contact.photo.url",
                           YUN_CONTACTS_MAX_URL, &text, error))
    return FALSE;
  if (!is_web_url (text)) {
    g_set_error_literal (error, YUN_PERSONAL_DATA_ERROR, YUN_PERSONAL_DATA_ERROR_INVALID,
                         "contact.photo.url: expected an http: or https: URL");
    return FALSE;
  }
  *change = PHOTO_LINK;
  *url = g_strdup (text);
  return TRUE;
}

/* Stored documents, as a page sees them. */

static JsonObject *
attached_photo (JsonObject *doc)
{
  JsonNode *atts = json_object_get_member (doc, "_attachments");
  JsonNode *photo;

  if (atts == NULL || !JSON_NODE_HOLDS_OBJECT (atts))
    return NULL;
  photo = json_object_get_member (json_node_get_object (atts), PHOTO);
  return photo != NULL && JSON_NODE_HOLDS_OBJECT (photo) ? json_node_get_object (photo) : NULL;
}

static void
describe_photo (JsonObject *contact,
                JsonObject *stub)
{
  JsonObject *photo = json_object_new ();

  json_object_set_string_member (photo, "content_type",
                                 json_object_get_string_member_with_default (stub, "content_type",
                                                                             "application/octet-stream"));
  json_object_set_int_member (photo, "length",
                              json_object_get_int_member_with_default (stub, "length", 0));
  json_object_set_object_member (contact, "photo", photo);
}

static JsonObject *
contact_from_doc (JsonObject *doc)
{
  JsonObject *contact = yun_pd_from_doc (doc);
  JsonObject *stub = attached_photo (doc);

  if (stub != NULL)
    describe_photo (contact, stub);
  return contact;
}

/* GObject. */

static void
yun_contacts_finalize (GObject *object)
{
  YunContacts *self = YUN_CONTACTS (object);

  g_clear_object (&self->index);

  G_OBJECT_CLASS (yun_contacts_parent_class)->finalize (object);
}

static void
yun_contacts_class_init (YunContactsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = yun_contacts_finalize;
}

static void
yun_contacts_init (YunContacts *self)
{
}

/**
 * yun_contacts_new:
 * @index: the personal index, and through it the personal store
 * @error: return location for a #YunPersonalDataError
 *
 * Returns: (transfer full): the address book, its database made when
 *   missing, or %NULL with @error set
 */
YunContacts *
yun_contacts_new (YunPersonalIndex  *index,
                  GError           **error)
{
  g_autoptr(YunContacts) self = NULL;

  g_return_val_if_fail (YUN_IS_PERSONAL_INDEX (index), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_object_new (YUN_TYPE_CONTACTS, NULL);
  self->index = g_object_ref (index);
  self->store = yun_personal_index_get_store (index);
  if (!yun_pd_ensure_db (self->store, DB, error))
    return NULL;
  return g_steal_pointer (&self);
}

/* The winning revision, which an edit must be based on. */
static JsonObject *
current_doc (YunContacts  *self,
             const char   *id,
             const char   *rev,
             GError      **error)
{
  g_autoptr(JsonObject) doc = yun_pd_get_doc (self->store, DB, id, error);
  const char *current;

  if (doc == NULL)
    return NULL;
  current = json_object_get_string_member (doc, "_rev");
  if (rev != NULL && strcmp (rev, current) != 0) {
    g_set_error (error, YUN_PERSONAL_DATA_ERROR, YUN_PERSONAL_DATA_ERROR_CONFLICT,
                 "contact.rev: contact \"%s\" was changed since revision %s; it is now at %s",
                 id, rev, current);
    return NULL;
  }
  return g_steal_pointer (&doc);
}

/**
 * yun_contacts_save:
 * @self: a #YunContacts
 * @contact: the contact, in the shape of #YunContacts; without "id" it is
 *   new, with "id" and "rev" it replaces that revision
 * @error: return location for a #YunPersonalDataError
 *
 * Adds or changes a contact.  Changing one needs the revision it was read
 * at: %YUN_PERSONAL_DATA_ERROR_CONFLICT says someone changed it since.
 *
 * Returns: (transfer full): the contact as stored, with its id and new
 *   revision, or %NULL with @error set
 */
JsonObject *
yun_contacts_save (YunContacts  *self,
                   JsonObject   *contact,
                   GError      **error)
{
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(JsonObject) current = NULL;
  g_autoptr(JsonObject) saved = NULL;
  g_autofree char *url = NULL;
  GError *local_error = NULL;
  JsonObject *stub = NULL;
  PhotoChange change;
  const char *id;
  const char *rev;

  g_return_val_if_fail (YUN_IS_CONTACTS (self), NULL);
  g_return_val_if_fail (contact != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!yun_pd_read_id_rev (contact, "contact", &id, &rev, error) ||
      !read_photo_change (contact, &change, &url, error))
    return NULL;
  body = validate_contact (contact, error);
  if (body == NULL)
    return NULL;

  if (id != NULL) {
    current = current_doc (self, id, rev, &local_error);
    if (current == NULL) {
      /* A new contact may come with an id of its own. */
      if (rev != NULL ||
          !g_error_matches (local_error, YUN_PERSONAL_DATA_ERROR, YUN_PERSONAL_DATA_ERROR_NOT_FOUND)) {
        g_propagate_error (error, local_error);
        return NULL;
      }
      g_clear_error (&local_error);
    } else if (rev == NULL) {
      g_set_error (error, YUN_PERSONAL_DATA_ERROR, YUN_PERSONAL_DATA_ERROR_CONFLICT,
                   "contact.rev: contact \"%s\" exists; give its rev to change it", id);
      return NULL;
    }
  }

  if (change == PHOTO_LINK) {
    g_autoptr(JsonObject) photo = json_object_new ();

    json_object_set_string_member (photo, "url", url);
    json_object_set_object_member (body, "photo", g_steal_pointer (&photo));
  } else if (change == PHOTO_KEEP && current != NULL) {
    JsonNode *linked = json_object_get_member (current, "photo");

    stub = attached_photo (current);
    if (stub != NULL) {
      g_autoptr(JsonObject) atts = json_object_new ();
      g_autoptr(JsonObject) keep = json_object_new ();

      json_object_set_boolean_member (keep, "stub", TRUE);
      json_object_set_object_member (atts, PHOTO, g_steal_pointer (&keep));
      json_object_set_object_member (body, "_attachments", g_steal_pointer (&atts));
    } else if (linked != NULL) {
      json_object_set_member (body, "photo", json_node_copy (linked));
    }
  }
  json_object_set_int_member (body, "updated", g_get_real_time () / 1000);

  saved = yun_pd_put (self->index, DB, body, id, rev, error);
  if (saved == NULL)
    return NULL;
  if (stub != NULL)
    describe_photo (saved, stub);
  return g_steal_pointer (&saved);
}

/**
 * yun_contacts_get:
 * @self: a #YunContacts
 * @id: a contact's id
 * @error: return location for a #YunPersonalDataError
 *
 * Returns: (transfer full): the contact, or %NULL with @error set
 */
JsonObject *
yun_contacts_get (YunContacts  *self,
                  const char   *id,
                  GError      **error)
{
  g_autoptr(JsonObject) doc = NULL;

  g_return_val_if_fail (YUN_IS_CONTACTS (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  doc = yun_pd_get_doc (self->store, DB, id, error);
  return doc != NULL ? contact_from_doc (doc) : NULL;
}

/**
 * yun_contacts_remove:
 * @self: a #YunContacts
 * @id: a contact's id
 * @rev: (nullable): the revision the caller read; %NULL removes whatever
 *   is current
 * @error: return location for a #YunPersonalDataError
 *
 * Returns: %TRUE when the contact was removed
 */
gboolean
yun_contacts_remove (YunContacts  *self,
                     const char   *id,
                     const char   *rev,
                     GError      **error)
{
  g_return_val_if_fail (YUN_IS_CONTACTS (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return yun_pd_remove (self->index, DB, id, rev, error);
}

/**
 * yun_contacts_find:
 * @self: a #YunContacts
 * @query: what was typed; see yun_personal_index_find_contacts()
 * @order: by name or most recently updated first
 * @limit: the most contacts to return; 0 for
 *   %YUN_PERSONAL_DATA_DEFAULT_LIMIT, at most %YUN_PERSONAL_DATA_MAX_LIMIT
 * @error: return location for a #YunPersonalDataError
 *
 * Finds contacts by the start of any word of their name, the start of an
 * e-mail address or the end of a number.
 *
 * Returns: (transfer full): the contacts, best first, or %NULL with
 *   @error set
 */
JsonArray *
yun_contacts_find (YunContacts            *self,
                   const char             *query,
                   YunPersonalIndexOrder   order,
                   guint                   limit,
                   GError                **error)
{
  g_autoptr(GPtrArray) ids = NULL;

  g_return_val_if_fail (YUN_IS_CONTACTS (self), NULL);
  g_return_val_if_fail (query != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  ids = yun_personal_index_find_contacts (self->index, query, order, yun_pd_clamp_limit (limit),
                                          error);
  if (ids == NULL)
    return NULL;
  return yun_pd_get_many (self->store, DB, ids, contact_from_doc, error);
}

/**
 * yun_contacts_set_photo:
 * @self: a #YunContacts
 * @id: a contact's id
 * @rev: (nullable): the revision the caller read; %NULL for the current
 * @photo: (nullable): a JPEG, PNG, GIF or WebP image of at most
 *   %YUN_CONTACTS_MAX_PHOTO bytes; %NULL removes the photo
 * @error: return location for a #YunPersonalDataError
 *
 * Sets a contact's picture, in place of any photo it had or linked to.
 *
 * Returns: (transfer full): the contact as stored, or %NULL with @error
 *   set
 */
JsonObject *
yun_contacts_set_photo (YunContacts  *self,
                        const char   *id,
                        const char   *rev,
                        GBytes       *photo,
                        GError      **error)
{
  g_autoptr(JsonObject) current = NULL;
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(JsonObject) saved = NULL;
  const char *content_type = NULL;

  g_return_val_if_fail (YUN_IS_CONTACTS (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (photo != NULL && !yun_pd_read_image (photo, "contact.photo", YUN_CONTACTS_MAX_PHOTO,
                                           photo_types, &content_type, NULL, NULL, error))
    return NULL;
  current = current_doc (self, id, rev, error);
  if (current == NULL)
    return NULL;

  body = yun_pd_from_doc (current);
  json_object_remove_member (body, "id");
  json_object_remove_member (body, "rev");
  json_object_remove_member (body, "photo");
  json_object_set_int_member (body, "updated", g_get_real_time () / 1000);
  if (photo != NULL) {
    g_autoptr(JsonObject) atts = json_object_new ();

    json_object_set_object_member (atts, PHOTO, yun_pd_inline_attachment (photo, content_type));
    json_object_set_object_member (body, "_attachments", g_steal_pointer (&atts));
  }

  saved = yun_pd_put (self->index, DB, body, id, json_object_get_string_member (current, "_rev"),
                      error);
  if (saved == NULL)
    return NULL;
  if (photo != NULL) {
    g_autoptr(JsonObject) stub = json_object_new ();

    json_object_set_string_member (stub, "content_type", content_type);
    json_object_set_int_member (stub, "length", g_bytes_get_size (photo));
    describe_photo (saved, stub);
  }
  return g_steal_pointer (&saved);
}

/**
 * yun_contacts_open_photo:
 * @self: a #YunContacts
 * @id: a contact's id
 * @content_type: (out) (optional) (transfer full): the photo's media type
 * @length: (out) (optional): its size in bytes
 * @error: return location for a #YunPersonalDataError
 *
 * Returns: (transfer full): a stream of the contact's photo, or %NULL
 *   with %YUN_PERSONAL_DATA_ERROR_NOT_FOUND when it has none
 */
GInputStream *
yun_contacts_open_photo (YunContacts  *self,
                         const char   *id,
                         char        **content_type,
                         gint64       *length,
                         GError      **error)
{
  GError *local_error = NULL;
  GInputStream *stream;

  g_return_val_if_fail (YUN_IS_CONTACTS (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (*id == '\0' || *id == '_') {
    g_set_error_literal (error, YUN_PERSONAL_DATA_ERROR, YUN_PERSONAL_DATA_ERROR_NOT_FOUND,
                         "no such contact");
    return NULL;
  }
  stream = yun_doc_store_open_attachment (self->store, DB, id, NULL, PHOTO, content_type, length,
                                          &local_error);
  if (stream == NULL)
    yun_pd_store_error (error, local_error);
  return stream;
}

/* Import and export. */

typedef struct {
  guint line;
  char *message;
} Skipped;

static void
skipped_clear (Skipped *skipped)
{
  g_free (skipped->message);
}

static int
compare_skipped (gconstpointer a,
                 gconstpointer b)
{
  const Skipped *x = a;
  const Skipped *y = b;

  return (x->line > y->line) - (x->line < y->line);
}

static void
skip (GArray     *skipped,
      guint       line,
      const char *message)
{
  Skipped entry = { line, g_strdup (message) };

  g_array_append_val (skipped, entry);
}

/* A card as a document to write, or NULL with @error saying why not. */
static JsonObject *
card_to_doc (JsonObject  *card,
             GBytes      *photo,
             gint64       now,
             GError     **error)
{
  g_autoptr(JsonObject) body = validate_contact (card, error);
  JsonNode *photo_node = json_object_get_member (card, "photo");
  const char *url = NULL;

  if (body == NULL)
    return NULL;

  if (photo != NULL) {
    g_autoptr(JsonObject) atts = json_object_new ();
    const char *content_type;

    if (!yun_pd_read_image (photo, "PHOTO", YUN_CONTACTS_MAX_PHOTO, photo_types, &content_type,
                            NULL, NULL, error))
      return NULL;
    json_object_set_object_member (atts, PHOTO, yun_pd_inline_attachment (photo, content_type));
    json_object_set_object_member (body, "_attachments", g_steal_pointer (&atts));
  } else if (photo_node != NULL && JSON_NODE_HOLDS_OBJECT (photo_node)) {
    /* A link elsewhere than the web (file:, cid:) is of no use here. */
    url = json_object_get_string_member_with_default (json_node_get_object (photo_node), "url",
                                                      NULL);
    if (url != NULL && is_web_url (url) && strlen (url) <= YUN_CONTACTS_MAX_URL) {
      g_autoptr(JsonObject) link = json_object_new ();

      json_object_set_string_member (link, "url", url);
      json_object_set_object_member (body, "photo", g_steal_pointer (&link));
    }
  }
  json_object_set_int_member (body, "updated", now);
  return g_steal_pointer (&body);
}

/* Cards are written this many at a time, in one transaction for the
 * whole import. */
#define IMPORT_CHUNK 500

/* An import under way. */
typedef struct {
  gint64 now;
  YunDocStoreBatch *store;
  /* NULL once indexing failed: the index catches up later. */
  YunPersonalIndexBatch *index;
  JsonArray *docs;     /* the chunk being made */
  GArray *lines;       /* of guint, the line of each doc's card */
  GArray *skipped;     /* of Skipped */
  JsonArray *ids;      /* of what was written */
  /* A failure of the store: nothing is imported. */
  GError *error;
} Import;

/* Writes the chunk of documents made so far, and indexes what was
 * written. */
static void
write_chunk (Import *import)
{
  g_autoptr(JsonArray) docs = g_steal_pointer (&import->docs);
  g_autoptr(GArray) lines = g_steal_pointer (&import->lines);
  g_autoptr(JsonArray) written = json_array_new ();
  g_autoptr(JsonArray) rows = NULL;
  g_autoptr(GError) index_error = NULL;

  import->docs = json_array_new ();
  import->lines = g_array_new (FALSE, FALSE, sizeof (guint));
  if (import->error != NULL || json_array_get_length (docs) == 0)
    return;

  rows = yun_doc_store_batch_write (import->store, docs, TRUE, &import->error);
  if (rows == NULL)
    return;
  for (guint i = 0; i < json_array_get_length (rows); i++) {
    JsonObject *row = json_array_get_object_element (rows, i);
    JsonObject *doc = json_array_get_object_element (docs, i);

    if (json_object_has_member (row, "error")) {
      skip (import->skipped, g_array_index (lines, guint, i),
            json_object_get_string_member_with_default (row, "reason", "not written"));
      continue;
    }
    json_array_add_string_element (import->ids, json_object_get_string_member (row, "id"));
    json_object_set_string_member (doc, "_id", json_object_get_string_member (row, "id"));
    json_object_set_string_member (doc, "_rev", json_object_get_string_member (row, "rev"));
    json_array_add_object_element (written, json_object_ref (doc));
  }
  /* What was just written is indexed as it is, not read back. */
  if (import->index != NULL &&
      !yun_personal_index_batch_add (import->index, written, &index_error)) {
    g_debug ("the contacts index will catch up later: %s", index_error->message);
    g_clear_pointer (&import->index, yun_personal_index_batch_abort);
  }
}

/* Converts each card as it is read, and writes them a chunk at a time, so
 * that neither all the cards nor all their documents are ever in memory
 * at once. */
static void
import_card (JsonObject *card,
             GBytes     *photo,
             guint       line,
             gpointer    data)
{
  Import *import = data;
  g_autoptr(GError) error = NULL;
  JsonObject *doc;

  if (import->error != NULL)
    return;
  doc = card_to_doc (card, photo, import->now, &error);
  if (doc == NULL) {
    skip (import->skipped, line, error->message);
    return;
  }
  json_array_add_object_element (import->docs, doc);
  g_array_append_val (import->lines, line);
  if (json_array_get_length (import->docs) == IMPORT_CHUNK)
    write_chunk (import);
}

static void
import_clear (Import *import)
{
  g_clear_pointer (&import->index, yun_personal_index_batch_abort);
  g_clear_pointer (&import->store, yun_doc_store_batch_abort);
  g_clear_pointer (&import->docs, json_array_unref);
  g_clear_pointer (&import->lines, g_array_unref);
  g_clear_pointer (&import->skipped, g_array_unref);
  g_clear_pointer (&import->ids, json_array_unref);
  g_clear_error (&import->error);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Import, import_clear)

/**
 * yun_contacts_import_vcard:
 * @self: a #YunContacts
 * @text: (array length=length): vCard 2.1, 3.0 or 4.0 text, any number of
 *   cards
 * @length: the length of @text in bytes, at most
 *   %YUN_CONTACTS_MAX_IMPORT
 * @error: return location for a #YunPersonalDataError
 *
 * Adds each card of @text as a new contact.  A card that cannot be read,
 * or is not a contact of the shape in yun-contacts.h, is skipped and
 * reported with the line it starts at (or where the problem is); the
 * others are all written in one transaction, so an import is whole or,
 * when the store fails, not there at all.
 *
 * Returns: (transfer full): `{"imported": n, "ids": [...], "skipped":
 *   [{"line", "message"}]}`, skipped cards in the order of the text; or
 *   %NULL with @error set when the text is too big or the store failed
 */
JsonObject *
yun_contacts_import_vcard (YunContacts  *self,
                           const char   *text,
                           gsize         length,
                           GError      **error)
{
  g_autoptr(YunVcard) vcard = NULL;
  g_autoptr(JsonArray) skipped_json = json_array_new ();
  g_autoptr(JsonObject) report = json_object_new ();
  g_autoptr(GError) index_error = NULL;
  g_auto(Import) import = { 0 };
  GError *local_error = NULL;
  gint64 seq_before;
  gint64 seq_after;

  g_return_val_if_fail (YUN_IS_CONTACTS (self), NULL);
  g_return_val_if_fail (text != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (length > YUN_CONTACTS_MAX_IMPORT) {
    g_set_error (error, YUN_PERSONAL_DATA_ERROR, YUN_PERSONAL_DATA_ERROR_INVALID,
                 "vcard: at most %d bytes, got %" G_GSIZE_FORMAT, YUN_CONTACTS_MAX_IMPORT, length);
    return NULL;
  }

  import.now = g_get_real_time () / 1000;
  import.docs = json_array_new ();
  import.lines = g_array_new (FALSE, FALSE, sizeof (guint));
  import.skipped = g_array_new (FALSE, FALSE, sizeof (Skipped));
  g_array_set_clear_func (import.skipped, (GDestroyNotify) skipped_clear);
  import.ids = json_array_new ();

  /* The index is locked before the store.  An index that cannot follow
   * now catches up later. */
  import.index = yun_personal_index_batch_begin (self->index, DB, &index_error);
  if (import.index == NULL)
    g_debug ("the contacts index will catch up later: %s", index_error->message);
  import.store = yun_doc_store_batch_begin (self->store, DB, &seq_before, &local_error);
  if (import.store == NULL)
    return yun_pd_store_error (error, local_error), NULL;

  vcard = yun_vcard_parse_each (text, length, import_card, &import);
  write_chunk (&import);
  if (import.error != NULL)
    return yun_pd_store_error (error, g_steal_pointer (&import.error)), NULL;
  if (!yun_doc_store_batch_commit (g_steal_pointer (&import.store), &seq_after, &local_error))
    return yun_pd_store_error (error, local_error), NULL;
  /* The import is durable: an index that fails now catches up later. */
  if (import.index != NULL &&
      !yun_personal_index_batch_commit (g_steal_pointer (&import.index), seq_before, seq_after,
                                        &index_error))
    g_debug ("the contacts index will catch up later: %s", index_error->message);

  for (guint i = 0; i < yun_vcard_get_n_problems (vcard); i++) {
    const YunVcardProblem *problem = yun_vcard_get_problem (vcard, i);

    skip (import.skipped, problem->line, problem->message);
  }
  g_array_sort (import.skipped, compare_skipped);
  for (guint i = 0; i < import.skipped->len; i++) {
    Skipped *entry = &g_array_index (import.skipped, Skipped, i);
    JsonObject *item = json_object_new ();

    json_object_set_int_member (item, "line", entry->line);
    json_object_set_string_member (item, "message", entry->message);
    json_array_add_object_element (skipped_json, item);
  }
  json_object_set_int_member (report, "imported", json_array_get_length (import.ids));
  json_object_set_array_member (report, "ids", g_steal_pointer (&import.ids));
  json_object_set_array_member (report, "skipped", g_steal_pointer (&skipped_json));
  return g_steal_pointer (&report);
}

static gboolean
export_doc (YunContacts      *self,
            JsonObject       *doc,
            YunVcardVersion   version,
            GString          *out,
            GError          **error)
{
  const char *id = json_object_get_string_member (doc, "_id");
  g_autoptr(GBytes) photo = NULL;
  g_autofree char *card = NULL;
  g_autoptr(GError) local_error = NULL;

  if (attached_photo (doc) != NULL) {
    photo = yun_doc_store_get_attachment (self->store, DB, id,
                                          json_object_get_string_member (doc, "_rev"), PHOTO, NULL,
                                          &local_error);
    if (photo == NULL)
      return yun_pd_store_error (error, g_steal_pointer (&local_error));
  }
  card = yun_vcard_write_version (doc, photo, version, &local_error);
  if (card == NULL) {
    g_set_error (error, YUN_PERSONAL_DATA_ERROR, YUN_PERSONAL_DATA_ERROR_INVALID,
                 "contact \"%s\" cannot be written as a vCard: %s", id, local_error->message);
    return FALSE;
  }
  g_string_append (out, card);
  return TRUE;
}

/**
 * yun_contacts_export_vcard:
 * @self: a #YunContacts
 * @ids: (nullable) (array zero-terminated=1): the contacts to export;
 *   %NULL for all of them
 * @version: vCard 3.0 or 4.0
 * @error: return location for a #YunPersonalDataError
 *
 * Writes contacts as vCard text, with CRLF line breaks and each embedded
 * photo inline.  When @ids are given, a missing one is an error; when
 * exporting everything, a contact that cannot be written as a card (one
 * replicated in a shape of another program's) is left out.
 *
 * Returns: (transfer full): the cards, or %NULL with @error set
 */
char *
yun_contacts_export_vcard (YunContacts         *self,
                           const char * const  *ids,
                           YunVcardVersion      version,
                           GError             **error)
{
  g_autoptr(GString) out = g_string_new (NULL);

  g_return_val_if_fail (YUN_IS_CONTACTS (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (ids != NULL) {
    for (guint i = 0; ids[i] != NULL; i++) {
      g_autoptr(JsonObject) doc = yun_pd_get_doc (self->store, DB, ids[i], error);

      if (doc == NULL || !export_doc (self, doc, version, out, error))
        return NULL;
    }
  } else {
    GError *local_error = NULL;
    g_autoptr(JsonObject) all = yun_doc_store_all_docs (self->store, DB, NULL, NULL, 0, TRUE,
                                                        &local_error);
    JsonArray *rows;

    if (all == NULL)
      return yun_pd_store_error (error, local_error), NULL;
    rows = json_object_get_array_member (all, "rows");
    for (guint i = 0; i < json_array_get_length (rows); i++) {
      JsonObject *doc = json_object_get_object_member (json_array_get_object_element (rows, i),
                                                       "doc");
      g_autoptr(GError) doc_error = NULL;

      if (!export_doc (self, doc, version, out, &doc_error)) {
        if (!g_error_matches (doc_error, YUN_PERSONAL_DATA_ERROR, YUN_PERSONAL_DATA_ERROR_INVALID)) {
          g_propagate_error (error, g_steal_pointer (&doc_error));
          return NULL;
        }
        g_debug ("export: %s", doc_error->message);
      }
    }
  }
  return g_string_free (g_steal_pointer (&out), FALSE);
}
