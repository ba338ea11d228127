// Generated from bridge/schema/yun-api.json by bridge/schema/gen-api-docs.py: do not edit.
//
// TypeScript declarations for navigator.yun, the Yun runtime's JavaScript API.
// navigator.yun exists only in the top frame of a page inside an installed app's
// scope. Every method returns a Promise that rejects with a DOMException whose
// name is NotAllowedError, NotFoundError, DataError, InvalidStateError,
// QuotaExceededError, NetworkError, AbortError or NotSupportedError.

/** What the runtime says about itself and the hardware. */
interface YunDeviceInfo {
  /** The runtime's name: "Yun". */
  readonly runtime: string;
  /** The runtime's version, like "0.1.0". */
  readonly version: string;
  /** The hardware model from the device tree or DMI, or "Unknown device". */
  readonly model: string;
}

/** What this runtime offers. */
interface YunCapabilities {
  /** The runtime's name: "Yun". */
  readonly runtime: string;
  /** The runtime's version. */
  readonly version: string;
  /** Every method, as "namespace.method" ("capabilities" for the ones on navigator.yun itself). */
  readonly methods: string[];
}

/** A permission an app declares in its manifest's yun.permissions. */
type YunPermissionName = "contacts" | "camera" | "photos" | "location" | "notes" | "messages" | "calls" | "sync" | "share" | "notifications" | "apps";

/** As in the Permissions API: granted, denied, or prompt (asking would show the user a prompt). */
type YunPermissionState = "granted" | "denied" | "prompt";

/** navigator.yun.device: The device the app runs on. */
interface YunDevice {
  /** Describes the runtime and the hardware. Needs no permission: it says no more than a browser's user agent. */
  info(): Promise<YunDeviceInfo>;
}

/** navigator.yun.permissions: The app's own permissions. Undeclared permissions are always denied, without asking. */
interface YunPermissions {
  /** The state of one of the app's permissions, without asking the user. */
  query(options: {
    /** The permission. */
    name: YunPermissionName;
  }): Promise<YunPermissionState>;
  /** Asks the user for a declared permission if they have not decided yet, showing the app's name and the manifest's reason, and resolves with the state afterwards. Rejects with NotAllowedError for a permission the manifest does not declare. */
  request(options: {
    /** The permission. */
    name: YunPermissionName;
  }): Promise<YunPermissionState>;
}

interface Yun {
  /** The runtime's version and every method it has. */
  capabilities(): Promise<YunCapabilities>;
  readonly device: YunDevice;
  readonly permissions: YunPermissions;
}

interface Navigator {
  /** Present only in the top frame of an installed app's own pages. */
  readonly yun?: Yun;
}
