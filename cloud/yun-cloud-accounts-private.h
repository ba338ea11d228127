/* yun-cloud-accounts-private.h: what only yun-cloud's own code and its
 * tests may call
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "yun-cloud-accounts.h"

G_BEGIN_DECLS

/* Returns the time in seconds since the Unix epoch. */
typedef gint64 (*YunCloudAccountsClock) (gpointer user_data);

/* Replaces the clock that token expiry is measured with, so that tests can
 * let a month pass at once; %NULL restores the real one.  Call it before
 * any other thread uses @self. */
void yun_cloud_accounts_set_clock (YunCloudAccounts      *self,
                                   YunCloudAccountsClock  clock,
                                   gpointer               user_data);

G_END_DECLS
