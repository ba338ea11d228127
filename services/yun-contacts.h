/* yun-contacts.h: the address book, on the personal document store.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "yun-personal-data.h"
#include "yun-personal-index.h"
#include "yun-vcard.h"

G_BEGIN_DECLS

/* Limits of a contact, in bytes of UTF-8 or in entries. */
#define YUN_CONTACTS_MAX_TEXT     256          /* a name part, org, title, ... */
#define YUN_CONTACTS_MAX_NOTE     (64 * 1024)
#define YUN_CONTACTS_MAX_TEL      64           /* one number */
#define YUN_CONTACTS_MAX_EMAIL    320          /* one address */
#define YUN_CONTACTS_MAX_URL      2048         /* a photo's link */
#define YUN_CONTACTS_MAX_TYPES    8            /* types of one entry, each MAX_TYPE */
#define YUN_CONTACTS_MAX_TYPE     32
#define YUN_CONTACTS_MAX_ENTRIES  50           /* tel, email; address: 20 */
#define YUN_CONTACTS_MAX_ADDRESSES 20
#define YUN_CONTACTS_MAX_PHOTO    (4 * 1024 * 1024)
/* The most vCard text one import reads. */
#define YUN_CONTACTS_MAX_IMPORT   (64 * 1024 * 1024)

/**
 * YunContacts:
 *
 * The user's contacts: documents of the "contacts" database of the
 * personal #YunDocStore, found through its #YunPersonalIndex.
 *
 * A contact, as every call returns it:
 *
 * |[
 * {"id": "…", "rev": "3-…",
 *  "name": {"formatted": "Dr. Ana María López", "given": "Ana",
 *           "additional": "María", "family": "López", "prefix": "Dr.",
 *           "suffix": "…"},
 *  "tel": [{"value": "+34 600 123 456", "types": ["cell"], "pref": true}],
 *  "email": [{"value": "ana@example.org", "types": ["work"]}],
 *  "address": [{"po_box", "extended", "street", "locality", "region",
 *               "postal_code", "country", "types": [], "pref"}],
 *  "org": "…", "department": "…", "title": "…", "note": "…",
 *  "bday": "1990-04-01", "uid": "urn:uuid:…",
 *  "photo": {"content_type": "image/jpeg", "length": 12345}
 *        or {"url": "https://…"},
 *  "updated": 1700000000000}
 * ]|
 *
 * This is the shape yun_vcard_get_card() reads cards into.  Members with
 * nothing in them are left out; "updated" is set on every save, in
 * milliseconds.  yun_contacts_save() also takes the shorter forms a page
 * is likely to send, and stores them in the long form:
 *
 * - "name": a string (the formatted name), an array of at most one string
 *   (the Contact Picker's form) or the object above
 * - each entry of "tel" and "email": a string, or the object above
 * - each entry of "address": a string (the street), or the object above
 * - "photo": absent or as returned to keep the photo, null to remove it,
 *   {"url"} to link one; the picture itself is set with
 *   yun_contacts_set_photo()
 *
 * A contact needs a name, a number, an e-mail address or an organization.
 * Anything else (a member outside this shape, a wrong type, a field over
 * its YUN_CONTACTS_MAX_* limit, too many entries) is refused with
 * %YUN_PERSONAL_DATA_ERROR_INVALID and a message that starts with the
 * field's path, such as `contact.tel[2].value:`.
 *
 * Calls are synchronous and thread-safe; they block on disk: run them in
 * a worker thread.
 */
#define YUN_TYPE_CONTACTS (yun_contacts_get_type ())
G_DECLARE_FINAL_TYPE (YunContacts, yun_contacts, YUN, CONTACTS, GObject)

YunContacts  *yun_contacts_new          (YunPersonalIndex       *index,
                                         GError                **error);

JsonObject   *yun_contacts_save         (YunContacts            *self,
                                         JsonObject             *contact,
                                         GError                **error);
JsonObject   *yun_contacts_get          (YunContacts            *self,
                                         const char             *id,
                                         GError                **error);
gboolean      yun_contacts_remove       (YunContacts            *self,
                                         const char             *id,
                                         const char             *rev,
                                         GError                **error);
JsonArray    *yun_contacts_find         (YunContacts            *self,
                                         const char             *query,
                                         YunPersonalIndexOrder   order,
                                         guint                   limit,
                                         GError                **error);

JsonObject   *yun_contacts_set_photo    (YunContacts            *self,
                                         const char             *id,
                                         const char             *rev,
                                         GBytes                 *photo,
                                         GError                **error);
GInputStream *yun_contacts_open_photo   (YunContacts            *self,
                                         const char             *id,
                                         char                  **content_type,
                                         gint64                 *length,
                                         GError                **error);

JsonObject   *yun_contacts_import_vcard (YunContacts            *self,
                                         const char             *text,
                                         gsize                   length,
                                         GError                **error);
char         *yun_contacts_export_vcard (YunContacts            *self,
                                         const char * const     *ids,
                                         YunVcardVersion         version,
                                         GError                **error);

G_END_DECLS
