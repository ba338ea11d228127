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

/** What echo() was given. */
interface YunEcho {
  /** The text echo() received. */
  readonly data: string;
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
  /** From notes.get only: other versions of the note that sync kept, when it was changed on two phones before either saw the other's change (empty when there are none). The note itself is the version every phone shows. To settle it, save the text you want with the note's rev, then remove each of these with notes.remove and its own rev. */
  readonly conflicts: YunNote[];
}

/** Where a saved note now stands. */
interface YunNoteSaved {
  /** The note's id. */
  readonly id: string;
  /** Its new revision. */
  readonly rev: string;
}

/** A contact's name, in parts. */
interface YunContactName {
  /** The whole name as shown. */
  readonly formatted: string;
  /** Given name. */
  readonly given: string;
  /** Middle names. */
  readonly additional: string;
  /** Family name. */
  readonly family: string;
  /** Honorific prefix. */
  readonly prefix: string;
  /** Honorific suffix. */
  readonly suffix: string;
}

/** A phone number or an e-mail address. */
interface YunContactEntry {
  /** The number or address. */
  readonly value: string;
  /** Kinds, as in vCard: "cell", "work", "home"… */
  readonly types: string[];
  /** The preferred one. */
  readonly pref: boolean;
}

/** A postal address. */
interface YunContactAddress {
  /** Post office box. */
  readonly po_box: string;
  /** Flat, floor… */
  readonly extended: string;
  /** Street and number. */
  readonly street: string;
  /** Town or city. */
  readonly locality: string;
  /** Region or state. */
  readonly region: string;
  /** Postal code. */
  readonly postal_code: string;
  /** Country. */
  readonly country: string;
  /** Kinds, as in vCard: "cell", "work", "home"… */
  readonly types: string[];
  /** The preferred one. */
  readonly pref: boolean;
}

/** A contact's photo: stored with the contact, or a link. */
interface YunContactPhoto {
  /** Its media type, for a stored photo. */
  readonly content_type: string;
  /** Its size in bytes, for a stored photo. */
  readonly length: number;
  /** Where it is, for a linked photo. */
  readonly url: string;
}

/** A contact in the phone's address book. Give id and rev to change an existing one. */
interface YunContact {
  /** Its id. */
  readonly id: string;
  /** Its current revision. */
  readonly rev: string;
  /** The name. */
  readonly name: YunContactName;
  /** Phone numbers. */
  readonly tel: YunContactEntry[];
  /** E-mail addresses. */
  readonly email: YunContactEntry[];
  /** Postal addresses. */
  readonly address: YunContactAddress[];
  /** Organisation. */
  readonly org: string;
  /** Department. */
  readonly department: string;
  /** Job title. */
  readonly title: string;
  /** A note. */
  readonly note: string;
  /** Birthday, as YYYY-MM-DD. */
  readonly bday: string;
  /** A stable unique id, as in vCard. */
  readonly uid: string;
  /** The photo. */
  readonly photo: YunContactPhoto;
  /** When it last changed, in milliseconds since the epoch. */
  readonly updated: number;
}

/** What a vCard import did. */
interface YunVCardReport {
  /** How many cards were imported. */
  readonly imported: number;
  /** The cards that were skipped, with why. */
  readonly skipped: {
    /** The line the bad card starts on. */
    readonly line: number;
    /** What was wrong. */
    readonly message: string;
  }[];
}

/** A text message. */
interface YunMessage {
  /** Its id. */
  readonly id: string;
  /** Its current revision. */
  readonly rev: string;
  /** The conversation: usually the other person's number. */
  readonly thread: string;
  /** Who sent it. */
  readonly from: string;
  /** Who it went to. */
  readonly to: string[];
  /** The text. */
  readonly body: string;
  /** When, in milliseconds since the epoch. */
  readonly time: number;
  /** Whether it was read. */
  readonly read: boolean;
}

/** A conversation. */
interface YunMessageThread {
  /** Its name. */
  readonly thread: string;
  /** Its newest message's id. */
  readonly last_id: string;
  /** When its newest message came, in milliseconds since the epoch. */
  readonly time: number;
  /** How many messages it has. */
  readonly count: number;
  /** How many of them are unread. */
  readonly unread: number;
}

/** A call in the call history. */
interface YunCall {
  /** Its id. */
  readonly id: string;
  /** Its current revision. */
  readonly rev: string;
  /** The other party's number. */
  readonly number: string;
  /** Which way it went. */
  readonly direction: "in" | "out" | "missed";
  /** How long, in seconds. */
  readonly duration: number;
  /** When, in milliseconds since the epoch. */
  readonly time: number;
}

/** A photo in the phone's library. Its image is at url, which only the app that was given it can load. */
interface YunPhoto {
  /** Its id. */
  readonly id: string;
  /** Its current revision. */
  readonly rev: string;
  /** When it was taken, in milliseconds since the epoch. */
  readonly taken: number;
  /** Width in pixels. */
  readonly width: number;
  /** Height in pixels. */
  readonly height: number;
  /** Where it was taken. */
  readonly location: {
    /** Degrees north. */
    readonly latitude: number;
    /** Degrees east. */
    readonly longitude: number;
  };
  /** Its media type. */
  readonly content_type: string;
  /** Its size in bytes. */
  readonly length: number;
  /** A yun-blob: URL of the image for this app's pages (img src, fetch). */
  readonly url: string;
}

/** What the phone's sync with the cloud is doing. */
interface YunSyncStatus {
  /** signed-out until the user signs in to the cloud; idle when everything is in sync. */
  readonly state: "signed-out" | "idle" | "syncing" | "offline" | "error";
  /** When everything was last in sync, in milliseconds since the epoch; null before the first time. */
  readonly lastSync: number;
  /** Local changes not yet sent. */
  readonly pending: number;
  /** Why it is offline, failing or signed out; null otherwise. */
  readonly error: string;
}

/** An app installed on the phone. */
interface YunInstalledApp {
  /** The app's id. */
  readonly id: string;
  /** Its name, from its manifest. */
  readonly name: string;
  /** For a packaged app its manifest's version (or else the package's SHA-256); for a hosted app the SHA-256 of its manifest. */
  readonly version: string;
  /** The URL of its manifest (app://ID/manifest.json for a packaged app). */
  readonly manifestUrl: string;
  /** hosted: runs from its origin with an offline copy; packaged: installed from a zip. */
  readonly source: "hosted" | "packaged";
  /** When it was first installed, in milliseconds since the epoch. */
  readonly installed: number;
  /** When it was last installed or updated, in milliseconds since the epoch. */
  readonly updated: number;
}

/** What sharing made. */
interface YunSharedItem {
  /** The read-only link, for a link; anyone with it sees this item and nothing else until it is revoked. */
  readonly url: string;
  /** The link's id, to revoke it with unshare(). */
  readonly link: string;
  /** The friend whose account now holds a copy, for a copy. */
  readonly copiedTo: string;
}

/** navigator.yun.device: The device the app runs on. */
interface YunDevice {
  /**
   * Describes the runtime and the hardware. Needs no permission: it says no more than a browser's user agent.
   * @example
   * const { runtime, version, model } = await navigator.yun.device.info();
   * document.querySelector("footer").textContent = `${runtime} ${version} on ${model}`;
   */
  info(): Promise<YunDeviceInfo>;
}

/** navigator.yun.permissions: The app's own permissions. Undeclared permissions are always denied, without asking. */
interface YunPermissions {
  /**
   * The state of one of the app's permissions, without asking the user.
   * @example
   * const state = await navigator.yun.permissions.query({ name: "location" });
   * if (state === "denied")
   *   showHint("Location is off for this app: turn it on in Settings.");
   */
  query(options: {
    /** The permission. */
    name: YunPermissionName;
  }): Promise<YunPermissionState>;
  /**
   * Asks the user for a declared permission if they have not decided yet, showing the app's name and the manifest's reason, and resolves with the state afterwards. Rejects with NotAllowedError for a permission the manifest does not declare.
   * @example
   * const state = await navigator.yun.permissions.request({ name: "contacts" });
   * if (state === "granted")
   *   listContacts();
   */
  request(options: {
    /** The permission. */
    name: YunPermissionName;
  }): Promise<YunPermissionState>;
  /**
   * "change": One of the app's permissions changed: the user answered a prompt with "always" or "deny", or revoked a decision in the permission centre. The event's detail is read-only.
   * @example
   * navigator.yun.permissions.addEventListener("change", (event) => {
   *   if (event.detail.name === "location" && event.detail.state === "denied")
   *     stopTracking();
   * });
   */
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
  /**
   * The notes, most recently changed first. Needs the "notes" permission with "read" access.
   * @example
   * const notes = await navigator.yun.notes.list({ limit: 20 });
   * for (const note of notes)
   *   console.log(note.title, new Date(note.updated));
   */
  list(options?: {
    /** At most this many (default 100). */
    limit?: number;
  }): Promise<YunNote[]>;
  /**
   * One note. Rejects with NotFoundError when there is none with that id. Needs the "notes" permission with "read" access.
   * @example
   * const note = await navigator.yun.notes.get({ id: noteId });
   * editor.value = note.body;
   */
  get(options: {
    /** The note's id. */
    id: string;
  }): Promise<YunNote>;
  /**
   * Saves a new note, or a new version of one (give its id and rev). Rejects with InvalidStateError when rev is not the note's current revision: someone changed it meanwhile. Needs the "notes" permission with "readwrite" access.
   * @example
   * // Without id: a new note.  With id and rev: a new revision of that note.
   * const saved = await navigator.yun.notes.save({ title: "Shopping", body: "Rice, tea", tags: ["home"] });
   * const again = await navigator.yun.notes.save({ id: saved.id, rev: saved.rev, title: "Shopping", body: "Rice, tea, tofu" });
   */
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
  /**
   * Removes a note; with the rev of one of its conflicts, removes only that version. Rejects with NotFoundError when there is none, InvalidStateError when rev is neither the current one nor a conflict's. Needs the "notes" permission with "readwrite" access.
   * @example
   * const note = await navigator.yun.notes.get({ id: noteId });
   * await navigator.yun.notes.remove({ id: note.id, rev: note.rev });
   */
  remove(options: {
    /** The note's id. */
    id: string;
    /** Its current revision. */
    rev: string;
  }): Promise<boolean>;
}

/** navigator.yun.contacts: The phone's address book. Searching is by the start of any word of a name, the start of an e-mail address or the end of a phone number. */
interface YunContacts {
  /**
   * Contacts matching what was typed, best first; an empty query lists them all. Needs the "contacts" permission with "read" access.
   * @example
   * const matches = await navigator.yun.contacts.find({ query: "li", limit: 10 });
   * for (const contact of matches)
   *   console.log(contact.name?.formatted, contact.tel?.[0]?.value);
   */
  find(options?: {
    /** What the user typed. */
    query?: string;
    /** By name (the default) or most recently changed first. */
    order?: "name" | "recent";
    /** At most this many (default 50). */
    limit?: number;
  }): Promise<YunContact[]>;
  /**
   * One contact. Rejects with NotFoundError when there is none with that id. Needs the "contacts" permission with "read" access.
   * @example
   * const contact = await navigator.yun.contacts.get({ id: contactId });
   * title.textContent = contact.name?.formatted ?? "No name";
   */
  get(options: {
    /** The id. */
    id: string;
  }): Promise<YunContact>;
  /**
   * Adds a contact, or changes one when it has id and rev. Rejects with DataError naming the member that is wrong, and with InvalidStateError when rev is not the current revision. Needs the "contacts" permission with "readwrite" access.
   * @example
   * const contact = await navigator.yun.contacts.save({ contact: {
   *   name: { formatted: "Wei Zhang", given: "Wei", family: "Zhang" },
   *   tel: [{ value: "+86 138 0000 1111", types: ["cell"] }],
   * } });
   * console.log(contact.id, contact.rev);
   */
  save(options: {
    /** The contact. */
    contact: YunContact;
  }): Promise<YunContact>;
  /**
   * Removes a contact. Needs the "contacts" permission with "readwrite" access.
   * @example
   * const contact = await navigator.yun.contacts.get({ id: contactId });
   * await navigator.yun.contacts.remove({ id: contact.id, rev: contact.rev });
   */
  remove(options: {
    /** The id. */
    id: string;
    /** The revision you read; without it, whatever is current is removed. */
    rev?: string;
  }): Promise<boolean>;
  /**
   * Imports vCard 3.0 or 4.0 text. A malformed card is skipped and reported with its line; the others are imported. Needs the "contacts" permission with "readwrite" access.
   * @example
   * const text = await file.text(); // a File from <input type="file" accept=".vcf">
   * const report = await navigator.yun.contacts.importVCard({ text });
   * console.log(`${report.imported} imported, ${report.skipped.length} skipped`);
   */
  importVCard(options: {
    /** The vCard text. */
    text: string;
  }): Promise<YunVCardReport>;
  /**
   * The contacts as vCard text. Needs the "contacts" permission with "read" access.
   * @example
   * const vcf = await navigator.yun.contacts.exportVCard({ ids: [contactId], version: "4.0" });
   * const url = URL.createObjectURL(new Blob([vcf], { type: "text/vcard" }));
   */
  exportVCard(options?: {
    /** Which contacts; all when left out. */
    ids?: string[];
    /** The vCard version (default 4.0). */
    version?: "3.0" | "4.0";
  }): Promise<string>;
}

/** navigator.yun.messages: Text messages. */
interface YunMessages {
  /**
   * Messages, newest first. Needs the "messages" permission with "read" access.
   * @example
   * const messages = await navigator.yun.messages.list({ thread: threadId, limit: 50 });
   * for (const message of messages)
   *   console.log(message.from, message.body);
   */
  list(options?: {
    /** Only this conversation. */
    thread?: string;
    /** Only older than this time, in milliseconds since the epoch. */
    before?: number;
    /** At most this many (default 50). */
    limit?: number;
  }): Promise<YunMessage[]>;
  /**
   * Conversations, the one with the newest message first. Needs the "messages" permission with "read" access.
   * @example
   * const threads = await navigator.yun.messages.threads({ limit: 20 });
   * const unread = threads.reduce((sum, thread) => sum + thread.unread, 0);
   */
  threads(options?: {
    /** At most this many (default 50). */
    limit?: number;
  }): Promise<YunMessageThread[]>;
  /**
   * One message. Needs the "messages" permission with "read" access.
   * @example
   * const message = await navigator.yun.messages.get({ id: messageId });
   * bubble.textContent = message.body;
   */
  get(options: {
    /** The id. */
    id: string;
  }): Promise<YunMessage>;
  /**
   * Adds or changes a message. Needs the "messages" permission with "readwrite" access.
   * @example
   * const message = await navigator.yun.messages.save({ message: {
   *   thread: "+86 139 0000 1111", to: ["+86 139 0000 1111"], body: "On my way", time: Date.now(),
   * } });
   */
  save(options: {
    /** The message. */
    message: YunMessage;
  }): Promise<YunMessage>;
  /**
   * Marks a message read. Needs the "messages" permission with "readwrite" access.
   * @example
   * const message = await navigator.yun.messages.markRead({ id: messageId });
   * console.log(message.read); // true
   */
  markRead(options: {
    /** The id. */
    id: string;
  }): Promise<YunMessage>;
  /**
   * Removes a message. Needs the "messages" permission with "readwrite" access.
   * @example
   * const message = await navigator.yun.messages.get({ id: messageId });
   * await navigator.yun.messages.remove({ id: message.id, rev: message.rev });
   */
  remove(options: {
    /** The id. */
    id: string;
    /** The revision you read; without it, whatever is current is removed. */
    rev?: string;
  }): Promise<boolean>;
}

/** navigator.yun.calls: The call history. */
interface YunCalls {
  /**
   * Calls, newest first. Needs the "calls" permission with "read" access.
   * @example
   * const calls = await navigator.yun.calls.list({ limit: 30 });
   * const missed = calls.filter((call) => call.direction === "missed");
   */
  list(options?: {
    /** Only older than this time, in milliseconds since the epoch. */
    before?: number;
    /** At most this many (default 50). */
    limit?: number;
  }): Promise<YunCall[]>;
  /**
   * One call. Needs the "calls" permission with "read" access.
   * @example
   * const call = await navigator.yun.calls.get({ id: callId });
   * console.log(call.number, call.duration);
   */
  get(options: {
    /** The id. */
    id: string;
  }): Promise<YunCall>;
  /**
   * Adds or changes a call. Needs the "calls" permission with "readwrite" access.
   * @example
   * const call = await navigator.yun.calls.save({ call: {
   *   number: "+86 138 0000 1111", direction: "out", duration: 95, time: Date.now(),
   * } });
   */
  save(options: {
    /** The call. */
    call: YunCall;
  }): Promise<YunCall>;
  /**
   * Removes a call. Needs the "calls" permission with "readwrite" access.
   * @example
   * const call = await navigator.yun.calls.get({ id: callId });
   * await navigator.yun.calls.remove({ id: call.id, rev: call.rev });
   */
  remove(options: {
    /** The id. */
    id: string;
    /** The revision you read; without it, whatever is current is removed. */
    rev?: string;
  }): Promise<boolean>;
}

/** navigator.yun.photos: The phone's photo library. Images are never sent as data: each photo has a URL only this app can load. */
interface YunPhotos {
  /**
   * Photos, newest first. Needs the "photos" permission with "read" access.
   * @example
   * const photos = await navigator.yun.photos.list({ limit: 24 });
   * for (const photo of photos) {
   *   const img = document.createElement("img");
   *   img.src = photo.url;
   *   gallery.append(img);
   * }
   */
  list(options?: {
    /** Only older than this time, in milliseconds since the epoch. */
    before?: number;
    /** At most this many (default 50). */
    limit?: number;
  }): Promise<YunPhoto[]>;
  /**
   * One photo. Needs the "photos" permission with "read" access.
   * @example
   * const photo = await navigator.yun.photos.get({ id: photoId });
   * if (photo.location)
   *   showOnMap(photo.location.latitude, photo.location.longitude);
   */
  get(options: {
    /** The id. */
    id: string;
  }): Promise<YunPhoto>;
  /**
   * Removes a photo. Needs the "photos" permission with "readwrite" access.
   * @example
   * const photo = await navigator.yun.photos.get({ id: photoId });
   * await navigator.yun.photos.remove({ id: photo.id, rev: photo.rev });
   */
  remove(options: {
    /** The id. */
    id: string;
    /** The revision you read; without it, whatever is current is removed. */
    rev?: string;
  }): Promise<boolean>;
}

/** navigator.yun.camera: The camera, through the shell's own viewfinder: the user takes the picture, the app gets it. */
interface YunCamera {
  /**
   * Opens the viewfinder; resolves with the photo the user takes (also kept in the photo library), or rejects with AbortError when the user cancels. Needs the "camera" permission with "read" access.
   * @example
   * try {
   *   const photo = await navigator.yun.camera.takePicture({ maxWidth: 1280, maxHeight: 1280, quality: 0.85 });
   *   preview.src = photo.url;
   * } catch (e) {
   *   if (e.name !== "AbortError") // AbortError: the user closed the viewfinder
   *     throw e;
   * }
   */
  takePicture(options?: {
    /** Scale down to at most this width. */
    maxWidth?: number;
    /** Scale down to at most this height. */
    maxHeight?: number;
    /** JPEG quality from 0 to 1 (default 0.92). */
    quality?: number;
  }): Promise<YunPhoto>;
}

/** navigator.yun.sync: The phone's sync with the user's cloud: every note, contact, message, call and photo is kept there too. */
interface YunSync {
  /**
   * Where sync stands. Needs the "sync" permission with "read" access.
   * @example
   * const status = await navigator.yun.sync.status();
   * badge.textContent = status.state === "syncing" ? "Syncing…" : status.state;
   */
  status(): Promise<YunSyncStatus>;
  /**
   * Syncs now rather than at the next change; resolves at once with true when signed in, false when not. Needs the "sync" permission with "read" access.
   * @example
   * const signedIn = await navigator.yun.sync.now();
   * if (!signedIn)
   *   showHint("Sign in to your Yun cloud in Settings to sync.");
   */
  now(): Promise<boolean>;
  /**
   * "change": Changes from the cloud arrived in one of the phone's databases that this app may read. The event's detail is read-only.
   * @example
   * navigator.yun.sync.addEventListener("change", (event) => {
   *   if (event.detail.db === "notes")
   *     refreshNoteList();
   * });
   */
  addEventListener(type: "change", listener: (event: CustomEvent<{
    /** The database: notes, contacts, messages, calls or photos. */
    readonly db: string;
  }>) => void): void;
  removeEventListener(type: "change", listener: (event: CustomEvent<{
    /** The database: notes, contacts, messages, calls or photos. */
    readonly db: string;
  }>) => void): void;
}

/** navigator.yun.apps: The phone's installed apps. Only the store holds the "apps" permission: for any other app every method rejects with NotAllowedError, whatever its manifest declares. */
interface YunApps {
  /**
   * Every installed app. Needs the "apps" permission with "read" access.
   * @example
   * const apps = await navigator.yun.apps.list();
   * for (const app of apps)
   *   console.log(app.id, app.name, app.version, app.source);
   */
  list(): Promise<YunInstalledApp[]>;
  /**
   * One installed app. Rejects with NotFoundError when no app with that id is installed. Needs the "apps" permission with "read" access.
   * @example
   * const app = await navigator.yun.apps.get({ id: "notes" });
   * console.log(app.version, new Date(app.updated));
   */
  get(options: {
    /** The app's id: 1 to 64 of a-z, 0-9, '.', '_' and '-'. */
    id: string;
  }): Promise<YunInstalledApp>;
  /**
   * Installs an app: a hosted app from its manifest, or a packaged app from its zip, whose SHA-256 must be the one given (DataError naming SHA-256 otherwise). Rejects with InvalidStateError when it is already installed, NetworkError when a download fails, QuotaExceededError when the phone's disk is full, DataError for a bad manifest or package. A failed install leaves nothing behind. Progress goes out as progress events. Needs the "apps" permission with "readwrite" access.
   * @example
   * const app = await navigator.yun.apps.install({
   *   id: "prices", manifestUrl: "https://cloud.example.com/apps/prices/manifest.json",
   * });
   */
  install(options: {
    /** The app's id: 1 to 64 of a-z, 0-9, '.', '_' and '-'. */
    id: string;
    /** The http(s) URL of the app's manifest; a hosted app runs from there. */
    manifestUrl: string;
    /** The http(s) URL of the app's zip, for a packaged app; without it the app is installed as a hosted app. */
    packageUrl?: string;
    /** The zip's SHA-256 in hex, as the store lists it; required with packageUrl. */
    sha256?: string;
  }): Promise<YunInstalledApp>;
  /**
   * Updates an installed app from the same kind of source as install(); rejects with NotFoundError when it is not installed. A failed update leaves the old version working. Needs the "apps" permission with "readwrite" access.
   * @example
   * const app = await navigator.yun.apps.update({
   *   id: "prices", manifestUrl: "https://cloud.example.com/apps/prices/manifest.json",
   * });
   * console.log("now at", app.version);
   */
  update(options: {
    /** The app's id: 1 to 64 of a-z, 0-9, '.', '_' and '-'. */
    id: string;
    /** The http(s) URL of the app's manifest; a hosted app runs from there. */
    manifestUrl: string;
    /** The http(s) URL of the app's zip, for a packaged app; without it the app is installed as a hosted app. */
    packageUrl?: string;
    /** The zip's SHA-256 in hex, as the store lists it; required with packageUrl. */
    sha256?: string;
  }): Promise<YunInstalledApp>;
  /**
   * Uninstalls an app and wipes its data; resolves with true. Rejects with NotFoundError when it is not installed, NotAllowedError for the store itself. Needs the "apps" permission with "readwrite" access.
   * @example
   * const removed = await navigator.yun.apps.uninstall({ id: "prices" });
   */
  uninstall(options: {
    /** The app's id: 1 to 64 of a-z, 0-9, '.', '_' and '-'. */
    id: string;
  }): Promise<boolean>;
  /**
   * "progress": How an install or update this app asked for is going. The event's detail is read-only.
   * @example
   * navigator.yun.apps.addEventListener("progress", (event) => {
   *   const { id, phase, fraction } = event.detail;
   *   progressBar.value = fraction;
   *   if (phase === "done")
   *     console.log(id, "installed");
   * });
   */
  addEventListener(type: "progress", listener: (event: CustomEvent<{
    /** The app being installed. */
    readonly id: string;
    /** What it is doing. */
    readonly phase: "download" | "verify" | "install" | "done";
    /** How much is done, from 0 to 1; it never goes down. */
    readonly fraction: number;
  }>) => void): void;
  removeEventListener(type: "progress", listener: (event: CustomEvent<{
    /** The app being installed. */
    readonly id: string;
    /** What it is doing. */
    readonly phase: "download" | "verify" | "install" | "done";
    /** How much is done, from 0 to 1; it never goes down. */
    readonly fraction: number;
  }>) => void): void;
}

interface Yun {
  /**
   * The runtime's version and every method it has.
   * @example
   * const caps = await navigator.yun.capabilities();
   * if (caps.methods.includes("camera.takePicture"))
   *   document.querySelector("#snap").hidden = false;
   */
  capabilities(): Promise<YunCapabilities>;
  /**
   * Answers with its argument, unchanged: for checking that the bridge is alive and measuring its round trip. Needs no permission.
   * @example
   * const reply = await navigator.yun.echo({ data: "ping" });
   * console.log(reply.data); // prints ping
   */
  echo(options: {
    /** Any text, up to 1,000,000 characters. */
    data: string;
  }): Promise<YunEcho>;
  /**
   * Shares one of the phone's items through the user's cloud: a revocable read-only link, or (with to) a copy in a friend's account. The app must be allowed to read the item's kind; the item must have synced to the cloud (else NotFoundError, and sync is nudged).
   * @example
   * // A read-only link to one note, which the user can revoke later.
   * const shared = await navigator.yun.share({ db: "notes", id: note.id });
   * await navigator.clipboard.writeText(shared.url);
   */
  share(options: {
    /** The kind of item. */
    db: "notes" | "contacts" | "messages" | "calls" | "photos";
    /** The item's id. */
    id: string;
    /** A friend's name on the same cloud: copy the item into their account. */
    to?: string;
  }): Promise<YunSharedItem>;
  /**
   * Revokes a link share() made: the link shows nothing any more.
   * @example
   * const revoked = await navigator.yun.unshare({ link: shared.link });
   * console.log(revoked ? "link revoked" : "already gone");
   */
  unshare(options: {
    /** The link's id from share(). */
    link: string;
  }): Promise<boolean>;
  readonly device: YunDevice;
  readonly permissions: YunPermissions;
  readonly notes: YunNotes;
  readonly contacts: YunContacts;
  readonly messages: YunMessages;
  readonly calls: YunCalls;
  readonly photos: YunPhotos;
  readonly camera: YunCamera;
  readonly sync: YunSync;
  readonly apps: YunApps;
}

interface Navigator {
  /** Present only in the top frame of an installed app's own pages. */
  readonly yun?: Yun;
  /** The standard Contact Picker, installed as navigator.contacts: select(properties, {multiple}) shows the phone's picker and resolves with only the contacts the user picks, each with only the properties asked for. No permission is needed: the user's choice is the permission. An empty array means the user picked none or cancelled. */
  readonly contacts?: {
    /**
     * Shows the picker. The standard form is navigator.contacts.select(properties, {multiple}); "icon" is always an empty array here.
     * @example
     * const picked = await navigator.contacts.select(["name", "tel"], { multiple: true });
     * for (const contact of picked)
     *   console.log(contact.name[0], contact.tel[0]);
     */
    select(properties: ("name" | "email" | "tel" | "address" | "icon")[], options?: { multiple?: boolean }): Promise<{
    /** Names. */
    readonly name: string[];
    /** E-mail addresses. */
    readonly email: string[];
    /** Phone numbers. */
    readonly tel: string[];
    /** Postal addresses. */
    readonly address: YunContactAddress[];
    /** Always empty. */
    readonly icon: string[];
  }[]>;
    getProperties(): Promise<("name" | "email" | "tel" | "address" | "icon")[]>;
  };
}
