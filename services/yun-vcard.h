/* yun-vcard.h: vCard 3.0 and 4.0 import and export.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define YUN_VCARD_ERROR (yun_vcard_error_quark ())

GQuark yun_vcard_error_quark (void);

G_END_DECLS
