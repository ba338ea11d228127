/* yun-contact-picker-sheet.h: the shell's Contact Picker.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "yun-contact-chooser.h"
#include "yun-contacts.h"

G_BEGIN_DECLS

#define YUN_TYPE_CONTACT_PICKER_SHEET (yun_contact_picker_sheet_get_type ())
G_DECLARE_FINAL_TYPE (YunContactPickerSheet, yun_contact_picker_sheet, YUN, CONTACT_PICKER_SHEET, GtkWidget)

YunContactPickerSheet *yun_contact_picker_sheet_new        (void);
void                   yun_contact_picker_sheet_set_contacts (YunContactPickerSheet *self,
                                                             YunContacts           *contacts);
gboolean               yun_contact_picker_sheet_get_state  (YunContactPickerSheet *self,
                                                            char                 **app_name,
                                                            GStrv                 *properties,
                                                            gboolean              *multiple,
                                                            GPtrArray            **rows);
gboolean               yun_contact_picker_sheet_answer     (YunContactPickerSheet *self,
                                                            const char * const    *ids,
                                                            GError               **error);

G_END_DECLS
