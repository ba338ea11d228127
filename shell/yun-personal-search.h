/* yun-personal-search.h: home-screen search over contacts and notes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "yun-contacts.h"
#include "yun-home-search.h"

G_BEGIN_DECLS

#define YUN_TYPE_PERSONAL_SEARCH (yun_personal_search_get_type ())
G_DECLARE_FINAL_TYPE (YunPersonalSearch, yun_personal_search, YUN, PERSONAL_SEARCH, GObject)

YunPersonalSearch *yun_personal_search_new_for_contacts (YunContacts      *contacts);
YunPersonalSearch *yun_personal_search_new_for_notes    (YunPersonalIndex *index);

G_END_DECLS
