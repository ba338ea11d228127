/* yun-contacts-api.h: navigator.yun.contacts.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "yun-bridge-method.h"

G_BEGIN_DECLS

extern const YunBridgeMethod yun_contacts_api[];

G_END_DECLS
