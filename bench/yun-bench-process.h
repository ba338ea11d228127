/* yun-bench-process.h: other programs in a benchmark: start them in a
 * process group of their own, weigh their memory, hear their pages paint.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

GSubprocess *yun_bench_spawn           (const char * const  *argv,
                                        const char * const  *env,
                                        GError             **error);
void         yun_bench_kill            (GSubprocess         *process);
double       yun_bench_pss_mb          (GPid                 pid,
                                        gboolean             with_descendants);

/* How long the benchmarks wait for the shell to start or answer. */
#define YUN_BENCH_SHELL_WAIT_SECONDS 60

char        *yun_bench_shell_binary        (void);
void         yun_bench_idle_for            (guint                ms);
GDBusProxy  *yun_bench_wait_for_automation (GSubprocess         *shell);
GVariant    *yun_bench_call_shell          (GDBusProxy          *automation,
                                            const char          *method,
                                            GVariant            *parameters,
                                            GError             **error);

/**
 * YunBenchBeacon:
 *
 * A loopback HTTP server that pages report their first contentful paint
 * to, so that programs the benchmark cannot look inside (browsers) can be
 * timed the same way as the shell.
 */
typedef struct _YunBenchBeacon YunBenchBeacon;

YunBenchBeacon *yun_bench_beacon_new     (GError         **error);
void            yun_bench_beacon_free    (YunBenchBeacon  *beacon);
char           *yun_bench_beacon_script  (YunBenchBeacon  *beacon);
void            yun_bench_beacon_forget  (YunBenchBeacon  *beacon,
                                          const char      *run);
gboolean        yun_bench_beacon_wait    (YunBenchBeacon  *beacon,
                                          const char      *run,
                                          guint            seconds,
                                          double          *paint_ms);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (YunBenchBeacon, yun_bench_beacon_free)

gboolean     yun_bench_copy_app        (const char          *source_dir,
                                        const char          *target_dir,
                                        const char          *extra_head,
                                        GError             **error);

G_END_DECLS
