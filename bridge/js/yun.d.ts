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

/** A note in the phone's notes. */
interface YunNote {
  /** The note's id. */
  readonly id: string;
  /** Its current revision; pass it back to change or remove the note. */
  readonly rev: string;
  /** The title. */
  readonly title: string;
  /** The text. */
  readonly body: string;
  /** Tags. */
  readonly tags: string[];
  /** When it last changed, in milliseconds since the epoch. */
  readonly updated: number;
}

/** Where a saved note now stands. */
interface YunNoteSaved {
  /** The note's id. */
  readonly id: string;
  /** Its new revision. */
  readonly rev: string;
}

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
  /** "change": One of the app's permissions changed: the user answered a prompt with "always" or "deny", or revoked a decision in the permission centre. The event's detail is read-only. */
  addEventListener(type: "change", listener: (event: CustomEvent<{
    /** The permission. */
    readonly name: YunPermissionName;
    /** Its state now. */
    readonly state: YunPermissionState;
  }>) => void): void;
  removeEventListener(type: "change", listener: (event: CustomEvent<{
    /** The permission. */
    readonly name: YunPermissionName;
    /** Its state now. */
    readonly state: YunPermissionState;
  }>) => void): void;
}

/** navigator.yun.notes: The phone's notes, shared by the apps the user allows; they sync with the user's cloud. */
interface YunNotes {
  /** The notes, most recently changed first. Needs the "notes" permission with "read" access. */
  list(options?: {
    /** At most this many (default 100). */
    limit?: number;
  }): Promise<YunNote[]>;
  /** One note. Rejects with NotFoundError when there is none with that id. Needs the "notes" permission with "read" access. */
  get(options: {
    /** The note's id. */
    id: string;
  }): Promise<YunNote>;
  /** Saves a new note, or a new version of one (give its id and rev). Rejects with InvalidStateError when rev is not the note's current revision: someone changed it meanwhile. Needs the "notes" permission with "readwrite" access. */
  save(options: {
    /** The note to change; a new note when absent. */
    id?: string;
    /** The revision the change is based on; required with id. */
    rev?: string;
    /** The title. */
    title: string;
    /** The text. */
    body: string;
    /** Tags. */
    tags?: string[];
  }): Promise<YunNoteSaved>;
  /** Removes a note. Rejects with NotFoundError when there is none, InvalidStateError when rev is not current. Needs the "notes" permission with "readwrite" access. */
  remove(options: {
    /** The note's id. */
    id: string;
    /** Its current revision. */
    rev: string;
  }): Promise<boolean>;
}

interface Yun {
  /** The runtime's version and every method it has. */
  capabilities(): Promise<YunCapabilities>;
  readonly device: YunDevice;
  readonly permissions: YunPermissions;
  readonly notes: YunNotes;
}

interface Navigator {
  /** Present only in the top frame of an installed app's own pages. */
  readonly yun?: Yun;
}
