/* yun-bench-camera.h: the camera benchmark.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

int yun_bench_camera_run (int    argc,
                          char **argv);
