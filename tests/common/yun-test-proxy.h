/* yun-test-proxy.h: an HTTP proxy on loopback that forwards to a real
 * server and breaks chosen requests, for fault tests of HTTP clients.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/**
 * YunTestFault:
 * @YUN_TEST_FAULT_GARBAGE: forward, then answer 200 with the given body
 *   (truncated JSON unless set otherwise)
 * @YUN_TEST_FAULT_TRUNCATE: forward, then send the real answer's headers
 *   and half its body, and close the connection
 * @YUN_TEST_FAULT_CUT: forward, then close the connection without answering
 * @YUN_TEST_FAULT_CUT_BEFORE: close the connection without forwarding
 * @YUN_TEST_FAULT_STATUS: answer with the given status without forwarding
 * @YUN_TEST_FAULT_DELAY: forward after the given number of milliseconds
 * @YUN_TEST_FAULT_CUT_UPLOAD: close the connection as soon as the request's
 *   headers are in, while its body is still on its way
 */
typedef enum {
  YUN_TEST_FAULT_GARBAGE,
  YUN_TEST_FAULT_TRUNCATE,
  YUN_TEST_FAULT_CUT,
  YUN_TEST_FAULT_CUT_BEFORE,
  YUN_TEST_FAULT_STATUS,
  YUN_TEST_FAULT_DELAY,
  YUN_TEST_FAULT_CUT_UPLOAD,
} YunTestFault;

typedef struct _YunTestProxy YunTestProxy;

YunTestProxy *yun_test_proxy_new       (const char    *upstream);
const char   *yun_test_proxy_get_url   (YunTestProxy  *proxy);
void          yun_test_proxy_break     (YunTestProxy  *proxy,
                                        const char    *method,
                                        const char    *path_part,
                                        guint          nth,
                                        YunTestFault   fault,
                                        guint          value,
                                        const char    *body);
void          yun_test_proxy_clear     (YunTestProxy  *proxy);
guint         yun_test_proxy_count     (YunTestProxy  *proxy,
                                        const char    *method,
                                        const char    *path_part);
const char   *yun_test_proxy_get_authorization (YunTestProxy *proxy);
void          yun_test_proxy_free      (YunTestProxy  *proxy);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (YunTestProxy, yun_test_proxy_free)

G_END_DECLS
