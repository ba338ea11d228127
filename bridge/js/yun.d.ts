// yun.d.ts: TypeScript declarations for navigator.yun, the Yun runtime's
// JavaScript API.  navigator.yun exists only in the top frame of a page
// inside an installed app's scope; everywhere else it is undefined.
//
// SPDX-License-Identifier: GPL-3.0-or-later

/** What `navigator.yun.device.info()` resolves with. */
interface YunDeviceInfo {
  /** The runtime's name: "Yun". */
  readonly runtime: string;
  /** The runtime's version, like "0.1.0". */
  readonly version: string;
  /** The hardware model, from the device tree or DMI, or "Unknown device". */
  readonly model: string;
}

interface YunDevice {
  /**
   * Describes the runtime and the hardware.  Needs no permission.
   * Rejects with a DOMException: `DataError` when called with arguments.
   */
  info(): Promise<YunDeviceInfo>;
}

interface Yun {
  readonly device: YunDevice;
}

interface Navigator {
  /** Present only in the top frame of an installed app's own pages. */
  readonly yun?: Yun;
}
