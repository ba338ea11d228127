/* yun-contact-picker-api.h: the standard Contact Picker, navigator.contacts.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "yun-bridge-method.h"

G_BEGIN_DECLS

extern const YunBridgeMethod yun_contact_picker_api[];

G_END_DECLS
