/* yun-contact-chooser.c: whoever lets the user pick contacts for an app.
 *
 * The Contact Picker gives an app only the contacts the user picks, and
 * only the properties it asked for, with no standing permission: the
 * user's choice is the permission.  The bridge core has no user
 * interface; the shell implements this with its picker sheet.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "yun-contact-chooser.h"

G_DEFINE_INTERFACE (YunContactChooser, yun_contact_chooser, G_TYPE_OBJECT)

static void
yun_contact_chooser_default_init (YunContactChooserInterface *iface)
{
}

/**
 * yun_contact_chooser_choose_async:
 * @self: a contact chooser
 * @choice: what the app asked for
 * @cancellable: (nullable): cancelled when the page goes away
 * @callback: called with the user's choice
 * @user_data: data for @callback
 *
 * Asks the user which contacts to give the app.
 */
void
yun_contact_chooser_choose_async (YunContactChooser      *self,
                                  const YunContactChoice *choice,
                                  GCancellable           *cancellable,
                                  GAsyncReadyCallback     callback,
                                  gpointer                user_data)
{
  g_return_if_fail (YUN_IS_CONTACT_CHOOSER (self));
  g_return_if_fail (choice != NULL);

  YUN_CONTACT_CHOOSER_GET_IFACE (self)->choose_async (self, choice, cancellable, callback,
                                                      user_data);
}

/**
 * yun_contact_chooser_choose_finish:
 * @self: a contact chooser
 * @result: the result
 * @error: return location for an error, such as another picker being open
 *
 * Returns: (transfer full): the ids of the chosen contacts, empty when the
 *   user chose none or cancelled; %NULL with @error set
 */
GStrv
yun_contact_chooser_choose_finish (YunContactChooser  *self,
                                   GAsyncResult       *result,
                                   GError            **error)
{
  g_return_val_if_fail (YUN_IS_CONTACT_CHOOSER (self), NULL);

  return YUN_CONTACT_CHOOSER_GET_IFACE (self)->choose_finish (self, result, error);
}
