/* yun-device.h: what the runtime and the hardware are.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define YUN_TYPE_DEVICE (yun_device_get_type ())
G_DECLARE_FINAL_TYPE (YunDevice, yun_device, YUN, DEVICE, GObject)

YunDevice  *yun_device_new             (void);
YunDevice  *yun_device_new_for_sources (const char * const *model_files);

const char *yun_device_get_runtime     (YunDevice *self);
const char *yun_device_get_version     (YunDevice *self);
const char *yun_device_get_model       (YunDevice *self);

G_END_DECLS
