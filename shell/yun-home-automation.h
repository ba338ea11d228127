/* yun-home-automation.h: the home screen's part of org.yun.Shell1.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "yun-home-page.h"
#include "yun-shell-dbus.h"

G_BEGIN_DECLS

void yun_home_automation_connect (YunShell1   *automation,
                                  YunHomePage *home);

G_END_DECLS
