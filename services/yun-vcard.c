/* yun-vcard.c: vCard 3.0 and 4.0 import and export.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "yun-vcard.h"

G_DEFINE_QUARK (yun-vcard-error-quark, yun_vcard_error)
